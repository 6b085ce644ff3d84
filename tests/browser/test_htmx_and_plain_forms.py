"""The same pages work two ways: htmx-boosted in one document, and as plain HTML forms without JavaScript."""
import pytest
from playwright.sync_api import expect

from app.pentahelix import Element
from tests.browser.helpers import sign_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def rina(factories):
    user = factories.UserFactory(
        name="Rina Pemkot", email="rina@bontangkota.go.id", organisation__name="Pemkot Bontang",
        organisation__element=Element.PEMERINTAH,
    )
    return user.email




def test_htmx_boosts_forms_and_links_within_one_document(open_page, page_problems, live_server, rina):
    page = open_page("boosted")
    page.goto("/login")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    # A property of this document: a full page load would lose it.
    page.evaluate("window.sinergiSameDocument = 'yes'")

    form = page.locator("#login-form")
    form.locator("#email").fill(rina)
    form.locator("#password").fill(PASSWORD)
    with page.expect_request(lambda r: r.method == "POST" and r.url.startswith(live_server("/login"))) as posted:
        form.locator("button[type=submit]").click()
    headers = posted.value.headers
    assert headers.get("hx-request") == "true" and headers.get("hx-boosted") == "true"
    # The CSRF token travels as htmx's header as well as in the form.
    assert headers.get("x-csrftoken")
    expect(page.locator(".nav-user a[href='/profile']")).to_be_visible()

    with page.expect_request(lambda r: r.url == live_server("/organisations/")) as navigated:
        page.locator(".nav-links a[href='/organisations/']").click()
    assert navigated.value.headers.get("hx-boosted") == "true"
    page.wait_for_url(live_server("/organisations/"))
    assert page.evaluate("window.sinergiSameDocument") == "yes"

    # History works too: back to the programmes list, still the same document.
    page.go_back()
    page.wait_for_url(live_server("/"))
    expect(page.locator("main a[href='/p/new']")).to_be_visible()
    assert page.evaluate("window.sinergiSameDocument") == "yes"

    assert page_problems == []


def test_signing_in_and_creating_a_programme_work_without_javascript(open_page, page_problems, live_server, rina):
    page = open_page("no-js", java_script_enabled=False)
    htmx_requests = []
    page.on("request", lambda r: r.headers.get("hx-request") and htmx_requests.append(r.url))

    sign_in(page, rina)
    page.locator("main a[href='/p/new']").click()
    form = page.locator("#programme-form")
    form.locator("#name").fill("Forum Pentahelix Bontang")
    form.locator("button[type=submit]").click()

    expect(page.locator("main h1")).to_have_text("Forum Pentahelix Bontang")
    expect(page.locator("#coverage li[data-element=pemerintah]:not(.coverage-missing) .coverage-orgs")).to_have_text(
        "Pemkot Bontang"
    )
    expect(page.locator("#coverage li.coverage-missing")).to_have_count(4)
    assert page.url.startswith(live_server("/p/"))
    # Every step was a real page load: no script ran to send an htmx request.
    assert htmx_requests == []
    assert page_problems == []


def test_the_watch_reports_a_content_security_policy_violation(open_page, page_problems, live_server):
    # A page of the app with an inline script injected: our own CSP must block it, and the test must see it.
    page = open_page("csp")

    def inject(route):
        response = route.fetch()
        body = response.text().replace("</body>", "<script>window.injected = true</script></body>")
        route.fulfill(response=response, body=body)

    page.route(live_server("/login"), inject)
    page.goto("/login")
    expect(page.locator("#login-form")).to_be_visible()
    assert page.evaluate("window.injected") is None
    for _ in range(40):  # the console event may arrive just after the page is ready
        if page_problems:
            break
        page.wait_for_timeout(50)
    assert any("script-src" in problem for problem in page_problems), page_problems
