"""The page cache (app/pagecache.py): a read page is rendered once and answered from memory until
anything is written, and never shows one viewer's or one session's page to another."""
import os
import threading

import pytest
from sqlalchemy import text, update

from app import pagecache
from app.programmes.models import Membership, Role
from tests.conftest import Auth

REDIS = os.environ.get("TEST_REDIS_URL")

HX = {"HX-Request": "true"}


def _page(client, url, **kwargs):
    response = client.get(url, **kwargs)
    assert response.status_code == 200, url
    return response


def _settled(client, url, **kwargs):
    """Ask twice: the first answer after signing in may change the session (and is then not kept)."""
    _page(client, url, **kwargs)
    return _page(client, url, **kwargs)


def test_a_page_is_answered_from_the_cache_the_second_time(client, login_as, alice, programme):
    login_as(alice)
    url = f"/p/{programme.slug}/"
    first = _settled(client, url)
    again = _page(client, url)
    assert again.headers["X-Page-Cache"] == "hit"
    assert again.data == first.data
    assert again.headers["Content-Type"] == first.headers["Content-Type"]
    # The security headers are those of every answer, not a copy of the stored one.
    assert "frame-ancestors 'none'" in again.headers["Content-Security-Policy"]


def test_a_comment_posted_through_the_app_shows_at_once(client, login_as, alice, programme):
    login_as(alice)
    url = f"/p/{programme.slug}/"
    _settled(client, url)
    client.post(f"/t/programme/{programme.id}/comments", data={"body": "Rapat koordinasi dimajukan ke Senin"})
    page = _page(client, url)
    assert page.headers.get("X-Page-Cache") != "hit"
    assert "Rapat koordinasi dimajukan ke Senin" in page.text


def test_a_change_made_by_someone_else_outside_a_request_shows_at_once(client, login_as, alice, programme, db):
    login_as(alice)
    url = f"/p/{programme.slug}/"
    _settled(client, url)
    programme.name = "Program Pariwisata Bontang 2027"
    db.session.commit()
    assert "Program Pariwisata Bontang 2027" in _page(client, url).text


def test_a_bulk_sql_update_moves_the_version_too(client, login_as, alice, bob, programme, db):
    """Writes that bypass the ORM's unit of work (UPDATE statements, raw SQL) count as writes."""
    login_as(alice)
    url = f"/p/{programme.slug}/members"
    _settled(client, url)
    db.session.execute(update(Membership).where(Membership.user_id == bob.id).values(role=Role.VIEWER))
    db.session.commit()
    assert _page(client, url).headers["X-Page-Cache"] == "miss"
    db.session.execute(text("UPDATE programmes SET name = 'Program Sinergi Raya' WHERE id = :id"), {"id": programme.id})
    db.session.commit()
    assert "Program Sinergi Raya" in _page(client, url).text


def test_a_rolled_back_write_leaves_the_cache_alone(client, login_as, alice, programme, db):
    login_as(alice)
    url = f"/p/{programme.slug}/"
    _settled(client, url)
    programme.name = "Tidak jadi"
    db.session.flush()
    db.session.rollback()
    page = _page(client, url)
    assert page.headers["X-Page-Cache"] == "hit"
    assert "Tidak jadi" not in page.text


def test_a_removed_member_is_refused_and_not_answered_from_the_cache(client, login_as, alice, bob, programme, db):
    login_as(bob)
    url = f"/p/{programme.slug}/"
    _settled(client, url)
    assert _page(client, url).headers["X-Page-Cache"] == "hit"
    db.session.execute(text("DELETE FROM memberships WHERE user_id = :id"), {"id": bob.id})
    db.session.commit()
    assert client.get(url).status_code == 404


def test_each_viewer_gets_their_own_page(app, client, login_as, alice, bob, programme):
    """alice (owner) sees the settings link; bob (editor), asking right after her, does not."""
    settings = f"/p/{programme.slug}/settings"
    login_as(alice)
    assert settings in _settled(client, f"/p/{programme.slug}/").text
    other = app.test_client()
    Auth(other).login(bob)
    page = _page(other, f"/p/{programme.slug}/")
    assert page.headers["X-Page-Cache"] == "miss"
    assert settings not in page.text


def test_two_sessions_of_one_person_get_their_own_csrf_token(app, client, login_as, alice, programme):
    login_as(alice)
    url = f"/p/{programme.slug}/"
    mine = _settled(client, url).text
    laptop = app.test_client()
    Auth(laptop).login(alice)
    theirs = _settled(laptop, url)
    assert theirs.headers["X-Page-Cache"] in ("miss", "hit")
    token = lambda html: html.split('"X-CSRFToken": "', 1)[1].split('"', 1)[0]  # noqa: E731
    assert token(theirs.text) != token(mine)


def test_the_fragment_and_the_page_are_kept_apart(client, login_as, alice, programme):
    login_as(alice)
    url = f"/p/{programme.slug}/actions/?status=baru"
    page = _settled(client, url).text
    fragment = _settled(client, url, headers=HX).text
    assert "<html" in page and "<html" not in fragment
    assert "<html" not in _page(client, url, headers=HX).text
    assert "<html" in _page(client, url).text


