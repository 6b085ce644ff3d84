"""In real Chromium: an action from a meeting decision, dragged across the board, blocked with a
reason, finished; the dashboard follows."""
import re
import threading
from datetime import timedelta

import pytest
from werkzeug.serving import make_server

pytestmark = pytest.mark.browser


@pytest.fixture
def app_config(app_config):
    # A real browser talks to a real server: no test SERVER_NAME, so links use the live address.
    return {**app_config, "SERVER_NAME": None}


@pytest.fixture
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def page(browser):
    """A page of the session's Chromium (tests/browser/conftest.py): one Playwright per process."""
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def test_from_decision_to_done(live_server, page, app, alice, programme):
    from app.actions import service
    from tests.factories import PASSWORD

    with app.test_request_context():
        today = service.today()

    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("dialog", lambda dialog: dialog.accept("Menunggu jadwal DPP"))
    app.extensions["babel"].locale_selector = lambda: "en"

    page.goto(f"{live_server}/login")
    page.fill("input[name=email]", alice.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server}/")

    # From a meeting decision: the meetings domain links here with the source in the query string.
    page.goto(f"{live_server}/p/{programme.slug}/actions/new?source_kind=decision&source_id=3"
              f"&source_label=Nama+program+ditambah+kata+kota&meeting_id=1&meeting_label=Rakor+Pentahelix"
              f"&title=Usulkan+nama+ke+DPP+MASATA")
    page.fill("input[name=due_date]", (today + timedelta(days=5)).isoformat())
    page.get_by_role("button", name="Create action").click()
    page.wait_for_url(re.compile(r"/actions/\d+$"))
    assert "Meeting decision" in page.content()

    page.goto(f"{live_server}/p/{programme.slug}/actions/board")
    card = page.locator(".board-card", has_text="Usulkan nama ke DPP MASATA")
    page.wait_for_function("() => document.querySelector('[data-sortable-ready]') !== null")
    card.drag_to(page.locator('ol[data-status="dikerjakan"]'))
    page.locator('ol[data-status="dikerjakan"] .board-card', has_text="Usulkan nama").wait_for()

    # Blocking asks for the reason (the dialog above answers it).
    page.locator('ol[data-status="dikerjakan"] .board-card', has_text="Usulkan nama").drag_to(
        page.locator('ol[data-status="terhambat"]'))
    page.locator('ol[data-status="terhambat"] .board-card', has_text="Menunggu jadwal DPP").wait_for()

    # Keyboard fallback: open Move on the card and press the button.
    blocked = page.locator('ol[data-status="terhambat"] .board-card', has_text="Usulkan nama")
    blocked.locator("summary").click()
    blocked.get_by_role("button", name="→ Done").click()
    page.locator('ol[data-status="selesai"] .board-card', has_text="Usulkan nama").wait_for()
    # Each move swapped the board fragment in place: one board, one page header, still on the board.
    assert page.locator("#results").count() == 1 and page.locator("header.site-header").count() == 1
    assert page.url.endswith("/actions/board")

    page.goto(f"{live_server}/p/{programme.slug}/actions/dashboard")
    stats = page.locator(".stat-grid").inner_text()
    assert "100 %" in stats and "0\noverdue" in stats.replace(" ", "\n")
    page.goto(f"{live_server}/p/{programme.slug}/actions/")
    page.get_by_role("link", name="Usulkan nama ke DPP MASATA").click()
    history = page.locator(".history").inner_text()
    assert "Menunggu jadwal DPP" in history and "Blocked → Done" in history
    assert errors == []
