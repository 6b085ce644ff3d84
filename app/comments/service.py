"""Comments on any registered target. Each public function here owns its one commit.

Posting a comment, in one transaction: the comment, its attachments, notifications (mentions,
reply, followers), the author following the target, an activity entry, the search index (through
the session, see app/search/service.py) and the live-update version of the target's discussion.
"""
from collections import defaultdict
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import delete as sql_delete, func, select
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from app.accounts.models import User
from app.activity.service import record_activity
from app.attachments import service as attachments
from app.collab import live
from app.collab.targets import Target, ThreadAddon, resolve, target_of
from app.comments import mentions
from app.comments.models import Comment, CommentReaction, CommentReport, CommentRevision, Reaction
from app.extensions import db
from app.notifications import service as notifications
from app.notifications.models import Kind
from app.permissions import can
from app.types import utcnow

MAX_LENGTH = 20000


class CommentError(ValueError):
    """Refused; the message is shown to the user."""


def live_key(target: Target) -> str:
    return f"comments-{target.key}"


def target_for(comment: Comment) -> Target | None:
    return resolve(comment.target_type, comment.target_id)


# -- reading ----------------------------------------------------------------------------------

@dataclass
class Thread:
    root: Comment
    replies: list = field(default_factory=list)

    @property
    def comments(self):
        return [self.root, *self.replies]


@dataclass
class Discussion:
    """Everything the thread partial shows, loaded in a fixed number of queries whatever its size."""

    target: Target
    threads: list
    reactions: dict  # comment id -> {"agree": n, "disagree": n}
    mine: dict  # comment id -> Reaction of the viewer
    files: dict  # comment id -> [Attachment]
    target_files: list  # files attached to the target itself (components/_attachments.html)
    addon: "ThreadAddon | None"  # the target domain's extra per-thread content (targets.ThreadAddon)
    reports: dict  # comment id -> number of reports (moderators only)
    following: bool
    etag: str

    @property
    def count(self) -> int:
        return sum(1 for t in self.threads for c in t.comments if not c.is_deleted)

    @property
    def key(self) -> str:
        return self.target.key


def load(target, viewer) -> Discussion:
    target = target_of(target)
    tag = live.etag(viewer, live_key(target))
    comments = list(
        db.session.execute(
            select(Comment)
            .options(joinedload(Comment.author), joinedload(Comment.resolved_by), joinedload(Comment.hidden_by))
            .where(Comment.target_type == target.type, Comment.target_id == target.id)
            .order_by(Comment.created_at, Comment.id)
        ).unique().scalars()
    )
    # The programme is known: attach it so permission checks on each comment cost nothing.
    for c in comments:
        set_committed_value(c, "programme", target.programme)
    threads: dict[int, Thread] = {}
    for c in comments:
        if c.parent_id is None:
            threads[c.id] = Thread(c)
    for c in comments:
        if c.parent_id is not None and c.parent_id in threads:
            threads[c.parent_id].replies.append(c)
    ids = [c.id for c in comments]
    reactions: dict = defaultdict(lambda: {"agree": 0, "disagree": 0})
    mine: dict = {}
    reports: dict = {}
    if ids:
        for comment_id, kind, user_id in db.session.execute(
            select(CommentReaction.comment_id, CommentReaction.kind, CommentReaction.user_id).where(CommentReaction.comment_id.in_(ids))
        ):
            reactions[comment_id][kind.value] += 1
            if viewer is not None and viewer.is_authenticated and user_id == viewer.id:
                mine[comment_id] = kind
        if can(viewer, "comment.moderate", target.obj):
            reports = dict(
                db.session.execute(
                    select(CommentReport.comment_id, func.count()).where(CommentReport.comment_id.in_(ids)).group_by(CommentReport.comment_id)
                ).all()
            )
    files, target_files = attachments.for_target_and_comments(target, ids)
    addon = target.kind.thread_addon(target, list(threads), viewer) if target.kind.thread_addon and threads else None
    return Discussion(
        target=target,
        threads=list(threads.values()),
        reactions=reactions,
        mine=mine,
        files=files,
        target_files=target_files,
        addon=addon,
        reports=reports,
        following=notifications.is_following(viewer, target),
        etag=tag,
    )


def load_thread(root: Comment, viewer) -> Discussion:
    """The discussion restricted to one thread (for the fragment an action on that thread returns)."""
    discussion = load(target_for(root), viewer)
    discussion.threads = [t for t in discussion.threads if t.root.id == root.id]
    return discussion


def get(comment_id: int) -> Comment | None:
    return db.session.execute(
        select(Comment).options(joinedload(Comment.author), selectinload(Comment.revisions)).where(Comment.id == comment_id)
    ).unique().scalar_one_or_none()


# -- writing ----------------------------------------------------------------------------------

def _check_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise CommentError(_("Write something first."))
    if len(body) > MAX_LENGTH:
        raise CommentError(_("A comment can be at most %(num)d characters long.", num=MAX_LENGTH))
    return body


def _changed(target: Target) -> None:
    live.touch(live_key(target))


