"""Notifications, follows and delivery preferences.

Other domains call `notify(users, kind, target, actor, text)` (and `notify_followers`) inside their
own transaction: nothing here commits except the functions a route calls directly (follow,
unfollow, mark_read, set_delivery). Only members of the target's programme are ever notified.
"""
from collections.abc import Iterable
from datetime import timedelta

from flask import current_app
from flask_babel import force_locale, gettext as _
from sqlalchemy import and_, delete, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from app.accounts.models import User
from app.collab import hooks, live
from app.collab.targets import Target, target_of
from app.extensions import db
from app.mailer import send_mail
from app.notifications.models import Delivery, Follow, Kind, Notification, NotificationPreference
from app.programmes.models import Membership
from app.types import utcnow

EXCERPT = 280


def excerpt(text: str, length: int = EXCERPT) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _user_ids(users) -> set[int]:
    return {u if isinstance(u, int) else u.id for u in users if u is not None}


def notify(users: Iterable, kind: Kind, target, actor, text: str = "", url: str | None = None) -> list[int]:
    """Tell `users` (User objects or ids) about `target`. Skips the actor and anyone who is not a
    member of the target's programme. Returns the ids notified. No commit: the caller's transaction
    carries it, and email goes out only once that commits."""
    target: Target = target_of(target)
    wanted = _user_ids(users) - ({actor.id} if actor is not None else set())
    if not wanted:
        return []
    return _deliver(target, kind, actor, text, url, User.id.in_(wanted))


def notify_followers(target, kind: Kind, actor, text: str = "", url: str | None = None, exclude=()) -> list[int]:
    """notify() everyone who follows `target` (but `exclude`): the followers are chosen inside the
    query that picks the members, so a target with many followers costs the same two statements."""
    target = target_of(target)
    skip = _user_ids(exclude) | ({actor.id} if actor is not None else set())
    who = User.id.in_(select(Follow.user_id).where(Follow.target_type == target.type, Follow.target_id == target.id))
    if skip:
        who = and_(who, User.id.not_in(skip))
    return _deliver(target, kind, actor, text, url, who)


def _deliver(target: Target, kind: Kind, actor, text: str, url: str | None, who) -> list[int]:
    """One notification for each active member of the target's programme that `who` selects: one
    query for them, one multi-row insert."""
    programme = target.programme
    # Members only, in one query: a name typed in a comment never reaches someone outside.
    rows = db.session.execute(
        select(User.id, User.email, User.locale, NotificationPreference.delivery)
        .join(Membership, (Membership.user_id == User.id) & (Membership.programme_id == programme.id))
        .outerjoin(NotificationPreference, NotificationPreference.user_id == User.id)
        .where(who, User.active.is_(True))
    ).all()
    if not rows:
        return []
    title, link = target.title, url or target.url
    common = dict(
        programme_id=programme.id, kind=kind, target_type=target.type, target_id=target.id,
        actor_id=actor.id if actor is not None else None, title=excerpt(title, 300), text=excerpt(text), url=link,
        created_at=utcnow(),
    )
    db.session.execute(insert(Notification), [dict(common, user_id=row.id) for row in rows])
    live.touch(*(f"user-{row.id}" for row in rows))
    for row in rows:
        if row.delivery == Delivery.IMMEDIATE:
            _mail_on_commit(row, kind, actor, title, text, link)
    return [row.id for row in rows]


def sentence(kind: Kind, actor_name: str | None, title: str) -> str:
    """The line shown and mailed for a notification, in the current language."""
    actor_name = actor_name or _("Someone")
    return {
        Kind.MENTION: _("%(actor)s mentioned you on %(title)s", actor=actor_name, title=title),
        Kind.REPLY: _("%(actor)s replied on %(title)s", actor=actor_name, title=title),
        Kind.COMMENT: _("%(actor)s commented on %(title)s", actor=actor_name, title=title),
        Kind.ASSIGNMENT: _("%(actor)s assigned you %(title)s", actor=actor_name, title=title),
        Kind.STATUS: _("%(actor)s changed the status of %(title)s", actor=actor_name, title=title),
        Kind.DECISION: _("%(actor)s decided on your suggestion on %(title)s", actor=actor_name, title=title),
        Kind.MEETING: _("%(actor)s invited you to or changed %(title)s", actor=actor_name, title=title),
        Kind.MODERATION: _("%(actor)s reported a comment on %(title)s", actor=actor_name, title=title),
        Kind.REMINDER: _("Reminder: %(title)s", title=title),  # sent by Sinergi itself (flask send-reminders)
    }[kind]


def _absolute(url: str) -> str:
    base = current_app.config.get("PUBLIC_URL") or ""
    return base.rstrip("/") + url if url.startswith("/") else url