def test_a_page_with_a_message_waiting_is_rendered_with_it(client, login_as, alice, bob, programme, db):
    login_as(alice)
    members = f"/p/{programme.slug}/members"
    _settled(client, members)
    membership = db.session.query(Membership).filter_by(programme_id=programme.id, user_id=bob.id).one()
    response = client.post(f"/p/{programme.slug}/members/{membership.id}/remove", follow_redirects=True)
    assert "Bob Member" in response.text and response.headers.get("X-Page-Cache") != "hit"
    # The message is shown once: the next visit no longer carries it.
    assert "has been removed" not in _page(client, members).text.replace("Bob Member has been removed", "")


def test_forms_and_anonymous_pages_are_never_kept(client, login_as, alice, programme):
    assert "X-Page-Cache" not in client.get("/login").headers
    login_as(alice)
    assert "X-Page-Cache" not in _settled(client, f"/p/{programme.slug}/settings").headers


def test_an_old_entry_is_rendered_again(app, client, login_as, alice, programme):
    app.config["PAGE_CACHE_SECONDS"] = 0
    login_as(alice)
    url = f"/p/{programme.slug}/"
    _settled(client, url)
    assert _page(client, url).headers["X-Page-Cache"] == "miss"


def test_viewers_opening_a_page_at_once_cost_one_render(app, client, login_as, alice, programme):
    """Sixteen requests for a page nobody has rendered yet: one renders it, the others wait for it."""
    login_as(alice)
    url = f"/p/{programme.slug}/"
    _settled(client, url)
    pagecache.forget_all()
    cookie = client.get_cookie("session").value
    outcomes, start = [], threading.Barrier(8)

    def viewer():
        with app.app_context():
            own = app.test_client()
            own.set_cookie("session", cookie)
            start.wait()
            outcomes.append(own.get(url).headers["X-Page-Cache"])

    threads = [threading.Thread(target=viewer) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["hit"] * 7 + ["miss"]


@pytest.fixture(params=["database"] + (["redis"] if REDIS else []))
def app_config(request, app_config):
    """Every test with the version in the database and, where the suite has one, in Redis."""
    if request.param == "redis":
        return {**app_config, "PAGE_CACHE": "on", "REDIS_URL": REDIS}
    return {**app_config, "PAGE_CACHE": "on"}


class TestWithoutTheCache:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "PAGE_CACHE": "off"}

    def test_nothing_is_kept(self, client, login_as, alice, programme):
        login_as(alice)
        assert "X-Page-Cache" not in _settled(client, f"/p/{programme.slug}/").headers


def test_auto_is_off_on_postgresql_without_redis(app):
    app.config.update(PAGE_CACHE="auto", REDIS_URL=None, SQLALCHEMY_DATABASE_URI="postgresql+psycopg://h/db")
    assert not pagecache.enabled(app)
    app.config.update(REDIS_URL="redis://127.0.0.1:6379/0")
    assert pagecache.enabled(app)
    app.config.update(REDIS_URL=None, SQLALCHEMY_DATABASE_URI="sqlite:///x.db")
    assert pagecache.enabled(app)


@pytest.mark.skipif(not REDIS, reason="needs TEST_REDIS_URL (set in CI)")
class TestWithRedis:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "PAGE_CACHE": "on", "REDIS_URL": REDIS}

    def test_a_write_through_one_server_reaches_the_pages_of_another(self, app, client, login_as, alice, programme, app_config):
        """Two app processes (here two app objects with caches of their own) share the version in Redis."""
        from app import create_app

        other = create_app(app_config)
        other.test_client_class = type(client)
        url = f"/p/{programme.slug}/"
        with other.app_context():
            viewer = other.test_client()
            Auth(viewer).login(alice)
            _settled(viewer, url)
            assert _page(viewer, url).headers["X-Page-Cache"] == "hit"
        login_as(alice)
        client.post(f"/t/programme/{programme.id}/comments", data={"body": "Dari server pertama"})
        with other.app_context():
            page = _page(viewer, url)
            assert page.headers.get("X-Page-Cache") != "hit" and "Dari server pertama" in page.text

    def test_a_flushed_redis_never_brings_back_an_old_page(self, client, login_as, alice, programme, db):
        import redis

        login_as(alice)
        url = f"/p/{programme.slug}/"
        _settled(client, url)
        redis.Redis.from_url(REDIS).delete(pagecache.REDIS_KEY)  # a restarted Redis keeps nothing
        programme.name = "Nama sesudah Redis mulai ulang"
        db.session.commit()
        assert "Nama sesudah Redis mulai ulang" in _page(client, url).text


def test_an_unreachable_redis_means_no_cache_and_no_error(app, client, login_as, alice, programme, caplog):
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"
    app.extensions.pop("sinergi_live_redis", None)
    pagecache._REDIS_DOWN.clear()
    login_as(alice)
    response = client.get(f"/p/{programme.slug}/")
    assert response.status_code == 200 and "X-Page-Cache" not in response.headers
    assert "page cache: Redis unavailable" in caplog.text
