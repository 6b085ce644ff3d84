"""Bad input to every form: a clear 4xx or a form error (422 with the field's message), never a 500,
and nothing written (every row of every table compared before and after).

Each form is described once in FORMS (URL, who posts, valid data, which fields are names, emails,
choices); the tests derive their cases from that.
"""
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from markupsafe import escape

from app.programmes.models import Role
from tests.core.payloads import (
    CONTROL_CHARACTERS,
    HTML_AND_EMOJI_NAME,
    INVALID_EMAILS,
    LONG_NAME,
    database_snapshot,
)
from tests.factories import PASSWORD


@dataclass(frozen=True)
class Form:
    url: str  # formatted with the world's values: {slug}, {membership_id}, {organisation_id}, {token}
    persona: str | None  # who posts: None = anonymous, else a key of world["people"]
    data: dict
    required: tuple = ()  # refused when missing or blank
    kept: tuple = ()  # when missing (not blank) the current or declared default value stands
    names: tuple = ()  # short text fields shown as names (escaped wherever they appear)
    texts: dict = field(default_factory=dict)  # long text fields -> their limit
    emails: tuple = ()
    bad_choices: dict = field(default_factory=dict)
    refusal: int = 422  # a form error re-renders with 422; buttons without a page answer 400
    shown_at: str | None = None  # where an accepted name is shown (None = the redirect target)


NEW = "a brand new passphrase"

FORMS = {
    "register": Form(
        "/register", None,
        {"name": "Dewi", "email": "dewi@example.id", "password": PASSWORD, "confirm": PASSWORD,
         "organisation_id": "0", "new_organisation_name": "Komunitas Baru", "new_organisation_element": "komunitas"},
        required=("name", "email", "password", "confirm", "organisation_id"),
        names=("name", "new_organisation_name"),
        emails=("email",),
        bad_choices={"organisation_id": ["987654", "abc", "-1"], "new_organisation_element": ["naga", "<b>"]},
        shown_at="/profile",
    ),
    "login": Form(
        "/login", None, {"email": "alice@example.id", "password": PASSWORD},
        required=("email", "password"), emails=("email",),
    ),
    "profile": Form(
        "/profile", "owner", {"name": "Alice Baru", "organisation_id": "{organisation_id}", "locale": "en", "timezone": "Asia/Jakarta"},
        kept=("name", "organisation_id", "locale", "timezone"),
        names=("name",),
        bad_choices={"organisation_id": ["987654", "abc"], "locale": ["fr", "../../etc"], "timezone": ["Europe/Berlin", "UTC"]},
    ),
    "password change": Form(
        "/profile/password", "owner", {"current": PASSWORD, "password": NEW, "confirm": NEW},
        required=("current", "password", "confirm"),
    ),
    "reset request": Form("/reset", None, {"email": "alice@example.id"}, required=("email",), emails=("email",)),
    "reset password": Form("/reset/{token}", None, {"password": NEW, "confirm": NEW}, required=("password", "confirm")),
    "new programme": Form(
        "/p/new", "owner", {"name": "Program Baru", "description": "Deskripsi", "visibility": "private"},
        required=("name",), kept=("visibility",), names=("name",), texts={"description": 20_000},
        bad_choices={"visibility": ["secret", "PUBLIC"]},
    ),
    "programme settings": Form(
        "/p/{slug}/settings", "owner", {"name": "Nama Diubah", "description": "Baru", "visibility": "public"},
        kept=("name", "visibility"), names=("name",), texts={"description": 20_000},
        bad_choices={"visibility": ["secret"]},
    ),
    "invite by email": Form(
        "/p/{slug}/invitations/email", "owner", {"email": "tamu@example.id", "role": "commenter"},
        required=("email",), emails=("email",), bad_choices={"role": ["admin", "superuser"]},
        shown_at="/p/{slug}/members",
    ),
    "invite link": Form(
        "/p/{slug}/invitations/link", "owner", {"role": "viewer", "days": "7"},
        kept=("days",), bad_choices={"role": ["admin"], "days": ["0", "-1", "91", "abc", "1e9", "99999999999999999999"]},
        shown_at="/p/{slug}/members",
    ),
    "change role": Form(
        "/p/{slug}/members/{membership_id}/role", "owner", {"role": "editor"},
        required=("role",), bad_choices={"role": ["admin", "OWNER", ""]}, refusal=400,
        shown_at="/p/{slug}/members",
    ),
    "organisation new": Form(
        "/organisations/new", "owner", {"name": "Organisasi Baru", "element": "media", "website": "https://example.id"},
        required=("name", "element"), names=("name", "short_name"), texts={"description": 5_000},
        bad_choices={"element": ["naga", ""], "website": ["javascript:alert(1)", "bukan url", "ftp://example.id"]},
    ),
    "organisation edit": Form(
        "/organisations/{organisation_id}/edit", "owner", {"name": "Pemkot Bontang", "element": "pemerintah"},
        kept=("name", "element"), names=("name", "short_name"), texts={"description": 5_000},
        bad_choices={"element": ["naga"], "website": ["javascript://example.com/%0aalert(1)"]},
    ),
}


