"""The domains' objects as collaboration targets: drafts and their units (Pasal…), meetings and
their agenda items, actions. setup.init_app() calls register() once, after the built-in targets."""
from flask import has_request_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import event, select
from sqlalchemy.orm import Session, joinedload

from app.collab import live, targets
from app.collab.urls import path_for
from app.extensions import db


def _load_action(id: int):
    from app.actions.models import Action

    # Action.programme raises on lazy SQL: the permission check needs it loaded.
    return db.session.scalar(select(Action).options(joinedload(Action.programme)).where(Action.id == id))


def _unit_url(unit) -> str:
    # `at`: the draft's page shows its text in parts and opens at the one holding the unit (app/drafts/parts.py).
    return path_for("drafts.show", slug=unit.draft.programme.slug, draft_id=unit.draft_id, at=unit.id) + f"#unit-{unit.id}"


def _load_unit(id: int):
    from app.drafts.models import Unit

    unit = db.session.get(Unit, id)
    return None if unit is None or unit.deleted_at is not None else unit


def register() -> None:
    from app.actions.models import Action
    from app.drafts import threads
    from app.drafts.models import Draft, Unit
    from app.meetings.models import AgendaItem, Meeting

    # A draft's threads: consultation comments enter the input register; threads can be marked addressed.
    draft_hooks = dict(on_comment=threads.comment_posted, thread_addon=threads.thread_addon)
    targets.register(
        "draft", model=Draft, load=lambda id: db.session.get(Draft, id), title=lambda d: d.title,
        url=lambda d: path_for("drafts.show", slug=d.programme.slug, draft_id=d.id),
        label=_l("Draft"), view_action="draft.view", **draft_hooks,
    )
    targets.register(
        "unit", model=Unit, load=_load_unit, title=lambda u: f"{u.title} · {u.draft.title}", url=_unit_url,
        label=_l("Draft article"), view_action="draft.view", **draft_hooks,
    )
    targets.register(
        "meeting", model=Meeting, load=lambda id: db.session.get(Meeting, id), title=lambda m: m.title,
        url=lambda m: path_for("meetings.show", slug=m.programme.slug, meeting_id=m.id),
        label=_l("Meeting"), view_action="meeting.view",
    )
    targets.register(
        "agenda_item", model=AgendaItem, load=lambda id: db.session.get(AgendaItem, id),
        title=lambda i: f"{i.title} · {i.meeting.title}",
        url=lambda i: path_for("meetings.show", slug=i.meeting.programme.slug, meeting_id=i.meeting_id) + f"#item-{i.id}",
        label=_l("Agenda item"), view_action="agenda_item.view",
    )
    _register_search()
    targets.register(
        "action", model=Action, load=_load_action, title=lambda a: a.title,
        url=lambda a: path_for("actions.show", slug=a.programme.slug, action_id=a.id),
        label=_l("Action"), view_action="action.view",
    )


def action_live_key(action_id: int) -> str:
    """The live key of an action's page (its status, progress, people and history)."""
    return f"action-{action_id}"


@event.listens_for(Session, "after_flush")
def _touch_changed_actions(session, flush_context) -> None:
    """Any change to an action, its checklist or its history moves its page's live version (and its
    parent's, whose progress and sub-action list follow it): open action pages refresh within a poll."""
    from app.actions.models import Action, ActionHistory, ChecklistItem

    ids = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Action):
            ids.update(i for i in (obj.id, obj.parent_id) if i is not None)
        elif isinstance(obj, (ActionHistory, ChecklistItem)) and obj.action_id is not None:
            ids.add(obj.action_id)
    if ids:
        live.touch(*(action_live_key(i) for i in sorted(ids)))


ACTION_VERBS = {
    "action.created": _l("opened the action"),
    "action.assigned": _l("assigned"),
    "action.status_changed": _l("changed the status of"),
}


def connect_signals() -> None:
    from app.actions.signals import history_recorded
    from app.activity.service import register_verb

    for verb, label in ACTION_VERBS.items():
        register_verb(verb, label, kind_label=_l("Actions"))
    for verb, label in DRAFT_VERBS.items():
        register_verb(verb, label, kind_label=_l("Drafts"))
    for verb, label in MEETING_VERBS.items():
        register_verb(verb, label, kind_label=_l("Meetings"))
    history_recorded.connect(_on_action_history)