def _mail_on_commit(user, kind, actor, title, text, url) -> None:
    """`user`: anything with .email and .locale (a User, or a row of one)."""
    actor_name = actor.name if actor is not None else None
    with force_locale(user.locale or "id"):
        subject = "Sinergi: " + sentence(kind, actor_name, title)
        body = f"{sentence(kind, actor_name, title)}\n\n{excerpt(text, 1000)}\n\n{_absolute(url)}\n"
    to = user.email
    hooks.on_commit(db.session, lambda: send_mail(to, subject, body))


# -- follows ----------------------------------------------------------------------------------

def is_following(user, target) -> bool:
    if user is None or not user.is_authenticated:
        return False
    target = target_of(target)
    return db.session.execute(
        select(Follow.id).filter_by(user_id=user.id, target_type=target.type, target_id=target.id)
    ).first() is not None


def add_follow(user, target) -> None:
    """Follow without committing (used when commenting: you follow what you take part in).

    One statement that does nothing when the follow exists: a check then an insert let two first
    comments of one person on one target, at the same moment, collide on the unique key on
    PostgreSQL, and the loser's comment was lost with its transaction."""
    target = target_of(target)
    insert = postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
    db.session.execute(
        insert(Follow)
        .values(user_id=user.id, programme_id=target.programme.id, target_type=target.type, target_id=target.id,
                created_at=utcnow())
        .on_conflict_do_nothing(index_elements=["user_id", "target_type", "target_id"])
    )


def follow(user, target) -> None:
    add_follow(user, target)
    db.session.commit()


def unfollow(user, target) -> None:
    target = target_of(target)
    db.session.execute(delete(Follow).filter_by(user_id=user.id, target_type=target.type, target_id=target.id))
    db.session.commit()


# -- reading ----------------------------------------------------------------------------------

def unread_count(user) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    )


def recent(user, limit: int = 50, unread_only: bool = False) -> list[Notification]:
    from sqlalchemy.orm import joinedload

    query = (
        select(Notification)
        .options(joinedload(Notification.actor), joinedload(Notification.programme))
        .where(Notification.user_id == user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(limit)
    )
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    return list(db.session.execute(query).scalars())


def mark_read(user, notification_id: int | None = None) -> int:
    """Mark one notification (or, with None, all) of `user` as read. Another person's id changes nothing."""
    query = update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    if notification_id is not None:
        query = query.where(Notification.id == notification_id)
    count = db.session.execute(query.values(read_at=utcnow())).rowcount
    live.touch(f"user-{user.id}")
    db.session.commit()
    return count


def delivery_of(user) -> Delivery:
    pref = db.session.get(NotificationPreference, user.id)
    return pref.delivery if pref else Delivery.IN_APP


def set_delivery(user, delivery: Delivery) -> None:
    pref = db.session.get(NotificationPreference, user.id) or NotificationPreference(user_id=user.id)
    pref.delivery = delivery
    db.session.add(pref)
    db.session.commit()


# -- daily digest -----------------------------------------------------------------------------

def send_digests(now=None) -> int:
    """Mail each digest subscriber their unread, not yet mailed notifications (at most once a day).
    Returns the number of mails sent. One commit at the end."""
    now = now or utcnow()
    prefs = db.session.execute(
        select(NotificationPreference, User)
        .join(User, User.id == NotificationPreference.user_id)
        .where(NotificationPreference.delivery == Delivery.DIGEST, User.active.is_(True))
    ).all()
    due = {user.id: (pref, user) for pref, user in prefs if pref.last_digest_at is None or now - pref.last_digest_at >= timedelta(hours=23)}
    if not due:
        return 0
    from sqlalchemy.orm import joinedload

    pending = db.session.execute(
        select(Notification)
        .options(joinedload(Notification.actor))
        .where(Notification.user_id.in_(due), Notification.read_at.is_(None), Notification.emailed_at.is_(None))
        .order_by(Notification.user_id, Notification.created_at)
    ).scalars()
    per_user: dict[int, list[Notification]] = {}
    for n in pending:
        per_user.setdefault(n.user_id, []).append(n)
    sent = 0
    for user_id, items in per_user.items():
        pref, user = due[user_id]
        with force_locale(user.locale or "id"):
            lines = [f"- {sentence(n.kind, n.actor.name if n.actor else None, n.title)}\n  {_absolute(n.url)}" for n in items]
            subject = _("Sinergi: your daily summary (%(num)d new)", num=len(items))
        send_mail(user.email, subject, "\n".join(lines) + "\n")
        for n in items:
            n.emailed_at = now
        pref.last_digest_at = now
        sent += 1
    db.session.commit()
    return sent
