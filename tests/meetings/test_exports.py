"""Exports: .ics per meeting and the personal feed (parsed back with icalendar), notulen as DOCX and print HTML."""
import io
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import docx
import icalendar
from sqlalchemy import select

from app.meetings import service
from app.meetings.models import CalendarFeed, DecisionKind, Presence
from app.pentahelix import Element
from app.types import utcnow


def test_the_ics_carries_the_meetings_own_zone(client, login_as, alice, url, meeting):
    login_as(alice)
    response = client.get(url("/invite.ics"))
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    cal = icalendar.Calendar.from_ical(response.data)
    event = cal.events[0]
    assert str(event["summary"]) == meeting.title
    assert event.start == datetime(2025, 6, 10, 9, 0, tzinfo=ZoneInfo("Asia/Makassar"))
    assert event.start.astimezone(timezone.utc) == meeting.starts_at
    assert event.end.astimezone(ZoneInfo("Asia/Jakarta")).hour == 10  # 11.00 WITA = 10.00 WIB
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Asia/Makassar"]
    assert str(event["location"]) == "Auditorium Pemkot Bontang"


def test_the_ics_is_404_for_an_outsider(client, login_as, charlie, url):
    login_as(charlie)
    assert client.get(url("/invite.ics")).status_code == 404


def test_the_personal_feed_lists_the_meetings_of_my_programmes(client, login_as, bob, charlie, programme, factories, db):
    from tests.meetings.conftest import MeetingFactory

    soon = utcnow() + timedelta(days=2)
    MeetingFactory(programme_id=programme.id, title="RDP Komisi Gabungan", starts_at=soon, ends_at=soon + timedelta(hours=2),
                   timezone="Asia/Makassar")
    other = factories.ProgrammeFactory()
    MeetingFactory(programme_id=other.id, title="Rapat lain", starts_at=soon, ends_at=soon + timedelta(hours=1))
    login_as(bob)
    page = client.get("/calendar/meetings")
    assert page.status_code == 200
    token = db.session.execute(select(CalendarFeed.token).filter_by(user_id=bob.id)).scalar_one()
    assert token in page.get_data(as_text=True)
    login_as(charlie)  # the token is the credential, whoever asks
    feed = client.get(f"/calendar/meetings/{token}.ics")
    assert feed.status_code == 200
    events = icalendar.Calendar.from_ical(feed.data).events
    assert [str(e["summary"]) for e in events] == ["RDP Komisi Gabungan"]
    assert events[0].start.tzinfo.key == "Asia/Makassar"


def test_a_reset_feed_address_stops_the_old_one(client, login_as, bob, db):
    login_as(bob)
    client.get("/calendar/meetings")
    old = db.session.execute(select(CalendarFeed.token).filter_by(user_id=bob.id)).scalar_one()
    assert client.post("/calendar/meetings").status_code == 303
    db.session.expire_all()
    new = db.session.execute(select(CalendarFeed.token).filter_by(user_id=bob.id)).scalar_one()
    assert new != old
    assert client.get(f"/calendar/meetings/{old}.ics").status_code == 404
    assert client.get(f"/calendar/meetings/{new}.ics").status_code == 200


def test_an_unknown_feed_token_is_404(client):
    assert client.get("/calendar/meetings/nope.ics").status_code == 404


def _notulen_meeting(meeting, items, alice, factories, db):
    items[1].confidential = True
    items[0].minutes = "Konsep dipaparkan oleh MASATA."
    db.session.commit()
    badak = factories.OrganisationFactory(name="PT Badak NGL", element=Element.BISNIS)
    service.record_attendance(meeting, user_id=alice.id, presence=Presence.PRESENT, contact="0811-111")
    service.record_attendance(meeting, guest_name="Konsultan Badak", organisation_id=badak.id, contact="konsultan@badak.id")
    service.add_decision(items[0], alice, DecisionKind.WORK, "Usulkan nama Program Wisata Kota Industri ke DPP",
                         organisation_id=badak.id)
    service.add_decision(items[1], alice, DecisionKind.AGREEMENT, "Rahasia: anggaran")


def test_the_notulen_docx_opens_with_attendance_and_decisions(client, login_as, alice, url, meeting, items, factories, db):
    _notulen_meeting(meeting, items, alice, factories, db)
    login_as(alice)
    response = client.get(url("/notulen.docx"))
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment; filename=\"notulen-")
    document = docx.Document(io.BytesIO(response.data))
    body = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
    assert meeting.title in body and "Konsep dipaparkan oleh MASATA." in body
    assert "Konsultan Badak" in cells and "PT Badak NGL" in cells
    assert "Usulkan nama Program Wisata Kota Industri ke DPP" in cells
    # By default: no contacts, no confidential items.
    assert "konsultan@badak.id" not in cells and "Rahasia" not in body + cells
    full = docx.Document(io.BytesIO(client.get(url("/notulen.docx?contacts=1&confidential=1")).data))
    everything = "\n".join(p.text for p in full.paragraphs) + "\n".join(
        c.text for t in full.tables for r in t.rows for c in r.cells)
    assert "konsultan@badak.id" in everything and "Rahasia: anggaran" in everything


def test_a_viewer_never_gets_contacts_or_confidential_items(client, login_as, alice, member, url, meeting, items, factories, db):
    _notulen_meeting(meeting, items, alice, factories, db)
    login_as(member("viewer"))
    html = client.get(url("/notulen?contacts=1&confidential=1")).get_data(as_text=True)
    assert "Konsultan Badak" in html
    assert "konsultan@badak.id" not in html and "Rahasia" not in html


def test_the_print_notulen_is_a_standalone_page_with_a_print_stylesheet(client, login_as, alice, url, meeting, items, factories, db):
    _notulen_meeting(meeting, items, alice, factories, db)
    login_as(alice)
    response = client.get(url("/notulen?contacts=1"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "css/notulen.css" in html and "Konsultan Badak" in html and "konsultan@badak.id" in html
    assert "Rahasia" not in html
    assert client.get("/static/css/notulen.css").get_data(as_text=True).count("@media print") == 1
