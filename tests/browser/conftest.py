"""Browser tests: the real app behind a real HTTP server, driven by Debian's Chromium through Playwright.

- `live_server`: `create_app` on this test's freshly migrated database (the `database_url` fixture of
  tests/conftest.py, so SQLite or PostgreSQL as the rest of the suite), served by werkzeug in a thread
  on 127.0.0.1 and a free port. CSRF is ON (the browser submits real forms with real tokens); rate
  limits are off (a flow signs in more often than a person would).
- `browser`: one headless Chromium for the whole session (starting it costs about a second).
  Playwright never downloads a browser here: it drives /usr/bin/chromium (`make browser`).
- `open_page(**context_options)`: a page in a fresh browser context (its own cookies, so one
  context is one person), pointed at the live server. Every console error, uncaught page error
  and Content-Security-Policy violation is collected in `page_problems`, which a test asserts empty.

Data can also be made with `factories` (tests/conftest.py): they write to the same database.
"""
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

from app import create_app
from app.collab import live
from app.extensions import db as _db

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
TIMEOUT_MS = 15_000

# Chromium logs a CSP violation as a console error; the listener makes it independent of that
# message's wording (and of its level). Init scripts are injected by the browser, outside the CSP.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", function (e) {
  console.error("CSP violation: " + e.violatedDirective + " blocked " + (e.blockedURI || "inline") +
                " at " + e.sourceFile + ":" + e.lineNumber);
});
"""


@dataclass
class LiveServer:
    app: object
    url: str

    def __call__(self, path: str = "/") -> str:
        return self.url + path


class _QuietHandler(WSGIRequestHandler):
    # One line per request buries a failing test's output; errors are still logged.
    def log_request(self, code="-", size="-"):
        pass


@pytest.fixture
def live_app_config(app_config):
    """The settings of the app under the live server; override in a module to change them."""
    return {
        **app_config,
        "WTF_CSRF_ENABLED": True,
        "RATELIMIT_ENABLED": False,
        # External URLs (the invitation link) take the host and port the browser used.
        "SERVER_NAME": None,
    }


@pytest.fixture
def live_server(live_app_config):
    app = create_app(live_app_config)
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(app=app, url=f"http://127.0.0.1:{server.server_port}")
    finally:
        live.hub_for(app).stop()  # the pages' waiting live requests answer now, before the database goes
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        # Close the pool before tests/conftest.py truncates (PostgreSQL) or deletes (SQLite) the database.
        with app.app_context():
            _db.engine.dispose()


@pytest.fixture(scope="session")
def playwright():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright):
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser` (Debian's chromium; never `playwright install`)")
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def page_problems():
    """Console errors, page errors and CSP violations of every page this test opened."""
    return []


@pytest.fixture
def open_page(browser, live_server, page_problems):
    """open_page(name="...", **context_options) -> a Page in a new context (a new person).

    Defaults: the live server as base_url, an Indonesian browser in WITA.
    """
    contexts = []

    def make(name: str = "page", **options):
        options.setdefault("base_url", live_server.url)
        options.setdefault("locale", "id-ID")
        options.setdefault("timezone_id", "Asia/Makassar")
        context = browser.new_context(**options)
        contexts.append(context)
        context.set_default_timeout(TIMEOUT_MS)
        context.add_init_script(REPORT_CSP_VIOLATIONS)
        page = context.new_page()
        page.on(
            "console",
            lambda msg: msg.type == "error" and page_problems.append(f"{name}: console: {msg.text} ({msg.location})"),
        )
        page.on("pageerror", lambda error: page_problems.append(f"{name}: pageerror: {error}"))
        return page

    yield make
    for context in contexts:
        context.close()


def pytest_collection_modifyitems(config, items):
    """A real browser on a shared 2-core machine sometimes misses a 15-second wait for reasons
    that are not the app's (a starved renderer). Such a test is run again, at most twice, and
    only for a Playwright time-out: an assertion that fails still fails at once. Also for the
    rare EvalError of Playwright's own wait_for_function polling, which our CSP (no 'unsafe-eval')
    sometimes refuses: Playwright's evaluation, not the page's script (that would be a CSP report
    in page_problems)."""
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.flaky(reruns=2, only_rerun=[
                "TimeoutError", "EvalError: Evaluating a string as JavaScript violates"]))
