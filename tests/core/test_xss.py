"""Every XSS payload of tests/core/payloads.py, posted through the real forms into every text field
that exists (programme name and Markdown description, organisation name, short name, description
and website, a person's name, a new organisation named at registration; an action's title, Markdown
description and labels, status/progress/bulk notes and the blocked reason, checklist items, and every
column of an imported CSV in its preview), then every page that shows the field parsed with html5lib:
nothing from the payload is live (see payloads.live_markup). The checker itself is tested too: our own
scripts pass, a script that got through never does (also with a /static/ src, also when the Markdown
filter is deliberately broken).

The page rendered with a harmless value is the baseline for htmx attributes: ours may appear,
none may be added by user content. The 422 re-render of a refused form is checked too, since it
reflects the value straight back into the form.
"""
import pytest

from app.organisations.models import Organisation
from app.programmes.models import Programme
from tests.core.payloads import XSS_PAYLOADS, assert_no_live_markup, live_markup, walk

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


# -- the checker itself: our scripts pass, a payload's never does ----------------------------------

INJECTED_SCRIPTS = [
    "<script>alert(1)</script>",
    '<script src="/static/js/app.js"></script>',  # one of our files, but where user content goes
    '<script src="/static/js/nope.js"></script>',
    '<script src="/static/../app/config.py"></script>',
    '<script src="//evil.example/static/x.js"></script>',
    '<script src="https://evil.example/x.js"></script>',
    '<script src="data:text/javascript,alert(1)"></script>',
]


def test_the_checker_accepts_our_own_scripts(client, auth, alice, programme):
    auth.login(alice)
    for url in ("/", "/profile", f"/p/{programme.slug}/", f"/p/{programme.slug}/actions/"):
        html = client.get(url).get_data(as_text=True)
        assert "<script" in html
        assert_no_live_markup(html, html, where=url)


@pytest.mark.parametrize("script", INJECTED_SCRIPTS)
def test_the_checker_refuses_a_script_that_got_through(client, auth, alice, programme, script):
    # A payload's script in the body, in user content, or in the head next to ours: always refused,
    # with or without the baseline page.
    auth.login(alice)
    page = client.get(f"/p/{programme.slug}/").get_data(as_text=True)
    in_body = page.replace('<main', f"<p>{script}</p><main", 1)
    in_user_content = page.replace('<main', f'<div class="prose" hx-disable>{script}</div><main', 1)
    in_head = page.replace("</title>", f"</title>{script}", 1)
    for html in (in_body, in_user_content, in_head):
        assert html != page
        assert live_markup(html), f"{script} got through without a baseline"
        assert live_markup(html, page), f"{script} got through with the baseline"


def test_a_description_rendered_without_sanitising_fails_the_corpus(app, client, auth, alice, programme):
    # Mutation check: break the Markdown filter on purpose and the same assertion the corpus uses
    # must fail: for every script payload (our /static/ path included), and for most of the rest.
    from markupsafe import Markup

    auth.login(alice)
    slug = programme.slug
    client.post(f"/p/{slug}/settings", data={"name": "Program", "description": SAFE, "visibility": "private"})
    baseline = client.get(f"/p/{slug}/").get_data(as_text=True)
    app.jinja_env.filters["markdown"] = lambda text: Markup(text)
    must_fail = [
        "<script>alert(1)</script>", "<SCRIPT SRC=//evil.example/x.js></SCRIPT>", '"><script>alert(1)</script>',
        "<svg><script>alert(1)</script></svg>", '<script src="/static/js/app.js"></script>',
        '<script src="/static/vendor/htmx-2.0.11.min.js"></script>',
    ]
    caught = []
    for payload in must_fail + XSS_PAYLOADS:
        client.post(f"/p/{slug}/settings", data={"name": "Program", "description": payload, "visibility": "private"})
        html = client.get(f"/p/{slug}/").get_data(as_text=True)
        try:
            assert_no_live_markup(html, baseline)
        except AssertionError:
            caught.append(payload)
        else:
            assert payload not in must_fail, f"{payload!r} rendered raw and the checker let it through"
    assert len(caught) >= len(XSS_PAYLOADS) * 0.6, f"only {len(caught)} unsanitised payloads were caught"


