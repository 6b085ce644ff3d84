"""Two people on one programme page: alice comments and mentions bob; bob's open page and bell
update without a reload, and what bob is typing meanwhile is untouched and survives a reload."""
import pytest
from playwright.sync_api import expect

from tests.collab import post_comment

pytestmark = pytest.mark.browser


def signed_in(open_page, live_server, user):
    """A page in a new browser context, already signed in as `user` (no password round trip)."""
    app = live_server.app
    cookie = app.session_interface.get_signing_serializer(app).dumps({"_user_id": user.get_id(), "_fresh": True})
    page = open_page(name=user.name)
    page.context.add_cookies([{"name": "session", "value": cookie, "url": live_server.url}])
    return page


def test_a_comment_and_mention_reach_the_other_page_without_losing_what_is_typed(open_page, live_server, page_problems, alice, bob, programme):
    existing = post_comment(programme, alice, "Thread lama")
    url = live_server(f"/p/{programme.slug}/")
    page_a = signed_in(open_page, live_server, alice)
    page_b = signed_in(open_page, live_server, bob)
    for page in (page_a, page_b):
        page.goto(url)

    # Bob is in the middle of writing: a new comment, and a reply he has open and focused.
    new_box = page_b.locator(f"#comment-form-programme-{programme.id}-body")
    new_box.fill("Draf Bob yang belum dikirim")
    page_b.locator(f"#thread-{existing.id} .reply-box summary").click()
    reply_box = page_b.locator(f"#reply-form-{existing.id}-body")
    reply_box.fill("Balasan Bob sedang ditulis")
    reply_box.focus()

    # Alice mentions Bob through the autocomplete and posts in place.
    box_a = page_a.locator(f"#comment-form-programme-{programme.id}-body")
    box_a.click()
    box_a.type("Mohon dicek @Bo")
    page_a.locator(".mention-list [role=option]", has_text="Bob Member").click()
    box_a.type("sebelum Kamis.")
    assert "@[Bob Member] sebelum Kamis." in box_a.input_value()
    page_a.locator(f"#comment-form-programme-{programme.id} button[type=submit]").click()
    page_a.locator(".comment-body", has_text="sebelum Kamis").wait_for(timeout=5000)
    page_a.wait_for_function(f"document.querySelector('#comment-form-programme-{programme.id}-body').value === ''", timeout=5000)

    # Bob's page and bell catch up by themselves, within the 2 s promise (plus slack for the test machine).
    page_b.locator(".comment-body", has_text="sebelum Kamis").wait_for(timeout=10000)
    page_b.locator("#bell .bell-count", has_text="1").wait_for(timeout=10000)
    assert new_box.input_value() == "Draf Bob yang belum dikirim"
    assert reply_box.input_value() == "Balasan Bob sedang ditulis"
    assert page_b.evaluate("document.activeElement.id") == f"reply-form-{existing.id}-body"
    assert page_b.locator(".mention", has_text="@Bob Member").count() == 1

    # A reload (or a dropped connection, or an expired login) loses nothing: the text comes back.
    page_b.reload()
    assert page_b.locator(f"#comment-form-programme-{programme.id}-body").input_value() == "Draf Bob yang belum dikirim"
    assert page_b.locator(f"#reply-form-{existing.id}-body").input_value() == "Balasan Bob sedang ditulis"
    # Sent, the draft is forgotten.
    page_b.locator(f"#comment-form-programme-{programme.id} button[type=submit]").click()
    page_b.locator(".comment-body", has_text="Draf Bob yang belum dikirim").wait_for(timeout=5000)
    page_b.reload()
    assert page_b.locator(f"#comment-form-programme-{programme.id}-body").input_value() == ""
    assert page_problems == []


def test_an_expired_login_keeps_the_text_and_the_save_goes_through_after_signing_in(open_page, live_server, page_problems, alice, bob, programme):
    from tests.factories import PASSWORD

    url = live_server(f"/p/{programme.slug}/")
    page = signed_in(open_page, live_server, bob)
    page.goto(url)
    box = f"#comment-form-programme-{programme.id}-body"
    page.locator(box).fill("Masukan panjang yang ditulis selama rapat")
    page.context.clear_cookies()  # the session expired while Bob was writing

    # The session is gone, so the save is refused (CSRF comes first: 400, "form expired");
    # nothing was confirmed, so the browser keeps the text.
    page.locator(f"#comment-form-programme-{programme.id} button[type=submit]").click()
    page.locator("#main", has_text="token keamanan").wait_for()
    page.goto(live_server(f"/login?next=/p/{programme.slug}/"))
    page.locator("#email").fill(bob.email)
    page.locator("#password").fill(PASSWORD)
    page.locator("#main form button[type=submit]").last.click()

    page.wait_for_url(live_server(f"/p/{programme.slug}/"))
    expect(page.locator(box)).to_have_value("Masukan panjang yang ditulis selama rapat")
    assert page.locator(f"#comment-form-programme-{programme.id} .draft-status").inner_text() != ""
    page.locator(f"#comment-form-programme-{programme.id} button[type=submit]").click()
    page.locator(".comment-body", has_text="Masukan panjang yang ditulis selama rapat").wait_for(timeout=5000)
    assert page.locator(box).input_value() == ""
    # Signed out, the refused save (400) and the pages' polls (404, sign-in redirect) were expected.
    expected = ("Failed to load resource", "Fetch API cannot load", "Response Status Error Code 400")
    unexpected = [p for p in page_problems if not any(e in p for e in expected)]
    assert unexpected == []