@pytest.fixture
def world(db, factories, programme, alice, member):
    from app.accounts.service import reset_token

    alice.email = "alice@example.id"
    db.session.commit()
    bob = member("viewer", name="Bob Viewer")
    membership = programme.membership_of(bob)
    return {
        "people": {"owner": alice},
        "values": {
            "slug": programme.slug,
            "membership_id": membership.id,
            "organisation_id": alice.organisation_id,
            "token": reset_token(alice),
        },
    }


def post(client, auth, world, form: Form, data: dict, url: str | None = None):
    if form.persona:
        auth.login(world["people"][form.persona])
    values = world["values"]
    data = {k: v.format(**values) if isinstance(v, str) else v for k, v in data.items()}
    return client.post((url or form.url).format(**values), data=data)


def has_field_message(html: str, field_name: str) -> bool:
    # The _forms.html macro puts the messages in <ul id="{field id}-errors">; some fields carry a
    # prefixed id (two forms on one page), e.g. "link-role".
    return re.search(rf'id="(?:[\w-]+-)?{re.escape(field_name)}-errors"', html) is not None


def assert_refused(response, db, before, form: Form, field_name: str | None = None):
    assert response.status_code < 500, f"a server error ({response.status_code})"
    assert response.status_code == form.refusal, f"expected {form.refusal}, got {response.status_code}"
    if form.refusal == 422 and field_name:
        # The field's message is on the re-rendered form, next to the field.
        assert has_field_message(response.get_data(as_text=True), field_name), f"no message on {field_name}"
    assert database_snapshot(db) == before, "a refused request wrote to the database"


def cases(attribute):
    return list(_cases(attribute))


def _cases(attribute):
    for name, form in FORMS.items():
        values = getattr(form, attribute)
        items = values.items() if isinstance(values, dict) else ((v, None) for v in values)
        for field_name, extra in items:
            for value in extra if isinstance(extra, list) else [extra]:
                yield pytest.param(name, field_name, value, id=f"{name}-{field_name}" + (f"-{value}" if isinstance(extra, list) else ""))


# -- the tests ----------------------------------------------------------------------------------

@pytest.mark.parametrize("name", FORMS)
def test_the_valid_form_is_accepted(client, auth, db, world, name):
    # The baseline: without it, a refusal below could come from anything.
    response = post(client, auth, world, FORMS[name], FORMS[name].data)
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]


@pytest.mark.parametrize("name, field_name, _", cases("required"))
def test_a_missing_field_is_refused_with_its_message(client, auth, db, world, name, field_name, _):
    form = FORMS[name]
    before = database_snapshot(db)
    data = {k: v for k, v in form.data.items() if k != field_name}
    assert_refused(post(client, auth, world, form, data), db, before, form, field_name)


@pytest.mark.parametrize("name, field_name, _", cases("kept"))
def test_a_missing_field_keeps_its_current_or_default_value(client, auth, db, world, name, field_name, _):
    # WTForms keeps the object's value (edit forms) or the declared default (radio, days) for a
    # field the request does not carry at all. Browsers always send these fields, so only a
    # crafted or outdated client omits one; it then changes nothing about that field. A *blank*
    # value is refused (next test), so nothing invalid is ever written.
    form = FORMS[name]
    data = {k: v for k, v in form.data.items() if k != field_name}
    assert post(client, auth, world, form, data).status_code == 303


@pytest.mark.parametrize("name, field_name, _", cases("required") + cases("kept"))
def test_a_blank_field_is_refused_with_its_message(client, auth, db, world, name, field_name, _):
    form = FORMS[name]
    before = database_snapshot(db)
    assert_refused(post(client, auth, world, form, {**form.data, field_name: "   "}), db, before, form, field_name)


@pytest.mark.parametrize("name", [n for n, f in FORMS.items() if f.required])
def test_an_empty_post_is_refused(client, auth, db, world, name):
    form = FORMS[name]
    before = database_snapshot(db)
    assert_refused(post(client, auth, world, form, {}), db, before, form)


