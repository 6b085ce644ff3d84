"""The programme dashboard: what did we agree, who is on it, what is late."""
from datetime import timedelta

from app.actions import service
from app.actions.models import Status
from app.pentahelix import Element


def test_it_counts_by_status_and_lists_what_is_late(client, login_as, alice, bob, programme, make_action, today):
    make_action(title="Usulan Perwali", assignee=alice, due_date=today - timedelta(days=3), meeting_id=1,
                meeting_label="Rakor Pentahelix")
    make_action(title="Job Fair", assignee=bob, status=Status.SELESAI, meeting_id=1, meeting_label="Rakor Pentahelix")
    make_action(title="Bike park", status=Status.TERHAMBAT, note="lahan")
    make_action(title="Kalender", status=Status.DIBATALKAN)
    login_as(bob)
    html = client.get(f"/p/{programme.slug}/actions/dashboard").get_data(as_text=True)
    assert "Usulan Perwali" in html.split('id="overdue-title"', 1)[1].split("</section>", 1)[0]
    assert "Rakor Pentahelix" in html and "<svg" in html and "<polyline" in html
    summary = service.summary(programme, today)
    assert summary["total"] == 4 and summary["overdue"] == 1 and summary["blocked"] == 1
    assert summary["completion"] == 33  # 1 of 3 (cancelled ones do not count)


def test_completion_by_element_and_organisation(app, programme, alice, bob, make_action, today):
    make_action(assignee=alice, status=Status.SELESAI)
    make_action(assignee=alice)
    make_action(assignee=bob, progress=40)
    with app.test_request_context():
        data = service.dashboard(programme, today)
    by_element = dict(data["by_element"])
    assert by_element[Element.PEMERINTAH]["completion"] == 50 and by_element[Element.PEMERINTAH]["total"] == 2
    assert by_element[Element.BISNIS]["progress"] == 40
    assert by_element[Element.MEDIA] is None
    assert [row["total"] for row in data["by_organisation"]] == [2, 1]
    assert {p["user"].id: p["open"] for p in data["people"]} == {alice.id: 1, bob.id: 1}


def test_progress_over_time_follows_completion(app, db, programme, bob, make_action, today):
    from datetime import datetime, timezone

    old = make_action()
    old.created_at = datetime.now(timezone.utc) - timedelta(days=30)
    db.session.commit()
    service.change_status(make_action(), Status.SELESAI, bob)
    with app.test_request_context():
        series = service.progress_series(programme, today, weeks=6)
    assert [p["total"] for p in series] == [0, 1, 1, 1, 1, 2]  # weeks end 35, 28, … 0 days ago
    assert series[-1]["completion"] == 50 and series[-2]["completion"] == 0
    chart = service.chart(series)
    assert len(chart["points"]) == 6 and chart["points"][-1]["y"] < chart["points"][0]["y"]


def test_the_programme_page_loads_the_summary(client, login_as, bob, programme, make_action):
    make_action(status=Status.SELESAI)
    login_as(bob)
    page = client.get(f"/p/{programme.slug}/").get_data(as_text=True)
    assert f"/p/{programme.slug}/actions/summary" in page
    card = client.get(f"/p/{programme.slug}/actions/summary", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "100 % done" in card


def test_charlie_sees_no_dashboard(client, login_as, charlie, programme):
    login_as(charlie)
    assert client.get(f"/p/{programme.slug}/actions/dashboard").status_code == 404
    assert client.get(f"/p/{programme.slug}/actions/summary", headers={"HX-Request": "true"}).status_code == 404


def test_the_dashboard_shows_upcoming_meetings_and_drafts_by_status(client, login_as, alice, programme):
    from datetime import timedelta

    from app.drafts import service as drafts
    from app.drafts.models import DraftKind
    from app.types import utcnow
    from tests.meetings.conftest import MeetingFactory

    drafts.create_draft(programme, alice, "Raperda Wisata Kota Industri", DraftKind.RAPERDA, "Kota Bontang")
    MeetingFactory(programme_id=programme.id, created_by_id=alice.id, title="Rakor berikutnya",
                   starts_at=utcnow() + timedelta(days=3), ends_at=utcnow() + timedelta(days=3, hours=2))
    login_as(alice)
    html = client.get(f"/p/{programme.slug}/actions/dashboard").get_data(as_text=True)
    assert "Rakor berikutnya" in html
    section = html[html.index('id="drafts-by-status"'):]
    assert "<tbody>" in section and "<td>1</td>" in section.split("</table>")[0]
