"""Meetings' side of the source link with action items (tindak lanjut, app/actions).

A decision that creates work becomes an action in one step (the actions' "new action" form,
prefilled, source_kind="decision"); a new meeting starts by reviewing the still-open actions of
earlier meetings; the notulen list the actions created from their decisions.
"""
from flask import current_app, url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.extensions import db


def _actions():
    # Imported here: app.actions imports nothing of meetings, and meetings must not need it to load.
    from app.actions import service
    from app.actions.models import OPEN_STATUSES, Action, SourceKind

    return Action, SourceKind, OPEN_STATUSES, service


def open_actions(programme) -> list[dict]:
    """Still-open actions of the programme that came from meetings (their decisions or the meeting
    itself), due first and overdue marked by the agenda text, each with its responsible organisation."""
    Action, SourceKind, OPEN_STATUSES, _service = _actions()
    rows = db.session.execute(
        select(Action)
        .where(
            Action.programme_id == programme.id,
            Action.status.in_(OPEN_STATUSES),
            Action.source_kind.in_((SourceKind.DECISION, SourceKind.MEETING)),
        )
        .options(joinedload(Action.organisation))
        .order_by(Action.due_date.is_(None), Action.due_date, Action.id)
    ).scalars().all()
    return [
        {
            "id": action.id,
            "title": action.title,
            "organisation": action.organisation.display_name if action.organisation else None,
            "due_on": action.due_date,
            "status": action.status.label,
        }
        for action in rows
    ]


def actions_for_decisions(programme, decision_ids: list[int]) -> list[dict]:
    """The actions created from these decisions, for the notulen's actions table (one query)."""
    Action, SourceKind, _open, _service = _actions()
    if not decision_ids:
        return []
    rows = db.session.execute(
        select(Action)
        .where(Action.programme_id == programme.id, Action.source_kind == SourceKind.DECISION,
               Action.source_id.in_(decision_ids))
        .options(joinedload(Action.organisation), joinedload(Action.assignee))
        .order_by(Action.id)
    ).scalars().all()
    return [
        {
            "decision_id": action.source_id,
            "title": action.title,
            "organisation": action.organisation.name if action.organisation else None,
            "assignee": action.assignee.name if action.assignee else None,
            "due_on": action.due_date,
            "status": action.status.label,
        }
        for action in rows
    ]


def new_action_url(programme, decision) -> str | None:
    """Where "Create action" leads: the actions' "new action" form, prefilled from the decision and
    linked back to it (and its meeting). None if the actions blueprint is not registered."""
    if "actions.new" not in current_app.view_functions:
        return None
    _Action, SourceKind, _open, service = _actions()
    meeting = decision.item.meeting
    params = service.new_url_args(SourceKind.DECISION, decision.id, decision.label, meeting_id=meeting.id,
                                  meeting_label=meeting.title, title=decision.text)
    params["description"] = f"{meeting.title} — {decision.item.title}\n\n{decision.text}"
    if decision.organisation_id:
        params["organisation"] = decision.organisation_id
    if decision.due_on:
        params["due_date"] = decision.due_on.isoformat()
    return url_for("actions.new", slug=programme.slug, **params)
