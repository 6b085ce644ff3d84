"""Issue 7: the core tasks done by keyboard alone in real Chromium — sign in, post a comment, save a
Pasal, change an action's status, take attendance at a meeting.

After `goto`, only keys: Tab / Shift+Tab to move, Enter or Space to press, typing through
page.keyboard. No clicks, no fill(), no focus() on elements. Each focus stop the test passes must
be visibly marked (the browser's :focus-visible with our outline), and after each htmx swap the
focus must stay somewhere sensible — in or on what was just changed, never dropped on <body>
(a keyboard user would then start again from the top of the page).
"""
from datetime import date, timedelta

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from app.pentahelix import Element
from app.programmes.models import Role
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

# Where focus is, and whether it is shown: an outline or a box-shadow on the focused element.
FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return {where: 'body'};
  const style = getComputedStyle(el);
  const shown = el.matches(':focus-visible') &&
    ((style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none');
  return {where: el.outerHTML.slice(0, 160), shown: shown};
}"""


def focus(page) -> dict:
    return page.evaluate(FOCUS)


def tab_to(page, selector: str, backwards: bool = False, limit: int = 300) -> None:
    """Press Tab (or Shift+Tab) until `selector` has the focus; every stop on the way must show it."""
    key = "Shift+Tab" if backwards else "Tab"
    hidden = []
    for _ in range(limit):
        page.keyboard.press(key)
        state = focus(page)
        if state["where"] != "body" and not state["shown"]:
            hidden.append(state["where"])
        if page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector):
            assert hidden == [], f"focus was not visible on: {hidden}"
            return
    raise AssertionError(f"{selector} cannot be reached with {key}")


def assert_focus_within(page, selector: str) -> None:
    """Focus is inside `selector` (or on it) once the swap has settled — not lost to <body> — and shown."""
    try:
        page.wait_for_function("s => !!document.activeElement && !!document.activeElement.closest(s)", arg=selector,
                               timeout=3000)
    except PlaywrightTimeoutError:
        raise AssertionError(f"focus is on {focus(page)['where']}, not within {selector}") from None
    assert focus(page)["shown"], f"focus on {focus(page)['where']} is not visible"


def sign_in(page, email: str) -> None:
    page.goto("/login")
    # The email field has autofocus; from there, only keys.
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator(".nav-user a[href='/profile']")).to_be_visible()


@pytest.fixture
def team(factories, programme):
    owner = factories.UserFactory(name="Rina Pemkot", organisation__element=Element.PEMERINTAH)
    factories.MembershipFactory(programme=programme, user=owner, role=Role.OWNER)
    others = []
    for name, element in (("Sri Badak", Element.BISNIS), ("Dr. Ahmad", Element.AKADEMISI)):
        user = factories.UserFactory(name=name, organisation__element=element)
        factories.MembershipFactory(programme=programme, user=user, role=Role.EDITOR)
        others.append(user)
    return owner, others


def test_signing_in_is_done_by_keyboard_and_focus_is_shown(open_page, page_problems, team):
    owner, _ = team
    page = open_page("keyboard")
    page.goto("/login")
    assert page.evaluate("document.activeElement.id") == "email"
    sign_in(page, owner.email)
    # The first Tab on the new page reaches the skip link, shown, and Enter moves to the content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('skip-link')")
    assert focus(page)["shown"]
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    assert page_problems == []


def test_a_comment_is_posted_by_keyboard(open_page, page_problems, team, programme):
    owner, _ = team
    page = open_page("keyboard")
    sign_in(page, owner.email)
    page.goto(f"/p/{programme.slug}/")
    form = f"#comment-form-programme-{programme.id}"
    tab_to(page, f"{form}-body")
    page.keyboard.type("Mohon masukan untuk konsep program sebelum Kamis.")
    tab_to(page, f"{form} button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator(".comment-body", has_text="Mohon masukan untuk konsep program")).to_be_visible()
    expect(page.locator(f"{form}-body")).to_have_value("")
    # The form is ready for the next comment: focus stays in it.
    assert_focus_within(page, form)
    assert page_problems == []


def test_a_pasal_is_saved_by_keyboard(open_page, page_problems, team, programme):
    from app.drafts import service
    from app.drafts.models import DraftKind

    owner, _ = team
    draft = service.create_draft(programme, owner, "Penyelenggaraan Wisata Kota Industri", DraftKind.RAPERDA, "Kota Bontang")
    unit = service.load_tree(draft.id).pasals()[-1].unit
    page = open_page("keyboard")
    sign_in(page, owner.email)
    page.goto(f"/p/{programme.slug}/drafts/{draft.id}/")
    tab_to(page, f"#unit-{unit.id} a[href$='/edit']")
    page.keyboard.press("Enter")
    textarea = f"#edit-{unit.id} textarea"
    expect(page.locator(textarea)).to_be_visible()
    # Opening the editor puts the cursor in the text (no Tab hunt through the whole draft).
    expect(page.locator(textarea)).to_be_focused()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("Peraturan Daerah ini mulai berlaku pada tanggal 1 Januari 2027.")
    tab_to(page, f"#edit-{unit.id} button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator(f"#unit-{unit.id} .unit-text")).to_contain_text("1 Januari 2027")
    assert_focus_within(page, f"#unit-{unit.id}")
    assert page_problems == []


def test_an_actions_status_is_changed_by_keyboard(open_page, page_problems, team, programme):
    from app.actions import service

    owner, _ = team
    action = service.create(programme, owner, title="Usulkan nama program ke DPP MASATA", assignee=owner,
                            due_date=date.today() + timedelta(days=5))
    page = open_page("keyboard", locale="en-GB")
    sign_in(page, owner.email)
    page.goto(f"/p/{programme.slug}/actions/{action.id}")
    tab_to(page, "#status-form select[name=status]")
    before = page.locator("#status-form select[name=status]").input_value()
    page.keyboard.press("ArrowDown")  # a focused select changes its value with the arrow keys
    after = page.locator("#status-form select[name=status]").input_value()
    assert after != before
    tab_to(page, "#status-form button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator(f"#status-title .status-{after}")).to_be_visible()
    assert_focus_within(page, "#live")
    assert page_problems == []


def test_attendance_is_taken_by_keyboard(open_page, page_problems, team, programme):
    from tests.meetings.conftest import AgendaItemFactory, MeetingFactory

    owner, others = team
    meeting = MeetingFactory(programme_id=programme.id, created_by_id=owner.id)
    AgendaItemFactory(meeting_id=meeting.id, title="Paparan konsep program")
    page = open_page("keyboard")
    sign_in(page, owner.email)
    page.goto(f"/p/{programme.slug}/meetings/{meeting.id}")

    # Invite a whole element: the select changes with the arrow keys, Enter on the button sends it.
    tab_to(page, "#attendance select[name=target]")
    page.keyboard.type("Bisnis")  # typing selects the option that starts so
    tab_to(page, "#attendance form.invite-form button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator("#attendance .roll-call li")).to_have_count(1)  # Sri is invited (and now on the roll)
    assert_focus_within(page, "#attendance")

    # The roll call: mark everyone present, one after the other.
    roll = page.locator("#attendance .roll-call li")
    total = roll.count()
    for left in range(total - 1, -1, -1):
        tab_to(page, "#attendance .roll-call button[value=present]")
        page.keyboard.press("Space" if left % 2 else "Enter")
        expect(roll).to_have_count(left)
        assert_focus_within(page, "#attendance")
    expect(page.locator("#attendance .attendance-list li")).to_have_count(total)
    expect(page.locator("#attendance tr[data-element=bisnis]:not(.coverage-missing)")).to_be_visible()
    assert page_problems == []


def test_a_board_card_is_moved_and_more_cards_shown_by_keyboard(open_page, page_problems, team, programme):
    from app.actions import service

    owner, _ = team
    soon = date.today() + timedelta(days=1)
    first = service.create(programme, owner, title="Usulkan nama program", assignee=owner, due_date=soon)
    for n in range(service.BOARD_PER_COLUMN + 2):
        service.create(programme, owner, title=f"Tindak lanjut {n}", due_date=soon + timedelta(days=n + 1))
    page = open_page("keyboard", locale="en-GB")
    sign_in(page, owner.email)
    page.goto(f"/p/{programme.slug}/actions/board")
    # Open Move on the card: its form comes into the card; Tab reaches its buttons. (Backwards from the
    # end of the page: the filter form's date fields above the board do not show their focus yet.)
    tab_to(page, f"#card-{first.id} summary", backwards=True)
    page.keyboard.press("Enter")
    expect(page.locator(f"#card-{first.id} button[value=dikerjakan]")).to_be_visible()
    tab_to(page, f"#card-{first.id} button[value=dikerjakan]")
    page.keyboard.press("Enter")
    expect(page.locator(f'ol[data-status="dikerjakan"] #card-{first.id}')).to_be_visible()
    assert_focus_within(page, f"#card-{first.id}")
    # "Show 2 more" appends the column's next cards and focus goes to the first of them.
    tab_to(page, 'ol[data-status="baru"] [data-board-more]', backwards=True)
    page.keyboard.press("Enter")
    expect(page.locator('ol[data-status="baru"] .board-card')).to_have_count(service.BOARD_PER_COLUMN + 2)
    assert_focus_within(page, f'ol[data-status="baru"] .board-card:nth-child({service.BOARD_PER_COLUMN + 1})')
    assert page_problems == []
