"""Response hardening: CSP and friends on pages and error pages, cookie flags, session rotation at
login, the request size limit, and rate limits on login and password reset (in-process, and shared
through Redis by two app instances)."""
import os
import subprocess
import sys
import textwrap

import pytest

from app import ROOT, create_app
from tests.factories import PASSWORD

REDIS_TEST_URL = "redis://127.0.0.1:6379/13"


def csp_directives(response) -> dict[str, list[str]]:
    policy = response.headers.get("Content-Security-Policy", "")
    directives = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = [w.lower() for w in words[1:]]
    return directives


def assert_hardened(response, where=""):
    csp = csp_directives(response)
    assert csp, f"{where}: no Content-Security-Policy"
    script_src = csp.get("script-src", csp.get("default-src"))
    assert script_src is not None, f"{where}: CSP sets neither script-src nor default-src"
    for unsafe in ("'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:"):
        assert unsafe not in script_src, f"{where}: script-src allows {unsafe}"
    assert csp.get("default-src") == ["'self'"], where
    assert csp.get("frame-ancestors") == ["'none'"], where
    assert csp.get("object-src") == ["'none'"], where
    assert csp.get("base-uri") in (["'self'"], ["'none'"]), where
    assert csp.get("form-action") == ["'self'"], where
    assert response.headers.get("X-Content-Type-Options") == "nosniff", where
    assert response.headers.get("Referrer-Policy") in ("same-origin", "strict-origin-when-cross-origin", "no-referrer"), where
    assert response.headers.get("X-Frame-Options") == "DENY", where


def cookies_set(response) -> dict[str, str]:
    """name -> the full Set-Cookie header, for each cookie the response sets."""
    found = {}
    for header in response.headers.getlist("Set-Cookie"):
        name = header.split("=", 1)[0].strip()
        found[name] = header
    return found


def cookie_attributes(header: str) -> set[str]:
    return {part.strip().lower() for part in header.split(";")[1:]}


def is_sign_in_redirect(response) -> bool:
    return response.status_code in (302, 303) and response.headers["Location"].split("?")[0].endswith("/login")


def sign_in(client, email="alice@example.id", remember=False):
    data = {"email": email, "password": PASSWORD}
    if remember:
        data["remember"] = "y"
    return client.post("/login", data=data)


@pytest.fixture
def signed_in_owner(db, client, alice):
    alice.email = "alice@example.id"
    db.session.commit()
    return alice


# -- headers on pages and error pages -----------------------------------------------------------

def test_pages_carry_the_security_headers(client, auth, alice, programme):
    for url in ["/", "/login", "/register", "/organisations/", "/healthz", "/static/css/app.css"]:
        assert_hardened(client.get(url), url)
    auth.login(alice)
    for url in [f"/p/{programme.slug}/", f"/p/{programme.slug}/members", "/profile"]:
        assert_hardened(client.get(url), url)
        assert_hardened(client.get(url, headers={"HX-Request": "true"}), f"{url} as htmx fragment")


def test_error_pages_carry_the_security_headers(client, auth, charlie, programme, member):
    assert_hardened(client.get("/tidak-ada"), "404")
    assert_hardened(client.delete("/"), "405")
    auth.login(member("viewer"))
    assert_hardened(client.get(f"/p/{programme.slug}/settings"), "403")
    auth.login(charlie)
    response = client.get(f"/p/{programme.slug}/", headers={"HX-Request": "true"})
    assert response.status_code == 404
    assert_hardened(response, "404 to htmx")


def test_a_server_error_page_carries_the_headers_and_no_traceback(app_config):
    app = create_app({**app_config, "TESTING": False, "PROPAGATE_EXCEPTIONS": False})

    @app.get("/_boom")
    def boom():
        raise RuntimeError("secret detail from the stack")

    response = app.test_client().get("/_boom")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "secret detail" not in html and "Traceback" not in html
    assert "Terjadi kesalahan" in html or "kesalahan" in html.lower()
    assert_hardened(response, "500")


def test_the_csrf_error_page_carries_the_headers(app_config):
    app = create_app({**app_config, "WTF_CSRF_ENABLED": True})
    response = app.test_client().post("/login", data={"email": "a@example.id", "password": "x"})
    assert response.status_code == 400
    assert_hardened(response, "400 (CSRF)")


# -- cookies and the session --------------------------------------------------------------------