def post(target, author, body: str, parent: Comment | None = None, files=()) -> Comment:
    """Add a comment (a reply when `parent` is given) with optional files [(name, bytes)]."""
    target = target_of(target)
    body = _check_body(body)
    if parent is not None:
        if (parent.target_type, parent.target_id) != (target.type, target.id) or parent.is_deleted:
            raise CommentError(_("This thread no longer exists."))
        if parent.parent_id is not None:  # one level of replies: a reply to a reply joins the thread
            parent = db.session.get(Comment, parent.parent_id)
    comment = Comment(
        programme_id=target.programme.id, target_type=target.type, target_id=target.id,
        parent_id=parent.id if parent else None, author_id=author.id, body=body,
    )
    db.session.add(comment)
    db.session.flush()
    for name, data in files:
        attachments.add(resolve("comment", comment.id), author, name, data)

    text = mentions.plain_text(body)
    mentioned = notifications.notify(
        mentions.members_named(target.programme, body), Kind.MENTION, target, author, text, url=_anchor(target, comment)
    )
    replied = []
    if parent is not None:
        participants = {parent.author_id} | set(
            db.session.execute(select(Comment.author_id).where(Comment.parent_id == parent.id)).scalars()
        )
        replied = notifications.notify(
            participants - set(mentioned) - {None}, Kind.REPLY, target, author, text, url=_anchor(target, comment)
        )
    notifications.notify_followers(
        target, Kind.COMMENT, author, text, url=_anchor(target, comment), exclude=set(mentioned) | set(replied)
    )
    notifications.add_follow(author, target)
    if target.kind.on_comment is not None:
        target.kind.on_comment(target.obj, comment, author)
    record_activity(target.programme, author, "comment.replied" if parent else "comment.created", target, text)
    _changed(target)
    db.session.commit()
    return comment


def _anchor(target: Target, comment: Comment) -> str:
    return f"{target.url}#comment-{comment.id}"


def edit(comment: Comment, by, body: str) -> None:
    body = _check_body(body)
    if body == comment.body:
        return
    before = mentions.names_in(comment.body)
    db.session.add(comment.edit(body, by))
    target = target_for(comment)
    # Only people newly named hear about it: an edit does not mention everyone again.
    new_names = mentions.names_in(body) - before
    if new_names:
        named = [u for u in mentions.members_named(target.programme, body) if " ".join(u.name.split()).casefold() in new_names]
        notifications.notify(named, Kind.MENTION, target, by, mentions.plain_text(body), url=_anchor(target, comment))
    record_activity(target.programme, by, "comment.edited", target, mentions.plain_text(body))
    _changed(target)
    db.session.commit()


def delete(comment: Comment, by) -> None:
    target = target_for(comment)
    attachments.remove_for("comment", [comment.id])
    db.session.execute(sql_delete(CommentRevision).where(CommentRevision.comment_id == comment.id))
    comment.delete()
    record_activity(target.programme, by, "comment.deleted", target, "")
    _changed(target)
    db.session.commit()


def react(comment: Comment, user, kind: Reaction) -> None:
    """Agree or disagree; the same choice again takes it back, the other choice replaces it."""
    existing = db.session.execute(select(CommentReaction).filter_by(comment_id=comment.id, user_id=user.id)).scalar_one_or_none()
    if existing is not None and existing.kind == kind:
        db.session.delete(existing)
    elif existing is not None:
        existing.kind = kind
    else:
        db.session.add(CommentReaction(comment_id=comment.id, user_id=user.id, kind=kind))
    _changed(target_for(comment))
    db.session.commit()


def resolve_thread(root: Comment, by, resolved: bool = True) -> None:
    target = target_for(root)
    if resolved and not root.is_resolved:
        root.resolved_at, root.resolved_by_id = utcnow(), by.id
        record_activity(target.programme, by, "comment.resolved", target, mentions.plain_text(root.body))
    elif not resolved and root.is_resolved:
        root.resolved_at, root.resolved_by_id = None, None
        record_activity(target.programme, by, "comment.reopened", target, mentions.plain_text(root.body))
    _changed(target)
    db.session.commit()


def report(comment: Comment, by, reason: str) -> bool:
    """Flag a comment for the moderators. Returns False when this person had already reported it."""
    exists = db.session.execute(select(CommentReport.id).filter_by(comment_id=comment.id, reporter_id=by.id)).first()
    if exists:
        return False
    reason = " ".join((reason or "").split())[:500]
    db.session.add(CommentReport(comment_id=comment.id, reporter_id=by.id, reason=reason))
    target = target_for(comment)
    from app.programmes.models import Membership, Role

    moderators = db.session.execute(
        select(Membership.user_id).where(Membership.programme_id == target.programme.id, Membership.role.in_([Role.EDITOR, Role.OWNER]))
    ).scalars()
    notifications.notify(list(moderators), Kind.MODERATION, target, by, reason or mentions.plain_text(comment.body), url=_anchor(target, comment))
    _changed(target)
    db.session.commit()
    return True


def hide(comment: Comment, by, reason: str) -> None:
    reason = " ".join((reason or "").split())
    if not reason:
        raise CommentError(_("Say why the comment is hidden."))
    comment.hidden_at, comment.hidden_by_id, comment.hidden_reason = utcnow(), by.id, reason[:500]
    target = target_for(comment)
    record_activity(target.programme, by, "comment.hidden", target, reason)
    _changed(target)
    db.session.commit()


def unhide(comment: Comment, by) -> None:
    comment.hidden_at = comment.hidden_by_id = comment.hidden_reason = None
    _changed(target_for(comment))
    db.session.commit()


def author_of(comment: Comment) -> User | None:
    return db.session.get(User, comment.author_id) if comment.author_id else None
