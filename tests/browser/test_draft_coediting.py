"""Issue 6 in a real browser: two editors edit the same Pasal; one resolves a conflict in place.

Found by structure (ids, classes, names), not by wording, as the other browser tests do.
"""
import pytest
from playwright.sync_api import expect

from app.drafts import service
from app.drafts.models import DraftKind
from app.extensions import db
from app.pentahelix import Element
from app.programmes.models import Role
from tests.browser.helpers import sign_in

pytestmark = pytest.mark.browser


def test_two_editors_edit_one_pasal_and_one_resolves_a_conflict(open_page, page_problems, factories, live_server):
    programme = factories.ProgrammeFactory(name="Program Wisata Kota Industri Bontang")
    rina = factories.UserFactory(name="Rina Pemkot", organisation__element=Element.PEMERINTAH)
    sri = factories.UserFactory(name="Sri Badak", organisation__element=Element.BISNIS)
    factories.MembershipFactory(programme=programme, user=rina, role=Role.OWNER)
    factories.MembershipFactory(programme=programme, user=sri, role=Role.EDITOR)
    draft = service.create_draft(programme, rina, "Penyelenggaraan Wisata Kota Industri", DraftKind.RAPERDA,
                                 "Kota Bontang")
    closing = service.load_tree(draft.id).pasals()[-1].unit
    draft_url = f"/p/{programme.slug}/drafts/{draft.id}/"

    pages = {}
    for name, user in (("rina", rina), ("sri", sri)):
        page = open_page(name)
        sign_in(page, user.email, factories.PASSWORD)
        page.goto(draft_url)
        page.locator(f"#unit-{closing.id} a[href$='/edit']").click()
        expect(page.locator(f"#edit-{closing.id} textarea")).to_be_visible()
        pages[name] = page

    # Each sees the other at work within the poll interval.
    expect(pages["sri"].locator("#live .presence")).to_contain_text("Rina Pemkot")
    expect(pages["rina"].locator("#live .presence")).to_contain_text("Sri Badak")

    # Rina saves first.
    rina_form = pages["rina"].locator(f"#edit-{closing.id}")
    rina_form.locator("textarea").fill("Peraturan Daerah ini mulai berlaku pada tanggal 1 Januari 2027.")
    rina_form.locator("button[type=submit]").click()
    expect(pages["rina"].locator(f"#unit-{closing.id} .unit-text")).to_contain_text("1 Januari 2027")

    # Sri changed the same words: she gets the conflict view, nothing of hers is lost.
    sri_form = pages["sri"].locator(f"#edit-{closing.id}")
    sri_form.locator("textarea").fill("Peraturan Daerah ini mulai berlaku pada tanggal ditetapkan.")
    sri_form.locator("button[type=submit]").click()
    conflict = pages["sri"].locator(f"#edit-{closing.id} .conflict")
    expect(conflict).to_be_visible()
    expect(conflict).to_contain_text("1 Januari 2027")
    expect(conflict).to_contain_text("tanggal ditetapkan")
    proposal = pages["sri"].locator(f"#edit-{closing.id} textarea")
    assert "1 Januari 2027" in proposal.input_value() and "ditetapkan" in proposal.input_value()

    # She resolves it and saves on top of Rina's revision.
    proposal.fill("Peraturan Daerah ini mulai berlaku pada tanggal 1 Januari 2027 setelah ditetapkan.")
    pages["sri"].locator(f"#edit-{closing.id} button[type=submit]").click()
    expect(pages["sri"].locator(f"#unit-{closing.id} .unit-text")).to_contain_text("setelah ditetapkan")

    # Rina's open page shows Sri's resolution without a reload.
    expect(pages["rina"].locator(f"#unit-{closing.id} .unit-text")).to_contain_text("setelah ditetapkan")
    db.session.rollback()  # see what the server wrote
    revisions = service.unit_history(closing)
    assert [r.action.value for r in revisions][:2] == ["edited", "edited"] and len(revisions) == 3
    # The conflict answer is a 409 on purpose (nothing was saved); Chromium and htmx log every 4xx response.
    unexpected = [p for p in page_problems if "409" not in p]
    assert unexpected == [], unexpected
