"""The activity feed of a programme: `record_activity(programme, actor, verb, target, summary)`.

Other domains call it inside their own transaction (no commit here) and may register how a verb
reads with `register_verb("action.status_changed", _l("changed the status of"))`.
"""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.activity.models import Activity
from app.collab.targets import target_of
from app.extensions import db
from app.pentahelix import Element

VERBS = {
    "comment.created": _l("commented on"),
    "comment.replied": _l("replied on"),
    "comment.edited": _l("edited a comment on"),
    "comment.deleted": _l("deleted a comment on"),
    "comment.resolved": _l("resolved a thread on"),
    "comment.reopened": _l("reopened a thread on"),
    "comment.hidden": _l("hid a comment on"),
    "attachment.added": _l("attached a file to"),
}
KIND_LABELS = {
    "comment": _l("Comments"),
    "attachment": _l("Attachments"),
}


def register_verb(verb: str, label, kind_label=None) -> None:
    VERBS[verb] = label
    if kind_label is not None:
        KIND_LABELS[verb.split(".", 1)[0]] = kind_label


def verb_label(verb: str):
    return VERBS.get(verb, verb)


def record_activity(programme, actor, verb: str, target, summary: str = "") -> Activity:
    from app.notifications.service import excerpt

    target = target_of(target)
    activity = Activity(
        programme_id=programme.id,
        actor_id=actor.id if actor is not None else None,
        actor_element=actor.organisation.element.value if actor is not None else None,
        kind=verb.split(".", 1)[0],
        verb=verb,
        target_type=target.type,
        target_id=target.id,
        title=excerpt(target.title, 300),
        summary=excerpt(summary),
        url=target.url,
    )
    db.session.add(activity)
    return activity


def feed(programme, kind: str | None = None, element: Element | None = None, limit: int = 100) -> list[Activity]:
    query = (
        select(Activity)
        .options(joinedload(Activity.actor))
        .where(Activity.programme_id == programme.id)
        .order_by(Activity.created_at.desc(), Activity.id.desc())
        .limit(limit)
    )
    if kind:
        query = query.where(Activity.kind == kind)
    if element:
        query = query.where(Activity.actor_element == element.value)
    return list(db.session.execute(query).scalars())


def kinds_in(programme) -> list[str]:
    return sorted(db.session.execute(select(Activity.kind).where(Activity.programme_id == programme.id).distinct()).scalars())