# -- follow-up actions ----------------------------------------------------------------------------

def _action_pages(slug, action_id):
    """Every page that shows an action's title, description or labels."""
    base = f"/p/{slug}/actions"
    return [f"{base}/{action_id}", f"{base}/", f"{base}/board", f"{base}/timeline", f"{base}/dashboard",
            f"{base}/{action_id}/edit", "/my/tasks"]


@pytest.fixture
def alices_action(alice, bob, programme):
    from datetime import date, timedelta

    from app.actions import service

    parent = service.create(programme, alice, title="Induk")
    # Overdue and assigned to alice: it shows on her tasks, the dashboard's lists and the board.
    return service.create(programme, alice, title=SAFE, assignee=alice, parent=parent,
                          due_date=date.today() - timedelta(days=2), labels=["Awal"])


def test_action_title_description_and_labels_are_never_live(client, auth, alice, programme, alices_action):
    auth.login(alice)
    slug, action_id = programme.slug, alices_action.id

    def post(data):
        return client.post(f"/p/{slug}/actions/{action_id}/edit", data={
            **data, "priority": "high", "weight": "1", "assignee": str(alice.id), "organisation": "",
            "due_date": alices_action.due_date.isoformat(), "parent": str(alices_action.parent_id),
        })

    pages = _action_pages(slug, action_id)
    run_corpus(client, post, {"title": 200, "description": 20_000, "labels": 400}, pages)
    # A public programme's actions are read by anonymous visitors too.
    client.post(f"/p/{slug}/settings", data={"name": "Program", "visibility": "public"})
    post({"title": SAFE, "description": SAFE, "labels": SAFE})
    auth.logout()
    public = [url for url in pages if "/edit" not in url and "/my/" not in url]
    baselines = baselines_for(client, public)
    auth.login(alice)
    payload = "<script>alert(1)</script><img src=x onerror=alert(1)> [x](javascript:alert(1))"
    assert post({"title": payload, "description": payload, "labels": payload}).status_code == 303
    auth.logout()
    check_pages(client, public, baselines, payload)


def test_a_new_action_with_payload_fields_is_never_live(client, auth, alice, programme):
    auth.login(alice)
    for payload in XSS_PAYLOADS:
        response = client.post(f"/p/{programme.slug}/actions/new", data={
            "title": payload[:200], "description": payload, "labels": payload[:400], "priority": "normal",
            "weight": "1", "assignee": "", "organisation": "",
        })
        assert response.status_code in (303, 422), f"{payload!r}: {response.status_code}"
        if response.status_code == 422:
            assert_no_live_markup(response.get_data(as_text=True), where=f"refused new action {payload!r}")
            continue
        assert_no_live_markup(client.get(response.headers["Location"]).get_data(as_text=True), where=repr(payload))
    for url in (f"/p/{programme.slug}/actions/", f"/p/{programme.slug}/actions/board"):
        assert_no_live_markup(client.get(url).get_data(as_text=True), where=f"{url} with every action")


def test_status_notes_and_reasons_are_never_live(client, auth, alice, programme, alices_action):
    auth.login(alice)
    slug, action_id = programme.slug, alices_action.id
    state = {"status": "dikerjakan"}

    def post(data):
        # Alternate, so each note is a real change (Terhambat needs its reason) and is kept.
        state["status"] = "terhambat" if state["status"] == "dikerjakan" else "dikerjakan"
        return client.post(f"/p/{slug}/actions/{action_id}/status", data={**data, "status": state["status"]})

    run_corpus(client, post, {"note": 2000}, [f"/p/{slug}/actions/{action_id}", f"/p/{slug}/actions/board"])


def test_progress_and_bulk_notes_are_never_live(client, auth, alice, programme, alices_action):
    auth.login(alice)
    slug, action_id = programme.slug, alices_action.id
    state = {"progress": 10, "status": "dikerjakan"}

    def post_progress(data):
        state["progress"] = 30 if state["progress"] == 10 else 10
        return client.post(f"/p/{slug}/actions/{action_id}/progress", data={**data, "progress": str(state["progress"])})

    def post_bulk(data):
        state["status"] = "baru" if state["status"] == "dikerjakan" else "dikerjakan"
        return client.post(f"/p/{slug}/actions/bulk", data={**data, "ids": [action_id], "status": state["status"]})

    pages = [f"/p/{slug}/actions/{action_id}"]  # the history shows the notes
    run_corpus(client, post_progress, {"note": 500}, pages)
    # The bulk form always returns to the table (a note too long is a flash there, not a 422).
    run_corpus(client, post_bulk, {"note": None}, pages)


