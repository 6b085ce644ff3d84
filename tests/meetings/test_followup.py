"""Nothing falls between meetings: a new meeting starts with the still-open actions of earlier ones.

# actions: the Action model comes from the branch `actions`; this module skips until it is merged.
"""
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.meetings import followup, service
from app.meetings.models import AgendaItem, Meeting
from app.types import utcnow

actions_models = pytest.importorskip("app.actions.models", reason="actions not merged yet (branch actions)")


def test_without_actions_the_follow_up_list_is_empty_not_an_error(programme):
    assert isinstance(followup.open_actions(programme), list)


def test_a_new_meeting_begins_with_the_open_actions_of_earlier_meetings(client, login_as, alice, programme, db):
    # actions: adjust field names to the merged Action model if they differ.
    Action = actions_models.Action
    action = Action(programme_id=programme.id, title="Usulkan nama baru ke DPP", source_kind="decision", source_id=1,
                    source_label="Rakor: nama program", due_on=(utcnow() - timedelta(days=3)).date())
    db.session.add(action)
    db.session.commit()
    login_as(alice)
    client.post(f"/p/{programme.slug}/meetings/new", data={
        "title": "Rakor lanjutan", "kind": "rakor", "day": "2025-08-01", "start": "09:00", "end": "11:00",
        "timezone": "Asia/Makassar", "follow_up": "y"})
    meeting = db.session.execute(select(Meeting).filter_by(title="Rakor lanjutan")).scalar_one()
    first = db.session.execute(select(AgendaItem).filter_by(meeting_id=meeting.id, position=0)).scalar_one()
    assert first.title == service.FOLLOW_UP_TITLE
    assert "Usulkan nama baru ke DPP" in first.description