def test_the_session_cookie_is_httponly_and_samesite_lax(client, signed_in_owner):
    response = sign_in(client)
    assert response.status_code == 303
    attributes = cookie_attributes(cookies_set(response)["session"])
    assert "httponly" in attributes
    assert "samesite=lax" in attributes


def test_the_remember_me_cookie_is_httponly_and_samesite_lax(client, signed_in_owner):
    response = sign_in(client, remember=True)
    attributes = cookie_attributes(cookies_set(response)["remember_token"])
    assert "httponly" in attributes
    assert "samesite=lax" in attributes


def test_cookies_are_secure_when_the_environment_says_https(app_config, monkeypatch, db, alice):
    from app import config

    monkeypatch.setenv("SESSION_COOKIE_SECURE", "1")
    settings = config.from_environment(str(ROOT / "instance"))
    assert settings["SESSION_COOKIE_SECURE"] is True and settings["REMEMBER_COOKIE_SECURE"] is True
    alice.email = "alice@example.id"
    db.session.commit()
    app = create_app({**app_config, "SESSION_COOKIE_SECURE": True, "REMEMBER_COOKIE_SECURE": True})
    response = sign_in(app.test_client(), remember=True)
    for name in ("session", "remember_token"):
        assert "secure" in cookie_attributes(cookies_set(response)[name]), name
    assert response.headers.get("Strict-Transport-Security", "").startswith("max-age=")


def test_the_session_is_rotated_at_login(client, signed_in_owner):
    # Session fixation: whatever was in the session before signing in must not survive it.
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
        session["lang"] = "en"
    before = client.get_cookie("session").value
    response = sign_in(client)
    assert response.status_code == 303
    after = client.get_cookie("session").value
    assert after != before
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session.get("_user_id", "").startswith(f"{signed_in_owner.id}:")
        assert session.get("lang") == "en"  # the language choice is the one thing kept


def test_the_session_is_emptied_at_logout(client, signed_in_owner):
    sign_in(client)
    with client.session_transaction() as session:
        session["planted"] = "left over"
    assert client.post("/logout").status_code == 303
    with client.session_transaction() as session:
        assert "_user_id" not in session and "planted" not in session
    assert is_sign_in_redirect(client.get("/profile"))


def test_a_password_change_signs_out_other_sessions(app, db, signed_in_owner):
    first, second = app.test_client(), app.test_client()
    assert sign_in(first).status_code == 303
    assert sign_in(second).status_code == 303
    new = "a brand new passphrase"
    response = first.post("/profile/password", data={"current": PASSWORD, "password": new, "confirm": new})
    assert response.status_code == 303
    assert first.get("/profile").status_code == 200
    assert is_sign_in_redirect(second.get("/profile"))


# -- request size -------------------------------------------------------------------------------

def test_a_form_over_the_size_limit_gets_413(app, client, auth, alice, db):
    from app.programmes.models import Programme

    auth.login(alice)
    limit = app.config["MAX_CONTENT_LENGTH"]
    assert limit and limit <= 10 * 1024 * 1024
    response = client.post("/p/new", data={"name": "Besar", "visibility": "private", "description": "x" * (limit + 1)})
    assert response.status_code == 413
    assert "Berkas terlalu besar" in response.get_data(as_text=True)
    assert_hardened(response, "413")
    assert db.session.query(Programme).filter_by(name="Besar").count() == 0


