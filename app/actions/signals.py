"""`history_recorded`: the hook for notifications (the collaboration layer) and anything else that
must react to an action's changes, without the actions code knowing about it.

Sent once per committed transaction that recorded action history, with `changes`: one dict per
history entry (action_id, programme_id, assignee_id (after the change), field, old_value, new_value, note, user_id). Plain
values, gathered at flush time: a receiver runs after the commit, may use the session and commit
its own work, and never sees changes that were rolled back.

    from app.actions.signals import history_recorded

    @history_recorded.connect
    def notify(app, changes):
        for change in changes:
            if change["field"] == "assignee": ...
"""
from blinker import Namespace
from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.actions.models import ActionHistory

history_recorded = Namespace().signal("history-recorded")
_KEY = "actions.history_recorded"


@event.listens_for(Session, "after_flush")
def _collect(session, flush_context):
    entries = [obj for obj in session.new if isinstance(obj, ActionHistory)]
    if not entries:
        return
    pending = session.info.setdefault(_KEY, [])
    for entry in entries:
        action = entry.__dict__.get("action")  # set when the model recorded it; never loaded here
        pending.append({
            "action_id": entry.action_id,
            "programme_id": action.programme_id if action is not None else None,
            "assignee_id": action.assignee_id if action is not None else None,  # after the change
            "field": entry.field,
            "old_value": entry.old_value,
            "new_value": entry.new_value,
            "note": entry.note,
            "user_id": entry.user_id,
        })


@event.listens_for(Session, "after_commit")
def _send(session):
    changes = session.info.pop(_KEY, None)
    if changes and history_recorded.receivers:
        history_recorded.send(current_app._get_current_object(), changes=changes)


@event.listens_for(Session, "after_rollback")
def _forget(session):
    session.info.pop(_KEY, None)