def test_checklist_items_are_never_live(client, auth, alice, programme, alices_action):
    from app.actions.models import ChecklistItem
    from app.extensions import db

    auth.login(alice)
    slug, action_id = programme.slug, alices_action.id

    def post(data):
        # One item at a time (through the delete button), so the page is comparable with its baseline.
        for item in db.session.query(ChecklistItem).filter_by(action_id=action_id).all():
            client.post(f"/p/{slug}/actions/{action_id}/checklist/{item.id}", data={"delete": "1"})
        return client.post(f"/p/{slug}/actions/{action_id}/checklist", data=data)

    run_corpus(client, post, {"text": 300}, [f"/p/{slug}/actions/{action_id}"])


def test_an_imported_file_with_payloads_is_never_live_in_the_preview(client, auth, alice, programme):
    import csv
    import io

    auth.login(alice)
    url = f"/p/{programme.slug}/actions/import"

    def upload(value):
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["title", "description", "status", "status_note", "labels"])
        writer.writerow([value[:200], value, "terhambat", value, value[:40]])
        data = {"file": (io.BytesIO(out.getvalue().encode()), "aksi.csv")}
        return client.post(url, data=data, content_type="multipart/form-data")

    baseline = upload(SAFE).get_data(as_text=True)
    for payload in XSS_PAYLOADS:
        response = upload(payload)
        assert response.status_code in (200, 422), f"{payload!r}: {response.status_code}"
        assert_no_live_markup(response.get_data(as_text=True), baseline, where=f"import preview of {payload!r}")


# -- meetings -------------------------------------------------------------------------------------

@pytest.fixture
def alices_meeting(alice, programme):
    from tests.meetings.conftest import AgendaItemFactory, MeetingFactory

    meeting = MeetingFactory(programme_id=programme.id, created_by_id=alice.id)
    item = AgendaItemFactory(meeting_id=meeting.id, title=SAFE)
    return meeting, item


def _meeting_pages(slug, meeting, item=None):
    """The pages that show a meeting's text, agenda, minutes, decisions and attendance; with `item`,
    that agenda item's history and edit form too."""
    base = f"/p/{slug}/meetings/{meeting.id}"
    pages = [base, f"{base}/notulen?contacts=1"]
    return pages + ([f"{base}/items/{item.id}/history", f"{base}/items/{item.id}/edit"] if item else [])


def test_meeting_title_place_and_description_are_never_live(client, auth, alice, programme, alices_meeting):
    from datetime import date, timedelta

    auth.login(alice)
    meeting, item = alices_meeting
    slug = programme.slug
    day = (date.today() + timedelta(days=7)).isoformat()  # upcoming: on the programme page and the calendars too

    def post(data):
        return client.post(f"/p/{slug}/meetings/{meeting.id}/edit", data={
            **data, "kind": "rakor", "day": day, "start": "09:00", "end": "11:00", "timezone": "Asia/Makassar",
            "organiser_id": "", "roadshow_id": "",
        })

    pages = _meeting_pages(slug, meeting, item) + [
        f"/p/{slug}/meetings", f"/p/{slug}/meetings/calendar", f"/p/{slug}/meetings/{meeting.id}/edit",
        f"/p/{slug}/", "/calendar/meetings",
    ]
    run_corpus(client, post, {"title": 200, "place": 300, "description": 20_000}, pages)


def test_agenda_item_fields_are_never_live(client, db, auth, alice, programme, alices_meeting):
    from app.meetings.models import AgendaItem

    auth.login(alice)
    meeting, item = alices_meeting

    def post(data):
        version = db.session.get(AgendaItem, item.id).version
        return client.post(f"/p/{programme.slug}/meetings/{meeting.id}/items/{item.id}/edit", data={
            **data, "base_version": str(version), "planned_minutes": "15", "link_url": "/p/x",
        })

    run_corpus(client, post, {"title": 300, "presenter": 200, "description": 20_000, "link_label": 200},
               _meeting_pages(programme.slug, meeting, item))


