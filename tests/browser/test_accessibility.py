"""Every main page, in both languages, checked in real Chromium with axe-core: no serious or
critical violations. Core tasks done by keyboard alone."""
from pathlib import Path

import pytest

from app.pentahelix import Element
from app.programmes.models import Role, Visibility

pytestmark = pytest.mark.browser

AXE = (Path(__file__).parent / "vendor" / "axe-core-4.14.1.min.js").read_text()
PASSWORD = "kata-sandi-aksesibel"


@pytest.fixture
def world(factories, db):
    """A programme with members of several elements, signed-in pages to check."""
    from werkzeug.security import generate_password_hash

    programme = factories.ProgrammeFactory(name="Program Wisata Kota Industri Bontang", visibility=Visibility.PUBLIC,
                                           description="Program **pilot** nasional.")
    owner = factories.UserFactory(email="owner@example.id", organisation__element=Element.PEMERINTAH,
                                  password_hash=generate_password_hash(PASSWORD))
    factories.MembershipFactory(programme=programme, user=owner, role=Role.OWNER)
    for element in (Element.BISNIS, Element.KOMUNITAS):
        factories.MembershipFactory(programme=programme, user=factories.UserFactory(organisation__element=element), role=Role.EDITOR)
    factories.InvitationFactory(programme=programme)
    from app.actions import service as actions

    action = actions.create(programme, owner, title="Usulkan nama program", assignee=owner)
    for n in range(actions.BOARD_PER_COLUMN + 1):  # a column long enough for its "show more"
        actions.create(programme, owner, title=f"Tindak lanjut {n}")
    return {"programme": programme, "owner": owner, "action": action}


def main_pages(world) -> list[str]:
    """The pages every release checks. Each domain adds its main pages here."""
    slug = world["programme"].slug
    return [
        "/",
        "/organisations/",
        f"/organisations/{world['owner'].organisation_id}",
        f"/p/{slug}/",
        f"/p/{slug}/members",
        f"/p/{slug}/settings",
        "/p/new",
        "/profile",
        "/profile/password",
        # Follow-up actions: the board with its Move links, a card's Move form on its own, the history.
        f"/p/{slug}/actions/board",
        f"/p/{slug}/actions/board/baru?page=2",
        f"/p/{slug}/actions/{world['action'].id}/status",
        f"/p/{slug}/actions/{world['action'].id}/history",
    ]


ANONYMOUS_PAGES = ["/login", "/register", "/reset", "/does-not-exist"]


def _violations(page) -> list[str]:
    page.evaluate(AXE + "\n;0")  # DevTools evaluation: outside the page's CSP, as a tester's tool
    result = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
        ".map(v => v.id + ': ' + v.help + ' — ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))"
    )
    return result


def _sign_in(page, email):
    page.goto("/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.locator("#login-form button[type=submit]").click()
    page.wait_for_url("**/")


@pytest.mark.parametrize("locale", ["id", "en"])
def test_main_pages_have_no_serious_accessibility_violations(open_page, world, db, locale, page_problems):
    world["owner"].locale = locale
    db.session.commit()
    page = open_page("owner")
    found = {}
    for path in ANONYMOUS_PAGES:
        page.goto(path)
        violations = _violations(page)
        if violations:
            found[f"{path} (anonymous)"] = violations
    _sign_in(page, "owner@example.id")
    for path in main_pages(world):
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == locale, path
        violations = _violations(page)
        if violations:
            found[path] = violations
    assert found == {}
    assert [p for p in page_problems if "404" not in p] == []


def test_signing_in_works_by_keyboard_alone(open_page, world):
    page = open_page("keyboard")
    page.goto("/login")
    # Focus starts on the email field (autofocus); from there, only keys.
    page.keyboard.type("owner@example.id")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/")
    assert page.get_by_text("Program Wisata Kota Industri Bontang").first.is_visible()
    # Tab reaches the skip link first, and it moves focus to the main content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('skip-link')")


def test_the_checker_does_report_a_violation(open_page, world):
    """Guards the test above against passing because axe never ran."""
    page = open_page("checker")
    page.goto("/login")
    page.evaluate("document.querySelector('label[for=email]').remove()")
    assert any(v.startswith("label") for v in _violations(page))
