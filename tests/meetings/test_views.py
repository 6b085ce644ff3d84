"""The list, the month calendar, roadshows with their visits."""
from datetime import datetime, timedelta, timezone

from app.types import utcnow
from tests.meetings.conftest import MeetingFactory, text


def test_the_list_splits_upcoming_and_past(client, login_as, alice, programme):
    soon = utcnow() + timedelta(days=5)
    MeetingFactory(programme_id=programme.id, title="Rakor mendatang", starts_at=soon, ends_at=soon + timedelta(hours=1))
    MeetingFactory(programme_id=programme.id, title="Rakor lalu")
    login_as(alice)
    html = client.get(f"/p/{programme.slug}/meetings").get_data(as_text=True)
    assert html.index("Rakor mendatang") < html.index("Rakor lalu")


def test_the_month_calendar_places_meetings_on_the_viewers_day(client, login_as, alice, programme, db):
    # 23.30 WIB on 30 June is 00.30 WITA on 1 July: a WITA viewer sees it on 1 July.
    start = datetime(2025, 6, 30, 16, 30, tzinfo=timezone.utc)
    MeetingFactory(programme_id=programme.id, title="Rapat tengah malam", starts_at=start, ends_at=start + timedelta(hours=1),
                   timezone="Asia/Jakarta")
    login_as(alice)
    june = client.get(f"/p/{programme.slug}/meetings/calendar?month=2025-06").get_data(as_text=True)
    july = client.get(f"/p/{programme.slug}/meetings/calendar?month=2025-07").get_data(as_text=True)
    assert "00.30 Rapat tengah malam" in july
    # June's grid shows the first days of July too; the meeting sits in that cell, not in 30 June's.
    cell_30_june = june.split('<span class="day-number">30</span>')[1].split("</td>")[0]
    assert "Rapat tengah malam" not in cell_30_june


def test_the_calendar_moves_by_month_as_a_fragment(client, login_as, alice, programme):
    login_as(alice)
    response = client.get(f"/p/{programme.slug}/meetings/calendar?month=2025-12", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="calendar"' in html and "<html" not in html
    assert "month=2026-01" in html and "month=2025-11" in html
    assert client.get(f"/p/{programme.slug}/meetings/calendar?month=2025-13").status_code == 400


def test_the_calendar_costs_the_same_queries_with_more_meetings(client, login_as, alice, programme, count_queries):
    login_as(alice)
    path = f"/p/{programme.slug}/meetings/calendar?month=2025-06"
    client.get(path)
    with count_queries() as few:
        client.get(path)
    for day in range(1, 20):
        start = datetime(2025, 6, day, 1, tzinfo=timezone.utc)
        MeetingFactory(programme_id=programme.id, starts_at=start, ends_at=start + timedelta(hours=1))
    with count_queries() as many:
        client.get(path)
    assert many.count == few.count


def test_a_roadshow_groups_its_visits(client, login_as, alice, programme, db):
    login_as(alice)
    response = client.post(f"/p/{programme.slug}/roadshows", data={"title": "Roadshow Pentahelix 2025"})
    assert response.status_code == 303
    from app.meetings.models import Roadshow

    roadshow = db.session.query(Roadshow).one()
    MeetingFactory(programme_id=programme.id, roadshow_id=roadshow.id, title="Kunjungan ke Badak LNG")
    page = client.get(response.headers["Location"])
    assert "Kunjungan ke Badak LNG" in page.get_data(as_text=True)
    assert f"roadshow={roadshow.id}" in page.get_data(as_text=True)
    assert client.post(f"/p/{programme.slug}/roadshows", data={"title": ""}, headers={"HX-Request": "true"}).status_code == 422


def test_a_visit_page_links_back_to_its_roadshow(client, login_as, alice, programme, db):
    from app.meetings.models import Roadshow

    roadshow = Roadshow(programme_id=programme.id, title="Roadshow DPRD")
    db.session.add(roadshow)
    db.session.commit()
    visit = MeetingFactory(programme_id=programme.id, roadshow_id=roadshow.id, title="Kunjungan DPRD")
    login_as(alice)
    assert "Roadshow DPRD" in text(client.get(f"/p/{programme.slug}/meetings/{visit.id}").get_data(as_text=True))


def test_the_list_costs_the_same_queries_with_more_meetings(client, login_as, alice, programme, count_queries):
    from app.meetings.models import Roadshow
    from app.extensions import db

    login_as(alice)
    path = f"/p/{programme.slug}/meetings"
    MeetingFactory(programme_id=programme.id)
    client.get(path)
    with count_queries() as few:
        client.get(path)
    roadshow = Roadshow(programme_id=programme.id, title="Roadshow")
    db.session.add(roadshow)
    db.session.commit()
    for _ in range(8):
        MeetingFactory(programme_id=programme.id, roadshow_id=roadshow.id)
    with count_queries() as many:
        client.get(path)
    assert many.count == few.count