def _on_action_history(app, changes) -> None:
    """After an action change commits: tell the assignee and the followers, record the activity.

    The signal comes from the committed session's after_commit hook, where that session may not run
    SQL: the work runs in an app context of its own, hence a session (and transaction) of its own."""
    with app.app_context():
        _tell_about_actions(changes)


def _tell_about_actions(changes) -> None:
    from app.accounts.models import User
    from app.actions.models import Action, Status
    from app.activity.service import record_activity
    from app.notifications.models import Kind
    from app.notifications.service import notify, notify_followers

    wanted = [c for c in changes if c["field"] in ("created", "assignee", "status")]
    if not wanted:
        return
    actions = {a.id: a for a in db.session.scalars(
        select(Action).options(joinedload(Action.programme)).where(Action.id.in_({c["action_id"] for c in wanted}))
    )}
    users = {u.id: u for u in db.session.scalars(
        select(User).options(joinedload(User.organisation)).where(User.id.in_({c["user_id"] for c in wanted if c["user_id"]}))
    )}

    def status_label(value: str) -> str:
        try:
            return _text(Status(value).label, value)
        except ValueError:
            return value

    for change in wanted:
        action, actor = actions.get(change["action_id"]), users.get(change["user_id"])
        if action is None:
            continue  # deleted in the meantime
        assignee = change["assignee_id"]
        if change["field"] == "created":
            record_activity(action.programme, actor, "action.created", action)
            if assignee:
                notify([assignee], Kind.ASSIGNMENT, action, actor, action.title)
        elif change["field"] == "assignee":
            record_activity(action.programme, actor, "action.assigned", action, change["new_value"])
            if assignee:
                notify([assignee], Kind.ASSIGNMENT, action, actor, action.title)
        else:
            summary = f"{status_label(change['old_value'])} → {status_label(change['new_value'])}"
            record_activity(action.programme, actor, "action.status_changed", action, summary)
            notified = notify([assignee], Kind.STATUS, action, actor, summary) if assignee else []
            notify_followers(action, Kind.STATUS, actor, summary, exclude=notified)
    db.session.commit()


# -- drafts: called inside the drafts service's transaction (no commit here) ----------------------

DRAFT_VERBS = {
    "draft.created": _l("started the draft"),
    "draft.status_changed": _l("changed the status of"),
    "draft.suggested": _l("suggested an amendment to"),
    "draft.suggestion_accepted": _l("accepted a suggested amendment to"),
    "draft.suggestion_declined": _l("declined a suggested amendment to"),
    "draft.thread_addressed": _l("marked a discussion addressed in a version of"),
    "draft.thread_unaddressed": _l("cleared the addressed mark of a discussion on"),
}


def _text(label, fallback: str) -> str:
    """A label in the reader's language in a request; outside one (CLI, demo) there is no locale to pick."""
    return str(label) if has_request_context() else fallback


def _members(programme, minimum=None) -> list[int]:
    from app.programmes.models import Membership

    rows = db.session.execute(select(Membership.user_id, Membership.role).filter_by(programme_id=programme.id)).all()
    return [user_id for user_id, role in rows if minimum is None or role.at_least(minimum)]


def draft_created(draft, user) -> None:
    from app.activity.service import record_activity

    record_activity(draft.programme, user, "draft.created", draft)


def draft_status_changed(draft, user, old, new) -> None:
    from app.activity.service import record_activity
    from app.notifications.models import Kind
    from app.notifications.service import notify

    summary = f"{_text(old.label, old.value)} → {_text(new.label, new.value)}"
    record_activity(draft.programme, user, "draft.status_changed", draft, summary)
    notify(_members(draft.programme), Kind.STATUS, draft, user, summary)


def suggestion_made(suggestion, unit, user) -> None:
    from app.activity.service import record_activity
    from app.notifications.models import Kind
    from app.notifications.service import notify
    from app.programmes.models import Role

    record_activity(unit.programme, user, "draft.suggested", unit, suggestion.reason)
    notify(_members(unit.programme, Role.EDITOR), Kind.COMMENT, unit, user, suggestion.reason or suggestion.text)


