"""The follow-up agenda item's text, independent of the actions module."""
from datetime import date, timedelta

from app.meetings import service
from app.types import utcnow


def test_open_actions_are_listed_with_organisation_and_overdue_mark(app):
    today = utcnow().date()
    text = service.follow_up_text([
        {"title": "Usulkan nama ke DPP", "organisation": "DPC MASATA Kota Bontang", "due_on": today - timedelta(days=2)},
        {"title": "Sosialisasi di Job Fair", "organisation": "Disnaker", "due_on": today + timedelta(days=9)},
        {"title": "Tanpa tenggat", "organisation": None, "due_on": None},
    ])
    lines = text.splitlines()
    assert lines[0].startswith("- Usulkan nama ke DPP — DPC MASATA Kota Bontang") and "terlambat" in lines[0]
    assert "terlambat" not in lines[1] and lines[2] == "- Tanpa tenggat — —"


def test_a_new_meeting_gets_a_follow_up_item_when_there_are_open_actions(app, programme, alice, db):
    from datetime import datetime, timezone

    from app.meetings.models import MeetingKind

    start = datetime(2025, 8, 1, 1, tzinfo=timezone.utc)
    meeting = service.create_meeting(
        programme, alice, title="Rakor lanjutan", kind=MeetingKind.RAKOR, starts_at=start, ends_at=start + timedelta(hours=2),
        zone="Asia/Makassar", follow_up=[{"title": "Usulkan nama ke DPP", "organisation": "MASATA", "due_on": date(2025, 7, 1)}],
    )
    items = service.agenda_items(meeting)
    assert [i.title for i in items] == [service.FOLLOW_UP_TITLE]
    assert "Usulkan nama ke DPP — MASATA" in items[0].description