def test_an_upload_over_the_size_limit_gets_413_even_before_the_csrf_check(app_config, db, alice):
    import io

    app = create_app({**app_config, "WTF_CSRF_ENABLED": True, "MAX_CONTENT_LENGTH": 64 * 1024})
    response = app.test_client().post(
        "/p/new",
        data={"name": "Berkas", "file": (io.BytesIO(b"\0" * (65 * 1024)), "besar.bin")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    assert "Berkas terlalu besar" in response.get_data(as_text=True)


# -- rate limits --------------------------------------------------------------------------------

@pytest.fixture
def limited_app(app_config):
    return create_app({**app_config, "RATELIMIT_ENABLED": True})


def assert_rate_limited(response):
    assert response.status_code == 429
    html = response.get_data(as_text=True)
    assert "Terlalu banyak" in html
    assert response.headers.get("Retry-After")
    assert_hardened(response, "429")


def test_the_11th_failed_login_in_a_minute_gets_429(limited_app):
    client = limited_app.test_client()
    for attempt in range(10):
        response = client.post("/login", data={"email": "siapa@example.id", "password": "salah sekali"})
        assert response.status_code == 422, f"attempt {attempt + 1}"
    assert_rate_limited(client.post("/login", data={"email": "siapa@example.id", "password": "salah sekali"}))
    # Reading the page is not limited: the person can still see the form and the message.
    assert client.get("/login").status_code == 200


def test_password_reset_requests_are_rate_limited(limited_app):
    client = limited_app.test_client()
    for _ in range(5):
        assert client.post("/reset", data={"email": "siapa@example.id"}).status_code == 303
    assert_rate_limited(client.post("/reset", data={"email": "siapa@example.id"}))


def test_setting_a_new_password_by_reset_link_is_rate_limited(limited_app):
    client = limited_app.test_client()
    for _ in range(5):
        assert client.post("/reset/tebak-token", data={"password": "x" * 10, "confirm": "x" * 10}).status_code == 303
    assert_rate_limited(client.post("/reset/tebak-token", data={"password": "x" * 10, "confirm": "x" * 10}))


def _redis_or_skip():
    redis = pytest.importorskip("redis")
    connection = redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=1)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI"):
            pytest.fail("CI provides Redis on 127.0.0.1:6379; it is not reachable")
        pytest.skip("Redis is not reachable on 127.0.0.1:6379")
    return connection


SECOND_INSTANCE = textwrap.dedent(
    """
    import sys
    from app import create_app
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": sys.argv[1], "SECRET_KEY": "test-secret",
                      "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": True, "SERVER_NAME": "localhost"})
    assert app.config["RATELIMIT_STORAGE_URI"].startswith("redis://"), app.config["RATELIMIT_STORAGE_URI"]
    client = app.test_client()
    codes = [client.post("/login", data={"email": "siapa@example.id", "password": "salah"}).status_code
             for _ in range(int(sys.argv[2]))]
    print(" ".join(map(str, codes)))
    """
)


def test_two_app_instances_share_the_login_count_through_redis(app_config, monkeypatch):
    redis = _redis_or_skip()
    redis.flushdb()
    monkeypatch.setenv("REDIS_URL", REDIS_TEST_URL)
    config = {k: v for k, v in app_config.items() if k != "RATELIMIT_STORAGE_URI"}
    first = create_app({**config, "RATELIMIT_ENABLED": True})
    assert first.config["RATELIMIT_STORAGE_URI"] == REDIS_TEST_URL
    client = first.test_client()
    for _ in range(6):
        assert client.post("/login", data={"email": "siapa@example.id", "password": "salah"}).status_code == 422
    assert redis.keys("*"), "no rate-limit counter was written to Redis"

    # A second instance in its own process (another host, in production) continues the count.
    result = subprocess.run(
        [sys.executable, "-c", SECOND_INSTANCE, app_config["SQLALCHEMY_DATABASE_URI"], "5"],
        cwd=ROOT, env={**os.environ, "REDIS_URL": REDIS_TEST_URL}, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    codes = result.stdout.split()
    assert codes == ["422", "422", "422", "422", "429"], codes
    redis.flushdb()



def test_the_21st_comment_in_a_minute_gets_429_and_another_person_may_still_post(limited_app):
    from tests import factories
    from app.extensions import db
    from app.programmes.models import Role

    with limited_app.app_context():
        programme = factories.ProgrammeFactory()
        ann, ben = factories.UserFactory(), factories.UserFactory()
        for person in (ann, ben):
            factories.MembershipFactory(programme=programme, user=person, role=Role.COMMENTER)
        db.session.commit()
        url = f"/t/programme/{programme.id}/comments"
        ann_id, ben_id = ann.get_id(), ben.get_id()
    clients = {}
    for who in (ann_id, ben_id):
        clients[who] = limited_app.test_client()
        with clients[who].session_transaction() as sess:
            sess["_user_id"] = who
            sess["_fresh"] = True
    for n in range(20):
        assert clients[ann_id].post(url, data={"body": f"Masukan {n}"}).status_code == 303, n
    assert_rate_limited(clients[ann_id].post(url, data={"body": "Satu lagi"}))
    assert clients[ben_id].post(url, data={"body": "Masukan Ben"}).status_code == 303
    with limited_app.app_context():
        from app.comments.models import Comment
        assert db.session.query(Comment).count() == 21  # the refused one was not written
