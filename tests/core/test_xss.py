"""Every XSS payload of tests/core/payloads.py, posted through the real forms into every text field
that exists (programme name and Markdown description, organisation name, short name, description
and website, a person's name, a new organisation named at registration), then every page that
shows the field parsed with html5lib: nothing from the payload is live (see payloads.live_markup).

The page rendered with a harmless value is the baseline for htmx attributes: ours may appear,
none may be added by user content. The 422 re-render of a refused form is checked too, since it
reflects the value straight back into the form.
"""
import pytest

from app.organisations.models import Organisation
from app.programmes.models import Programme
from tests.core.payloads import XSS_PAYLOADS, assert_no_live_markup, walk

SAFE = "Nilai Aman"


def fits(value: str, limit: int | None) -> bool:
    return limit is None or len(value) <= limit


def check_pages(client, urls, baselines, payload):
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, f"{url} answered {response.status_code} for {payload!r}"
        html = response.get_data(as_text=True)
        assert_no_live_markup(html, baselines[url], where=f"on {url} for {payload!r}")
        assert_user_content_is_inert(html, url)


def assert_user_content_is_inert(html, url):
    # Rendered Markdown lives in .prose containers, each marked so htmx ignores what is inside.
    for _, tag, attrs, _ in walk(html):
        if "prose" in attrs.get("class", "").split():
            assert "hx-disable" in attrs, f"a .prose container on {url} lacks hx-disable"


def baselines_for(client, urls):
    return {url: client.get(url).get_data(as_text=True) for url in urls}


def run_corpus(client, post, fields: dict, urls, extra_checks=None):
    """post(data) submits the form; fields maps each field to its length limit.

    For each payload: one submission with the payload in every field it fits (must be accepted),
    then the pages; and for each field it does not fit, a submission that must be refused, whose
    re-rendered form is checked."""
    post({name: SAFE for name in fields})
    baselines = baselines_for(client, urls)
    accepted = 0
    for payload in XSS_PAYLOADS:
        data = {name: payload if fits(payload, limit) else SAFE for name, limit in fields.items()}
        response = post(data)
        body = response.get_data(as_text=True)
        assert response.status_code in (303, 422), f"{payload!r}: {response.status_code}"
        if response.status_code == 422:
            # Refused (e.g. a control character): the reflected form must still be inert.
            assert_no_live_markup(body, where=f"in the refused form for {payload!r}")
        else:
            accepted += 1
            check_pages(client, urls, baselines, payload)
            if extra_checks:
                extra_checks(payload)
        for name, limit in fields.items():
            if not fits(payload, limit):
                refused = post({**{n: SAFE for n in fields}, name: payload})
                assert refused.status_code == 422
                assert_no_live_markup(refused.get_data(as_text=True), where=f"in the refused form ({name}) for {payload!r}")
    # Most payloads are ordinary text to a form and must be stored, or the pages prove nothing.
    assert accepted >= len(XSS_PAYLOADS) * 0.8, f"only {accepted} of {len(XSS_PAYLOADS)} payloads were accepted"


# -- programme ----------------------------------------------------------------------------------

def test_programme_name_and_description_are_never_live(client, auth, db, alice, bob, programme):
    auth.login(alice)
    slug = programme.slug

    def post(data):
        return client.post(f"/p/{slug}/settings", data={**data, "visibility": "public"})

    urls = [f"/p/{slug}/", f"/p/{slug}/members", f"/p/{slug}/settings", "/"]
    run_corpus(client, post, {"name": 200, "description": 20_000}, urls)
    # Anyone can read a public programme: the anonymous view too.
    auth.logout()
    assert_no_live_markup(client.get(f"/p/{slug}/").get_data(as_text=True), where="anonymous")


def test_a_new_programme_named_with_a_payload_is_never_live(client, auth, db, alice):
    auth.login(alice)
    baseline = client.get("/").get_data(as_text=True)
    for payload in XSS_PAYLOADS:
        response = client.post("/p/new", data={"name": payload[:200], "description": payload, "visibility": "private"})
        if response.status_code == 422:
            assert_no_live_markup(response.get_data(as_text=True), where=f"refused new programme {payload!r}")
            continue
        assert response.status_code == 303
        page = client.get(response.headers["Location"])
        assert_no_live_markup(page.get_data(as_text=True), where=f"new programme {payload!r}")
    assert_no_live_markup(client.get("/").get_data(as_text=True), baseline, where="the start page with every programme")
    assert db.session.query(Programme).count() > len(XSS_PAYLOADS) // 2


# -- organisation -------------------------------------------------------------------------------

