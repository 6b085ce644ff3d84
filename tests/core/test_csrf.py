"""CSRF, switched on: every state-changing route from the URL map refuses a request without a
token, with a wrong one, or with a stale one (400, the Indonesian page), and writes nothing.
A token taken from the page works, in the form and in htmx's X-CSRFToken header."""
import json
import re
from urllib.parse import urlsplit

import pytest

from app.programmes.models import Programme
from tests.core.payloads import database_snapshot, walk
from tests.core.test_route_matrix import (  # noqa: F401 (fixtures: database_url, world, world_template)
    EXPECTED,
    RULES,
    build_url,
    database_url,
    form_data,
    world,
    world_template,
)
from tests.factories import PASSWORD

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
CSRF_MESSAGE_ID = "token keamanan"  # from "Formulir Anda sudah kedaluwarsa atau tidak memiliki token keamanan"


@pytest.fixture
def app_config(app_config):
    return {**app_config, "WTF_CSRF_ENABLED": True}


def state_changing_routes():
    return [
        pytest.param(endpoint, method, id=f"{endpoint}-{method}")
        for endpoint, method, *_ in RULES
        if method in STATE_CHANGING
    ]


def token_from(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"', html)
    assert match, "no csrf_token field on the page"
    return match.group(1) or match.group(2)


def token_of_a_fresh_session(app) -> str:
    other = app.test_client()
    return token_from(other.get("/login").get_data(as_text=True))


def assert_csrf_refusal(response, db, before):
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert CSRF_MESSAGE_ID in html, "the 400 page does not explain the security token in Indonesian"
    if "<html" in html:  # htmx gets the fragment only
        assert '<html lang="id">' in html
    assert database_snapshot(db) == before, "a request refused for CSRF wrote to the database"


def owner_post(client, auth, app, world, endpoint, method, extra=None, headers=None):
    auth.login(world["people"]["owner"])
    # CSRF is checked before the view, so a route the matrix does not describe yet is still covered
    # (with placeholder ids and no form data).
    url = build_url(app, endpoint, world, placeholder=1)
    expectation = EXPECTED.get(endpoint, {}).get(method)
    data = {**(form_data(expectation, world["args"]) if expectation else {}), **(extra or {})}
    return client.open(url, method=method, data=data, headers=headers or {})


def test_every_state_changing_route_is_covered():
    # Should a route ever be exempted from CSRF, this list is where it must be justified.
    assert state_changing_routes(), "the URL map has no state-changing route?"


@pytest.mark.parametrize("endpoint, method", state_changing_routes())
def test_a_request_without_a_token_is_refused(app, client, auth, db, world, endpoint, method):
    before = database_snapshot(db)
    assert_csrf_refusal(owner_post(client, auth, app, world, endpoint, method), db, before)


@pytest.mark.parametrize("endpoint, method", state_changing_routes())
def test_a_request_with_a_wrong_token_is_refused(app, client, auth, db, world, endpoint, method):
    before = database_snapshot(db)
    response = owner_post(client, auth, app, world, endpoint, method, extra={"csrf_token": "IjAwMDAi.Zm9v.YmFy"})
    assert_csrf_refusal(response, db, before)


@pytest.mark.parametrize("endpoint, method", state_changing_routes())
def test_a_token_of_another_session_is_refused(app, client, auth, db, world, endpoint, method):
    # Correctly signed, but issued to someone else: what an attacker could fetch for themselves.
    stale = token_of_a_fresh_session(app)
    before = database_snapshot(db)
    response = owner_post(client, auth, app, world, endpoint, method, extra={"csrf_token": stale})
    assert_csrf_refusal(response, db, before)


@pytest.mark.parametrize("endpoint, method", state_changing_routes())
def test_a_wrong_token_in_the_htmx_header_is_refused(app, client, auth, db, world, endpoint, method):
    before = database_snapshot(db)
    response = owner_post(
        client, auth, app, world, endpoint, method, headers={"HX-Request": "true", "X-CSRFToken": token_of_a_fresh_session(app)}
    )
    assert_csrf_refusal(response, db, before)
    # htmx puts the error page where the main content goes.
    assert response.headers.get("HX-Retarget") == "#main"


def test_a_token_from_the_login_page_signs_in(client, db, alice):
    alice.email = "alice@example.id"
    db.session.commit()
    token = token_from(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"email": "alice@example.id", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 303
    assert client.get("/profile").status_code == 200


def test_a_token_issued_before_login_is_stale_after_it(client, db, alice):
    # Signing in starts a fresh session, so a token an attacker planted or saw before is worthless.
    alice.email = "alice@example.id"
    db.session.commit()
    token = token_from(client.get("/login").get_data(as_text=True))
    assert client.post("/login", data={"email": "alice@example.id", "password": PASSWORD, "csrf_token": token}).status_code == 303
    before = database_snapshot(db)
    response = client.post("/p/new", data={"name": "Program Basi", "visibility": "private", "csrf_token": token})
    assert_csrf_refusal(response, db, before)


def test_a_token_from_the_new_programme_page_creates_it(client, auth, db, alice):
    auth.login(alice)
    token = token_from(client.get("/p/new").get_data(as_text=True))
    response = client.post("/p/new", data={"name": "Program Bertoken", "visibility": "private", "csrf_token": token})
    assert response.status_code == 303
    assert db.session.query(Programme).filter_by(name="Program Bertoken").count() == 1


def test_base_html_gives_htmx_the_token_in_the_x_csrftoken_header(client, auth, alice):
    auth.login(alice)
    html = client.get("/p/new").get_data(as_text=True)
    body = next(attrs for _, tag, attrs, _ in walk(html) if tag == "body")
    headers = json.loads(body["hx-headers"])
    assert headers["X-CSRFToken"] == token_from(html)


def test_an_htmx_request_with_the_header_token_works(client, auth, db, alice):
    auth.login(alice)
    html = client.get("/p/new").get_data(as_text=True)
    body = next(attrs for _, tag, attrs, _ in walk(html) if tag == "body")
    header_token = json.loads(body["hx-headers"])["X-CSRFToken"]
    response = client.post(
        "/p/new",
        data={"name": "Program Htmx", "visibility": "private"},
        headers={"HX-Request": "true", "X-CSRFToken": header_token},
    )
    assert response.status_code == 204
    assert urlsplit(response.headers["HX-Redirect"]).path.startswith("/p/program-htmx")


def test_every_form_on_the_pages_carries_a_token(client, auth, world):
    # A POST form without the hidden field would only work through htmx's header, never plainly.
    auth.login(world["people"]["owner"])
    slug = world["args"]["slug"]
    for url in ["/", "/p/new", f"/p/{slug}/", f"/p/{slug}/members", f"/p/{slug}/settings", "/profile", "/organisations/new"]:
        html = client.get(url).get_data(as_text=True)
        for element, tag, attrs, _ in walk(html):
            if tag == "form" and attrs.get("method", "get").lower() == "post":
                names = [_local_name(e) for e in element.iter()]
                assert "csrf_token" in names, f"a POST form on {url} ({attrs.get('action')}) has no csrf_token"


def _local_name(element):
    return element.attrib.get("name")

