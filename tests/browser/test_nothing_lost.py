"""Issue 3, "nothing typed is lost", for co-edited text: a Pasal being edited and the minutes of
an agenda item survive a reload and an expired login, and the kept text is saved against the
revision it was started from, so what others saved meanwhile is merged, not overwritten."""
import pytest
from playwright.sync_api import expect

from app.drafts import service
from app.drafts.models import DraftKind
from app.extensions import db
from tests.browser.helpers import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def closing(programme, alice):
    """The closing Pasal of a new Raperda: (draft, unit)."""
    draft = service.create_draft(programme, alice, "Penyelenggaraan Wisata Kota Industri", DraftKind.RAPERDA, "Kota Bontang")
    return draft, service.load_tree(draft.id).pasals()[-1].unit


def test_a_pasal_being_edited_survives_a_reload_and_merges_with_a_save_made_meanwhile(open_page, page_problems, programme, alice, bob, closing):
    draft, unit = closing
    original = unit.text
    page = open_page("alice")
    sign_in(page, alice.email)
    page.goto(f"/p/{programme.slug}/drafts/{draft.id}/")
    page.locator(f"#unit-{unit.id} a[href$='/edit']").click()
    box = page.locator(f"#edit-{unit.id} textarea")
    box.fill("Mulai hari ini: " + original)

    page.reload()
    # The editor opens by itself, with her text and a word that it was kept.
    expect(box).to_have_value("Mulai hari ini: " + original)
    expect(page.locator(f"#edit-{unit.id} .draft-status")).not_to_be_empty()

    # Meanwhile Bob saves another part of the same Pasal.
    db.session.rollback()  # a fresh transaction: the server has written (presence) since this one began
    service.save_unit(unit.id, bob, unit.head_revision_id, original + " Tambahan Bob.")
    page.locator(f"#edit-{unit.id} button[type=submit]").click()
    shown = page.locator(f"#unit-{unit.id} .unit-text")
    expect(shown).to_contain_text("Mulai hari ini:")
    expect(shown).to_contain_text("Tambahan Bob.")  # merged from the revision her text started on

    # Saved, the kept text is forgotten: a reload shows the Pasal, not an editor.
    page.reload()
    expect(page.locator(f"#unit-{unit.id} .unit-text")).to_contain_text("Tambahan Bob.")
    expect(page.locator(f"#edit-{unit.id}")).to_have_count(0)
    assert page_problems == []


def test_a_pasal_edit_refused_by_an_expired_login_is_saved_after_signing_in_again(open_page, page_problems, programme, alice, closing):
    draft, unit = closing
    page = open_page("alice")
    sign_in(page, alice.email)
    page.goto(f"/p/{programme.slug}/drafts/{draft.id}/")
    page.locator(f"#unit-{unit.id} a[href$='/edit']").click()
    page.locator(f"#edit-{unit.id} textarea").fill("Teks Pasal yang ditulis selama rapat panjang.")
    page.context.clear_cookies()  # the session expired while she was writing
    page.locator(f"#edit-{unit.id} button[type=submit]").click()
    page.locator("#main", has_text="token keamanan").wait_for()

    sign_in(page, alice.email)
    page.goto(f"/p/{programme.slug}/drafts/{draft.id}/")
    box = page.locator(f"#edit-{unit.id} textarea")
    expect(box).to_have_value("Teks Pasal yang ditulis selama rapat panjang.")
    page.locator(f"#edit-{unit.id} button[type=submit]").click()
    expect(page.locator(f"#unit-{unit.id} .unit-text")).to_contain_text("selama rapat panjang")
    db.session.rollback()
    assert db.session.get(type(unit), unit.id).text == "Teks Pasal yang ditulis selama rapat panjang."
    expected = ("Failed to load resource", "Fetch API cannot load", "Response Status Error Code 400")
    assert [p for p in page_problems if not any(e in p for e in expected)] == []


def test_minutes_being_written_survive_a_reload_and_can_be_discarded_or_saved(open_page, page_problems, programme, alice):
    from app.meetings.models import MeetingStatus
    from tests.meetings.conftest import AgendaItemFactory, MeetingFactory

    meeting = MeetingFactory(programme_id=programme.id, created_by_id=alice.id, status=MeetingStatus.IN_PROGRESS)
    item = AgendaItemFactory(meeting_id=meeting.id, title="Penambahan kata kota pada nama program")
    db.session.commit()
    page = open_page("alice")
    sign_in(page, alice.email)
    page.goto(f"/p/{programme.slug}/meetings/{meeting.id}")
    form = page.locator(f'[data-minutes-item="{item.id}"] form.minutes-form')
    box = form.locator("textarea[name=text]")
    box.fill("Disepakati: nama program ditambah kata kota.")

    page.reload()
    expect(box).to_have_value("Disepakati: nama program ditambah kata kota.")
    discard = form.locator("[data-draft-discard]")
    expect(discard).to_be_visible()
    discard.click()  # she changes her mind: the box is as the page gave it, and stays so
    expect(box).to_have_value("")
    page.reload()
    expect(box).to_have_value("")

    box.fill("Disepakati: nama program ditambah kata kota.")
    form.locator("button[type=submit]").click()
    expect(page.locator(f'[data-minutes-item="{item.id}"]')).to_contain_text("Revisi 1")
    page.reload()
    expect(box).to_have_value("Disepakati: nama program ditambah kata kota.")
    expect(discard).to_be_hidden()  # nothing restored: this is the saved text
    assert page_problems == []
