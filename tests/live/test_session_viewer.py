"""A page's live requests ask "has anything changed?" far more often than anything else is asked: the
answer to that question (a 304, or a wait) comes from the session and the version counters alone,
without loading the person's row. Whatever sends content still loads the user and checks rights."""
import contextlib
import os

import pytest
import redis as redis_lib

from sqlalchemy import event

from app.collab import live
from app.extensions import db
from tests.collab import HX, post_comment

REDIS = os.environ.get("TEST_REDIS_URL")


def live_url(programme):
    return f"/t/programme/{programme.id}/comments/live"


@pytest.fixture(params=["database"] + (["redis"] if REDIS else []))
def app_config(request, app_config):
    # Version counters in the database (one query for a 304), or in Redis (none).
    return {**app_config, "REDIS_URL": REDIS} if request.param == "redis" else app_config


def test_the_question_nothing_changed_loads_no_user(app, client, login_as, alice, bob, programme):
    post_comment(programme, alice, "Jadwal rakor")
    login_as(bob)
    url = live_url(programme)
    first = client.get(url, headers=HX)
    assert first.status_code == 200 and "Jadwal rakor" in first.text
    bell = client.get("/notifications/bell", headers=HX)
    assert bell.status_code == 200
    with statements() as seen:
        again = client.get(url, headers={**HX, "If-None-Match": first.headers["ETag"]})
        bell_again = client.get("/notifications/bell", headers={**HX, "If-None-Match": bell.headers["ETag"]})
    assert again.status_code == 304 and again.headers["ETag"] == first.headers["ETag"]
    assert bell_again.status_code == 304 and bell_again.headers["ETag"] == bell.headers["ETag"]
    # Only the versions' read, and with Redis not even that: no user row, no membership.
    expected = [] if app.config.get("REDIS_URL") else ["live_versions", "live_versions"]
    assert [("live_versions" if "FROM live_versions" in s else s) for s in seen] == expected


@contextlib.contextmanager
def statements():
    """The SQL statements run meanwhile (not BEGIN: a read's transaction is not a query of its own)."""
    seen = []

    def before(conn, cursor, statement, *args):
        if statement.strip().upper() != "BEGIN":
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", before)


def test_a_change_is_sent_with_the_rights_of_the_user_as_loaded(client, login_as, db, alice, bob, programme):
    post_comment(programme, alice, "Anggaran tahap satu")
    login_as(bob)
    tag = client.get(live_url(programme), headers=HX).headers["ETag"]
    bob.session_version += 1  # bob changed his password on another computer: this session is over
    db.session.commit()
    # Nothing new: the old session learns nothing but "unchanged".
    assert client.get(live_url(programme), headers={**HX, "If-None-Match": tag}).status_code == 304
    post_comment(programme, alice, "Anggaran tahap dua")
    response = client.get(live_url(programme), headers={**HX, "If-None-Match": tag})
    assert response.status_code in (302, 401, 403, 404) and "Anggaran tahap dua" not in response.text
    bell = client.get("/notifications/bell", headers={**HX, "If-None-Match": "x"})
    assert bell.status_code == 204 and "/login" in bell.headers["HX-Redirect"]


def test_a_language_changed_elsewhere_shows_with_the_next_change_and_is_then_waited_on(client, login_as, db, alice, bob, programme):
    post_comment(programme, alice, "Setuju?")
    login_as(bob)
    first = client.get(live_url(programme), headers=HX)
    assert "Setuju" in first.text  # the reaction button, in Indonesian
    bob.locale = "en"  # chosen in the profile, from another tab
    db.session.commit()
    post_comment(programme, alice, "Agreed?")
    fresh = client.get(live_url(programme), headers={**HX, "If-None-Match": first.headers["ETag"]})
    assert fresh.status_code == 200 and ">Agree" in fresh.text
    # The English copy is current: it is not rendered again and again.
    again = client.get(live_url(programme), headers={**HX, "If-None-Match": fresh.headers["ETag"]})
    assert again.status_code == 304


def test_an_anonymous_visitor_is_asked_to_sign_in_for_the_bell(client):
    assert "/login" in client.get("/notifications/bell", headers=HX).headers["HX-Redirect"]
    response = client.get("/notifications/bell")
    assert response.status_code == 303 and "/login" in response.headers["Location"]


@pytest.mark.skipif(not REDIS, reason="needs TEST_REDIS_URL (set in CI)")
def test_the_wake_up_names_the_versions_it_moved_to(app, alice, programme):
    app.config["REDIS_URL"] = REDIS
    app.extensions.pop("sinergi_live_redis", None)
    client = live._redis()
    listener = client.pubsub()
    listener.subscribe(live._channel(client))
    assert listener.get_message(timeout=5)["type"] == "subscribe"
    post_comment(programme, alice, "Kabar baru")
    message = listener.get_message(ignore_subscribe_messages=True, timeout=5)
    listener.close()
    moved = live._moved(message["data"])
    key = f"comments-programme-{programme.id}"
    assert key in moved
    assert moved[key] == int(redis_lib.Redis.from_url(REDIS).get(live._prefix() + key))


def test_a_page_render_leaves_the_session_alone(client, login_as, alice, bob, programme):
    # The page cache keeps only answers that did not change the session: a page with live parts
    # must not write anything in it on every render.
    from app import pagecache

    post_comment(programme, alice, "Dibaca berkali-kali")
    login_as(bob)
    page = f"/p/{programme.slug}/"
    assert client.get(page).status_code == 200  # the first visit may start the CSRF token
    pagecache.forget_all()
    again = client.get(page)
    assert again.status_code == 200 and "Dibaca berkali-kali" in again.text
    assert "Set-Cookie" not in again.headers
    # Nor does a live answer: one that waited 25 s and set a cookie would bring back a session
    # signed out meanwhile (the browser test of an expired login caught an earlier version).
    live_answer = client.get(live_url(programme), headers=HX)
    assert live_answer.status_code == 200 and "Set-Cookie" not in live_answer.headers
    assert "Set-Cookie" not in client.get(live_url(programme), headers=HX).headers
    assert "Set-Cookie" not in client.get("/notifications/bell", headers=HX).headers


@pytest.mark.parametrize("how", ["header switch", "profile"])
def test_a_language_chosen_now_renders_the_open_pages_again_at_once(client, login_as, alice, bob, programme, how):
    post_comment(programme, alice, "Setuju?")
    login_as(bob)
    first = client.get(live_url(programme), headers=HX)
    bell = client.get("/notifications/bell", headers=HX)
    assert "Setuju" in first.text
    if how == "header switch":
        client.post("/language", data={"lang": "en", "next": "/"})
    else:
        client.post("/profile", data={"name": bob.name, "organisation_id": bob.organisation_id,
                                      "locale": "en", "timezone": "Asia/Makassar"})
    # Nothing new was written in the discussion, yet the copies in Indonesian are no longer current.
    fresh = client.get(live_url(programme), headers={**HX, "If-None-Match": first.headers["ETag"]})
    assert fresh.status_code == 200 and ">Agree" in fresh.text
    assert client.get("/notifications/bell", headers={**HX, "If-None-Match": bell.headers["ETag"]}).status_code == 200
    again = client.get(live_url(programme), headers={**HX, "If-None-Match": fresh.headers["ETag"]})
    assert again.status_code == 304
