"""A long draft in a real browser: the text comes part by part as the reader scrolls, the outline and
cross-references reach any part, the keyboard keeps its place, and a part opened later is live and
editable like the first (app/drafts/parts.py, static/js/drafts.js)."""
import pytest
from playwright.sync_api import expect

from app.drafts import parts, service
from app.drafts.models import DraftKind, Unit, UnitKind
from app.extensions import db
from tests.browser.helpers import sign_in

pytestmark = pytest.mark.browser

BUDGET = 2500


@pytest.fixture
def live_app_config(live_app_config):
    return {**live_app_config, "DRAFT_PART_BUDGET": BUDGET}


@pytest.fixture
def long_draft(programme, alice):
    draft = service.create_draft(programme, alice, "Penyelenggaraan Wisata Kota Industri", DraftKind.RAPERDA, "Kota Bontang")
    bab = next(n.unit for n in service.load_tree(draft.id).order if n.kind == UnitKind.BAB)
    for i in range(30):
        pasal = service.add_unit(draft, alice, UnitKind.PASAL, parent=bab)
        service.add_unit(draft, alice, UnitKind.AYAT, parent=pasal, text=f"Ayat kesatu Pasal tambahan {i} " + "kata " * 20)
        service.add_unit(draft, alice, UnitKind.AYAT, parent=pasal, text=f"Ayat kedua Pasal tambahan {i}.")
    first_ayat = service.read_tree(draft.id).pasals()[-2].children[0].unit
    service.save_unit(first_ayat.id, alice, first_ayat.head_revision_id, "Sebagaimana dimaksud dalam Pasal 3.")
    return draft


def split(draft):
    return parts.split(service.read_tree(draft.id), BUDGET)


def test_the_text_comes_part_by_part_and_the_outline_reaches_any_part(open_page, page_problems, programme, alice, long_draft):
    all_parts = split(long_draft)
    tree = service.read_tree(long_draft.id)
    pasal = tree.pasals()[-2]  # its first ayat refers to Pasal 3, in the first part
    holding = next(i for i, part in enumerate(all_parts) if pasal in part.nodes)
    assert holding >= 2
    second, later = all_parts[1], all_parts[holding]
    page = open_page("alice")
    sign_in(page, alice.email)
    page.goto(f"/p/{programme.slug}/drafts/{long_draft.id}/")
    expect(page.locator(f"#part-{later.key}.draft-part-waiting")).to_have_count(1)
    expect(page.locator(f"#unit-{pasal.id}")).to_have_count(0)

    # Scrolling to a placeholder fills it.
    page.locator(f"#part-{second.key}").scroll_into_view_if_needed()
    expect(page.locator(f"#unit-{second.nodes[-1].id}")).to_be_attached()
    expect(page.locator(f"#part-{second.key}.draft-part-waiting")).to_have_count(0)

    # The outline link of a Pasal in a later part loads that part in place and scrolls to it: no reload.
    page.evaluate("window.samePage = true")
    page.locator(f".outline a[href$='#unit-{pasal.id}']").click()
    expect(page.locator(f"#unit-{pasal.id}")).to_be_in_viewport()
    assert page.evaluate("window.samePage") is True and page.url.endswith(f"#unit-{pasal.id}")

    # Its cross-reference back to the first part jumps there.
    page.locator(f"#unit-{pasal.children[0].id} a.xref").click()
    expect(page.locator(f"#unit-{tree.by_full_label['Pasal 3']}")).to_be_in_viewport()
    assert page.evaluate("window.samePage") is True
    assert page_problems == []


def test_a_unit_in_a_later_part_is_edited_in_place_and_updated_live(open_page, page_problems, programme, alice, bob, long_draft):
    last = split(long_draft)[-1]
    unit = last.nodes[-1].unit
    pages = {}
    for name, user in (("alice", alice), ("bob", bob)):
        page = open_page(name)
        sign_in(page, user.email)
        page.goto(f"/p/{programme.slug}/drafts/{long_draft.id}/?at={unit.id}#unit-{unit.id}")
        expect(page.locator(f"#unit-{unit.id}")).to_be_in_viewport()
        pages[name] = page
    # Alice also scrolls back to the first part: her page holds two parts now.
    pages["alice"].locator(".outline a[href$='#unit-1']").click()
    expect(pages["alice"].locator("#unit-1")).to_be_in_viewport()

    pages["bob"].locator(f"#unit-{unit.id} a[href$='/edit']").click()
    box = pages["bob"].locator(f"#edit-{unit.id} textarea")
    box.fill("Ayat kedua yang diubah Bob.")
    pages["bob"].locator(f"#edit-{unit.id} button[type=submit]").click()
    expect(pages["bob"].locator(f"#unit-{unit.id} .unit-text")).to_contain_text("diubah Bob")
    # Alice's page shows Bob's save without a reload.
    expect(pages["alice"].locator(f"#unit-{unit.id} .unit-text")).to_contain_text("diubah Bob")
    db.session.rollback()
    assert db.session.get(Unit, unit.id).text == "Ayat kedua yang diubah Bob."
    assert page_problems == []


def test_an_old_link_to_a_unit_in_a_later_part_still_lands_on_it(open_page, page_problems, programme, alice, long_draft):
    unit = split(long_draft)[-1].nodes[-1].unit
    page = open_page("alice")
    sign_in(page, alice.email)
    page.goto(f"/p/{programme.slug}/drafts/{long_draft.id}/#unit-{unit.id}")
    expect(page.locator(f"#unit-{unit.id}")).to_be_in_viewport()
    assert f"at={unit.id}" in page.url
    assert page_problems == []


def test_without_javascript_the_parts_are_pages(open_page, page_problems, programme, alice, long_draft):
    second = split(long_draft)[1]
    page = open_page("plain", java_script_enabled=False)
    sign_in(page, alice.email)
    page.goto(f"/p/{programme.slug}/drafts/{long_draft.id}/")
    page.locator(f"#part-{second.key} a").click()
    expect(page.locator(f"#unit-{second.nodes[-1].id}")).to_be_attached()
    page.locator("a[href='?all=1']").click()
    expect(page.locator(".draft-part-waiting")).to_have_count(0)
    assert page_problems == []


def test_the_keyboard_keeps_its_place_when_a_part_comes_in(open_page, page_problems, programme, alice, long_draft):
    second = split(long_draft)[1]
    page = open_page("keyboard")
    sign_in(page, alice.email)
    page.goto(f"/p/{programme.slug}/drafts/{long_draft.id}/")
    # Tabbing onto the placeholder's link scrolls it into view, which loads the part in its place.
    page.locator(f"#part-{second.key}-title").focus()
    expect(page.locator(f"#unit-{second.nodes[-1].id}")).to_be_attached()
    page.wait_for_function("id => document.activeElement && document.activeElement.id === id", arg=f"part-{second.key}-title")
    # The next Tab goes on into the part, not back to the top of the page.
    page.keyboard.press("Tab")
    assert page.evaluate(f"!!document.activeElement.closest('#part-{second.key}')")
    assert page_problems == []