@pytest.mark.parametrize("name, field_name, _", cases("names"))
def test_a_10000_character_name_is_refused(client, auth, db, world, name, field_name, _):
    form = FORMS[name]
    before = database_snapshot(db)
    response = post(client, auth, world, form, {**form.data, field_name: LONG_NAME})
    assert_refused(response, db, before, form, field_name)
    # The re-rendered form may show the value back, but the page must not balloon with copies.
    assert response.get_data(as_text=True).count(LONG_NAME) <= 1


@pytest.mark.parametrize("name, field_name, _", cases("texts"))
def test_a_text_over_its_limit_is_refused(client, auth, db, world, name, field_name, _):
    form = FORMS[name]
    before = database_snapshot(db)
    response = post(client, auth, world, form, {**form.data, field_name: "x" * (form.texts[field_name] + 1)})
    assert_refused(response, db, before, form, field_name)


@pytest.mark.parametrize("name, field_name, _", cases("names"))
@pytest.mark.parametrize("value", CONTROL_CHARACTERS, ids=repr)
def test_control_characters_in_a_name_are_refused(client, auth, db, world, name, field_name, _, value):
    form = FORMS[name]
    before = database_snapshot(db)
    assert_refused(post(client, auth, world, form, {**form.data, field_name: value}), db, before, form, field_name)


@pytest.mark.parametrize("name, field_name, _", cases("texts"))
def test_a_nul_character_in_a_text_never_reaches_the_database(client, auth, db, world, name, field_name, _):
    # PostgreSQL refuses NUL in text: without a check it becomes a database error, not a form error.
    form = FORMS[name]
    before = database_snapshot(db)
    response = post(client, auth, world, form, {**form.data, field_name: "Baris satu\x00baris dua"})
    assert response.status_code in (400, 422)
    assert database_snapshot(db) == before


@pytest.mark.parametrize("name", FORMS)
def test_a_nul_character_in_any_field_is_a_clear_4xx(client, auth, db, world, name):
    form = FORMS[name]
    before = database_snapshot(db)
    data = {k: f"{v}\x00" if isinstance(v, str) else v for k, v in form.data.items()}
    response = post(client, auth, world, form, data)
    assert response.status_code in (400, 422)
    assert database_snapshot(db) == before


@pytest.mark.parametrize("name, field_name, _", cases("emails"))
@pytest.mark.parametrize("value", INVALID_EMAILS)
def test_an_invalid_email_is_refused(client, auth, db, world, name, field_name, _, value):
    form = FORMS[name]
    before = database_snapshot(db)
    response = post(client, auth, world, form, {**form.data, field_name: value})
    if name == "login":
        # Login does not say whether an address exists or is well-formed, only that it failed.
        assert response.status_code == 422
        assert database_snapshot(db) == before
    else:
        assert_refused(response, db, before, form, field_name)


@pytest.mark.parametrize("name, field_name, value", cases("bad_choices"))
def test_an_unknown_choice_is_refused(client, auth, db, world, name, field_name, value):
    form = FORMS[name]
    before = database_snapshot(db)
    assert_refused(post(client, auth, world, form, {**form.data, field_name: value}), db, before, form, field_name)


@pytest.mark.parametrize("name, field_name, _", cases("names"))
def test_html_and_emoji_in_a_name_are_kept_and_shown_escaped(client, auth, db, world, name, field_name, _):
    form = FORMS[name]
    response = post(client, auth, world, form, {**form.data, field_name: HTML_AND_EMOJI_NAME})
    assert response.status_code == 303
    page_url = (form.shown_at or urlsplit(response.headers["Location"]).path).format(**world["values"])
    html = client.get(page_url).get_data(as_text=True)
    assert str(escape(HTML_AND_EMOJI_NAME)) in html, f"{page_url} does not show the name escaped"
    assert "<b>Bontang</b>" not in html
    assert "onerror=alert(1)>" not in html


def _programme_forms():
    return [pytest.param(n, id=n) for n, f in FORMS.items() if "{slug}" in f.url]


@pytest.mark.parametrize("name", _programme_forms())
def test_an_unknown_programme_is_404(client, auth, db, world, name):
    form = FORMS[name]
    before = database_snapshot(db)
    response = post(client, auth, world, form, form.data, url=form.url.replace("{slug}", "tidak-ada"))
    assert response.status_code == 404
    assert database_snapshot(db) == before


@pytest.mark.parametrize("name, placeholder", [("change role", "{membership_id}"), ("organisation edit", "{organisation_id}")])
@pytest.mark.parametrize("bad_id", ["987654", "0"])
def test_an_unknown_id_is_404(client, auth, db, world, name, placeholder, bad_id):
    form = FORMS[name]
    before = database_snapshot(db)
    response = post(client, auth, world, form, form.data, url=form.url.replace(placeholder, bad_id))
    assert response.status_code == 404
    assert database_snapshot(db) == before


