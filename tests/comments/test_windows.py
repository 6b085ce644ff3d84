"""A long discussion is sent in windows: the latest threads, "earlier threads" on demand (htmx, or a
plain link), a link to a comment shows that comment's thread, and live polls keep each window."""
import re

from app.comments import service
from tests.collab import HX, post_comment

PER_PAGE = service.THREADS_PER_PAGE


def _threads(programme, author, n):
    return [post_comment(programme, author, f"Utas nomor {i}") for i in range(n)]


def _shown(html):
    return [int(i) for i in re.findall(r'id="thread-(\d+)"', html)]


def test_a_long_discussion_shows_its_latest_threads_and_offers_the_earlier_ones(client, login_as, alice, programme):
    roots = _threads(programme, alice, PER_PAGE + 3)
    login_as(alice)
    page = client.get(f"/p/{programme.slug}/").text
    assert _shown(page) == [r.id for r in roots[3:]]
    assert "Tampilkan 3 utas sebelumnya" in page
    # Without JavaScript the link opens the same page with the earlier threads too.
    href = re.search(r'<p class="load-earlier">\s*<a class="button small" href="([^"]+)"', page).group(1).replace("&amp;", "&")
    assert f"comments_before={roots[3].id}" in href and href.endswith(f"#thread-{roots[3].id}")
    assert _shown(client.get(href).text) == [r.id for r in roots]


def test_htmx_gets_the_earlier_threads_as_a_window_of_their_own(client, login_as, alice, programme):
    roots = _threads(programme, alice, 2 * PER_PAGE + 2)
    login_as(alice)
    fragment = client.get(f"/t/programme/{programme.id}/comments?comments_before={roots[PER_PAGE + 2].id}", headers=HX)
    assert fragment.status_code == 200
    html = fragment.text
    assert _shown(html) == [r.id for r in roots[2:PER_PAGE + 2]]
    assert "Tampilkan 2 utas sebelumnya" in html  # and the control for the two before those
    # Its own live window: the threads before the newest window, polled with the same ETag contract.
    live_url = re.search(r'class="threads threads-earlier"\s+data-live-url="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert f"since={roots[2].id}" in live_url and f"upto={roots[PER_PAGE + 2].id}" in live_url
    live = client.get(live_url, headers=HX)
    assert _shown(live.text) == [r.id for r in roots[2:PER_PAGE + 2]] and 'id="threads-programme' not in live.text
    assert client.get(live_url, headers={**HX, "If-None-Match": live.headers["ETag"]}).status_code == 304


def test_the_newest_window_polls_for_the_threads_since_its_first_one(client, login_as, alice, bob, programme):
    roots = _threads(programme, alice, PER_PAGE + 1)
    login_as(bob)
    page = client.get(f"/p/{programme.slug}/").text
    live_url = re.search(r'id="threads-programme-\d+"\s+data-live-url="([^"]+)"', page).group(1).replace("&amp;", "&")
    assert live_url.endswith(f"?since={roots[1].id}")
    newer = post_comment(programme, alice, "Utas terbaru")
    assert _shown(client.get(live_url, headers=HX).text) == [r.id for r in roots[1:]] + [newer.id]


def test_a_short_discussion_is_shown_whole_and_polled_whole(client, login_as, alice, programme):
    roots = _threads(programme, alice, 3)
    login_as(alice)
    page = client.get(f"/p/{programme.slug}/").text
    assert _shown(page) == [r.id for r in roots] and "load-earlier" not in page
    assert f'data-live-url="/t/programme/{programme.id}/comments/live"' in page


def test_a_link_to_a_comment_in_an_old_thread_shows_that_thread(client, login_as, alice, bob, programme):
    roots = _threads(programme, alice, PER_PAGE + 5)
    reply = post_comment(programme, bob, "Balasan pada utas lama", parent=roots[1])
    login_as(alice)
    page = client.get(service.comment_url(service.target_for(reply), reply).split("#")[0]).text
    assert f'id="comment-{reply.id}"' in page
    assert _shown(page) == [r.id for r in roots[1:]] and "Tampilkan 1 utas sebelumnya" in page
    # A comment id from another discussion changes nothing.
    assert _shown(client.get(f"/p/{programme.slug}/?comment=999999").text) == [r.id for r in roots[5:]]


def test_an_outsider_gets_404_for_the_earlier_threads(client, login_as, alice, charlie, programme):
    roots = _threads(programme, alice, PER_PAGE + 1)
    login_as(charlie)
    url = f"/t/programme/{programme.id}/comments?comments_before={roots[1].id}"
    assert client.get(url, headers=HX).status_code == 404
    assert client.get(f"/t/programme/{programme.id}/comments/live?since={roots[1].id}", headers=HX).status_code == 404
