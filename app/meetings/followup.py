"""The seam to action items (tindak lanjut), built on the branch `actions`.

# actions: everything here is written against the expected model `app.actions.models.Action`
# (title, assignee, responsible organisation, due date, status, and the generic source fields
# source_kind / source_id / source_label). Until that module exists the functions return []
# so meetings work on their own; tests/meetings/test_followup.py skips until then.
"""
from datetime import date

from flask import current_app, url_for
from sqlalchemy import select

from app.extensions import db

OPEN_STATUSES_EXCLUDED = ("done", "cancelled", "closed")


def _action_model():
    try:
        from app.actions.models import Action  # noqa: PLC0415  (lazy: the actions branch may not be merged)
    except ImportError:
        return None
    return Action


def _organisation_name(action) -> str | None:
    org = getattr(action, "responsible_organisation", None) or getattr(action, "organisation", None)
    return getattr(org, "display_name", None) if org is not None else None


def open_actions(programme) -> list[dict]:
    """Still-open actions of the programme that came from earlier meetings, overdue first.

    # actions: returns [] until app.actions.models.Action exists.
    """
    Action = _action_model()
    if Action is None:
        return []
    query = select(Action).where(Action.programme_id == programme.id, Action.source_kind == "decision")
    rows = db.session.execute(query).scalars().all()
    result = []
    for action in rows:
        value = getattr(action.status, "value", action.status)
        if str(value).lower() in OPEN_STATUSES_EXCLUDED:
            continue
        result.append({
            "id": action.id,
            "title": action.title,
            "organisation": _organisation_name(action),
            "due_on": _as_date(getattr(action, "due_on", None) or getattr(action, "due_date", None)),
            "status": str(value),
        })
    far = date.max
    return sorted(result, key=lambda a: (a["due_on"] or far, a["title"]))


def actions_for_decisions(decision_ids: list[int]) -> list[dict]:
    """The actions created from these decisions, for the notulen's actions table.

    # actions: returns [] until app.actions.models.Action exists.
    """
    Action = _action_model()
    if Action is None or not decision_ids:
        return []
    rows = db.session.execute(
        select(Action).where(Action.source_kind == "decision", Action.source_id.in_(decision_ids))
    ).scalars().all()
    return [
        {
            "decision_id": action.source_id,
            "title": action.title,
            "organisation": _organisation_name(action),
            "assignee": getattr(getattr(action, "assignee", None), "name", None),
            "due_on": _as_date(getattr(action, "due_on", None) or getattr(action, "due_date", None)),
            "status": str(getattr(action.status, "label", None) or getattr(action.status, "value", action.status)),
        }
        for action in rows
    ]


def _as_date(value):
    if value is None:
        return None
    return value.date() if hasattr(value, "date") and callable(value.date) else value


def new_action_url(programme, decision) -> str | None:
    """Where "Create action" leads: the actions' "new action" form, prefilled from the decision.

    # actions: expects the endpoint `actions.new` at /p/<slug>/actions/new reading these query
    # parameters. None while that endpoint is not registered (before the merge).
    """
    if "actions.new" not in current_app.view_functions:
        return None
    params = {
        "title": decision.text[:200],
        "description": f"{decision.item.meeting.title} — {decision.item.title}\n\n{decision.text}",
        "source_kind": "decision",
        "source_id": decision.id,
        "source_label": decision.label,
    }
    if decision.organisation_id:
        params["organisation_id"] = decision.organisation_id
    if decision.due_on:
        params["due_on"] = decision.due_on.isoformat()
    return url_for("actions.new", slug=programme.slug, **params)