@pytest.mark.parametrize("url", ["/p/%00/", "/p/%00/settings", "/join/%00", "/reset/%00", "/organisations/?element=%00", "/p/x%F0%9F%9A%80/"])
def test_odd_characters_in_a_url_are_a_clear_4xx(client, auth, world, url):
    auth.login(world["people"]["owner"])
    response = client.get(url)
    assert response.status_code < 500
    assert response.status_code in (302, 303, 400, 404)


def test_a_bad_reset_token_sends_back_to_the_request_form(client, db, world):
    before = database_snapshot(db)
    response = client.post("/reset/bukan-token", data=FORMS["reset password"].data)
    assert response.status_code == 303
    assert urlsplit(response.headers["Location"]).path == "/reset"
    assert database_snapshot(db) == before


def test_a_role_change_that_would_leave_no_owner_is_refused(client, auth, db, world, alice, programme):
    auth.login(alice)
    membership = programme.membership_of(alice)
    before = database_snapshot(db)
    response = client.post(f"/p/{programme.slug}/members/{membership.id}/role", data={"role": "viewer"})
    assert response.status_code == 303
    assert database_snapshot(db) == before
    assert db.session.get(type(membership), membership.id).role == Role.OWNER


@pytest.mark.parametrize("name", [n for n, f in FORMS.items() if f.refusal == 422 and (f.required or f.kept)])
def test_a_form_error_comes_back_to_htmx_as_the_form_fragment(client, auth, db, world, name):
    # htmx (not boosted) swaps the re-rendered form in place: the block alone, with its messages.
    form = FORMS[name]
    field_name = (form.required or form.kept)[0]
    if form.persona:
        auth.login(world["people"][form.persona])
    before = database_snapshot(db)
    response = client.post(
        form.url.format(**world["values"]), data={**form.data, field_name: "   "}, headers={"HX-Request": "true"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<html" not in html
    assert has_field_message(html, field_name)
    assert database_snapshot(db) == before


OFF_SITE_TARGETS = [
    "//evil.example", "https://evil.example", "/\\evil.example", "/\t/evil.example", "/\n/evil.example",
    "/\r\n/evil.example", "\t//evil.example", "/\x0b/evil.example", "javascript:alert(1)", "evil.example",
]


def assert_stays_on_site(response):
    assert response.status_code == 303
    location = response.headers["Location"]
    assert location.startswith("/") and not location.startswith("//") and "\\" not in location, location
    assert not re.search(r"[\x00-\x1f]", location), location


@pytest.mark.parametrize("target", OFF_SITE_TARGETS, ids=repr)
def test_login_never_redirects_off_site(client, db, world, target):
    response = client.post("/login", query_string={"next": target}, data=FORMS["login"].data)
    assert_stays_on_site(response)


@pytest.mark.parametrize("target", OFF_SITE_TARGETS, ids=repr)
def test_the_language_switch_never_redirects_off_site(client, target):
    assert_stays_on_site(client.post("/language", data={"lang": "en", "next": target}))


def test_a_same_site_next_is_followed(client, db, world):
    response = client.post("/login", query_string={"next": "/p/new?x=1"}, data=FORMS["login"].data)
    assert response.headers["Location"] == "/p/new?x=1"


PATHOLOGICAL_MARKDOWN = {
    # Python-Markdown scans from every "[" or "(" to its partner: quadratic (80 s for 20,000 "[").
    "unmatched brackets": lambda limit: "[" * limit,
    "unclosed links": lambda limit: "[x](" * (limit // 4),
    "unmatched parentheses": lambda limit: "(" * limit,
    # Deeply nested lists exhaust Python's recursion limit: a 500 on every view of the page.
    "nested bullet lists": lambda limit: "- " * (limit // 2 - 1) + "x",
    "nested numbered lists": lambda limit: "1. " * (limit // 3 - 1) + "x",
}


@pytest.mark.parametrize("shape", PATHOLOGICAL_MARKDOWN)
@pytest.mark.parametrize("name, page", [("programme settings", "/p/{slug}/"), ("organisation edit", "/organisations/{organisation_id}")])
def test_pathological_markdown_still_renders_the_page_quickly(client, auth, db, world, name, page, shape):
    import time

    form = FORMS[name]
    text = PATHOLOGICAL_MARKDOWN[shape](form.texts["description"])
    assert post(client, auth, world, form, {**form.data, "description": text}).status_code == 303
    started = time.perf_counter()
    response = client.get(page.format(**world["values"]))
    elapsed = time.perf_counter() - started
    assert response.status_code == 200
    assert elapsed < 3, f"the page took {elapsed:.1f} s to render"
    assert text[:50] in response.get_data(as_text=True).replace("<br>", "\n")