def on_the_head(client, db, url, model, row_id, head: str, base_field: str):
    """A post(data) for run_corpus that saves a co-edited text on top of its current head, so each
    save is applied (not merged, not a conflict)."""
    def post(data):
        return client.post(url, data={**data, base_field: str(getattr(db.session.get(model, row_id), head))})

    return post


def test_minutes_are_never_live(client, db, auth, alice, programme, alices_meeting):
    from app.meetings.models import AgendaItem

    auth.login(alice)
    meeting, item = alices_meeting

    post = on_the_head(client, db, f"/p/{programme.slug}/meetings/{meeting.id}/items/{item.id}/minutes",
                       AgendaItem, item.id, "minutes_rev", "base_rev")
    run_corpus(client, post, {"text": 100_000}, _meeting_pages(programme.slug, meeting, item))


def one_at_a_time(client, rows, remove_url, add_url, fixed: dict):
    """A post(data) for run_corpus that first removes the row added before (through its remove
    button), so the page holds one row at a time and stays comparable with its baseline."""
    def post(data):
        for row in rows():
            client.post(remove_url(row))
        return client.post(add_url, data={**data, **fixed})

    return post


def test_decisions_are_never_live(client, db, auth, alice, programme, alices_meeting):
    from app.meetings.models import Decision

    auth.login(alice)
    meeting, item = alices_meeting
    base = f"/p/{programme.slug}/meetings/{meeting.id}"

    post = one_at_a_time(client, lambda: db.session.query(Decision).filter_by(item_id=item.id).all(),
                         lambda row: f"{base}/decisions/{row.id}/remove", f"{base}/items/{item.id}/decisions",
                         {"kind": "work", "organisation_id": ""})
    run_corpus(client, post, {"text": 5_000}, _meeting_pages(programme.slug, meeting) + [f"/p/{programme.slug}/activity"])


def test_attendance_of_a_guest_is_never_live(client, db, auth, alice, programme, alices_meeting):
    from app.meetings.models import Attendance

    auth.login(alice)
    meeting, item = alices_meeting
    base = f"/p/{programme.slug}/meetings/{meeting.id}"

    post = one_at_a_time(client, lambda: db.session.query(Attendance).filter_by(meeting_id=meeting.id).all(),
                         lambda row: f"{base}/attendance/{row.id}/remove", f"{base}/attendance",
                         {"guest_element": "media", "presence": "represented", "organisation_id": ""})
    run_corpus(client, post, {"guest_name": 120, "represented_by": 120, "contact": 200},
               _meeting_pages(programme.slug, meeting))


def test_a_confirmation_note_is_never_live(client, db, auth, alice, programme, alices_meeting):
    from app.meetings.models import MeetingStatus

    auth.login(alice)
    meeting, item = alices_meeting
    base = f"/p/{programme.slug}/meetings/{meeting.id}"
    client.post(f"{base}/attendance", data={"user_id": str(alice.id), "presence": "present"})
    meeting.status = MeetingStatus.FINISHED  # only attendees of a finished meeting confirm the minutes
    db.session.commit()

    def post(data):
        # A note over the limit is refused with a 400 (tests/core/test_bad_input.py): here, only what fits.
        return client.post(f"{base}/confirmation", data={"note": data["note"][:2_000], "verdict": "object"})

    run_corpus(client, post, {"note": None}, _meeting_pages(programme.slug, meeting))


