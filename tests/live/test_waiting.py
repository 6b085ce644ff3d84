"""Long polling: a live request that already has the current copy waits on the server until another
request commits a change (then the fresh fragment), or until its time is up (304). Through real
servers: a threaded server in this process without Redis, and gunicorn processes sharing Redis."""
import logging
import os
import signal
import time
from collections import Counter

import pytest
import redis as redis_lib

from app.collab import live
from app.extensions import db
from app.programmes.models import Membership, Role
from tests.collab import HX, post_comment
from tests.live.servers import Client, Waiting, cookie_for, gunicorn, in_process, wait_headers

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/11")


def live_url(programme):
    return f"/t/programme/{programme.id}/comments/live"


def current(client, programme):
    """The page's copy of the discussion, and its ETag, as the page is rendered with it."""
    response = client.get(live_url(programme), HX)
    assert response.status == 200
    return response.headers["ETag"]


@pytest.fixture
def served(app, app_config):
    """serve(**settings) -> (app, url): the app in a threaded server of this process, without Redis."""
    def serve(**settings):
        return stack.enter_context(in_process({**app_config, **settings}))

    import contextlib

    with contextlib.ExitStack() as stack:
        yield serve


def test_a_waiting_request_is_answered_when_another_request_commits(served, app, alice, bob, programme):
    server_app, url = served(LIVE_WAIT_S=20)
    bobs, alices = Client(url, cookie_for(app, bob)), Client(url, cookie_for(app, alice))
    waiting = Waiting(bobs, live_url(programme), wait_headers(current(bobs, programme)))
    time.sleep(0.5)
    assert waiting.is_alive(), "it answered without a change"
    posted = time.monotonic()
    assert alices.post(f"/t/programme/{programme.id}/comments", {"body": "Rapat dimajukan ke Senin"},
                       page=f"/p/{programme.slug}/").status == 303
    response = waiting.result()
    assert response.status == 200 and "Rapat dimajukan ke Senin" in response.text
    assert time.monotonic() - posted < 5  # woken by the commit, not by the end of its 20 s
    assert response.headers["Cache-Control"] == "private, no-cache"
    # The fresh copy carries its new tag: asked with it, the next request waits again.
    assert response.headers["ETag"] != waiting.headers["If-None-Match"]
    assert f'data-live-etag="{response.headers["ETag"].strip(chr(34))}"' in response.text
    again = Waiting(bobs, live_url(programme), wait_headers(response.headers["ETag"]))
    time.sleep(0.5)
    assert again.is_alive()


def test_a_commit_of_another_process_wakes_it_without_redis(served, app, alice, bob, programme):
    # The test's own app stands in for a second worker process: only the shared database links them.
    _, url = served(LIVE_WAIT_S=20)
    bobs = Client(url, cookie_for(app, bob))
    waiting = Waiting(bobs, live_url(programme), wait_headers(current(bobs, programme)))
    time.sleep(0.5)
    posted = time.monotonic()
    post_comment(programme, alice, "Dari proses lain")
    response = waiting.result()
    assert response.status == 200 and "Dari proses lain" in response.text
    assert time.monotonic() - posted < 5


def test_a_wait_with_nothing_new_ends_with_304(served, app, bob, programme):
    _, url = served(LIVE_WAIT_S=1)  # the server's limit wins over the 25 s the page asks for
    bobs = Client(url, cookie_for(app, bob))
    etag = current(bobs, programme)
    response = bobs.get(live_url(programme), wait_headers(etag, 25))
    assert response.status == 304 and response.text == ""
    assert 0.9 <= response.elapsed < 5
    assert response.headers["ETag"] == etag and response.headers["Cache-Control"] == "private, no-cache"


def test_a_plain_poll_is_answered_at_once(served, app, bob, programme):
    _, url = served(LIVE_WAIT_S=20)
    bobs = Client(url, cookie_for(app, bob))
    etag = current(bobs, programme)
    response = bobs.get(live_url(programme), {**HX, "If-None-Match": etag})  # no Prefer: wait
    assert response.status == 304 and response.elapsed < 1


