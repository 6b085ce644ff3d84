"""Someone's own comment and the live answer it causes (the waiting request is woken by that very
commit) arrive together: whichever comes first, the new thread shows once, not even for a moment twice."""
import pytest
from playwright.sync_api import expect

from tests.browser.test_live_discussion import signed_in
from tests.collab import post_comment

pytestmark = pytest.mark.browser

TEXT = "Komentar baru dari Alice"
COPIES = f"""() => [...document.querySelectorAll('.comment-body')].filter(e => e.textContent.includes({TEXT!r})).length"""


def test_ones_own_new_thread_never_shows_twice_when_the_live_answer_comes_first(open_page, live_server, page_problems, alice, programme):
    existing = post_comment(programme, alice, "Thread lama")
    page = signed_in(open_page, live_server, alice)
    page.goto(live_server(f"/p/{programme.slug}/"))
    # A reply being written in the discussion: the live answer is merged thread by thread.
    page.locator(f"#thread-{existing.id} .reply-box summary").click()
    page.locator(f"#reply-form-{existing.id}-body").fill("Balasan yang sedang ditulis")
    page.wait_for_timeout(500)  # the discussion's live request is waiting
    page.evaluate(f"""() => {{
        window.mostCopies = 0;
        new MutationObserver(() => {{ window.mostCopies = Math.max(window.mostCopies, ({COPIES})()); }})
            .observe(document.body, {{ childList: true, subtree: true }});
    }}""")

    # The save's answer is held back: the live answer, woken by the same commit, arrives first.
    def later(route):
        response = route.fetch()
        page.wait_for_timeout(600)
        route.fulfill(response=response)

    page.route(f"**/t/programme/{programme.id}/comments", later)
    box = page.locator(f"#comment-form-programme-{programme.id}-body")
    box.fill(TEXT)
    page.locator(f"#comment-form-programme-{programme.id} button[type=submit]").click()
    expect(box).to_have_value("", timeout=10000)  # the save's answer is in
    page.wait_for_timeout(300)
    assert page.evaluate(COPIES) == 1
    assert page.evaluate("window.mostCopies") == 1
    assert page.locator(f"#reply-form-{existing.id}-body").input_value() == "Balasan yang sedang ditulis"
    assert page_problems == []
