"""Times are stored in UTC with the meeting's zone; every viewer sees their own zone, the meeting's noted."""
from datetime import datetime, timezone

from sqlalchemy import select

from app.meetings.models import Meeting
from app.meetings.service import to_utc
from tests.meetings.conftest import text


def test_a_wita_meeting_is_shown_in_wib_to_a_wib_viewer(client, login_as, alice, db, url):
    alice.timezone = "Asia/Jakarta"
    db.session.commit()
    login_as(alice)
    html = text(client.get(url()).get_data(as_text=True))
    # 09.00 WITA is 08.00 WIB; the meeting's own zone is noted.
    assert "08.00–10.00 WIB" in html
    assert "(09.00–11.00 WITA" in html


def test_a_wita_viewer_sees_wita_without_a_note(client, login_as, alice, url):
    login_as(alice)  # Asia/Makassar
    html = client.get(url()).get_data(as_text=True)
    assert "09.00–11.00 WITA" in text(html)
    assert "zone-note" not in html


def test_a_wit_viewer_sees_the_time_in_wit(client, login_as, alice, db, url):
    alice.timezone = "Asia/Jayapura"
    db.session.commit()
    login_as(alice)
    assert "10.00–12.00 WIT" in text(client.get(url()).get_data(as_text=True))


def test_a_local_time_is_stored_as_utc():
    stored = to_utc(datetime(2025, 6, 10).date(), datetime(2025, 6, 10, 9, 0).time(), "Asia/Makassar")
    assert stored == datetime(2025, 6, 10, 1, 0, tzinfo=timezone.utc)
    assert to_utc(stored.date(), datetime(2025, 1, 1, 9, 0).time(), "Asia/Jakarta").hour == 2


def test_a_meeting_created_in_wit_keeps_its_zone(client, login_as, alice, programme, db):
    login_as(alice)
    response = client.post(f"/p/{programme.slug}/meetings/new", data={
        "title": "Sosialisasi Jayapura", "kind": "sosialisasi", "day": "2025-07-01", "start": "13:00", "end": "15:00",
        "timezone": "Asia/Jayapura", "organiser_id": "", "roadshow_id": "", "template_id": "",
    })
    assert response.status_code == 303
    meeting = db.session.execute(select(Meeting).filter_by(title="Sosialisasi Jayapura")).scalar_one()
    assert meeting.timezone == "Asia/Jayapura"
    assert meeting.starts_at == datetime(2025, 7, 1, 4, 0, tzinfo=timezone.utc)
    assert meeting.local_start.hour == 13