def suggestion_decided(suggestion, user, accepted: bool) -> None:
    from app.activity.service import record_activity
    from app.drafts.models import Unit
    from app.notifications.models import Kind
    from app.notifications.service import notify

    unit = db.session.get(Unit, suggestion.unit_id)
    verb = "draft.suggestion_accepted" if accepted else "draft.suggestion_declined"
    record_activity(unit.programme, user, verb, unit, suggestion.decision_reason)
    if suggestion.author_id:
        label = _l("Suggested amendment accepted") if accepted else _l("Suggested amendment declined")
        label = _text(label, suggestion.status.value)
        text = f"{label}: {suggestion.decision_reason}" if suggestion.decision_reason else label
        notify([suggestion.author_id], Kind.DECISION, unit, user, text)


# -- meetings: called inside the meetings service's transaction (no commit here) ------------------

MEETING_VERBS = {
    "meeting.decision_recorded": _l("recorded a decision in"),
}


def meeting_invited(meeting, by, users) -> None:
    from app.notifications.models import Kind
    from app.notifications.service import notify

    notify(users, Kind.MEETING, meeting, by, meeting.title)


def meeting_changed(meeting, by, users) -> None:
    from app.notifications.models import Kind
    from app.notifications.service import notify

    notify(users, Kind.MEETING, meeting, by, _text(_l("The time or place of the meeting changed."), ""))


def decision_recorded(item, by, text: str) -> None:
    from app.activity.service import record_activity

    record_activity(item.meeting.programme, by, "meeting.decision_recorded", item.meeting, text)


# -- search: what /search finds of the domains (permission-filtered by programme like the rest) ---

def _programme(programme_id: int):
    from app.programmes.models import Programme

    return db.session.get(Programme, programme_id)


def _unit_document(unit):
    from app.search import service as search

    if unit.deleted_at is not None or not unit.text:
        return None
    draft = unit.draft
    return search.Document(
        programme_id=draft.programme_id, title=f"{unit.kind.value.replace('_', ' ').capitalize()} · {draft.title}", body=unit.text,
        url=path_for("drafts.unit", slug=draft.programme.slug, draft_id=draft.id, unit_id=unit.id),
    )


def _meeting_url(meeting, anchor: str = "") -> str:
    return path_for("meetings.show", slug=meeting.programme.slug, meeting_id=meeting.id) + anchor


def _item_document(item):
    from app.search import service as search

    if item.confidential or not item.minutes.strip():
        return None  # confidential items are for editors only; the index does not know roles
    meeting = item.meeting
    return search.Document(
        programme_id=meeting.programme_id, title=f"{item.title} · {meeting.title}", body=item.minutes,
        url=_meeting_url(meeting, f"#item-{item.id}"),
    )


def _decision_document(decision):
    from app.meetings.models import AgendaItem, Meeting
    from app.search import service as search

    item = db.session.get(AgendaItem, decision.item_id)
    if item is None or item.confidential:
        return None
    meeting = db.session.get(Meeting, decision.meeting_id)
    return search.Document(
        programme_id=meeting.programme_id, title=f"{item.title} · {meeting.title}", body=decision.text,
        url=_meeting_url(meeting, f"#item-{item.id}"),
    )


def _action_document(action):
    from app.search import service as search

    programme = _programme(action.programme_id)
    return search.Document(
        programme_id=action.programme_id, title=action.title, body=action.description or "",
        url=path_for("actions.show", slug=programme.slug, action_id=action.id),
    )


def _register_search() -> None:
    from app.actions.models import Action
    from app.drafts.models import Unit
    from app.meetings.models import AgendaItem, Decision
    from app.search import service as search

    search.register_model(Unit, "draft_unit", _l("Draft articles"), _unit_document)
    search.register_model(AgendaItem, "minutes", _l("Minutes"), _item_document)
    search.register_model(Decision, "decision", _l("Decisions"), _decision_document)
    search.register_model(Action, "action", _l("Actions"), _action_document)