def test_a_roadshow_and_an_agenda_template_named_with_a_payload_are_never_live(client, auth, alice, programme, alices_meeting):
    auth.login(alice)
    meeting, _item = alices_meeting
    slug = programme.slug
    for payload in XSS_PAYLOADS:
        response = client.post(f"/p/{slug}/roadshows", data={"title": payload[:200], "description": payload[:5000]})
        assert response.status_code in (303, 422), f"{payload!r}: {response.status_code}"
        assert_no_live_markup(client.get(response.headers["Location"]).get_data(as_text=True)
                              if response.status_code == 303 else response.get_data(as_text=True), where=repr(payload))
        response = client.post(f"/p/{slug}/meetings/{meeting.id}/template", data={"name": payload[:200]})
        assert response.status_code in (303, 422), f"{payload!r}: {response.status_code}"
    for url in (f"/p/{slug}/meetings", f"/p/{slug}/meetings/new"):
        assert_no_live_markup(client.get(url).get_data(as_text=True), where=f"{url} with every roadshow and template")


# -- drafts ---------------------------------------------------------------------------------------

@pytest.fixture
def alices_draft(alice, programme):
    from app.drafts import service
    from app.drafts.models import DraftKind

    draft = service.create_draft(programme, alice, SAFE, DraftKind.RAPERDA, "Kota Bontang")
    return draft, service.load_tree(draft.id).pasals()[-1].unit


def _draft_pages(slug, draft, unit):
    base = f"/p/{slug}/drafts/{draft.id}"
    return [f"/p/{slug}/drafts/", f"{base}/", f"{base}/units/{unit.id}", f"{base}/units/{unit.id}/history",
            f"{base}/history", f"{base}/print", f"{base}/check", f"{base}/register"]


def test_a_draft_unit_text_and_note_are_never_live(client, db, auth, alice, programme, alices_draft):
    from app.drafts.models import Unit

    auth.login(alice)
    draft, unit = alices_draft

    post = on_the_head(client, db, f"/p/{programme.slug}/drafts/{draft.id}/units/{unit.id}",
                       Unit, unit.id, "head_revision_id", "base_revision_id")

    run_corpus(client, post, {"text": 20_000, "note": 300}, _draft_pages(programme.slug, draft, unit))


def test_suggestions_and_public_input_are_never_live(client, db, auth, alice, programme, alices_draft):
    auth.login(alice)
    draft, unit = alices_draft
    base = f"/p/{programme.slug}/drafts/{draft.id}"
    for payload in XSS_PAYLOADS:
        suggestion = client.post(f"{base}/units/{unit.id}/suggestions/new",
                                 data={"text": payload[:20_000], "reason": payload[:5000]})
        recorded = client.post(f"{base}/inputs", data={"text": payload[:10_000], "unit_id": str(unit.id),
                                                       "author_name": payload[:200], "element": "komunitas"})
        for response in (suggestion, recorded):
            assert response.status_code in (303, 422), f"{payload!r}: {response.status_code}"
            if response.status_code == 422:
                assert_no_live_markup(response.get_data(as_text=True), where=f"refused {payload!r}")
    # Every suggestion and input at once: the pages may only have grown by inert rows.
    for url in _draft_pages(programme.slug, draft, unit):
        html = client.get(url).get_data(as_text=True)
        assert_no_live_markup(html, where=f"{url} with every suggestion and input")
        assert_user_content_is_inert(html, url)


def test_a_draft_title_region_and_version_name_are_never_live(client, auth, alice, programme, alices_draft):
    auth.login(alice)
    draft, _unit = alices_draft
    slug = programme.slug
    for payload in XSS_PAYLOADS:
        response = client.post(f"/p/{slug}/drafts/new", data={"title": payload[:300], "kind": "raperda",
                                                              "region": payload[:120]})
        assert response.status_code in (303, 422), f"{payload!r}: {response.status_code}"
        if response.status_code == 303:
            page = response.headers["Location"]
            for url in (page, page + "print"):
                assert_no_live_markup(client.get(url).get_data(as_text=True), where=f"{url} for {payload!r}")
        else:
            assert_no_live_markup(response.get_data(as_text=True), where=f"refused draft {payload!r}")
        response = client.post(f"/p/{slug}/drafts/{draft.id}/versions", data={"name": payload[:200]})
        assert response.status_code in (200, 303, 422), f"{payload!r}: {response.status_code}"
    for url in (f"/p/{slug}/drafts/", f"/p/{slug}/drafts/{draft.id}/versions", f"/p/{slug}/", f"/p/{slug}/activity"):
        assert_no_live_markup(client.get(url).get_data(as_text=True), where=f"{url} with every draft and version")