def test_organisation_fields_are_never_live(client, auth, db, alice, programme):
    auth.login(alice)
    org_id = alice.organisation_id

    def post(data):
        return client.post(f"/organisations/{org_id}/edit", data={**data, "element": "pemerintah"})

    urls = [
        "/organisations/", f"/organisations/{org_id}", f"/organisations/{org_id}/edit",
        "/organisations/?element=pemerintah", f"/p/{programme.slug}/", f"/p/{programme.slug}/members", "/profile",
    ]
    run_corpus(client, post, {"name": 200, "short_name": 60, "description": 5_000}, urls)


URL_TRICKS = [
    "javascript:alert(1)",
    "javascript://example.com/%0aalert(1)",
    "JAVASCRIPT://example.com/%0Aalert(1)",
    " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    'https://example.com/"onmouseover="alert(1)',
    "https://example.com/'><script>alert(1)</script>",
    'https://example.com/"><img src=x onerror=alert(1)>',
    "https://example.com/?q=<script>alert(1)</script>",
    "https://example.com/#\" hx-get=\"/logout\" hx-trigger=\"load",
]


def test_an_organisation_website_is_never_a_live_link(client, auth, db, alice):
    auth.login(alice)
    org_id = alice.organisation_id
    client.post(f"/organisations/{org_id}/edit", data={"name": "Pemkot", "element": "pemerintah", "website": "https://example.id"})
    baseline = client.get(f"/organisations/{org_id}").get_data(as_text=True)
    for value in URL_TRICKS + XSS_PAYLOADS:
        response = client.post(f"/organisations/{org_id}/edit", data={"name": "Pemkot", "element": "pemerintah", "website": value})
        assert response.status_code in (303, 422)
        assert_no_live_markup(response.get_data(as_text=True), where=f"website form for {value!r}")
        if response.status_code == 303:
            html = client.get(f"/organisations/{org_id}").get_data(as_text=True)
            assert_no_live_markup(html, baseline, where=f"website {value!r}")
            stored = db.session.get(Organisation, org_id).website
            assert stored.lower().startswith(("https://", "http://")), stored
    for scheme in ("javascript:", "data:", "vbscript:"):
        response = client.post(f"/organisations/{org_id}/edit", data={"name": "Pemkot", "element": "pemerintah", "website": scheme + "alert(1)"})
        assert response.status_code == 422


def test_a_new_organisation_with_payload_fields_is_never_live(client, auth, db, alice):
    auth.login(alice)
    baseline = client.get("/organisations/").get_data(as_text=True)
    for i, payload in enumerate(XSS_PAYLOADS):
        data = {"name": f"{payload[:190]} {i}", "short_name": payload[:60], "element": "media", "description": payload}
        response = client.post("/organisations/new", data=data)
        assert response.status_code in (303, 422)
        if response.status_code == 303:
            assert_no_live_markup(client.get(response.headers["Location"]).get_data(as_text=True), where=repr(payload))
        else:
            assert_no_live_markup(response.get_data(as_text=True), where=f"refused {payload!r}")
    assert_no_live_markup(client.get("/organisations/").get_data(as_text=True), baseline, where="the directory")


# -- people -------------------------------------------------------------------------------------

def test_a_persons_name_is_never_live(client, auth, db, alice, bob, programme):
    slug = programme.slug
    bob_membership = programme.membership_of(bob)
    org_id = bob.organisation_id

    def post(data):
        auth.login(bob)
        return client.post(
            "/profile", data={**data, "organisation_id": str(org_id), "locale": "id", "timezone": "Asia/Makassar"}
        )

    def seen_by_the_owner(payload):
        # The owner's pages show bob's name too, including the flash after changing his role.
        auth.login(alice)
        response = client.post(f"/p/{slug}/members/{bob_membership.id}/role", data={"role": "commenter"})
        assert response.status_code == 303
        assert_no_live_markup(client.get(f"/p/{slug}/members").get_data(as_text=True), where=f"flash for {payload!r}")

    urls = ["/profile", f"/p/{slug}/", f"/p/{slug}/members", f"/organisations/{org_id}"]
    run_corpus(client, post, {"name": 120}, urls, extra_checks=seen_by_the_owner)


def test_registering_with_payload_names_is_never_live(app, db):
    for i, payload in enumerate(XSS_PAYLOADS):
        client = app.test_client()
        response = client.post("/register", data={
            "name": payload[:120], "email": f"xss{i}@example.id", "password": "kata sandi panjang", "confirm": "kata sandi panjang",
            "organisation_id": "0", "new_organisation_name": f"{payload[:190]} {i}", "new_organisation_element": "komunitas",
        })
        assert response.status_code in (303, 422)
        if response.status_code == 422:
            assert_no_live_markup(response.get_data(as_text=True), where=f"refused registration {payload!r}")
            continue
        # The welcome flash and the header carry the name; the profile shows the new organisation.
        for url in (response.headers["Location"], "/profile", "/organisations/"):
            assert_no_live_markup(client.get(url).get_data(as_text=True), where=f"{url} after registering {payload!r}")
