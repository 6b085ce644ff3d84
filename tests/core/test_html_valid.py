"""Pages parse as valid HTML: html5lib in strict mode raises on the first parse error."""
import html5lib
import pytest

from app.programmes.models import Visibility


def _assert_valid(html: str, where: str):
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    try:
        parser.parse(html)
    except html5lib.html5parser.ParseError as error:
        raise AssertionError(f"{where}: {error}") from None


def test_main_pages_and_fragments_parse_as_valid_html(client, login_as, alice, bob, factories, programme, db):
    programme.visibility = Visibility.PUBLIC
    programme.description = "**Tebal** dan [tautan](https://example.id)\n\n| a | b |\n|---|---|\n| 1 | 2 |"
    db.session.commit()
    factories.InvitationFactory(programme=programme)
    anonymous = ["/login", "/register", "/reset", "/organisations/", "/nope"]
    for path in anonymous:
        _assert_valid(client.get(path).get_data(as_text=True), path)
    login_as(alice)
    pages = [
        "/", "/profile", "/profile/password", "/p/new", f"/p/{programme.slug}/", f"/p/{programme.slug}/members",
        f"/p/{programme.slug}/settings", f"/organisations/{alice.organisation_id}", "/organisations/new",
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        _assert_valid(response.get_data(as_text=True), path)
    # Form errors re-rendered with 422.
    response = client.post("/p/new", data={"name": "", "visibility": "private"})
    _assert_valid(response.get_data(as_text=True), "/p/new with errors")


def test_the_check_rejects_broken_markup():
    with pytest.raises(AssertionError):
        _assert_valid("<!doctype html><html><head><title>x</title></head><body><p>a</span></body></html>", "broken")


@pytest.fixture
def every_domain(app, factories, programme, alice, bob):
    """A programme with something in every domain: a draft with a saved Pasal, a suggestion, an
    input and a named version; a meeting with agenda, attendance, minutes and a decision; an
    action with a checklist; a comment and a notification."""
    from datetime import date, timedelta

    from app.actions import service as actions
    from app.drafts import service as drafts
    from app.drafts.models import DraftKind
    from app.meetings import service as meetings
    from app.meetings.models import DecisionKind, Presence
    from tests.collab import post_comment
    from tests.meetings.conftest import AgendaItemFactory, MeetingFactory

    draft = drafts.create_draft(programme, alice, "Penyelenggaraan Wisata Kota Industri", DraftKind.RAPERDA, "Kota Bontang")
    unit = drafts.load_tree(draft.id).pasals()[-1].unit
    drafts.save_unit(unit.id, alice, unit.head_revision_id, "Peraturan Daerah ini mulai berlaku pada tanggal **1 Januari 2027**.")
    drafts.suggest(unit, bob, "Peraturan Daerah ini mulai berlaku setelah diundangkan.", "Lebih jelas.", "", "")
    drafts.add_input(draft, bob, "Mohon pasal ini diperjelas.", unit=unit)
    version = drafts.create_version(draft, alice, "Versi untuk RDP")
    meeting = MeetingFactory(programme_id=programme.id, created_by_id=alice.id, description="Rapat **koordinasi**.")
    item = AgendaItemFactory(meeting_id=meeting.id, title="Penambahan kata kota", description="- satu\n- dua")
    meetings.save_minutes(item.id, alice, 0, "Forum **menyepakati** penambahan kata kota.")
    meetings.add_decision(item, alice, DecisionKind.WORK, "Usulkan nama ke DPP MASATA")
    meetings.record_attendance(meeting, user_id=bob.id, presence=Presence.PRESENT)
    roadshow = meetings.create_roadshow(programme, "Roadshow Kelurahan", "Kunjungan ke **kelurahan**.")
    action = actions.create(programme, alice, title="Usulkan nama program", description="Lihat [notulen](/x).",
                            assignee=bob, due_date=date.today() + timedelta(days=3))
    post_comment(programme, bob, "Halo @[Alice Owner] **tebal**")
    return {"draft": draft, "unit": unit, "version": version, "meeting": meeting, "item": item,
            "roadshow": roadshow, "action": action}


@pytest.mark.parametrize("locale", ["id", "en"])
def test_every_main_page_parses_as_valid_html_in_both_languages(client, login_as, alice, programme, db, every_domain, locale):
    alice.locale = locale
    db.session.commit()
    login_as(alice)
    slug, w = programme.slug, every_domain
    draft = f"/p/{slug}/drafts/{w['draft'].id}"
    unit = f"{draft}/units/{w['unit'].id}"
    meeting = f"/p/{slug}/meetings/{w['meeting'].id}"
    item = f"{meeting}/items/{w['item'].id}"
    action = f"/p/{slug}/actions/{w['action'].id}"
    pages = [
        "/", "/profile", "/notifications", "/notifications/settings", "/search?q=kota", "/my/tasks", "/calendar/meetings",
        f"/p/{slug}/", f"/p/{slug}/members", f"/p/{slug}/settings", f"/p/{slug}/activity",
        f"/p/{slug}/drafts/", f"/p/{slug}/drafts/new", f"/p/{slug}/drafts/import", f"{draft}/", f"{draft}/history",
        f"{draft}/versions", f"{draft}/versions/{w['version'].id}", f"{draft}/compare?a={w['version'].id}", f"{draft}/check",
        f"{draft}/print", f"{draft}/register", unit, f"{unit}/edit", f"{unit}/history", f"{unit}/suggestions/new",
        f"/p/{slug}/meetings", f"/p/{slug}/meetings/calendar", f"/p/{slug}/meetings/new", meeting, f"{meeting}/edit",
        f"{item}/edit", f"{item}/history", f"{meeting}/notulen", f"/p/{slug}/roadshows/{w['roadshow'].id}",
        f"/p/{slug}/actions/", f"/p/{slug}/actions/board", f"/p/{slug}/actions/timeline", f"/p/{slug}/actions/dashboard",
        f"/p/{slug}/actions/new", f"/p/{slug}/actions/import", action, f"{action}/edit",
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.get_data(as_text=True)
        # The printed draft is the regulation itself: Indonesian whatever the reader's language.
        assert f'lang="{"id" if path.endswith("/print") else locale}"' in html, path
        _assert_valid(html, f"{path} ({locale})")
    # The sections htmx swaps in, wrapped in a minimal document (a fragment alone has no <title>).
    fragments = [f"{meeting}?fragment={name}" for name in ("attendance", "agenda", "header", "confirmations")] + [
        f"{item}/minutes", unit, f"{unit}/edit", f"/p/{slug}/actions/",
    ]
    for path in fragments:
        response = client.get(path, headers={"HX-Request": "true"})
        assert response.status_code == 200, path
        html = response.get_data(as_text=True)
        assert "<html" not in html, f"{path} answered a whole page to htmx"
        _assert_valid(f"<!doctype html><html lang={locale}><head><title>x</title></head><body>{html}</body></html>",
                      f"{path} (fragment, {locale})")