def test_a_removed_members_wait_ends_with_404(served, app, db, alice, bob, programme):
    _, url = served(LIVE_WAIT_S=20)
    post_comment(programme, alice, "Anggaran tahap dua")
    bobs, alices = Client(url, cookie_for(app, bob)), Client(url, cookie_for(app, alice))
    waiting = Waiting(bobs, live_url(programme), wait_headers(current(bobs, programme)))
    time.sleep(0.5)
    membership = db.session.query(Membership).filter_by(programme_id=programme.id, user_id=bob.id).one()
    removed = time.monotonic()
    assert alices.post(f"/p/{programme.slug}/members/{membership.id}/remove", {},
                       page=f"/p/{programme.slug}/members").status == 303
    response = waiting.result()
    assert response.status == 404 and "Anggaran tahap dua" not in response.text
    assert time.monotonic() - removed < 5


def test_a_role_change_sends_the_page_again_with_the_new_rights(client, login_as, db, alice, bob, programme):
    post_comment(programme, alice, "Usul jadwal")
    login_as(bob)
    first = client.get(live_url(programme), headers=HX)
    assert "reply-box" in first.text  # an editor may reply
    from app.programmes import service

    service.change_role(db.session.query(Membership).filter_by(user_id=bob.id).one(), Role.VIEWER)
    again = client.get(live_url(programme), headers={**HX, "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 200 and "reply-box" not in again.text


def hold(url, app, user, programme, n):
    """n open pages of `user`, each with a request waiting; and the ETag they hold."""
    client = Client(url, cookie_for(app, user))
    etag = current(client, programme)
    waits = [Waiting(client, live_url(programme), wait_headers(etag)) for _ in range(n)]
    time.sleep(1)
    assert all(w.is_alive() for w in waits)
    return waits, etag


def an_ordinary_page_is_served(url, app, user, programme):
    page = Client(url, cookie_for(app, user)).get(f"/p/{programme.slug}/")
    assert page.status == 200 and page.elapsed < 3


def test_waiting_pages_leave_room_for_everyone_else(served, app, alice, bob, programme):
    _, url = served(LIVE_WAIT_S=20, LIVE_MAX_WAITS=2)
    waits, etag = hold(url, app, bob, programme, 2)
    # The process holds as many waits as it allows: one more is answered at once, and the page polls.
    beyond = Client(url, cookie_for(app, bob)).get(live_url(programme), wait_headers(etag))
    assert beyond.status == 304 and beyond.elapsed < 1
    an_ordinary_page_is_served(url, app, alice, programme)
    post_comment(programme, alice, "Semua kebagian")
    assert all(w.result().status == 200 for w in waits)


def test_a_page_that_went_away_gives_its_place_back(served, app, bob, programme):
    _, url = served(LIVE_WAIT_S=20, LIVE_MAX_WAITS=1)
    bobs = Client(url, cookie_for(app, bob))
    etag = current(bobs, programme)
    gone = Client(url, bobs.cookie)
    connection_holder = Waiting(gone, live_url(programme), {**wait_headers(etag)}, timeout=1)  # the tab closes after 1 s
    connection_holder.join(5)
    assert isinstance(connection_holder.error, TimeoutError)
    time.sleep(2)  # the server notices within a second or so
    start = time.monotonic()
    waiting = Waiting(bobs, live_url(programme), wait_headers(etag))
    time.sleep(1)
    assert waiting.is_alive(), f"not waiting: answered {waiting.response and waiting.response.status} after {time.monotonic() - start:.1f} s"


def test_many_waiting_pages_do_not_hold_database_connections(served, app, alice, bob, programme):
    # Twice the pool (5 + 10 overflow) waiting: an ordinary page still gets a connection at once.
    _, url = served(LIVE_WAIT_S=20, LIVE_MAX_WAITS=40)
    waits, _ = hold(url, app, bob, programme, 30)
    an_ordinary_page_is_served(url, app, alice, programme)
    post_comment(programme, alice, "Tiga puluh halaman")
    assert all("Tiga puluh halaman" in w.result().text for w in waits)


def test_the_test_client_never_waits(client, login_as, bob, programme):
    # A server that cannot wait without blocking a whole process (gunicorn sync workers, like the
    # test client here: not multithreaded) answers the waiting request as a plain poll.
    login_as(bob)
    etag = client.get(live_url(programme), headers=HX).headers["ETag"]
    started = time.monotonic()
    assert client.get(live_url(programme), headers=wait_headers(etag)).status_code == 304
    assert time.monotonic() - started < 1


def test_an_unreachable_redis_is_one_warning_not_one_per_request(app_config, factories, programme, caplog):
    from app import create_app
    from app.programmes.models import Role as R

    user = factories.UserFactory()
    factories.MembershipFactory(programme=programme, user=user, role=R.COMMENTER)
    broken = create_app({**app_config, "REDIS_URL": "redis://127.0.0.1:1/0"})
    client = broken.test_client()
    with client.session_transaction() as sess:
        sess["_user_id"] = user.get_id()
    with caplog.at_level(logging.WARNING):
        for _ in range(5):
            assert client.get(live_url(programme), headers=HX).status_code == 200
    warnings = [r for r in caplog.records if "Redis unavailable" in r.getMessage()]
    assert len(warnings) == 1


# -- several workers, several hosts, one Redis -------------------------------------------------

@pytest.fixture
def redis_url():
    try:
        redis_lib.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis_lib.exceptions.ConnectionError:
        pytest.skip(f"needs Redis at {REDIS_URL}")
    return REDIS_URL


def test_a_save_on_one_host_wakes_waits_on_every_worker_of_another(redis_url, app, database_url, alice, bob, programme,
                                                                     tmp_path):
    env = {"DATABASE_URL": database_url, "REDIS_URL": redis_url, "SECRET_KEY": app.config["SECRET_KEY"],
           "RATELIMIT_ENABLED": "false", "RATELIMIT_KEY_PREFIX": f"t{os.getpid()}{time.monotonic_ns()}",
           "LIVE_WAIT_S": "20"}
    with gunicorn(env, 2, tmp_path) as (_, host_a, log_a), gunicorn(env, 1, tmp_path) as (_, host_b, _log_b):
        bobs = Client(host_a, cookie_for(app, bob))
        etag = current(bobs, programme)
        waits = [Waiting(bobs, live_url(programme), wait_headers(etag)) for _ in range(12)]
        time.sleep(1)
        assert all(w.is_alive() for w in waits)
        posted = time.monotonic()
        assert Client(host_b, cookie_for(app, alice)).post(
            f"/t/programme/{programme.id}/comments", {"body": "Disimpan di host B"}, page=f"/p/{programme.slug}/"
        ).status == 303
        answers = [w.result() for w in waits]
        assert all(a.status == 200 and "Disimpan di host B" in a.text for a in answers)
        assert time.monotonic() - posted < 5
    # Both workers of host A held waiting requests (the access log names each request's worker).
    workers = Counter(line.split()[0] for line in log_a.read_text().splitlines()
                      if " GET /t/programme/" in line and line.endswith(" 200"))
    assert len(workers) == 2, workers


def test_a_stopping_worker_ends_its_waits_at_once(redis_url, app, database_url, bob, programme, tmp_path):
    env = {"DATABASE_URL": database_url, "REDIS_URL": redis_url, "SECRET_KEY": app.config["SECRET_KEY"],
           "RATELIMIT_ENABLED": "false", "RATELIMIT_KEY_PREFIX": f"t{os.getpid()}{time.monotonic_ns()}",
           "LIVE_WAIT_S": "25"}
    with gunicorn(env, 1, tmp_path) as (process, host, _):
        bobs = Client(host, cookie_for(app, bob))
        waiting = Waiting(bobs, live_url(programme), wait_headers(current(bobs, programme)))
        time.sleep(1)
        stopped = time.monotonic()
        process.send_signal(signal.SIGTERM)
        assert waiting.result().status == 304
        process.wait(timeout=20)
        assert time.monotonic() - stopped < 8  # not the 25 s wait, nor the 30 s graceful timeout


def test_pages_queued_behind_other_renders_hold_no_database_connection(served, app, alice, bob, programme):
    server_app, url = served(LIVE_WAIT_S=20)
    gate = live.hub_for(server_app).renders
    for _ in range(live.RENDERS_AT_ONCE):
        gate.acquire()  # two renders in progress (say), and a burst of pages behind them
    try:
        bobs = Client(url, cookie_for(app, bob))
        queued = [Waiting(bobs, live_url(programme), HX) for _ in range(20)]
        time.sleep(1.5)
        assert all(w.is_alive() for w in queued)
        with server_app.app_context():
            assert db.engine.pool.checkedout() == 0
        an_ordinary_page_is_served(url, app, alice, programme)
    finally:
        for _ in range(live.RENDERS_AT_ONCE):
            gate.release()
    assert all(w.result().status == 200 for w in queued)