def test_an_action_change_reaches_the_open_action_page_without_a_reload(open_page, live_server, page_problems, alice, bob, programme):
    from app.actions import service

    action = service.create(programme, alice, title="Susun jadwal roadshow", assignee=bob)
    url = live_server(f"/p/{programme.slug}/actions/{action.id}")
    page_a = signed_in(open_page, live_server, alice)
    page_b = signed_in(open_page, live_server, bob)
    for page in (page_a, page_b):
        page.goto(url)

    # Alice has started a status change of her own: her choice and note stay while the page updates.
    page_a.locator("#status-form select[name=status]").select_option("terhambat")
    page_a.locator("#status-form textarea[name=note]").fill("Catatan Alice yang belum dikirim")

    page_b.locator("#status-form select[name=status]").select_option("dikerjakan")
    page_b.locator("#status-form textarea[name=note]").fill("Mulai menghubungi DPRD")
    page_b.locator("#status-form button[type=submit]").click()
    page_b.locator("#live .history", has_text="Mulai menghubungi DPRD").wait_for(timeout=5000)

    # Alice's page catches up by itself (the 2 s promise, with slack for the test machine).
    page_a.locator("#live .history", has_text="Mulai menghubungi DPRD").wait_for(timeout=10000)
    page_a.locator("#live [data-live-key=status-now] .status-dikerjakan").wait_for(timeout=5000)
    assert page_a.locator("#status-form select[name=status]").input_value() == "terhambat"
    assert page_a.locator("#status-form textarea[name=note]").input_value() == "Catatan Alice yang belum dikirim"
    assert page_problems == []


def live_requests(page):
    """The live requests the page sends (static/js/live.js), as (url, Prefer header) in order."""
    seen = []
    page.on("request", lambda r: seen.append((r.url, r.headers.get("prefer"))) if "/live" in r.url or "/bell" in r.url else None)
    return seen


def test_an_open_page_waits_for_the_next_change_instead_of_polling(open_page, live_server, page_problems, alice, bob, programme):
    page = signed_in(open_page, live_server, bob)
    seen = live_requests(page)
    page.goto(live_server(f"/p/{programme.slug}/"))
    page.wait_for_timeout(4000)  # idle: polling every 1.2 s would have asked three times per part by now
    threads_url = f"/t/programme/{programme.id}/comments/live"
    asked = [p for u, p in seen if threads_url in u]
    assert asked == ["wait=25"], seen  # one request, still waiting on the server
    assert page.locator(f"#threads-programme-{programme.id}[data-live-busy]").count() == 1

    post_comment(programme, alice, "Langsung sampai")
    page.locator(".comment-body", has_text="Langsung sampai").wait_for(timeout=3000)
    page.wait_for_function(f"document.querySelectorAll('[data-live-url=\"{threads_url}\"][data-live-busy]').length === 1")
    assert [p for u, p in seen if threads_url in u] == ["wait=25", "wait=25"]  # and it waits again
    assert page_problems == []


def test_the_page_polls_when_waiting_requests_fail(open_page, live_server, page_problems, alice, bob, programme):
    page = signed_in(open_page, live_server, bob)
    seen = live_requests(page)
    # A proxy that cuts long requests: every request that asks to wait fails.
    page.route("**/comments/live*", lambda route: route.abort() if route.request.headers.get("prefer") else route.continue_())
    page.goto(live_server(f"/p/{programme.slug}/"))
    page.wait_for_timeout(3000)
    post_comment(programme, alice, "Lewat polling biasa")
    page.locator(".comment-body", has_text="Lewat polling biasa").wait_for(timeout=10000)
    threads = [p for u, p in seen if "/comments/live" in u]
    assert threads[0] == "wait=25" and threads[1:] and all(p is None for p in threads[1:]), threads
    assert [p for p in page_problems if "Failed to load resource" not in p] == []


def test_a_hidden_tab_lets_go_of_its_waiting_requests_and_asks_again_when_shown(open_page, live_server, page_problems, alice, bob, programme):
    page = signed_in(open_page, live_server, bob)
    seen = live_requests(page)
    failed = []
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.goto(live_server(f"/p/{programme.slug}/"))
    # The bell and the discussion wait. A full page's bell has no tag yet, so its first request is
    # answered at once and the waiting one follows: wait for that one, not the first.
    page.wait_for_function("document.querySelectorAll('[data-live-busy]').length === 2"
                           " && document.querySelector('#bell').getAttribute('data-live-etag') !== ''")

    def visibility(state):
        page.evaluate("""state => {
            Object.defineProperty(document, "visibilityState", {value: state, configurable: true});
            document.dispatchEvent(new Event("visibilitychange"));
        }""", state)

    visibility("hidden")
    page.wait_for_function("document.querySelectorAll('[data-live-busy]').length === 0")
    # Playwright reports a cancelled request as an event that may come after the page has already
    # let go of it; give the second report its moment before counting.
    for _ in range(40):
        if len(failed) == 2:
            break
        page.wait_for_timeout(50)
    assert len(failed) == 2, failed  # both cancelled: the connections are free for the tab that is in front
    post_comment(programme, alice, "Selagi tab tersembunyi")
    asked = len(seen)
    page.wait_for_timeout(2500)
    assert len(seen) == asked  # nothing asked while hidden

    visibility("visible")
    page.locator(".comment-body", has_text="Selagi tab tersembunyi").wait_for(timeout=3000)
    assert [p for p in page_problems if "Failed to load resource" not in p and "abort" not in p.lower()] == []
