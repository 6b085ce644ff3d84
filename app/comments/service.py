"""Comments on any registered target. Each public function here owns its one commit.

Posting a comment, in one transaction: the comment, its attachments, notifications (mentions,
reply, followers), the author following the target, an activity entry, the search index (through
the session, see app/search/service.py) and the live-update version of the target's discussion.
"""
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import Integer, String, and_, bindparam, delete as sql_delete, exists, func, literal, or_, select, true, update
from sqlalchemy.orm import aliased, joinedload, selectinload

from app.accounts.models import User
from app.activity.service import record_activity
from app.attachments import service as attachments
from app.attachments.models import Attachment
from app.organisations.models import Organisation
from app.collab import live
from app.collab.targets import Target, ThreadAddon, resolve, target_of
from app.comments import mentions, rendering
from app.comments.models import Comment, CommentReaction, CommentReport, CommentRevision, Reaction, render_body
from app.extensions import db
from app.notifications import service as notifications
from app.markdown import RENDERER
from app.notifications.models import Follow, Kind
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

# A long discussion is not sent whole: a page shows its most recent threads and offers the earlier
# ones (components/_earlier.html), the way Loomio and Discourse do.
THREADS_PER_PAGE = 10


class _Person:
    """Who wrote, resolved or hid a comment of a loaded discussion: what the partials read of them."""

    __slots__ = ("id", "name", "organisation")

    def __init__(self, id, name, element=None):
        self.id, self.name = id, name
        self.organisation = _Organisation(element) if element is not None else None

    @property
    def element(self):
        return self.organisation.element


class _Organisation:
    __slots__ = ("element",)

    def __init__(self, element):
        self.element = element


_COLUMNS = tuple(column.key for column in Comment.__table__.columns)
assert _COLUMNS[0] == "id"  # load() reads a row's comment id first


class CommentView:
    """One comment of a loaded discussion: the comment's columns, its programme, its author (name and
    element) and who resolved or hid it (name), read as plain rows. The ORM's cost per entity (a
    comment and up to three users with their organisations) was most of loading a discussion; the
    partials and the rule-book read nothing else. Not for writing: services take a Comment."""

    __slots__ = (*_COLUMNS, "programme", "author", "resolved_by", "hidden_by")

    is_root = Comment.is_root
    is_deleted = Comment.is_deleted
    is_hidden = Comment.is_hidden
    is_resolved = Comment.is_resolved
    html = Comment.html

    def __repr__(self) -> str:
        return f"<CommentView {self.id} on {self.target_type}:{self.target_id}>"


@dataclass
class Thread:
    root: Comment
    replies: list = field(default_factory=list)

    @property
    def comments(self):
        return [self.root, *self.replies]


@dataclass
class Discussion:
    """What the thread partials show, loaded in a fixed number of queries whatever its size: the
    threads of one window (root comments in order of writing, each with its replies)."""

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
    count: int = 0  # comments of the whole discussion, not only the window's (deleted ones left out)
    earlier: int = 0  # threads before the window
    upto: int | None = None  # the window ends before this root (None: at the newest thread)
    earlier_href: str | None = None  # the page with the earlier threads too (set by the route: no JS)
    viewer: object = None  # whom it was loaded for (the reactions and report counts are theirs)
    _url: str | None = None
    _rights: "rendering.Rights | None" = None
    _view: tuple | None = None  # rendering.view_context()

    @property
    def key(self) -> str:
        return self.target.key

    @property
    def rights(self) -> "rendering.Rights":
        """What the viewer may do here, asked of the rule-book once (components/_comment.html)."""
        if self._rights is None:
            self._rights = rendering.Rights(self.viewer, self.target)
        return self._rights

    @property
    def link_base(self) -> str:
        """The target's URL, built once per discussion."""
        if self._url is None:
            self._url = self.target.url
        return self._url

    def link(self, comment: Comment) -> str:
        """A comment's permalink (comment_url)."""
        url = self.link_base
        return f"{url}{'&' if '?' in url else '?'}comment={comment.id}#comment-{comment.id}"

    @property
    def first(self) -> int | None:
        """The root of the first thread shown."""
        return self.threads[0].root.id if self.threads else self.upto

    @property
    def live_args(self) -> dict:
        """The window a live poll asks for: from the first thread shown when earlier ones are left out
        (threads written meanwhile join it), up to `upto` when the window has an end."""
        args = {}
        if self.earlier and self.first is not None:
            args["since"] = self.first
        if self.upto is not None:
            args["upto"] = self.upto
        return args


def _at_or_after(row, root_id):
    """`row` (a root comment) comes at or after the root `root_id` in the discussion's order."""
    other = aliased(Comment)
    at = select(other.created_at).where(other.id == root_id).scalar_subquery()
    return or_(row.created_at > at, and_(row.created_at == at, row.id >= root_id))


def _param(name: str):
    return bindparam(name, type_=Integer)


# The window's statement, built once per shape (which of load()'s arguments are given): building it
# cost more than running it (about 2 ms of SQLAlchemy per live answer). The values are bound.
_statements: dict[tuple, object] = {}


def _window_statement(shape: tuple):
    statement = _statements.get(shape)
    if statement is None:
        statement = _statements.setdefault(shape, _build_window_statement(*shape))
    return statement


def _build_window_statement(thread, last, earlier_than, since, since_comment, upto, signed_in, moderator):
    """The query of load() for this shape (each argument: whether that parameter is given). Parameters:
    target_type, target_id and those given (thread, last, earlier_than, since, since_comment, upto,
    viewer_id)."""
    target_type, target_id = bindparam("target_type", type_=String), _param("target_id")
    own = and_(Comment.target_type == target_type, Comment.target_id == target_id)

    root = aliased(Comment, name="root")
    is_root = and_(root.target_type == target_type, root.target_id == target_id, root.parent_id.is_(None))
    since_root = _param("since") if since else None
    if thread:
        window = root.id == _param("thread")
    else:
        parts = []
        if last:
            newest = aliased(Comment, name="newest")
            recent = select(newest.id).where(
                newest.target_type == target_type, newest.target_id == target_id, newest.parent_id.is_(None)
            )
            if earlier_than:
                recent = recent.where(~_at_or_after(newest, _param("earlier_than")))
            parts.append(root.id.in_(recent.order_by(newest.created_at.desc(), newest.id.desc()).limit(_param("last"))))
        if since_comment:
            anchor = aliased(Comment, name="anchor")
            since_root = (
                select(func.coalesce(anchor.parent_id, anchor.id))
                .where(anchor.id == _param("since_comment"), anchor.target_type == target_type, anchor.target_id == target_id)
                .scalar_subquery()
            )
        if since_root is not None:
            parts.append(_at_or_after(root, since_root))
        window = or_(*parts) if parts else true()
        if upto:
            window = and_(window, ~_at_or_after(root, _param("upto")))
    in_window = func.coalesce(Comment.parent_id, Comment.id).in_(select(root.id).where(is_root, window))

    # What the heading and the window's edges need, as one row the comments are outer-joined to:
    # there is a row even when the window (or the discussion) is empty.
    counted = aliased(Comment, name="counted")
    threads_total = select(func.count()).select_from(root).where(is_root).scalar_subquery()
    after = (
        select(func.count()).select_from(root).where(is_root, _at_or_after(root, _param("upto"))).scalar_subquery()
        if upto else literal(0)
    )
    visible = select(func.count()).select_from(counted).where(
        counted.target_type == target_type, counted.target_id == target_id, counted.deleted_at.is_(None)
    ).scalar_subquery()
    following = (
        exists().where(Follow.user_id == _param("viewer_id"), Follow.target_type == target_type, Follow.target_id == target_id)
        if signed_in else literal(False)
    )
    target_files = exists().where(Attachment.target_type == target_type, Attachment.target_id == target_id)
    head = select(
        threads_total.label("threads"), after.label("after"), visible.label("visible"),
        following.label("following"), target_files.label("target_files"),
    ).subquery("head")

    def reactions_of(kind):
        return (
            select(func.count()).where(CommentReaction.comment_id == Comment.id, CommentReaction.kind == kind)
            .scalar_subquery()
        )

    mine_of = (
        select(CommentReaction.kind).where(CommentReaction.comment_id == Comment.id, CommentReaction.user_id == _param("viewer_id"))
        .limit(1).scalar_subquery() if signed_in else literal(None)
    )
    reports_of = (
        select(func.count()).where(CommentReport.comment_id == Comment.id).scalar_subquery() if moderator else literal(0)
    )
    files_of = exists().where(Attachment.target_type == "comment", Attachment.target_id == Comment.id)
    author, resolver, hider = (aliased(User, name=name) for name in ("author", "resolver", "hider"))
    return (
        select(
            head, *(getattr(Comment, name) for name in _COLUMNS),
            author.name, Organisation.element, resolver.name, hider.name,
            reactions_of(Reaction.AGREE), reactions_of(Reaction.DISAGREE), mine_of, reports_of, files_of,
        )
        .select_from(head)
        .outerjoin(Comment, and_(own, in_window))
        .outerjoin(author, author.id == Comment.author_id)
        .outerjoin(Organisation, Organisation.id == author.organisation_id)
        .outerjoin(resolver, resolver.id == Comment.resolved_by_id)
        .outerjoin(hider, hider.id == Comment.hidden_by_id)
        .order_by(Comment.created_at, Comment.id)
    )


def load(target, viewer, *, last: int | None = THREADS_PER_PAGE, earlier_than: int | None = None,
         since: int | None = None, since_comment: int | None = None, upto: int | None = None,
         thread: int | None = None) -> Discussion:
    """One window of the target's discussion, in one query (plus one for files when there are any).

    The window's threads: the `last` most recent ones (of those before the root `earlier_than`,
    when given), and every thread from the root `since` (or from the thread of the comment
    `since_comment`: a link to a comment shows its thread) on; none from the root `upto` on.
    `last=None` without `since`: every thread. `thread`: that one thread only. Any thread the
    window takes in is whole (all its replies)."""
    target = target_of(target)
    tag = live.etag(viewer, live_key(target))
    signed_in = viewer is not None and viewer.is_authenticated
    moderator = can(viewer, "comment.moderate", target.obj)
    # Which parameters the window's statement takes: one thread ignores the window's arguments;
    # `earlier_than` narrows `last` only; the thread of `since_comment` replaces `since`.
    given = {"target_type": target.type, "target_id": target.id}
    if thread is not None:
        given["thread"] = thread
    else:
        if last is not None:
            given["last"] = last
            if earlier_than is not None:
                given["earlier_than"] = earlier_than
        if since_comment is not None:
            given["since_comment"] = since_comment
        elif since is not None:
            given["since"] = since
    if upto is not None:
        given["upto"] = upto
    if signed_in:
        given["viewer_id"] = viewer.id
    shape = tuple(name in given for name in ("thread", "last", "earlier_than", "since", "since_comment", "upto", "viewer_id"))
    statement = _window_statement((*shape, moderator))
    rows = db.session.execute(statement, given).all()

    first = rows[0]
    threads: dict[int, Thread] = {}
    comments, reactions, mine, reports, with_files = [], {}, {}, {}, []
    programme, width = target.programme, len(_COLUMNS)
    for row in rows:
        values = row[5:5 + width]
        if values[0] is None:  # the discussion's head row with no comment in the window
            continue
        c = CommentView()
        for name, value in zip(_COLUMNS, values):
            setattr(c, name, value)
        # The programme is known: permission checks on each comment cost nothing.
        c.programme = programme
        author_name, element, resolver_name, hider_name, agree, disagree, my_kind, reported, has_files = row[5 + width:]
        c.author = _Person(c.author_id, author_name, element) if author_name is not None else None
        c.resolved_by = _Person(c.resolved_by_id, resolver_name) if resolver_name is not None else None
        c.hidden_by = _Person(c.hidden_by_id, hider_name) if hider_name is not None else None
        comments.append(c)
        if agree or disagree:
            reactions[c.id] = {"agree": agree, "disagree": disagree}
        if my_kind is not None:
            mine[c.id] = Reaction(my_kind)
        if reported:
            reports[c.id] = reported
        if has_files:
            with_files.append(c.id)
        if c.parent_id is None:
            threads[c.id] = Thread(c)
    for c in comments:
        if c.parent_id is not None and c.parent_id in threads:
            threads[c.parent_id].replies.append(c)
    files, own_files = {}, []
    if with_files or first.target_files:
        files, own_files = attachments.for_target_and_comments(target, with_files)
    addon = target.kind.thread_addon(target, list(threads), viewer) if target.kind.thread_addon and threads else None
    earlier = 0 if thread is not None else max(0, first.threads - len(threads) - first.after)
    return Discussion(
        target=target,
        threads=list(threads.values()),
        reactions=reactions,
        mine=mine,
        files=files,
        target_files=own_files,
        addon=addon,
        reports=reports,
        following=bool(first.following),
        etag=tag,
        count=first.visible,
        earlier=earlier,
        upto=upto,
        viewer=viewer,
    )


def load_thread(root: Comment, viewer) -> Discussion:
    """One thread of the discussion (for the fragment an action on that thread returns): its cost
    does not depend on how long the rest of the discussion is."""
    return load(target_for(root), viewer, thread=root.id)


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
        parent_id=parent.id if parent else None, author_id=author.id,
    )
    comment.set_body(body)  # rendered once: the page, the excerpts and the search index read it
    db.session.add(comment)
    db.session.flush()
    for name, data in files:
        attachments.add(resolve("comment", comment.id), author, name, data)

    text = mentions.text_of(comment.body_html)
    url = comment_url(target, comment)
    mentioned = notifications.notify(mentions.members_named(target.programme, body), Kind.MENTION, target, author, text, url=url)
    replied = []
    if parent is not None:
        participants = {parent.author_id} | set(
            db.session.execute(select(Comment.author_id).where(Comment.parent_id == parent.id)).scalars()
        )
        replied = notifications.notify(participants - set(mentioned) - {None}, Kind.REPLY, target, author, text, url=url)
    notifications.notify_followers(target, Kind.COMMENT, author, text, url=url, exclude=set(mentioned) | set(replied))
    notifications.add_follow(author, target)
    if target.kind.on_comment is not None:
        target.kind.on_comment(target.obj, comment, author)
    record_activity(target.programme, author, "comment.replied" if parent else "comment.created", target, text)
    _changed(target)
    db.session.commit()
    return comment


def comment_url(target: Target, comment: Comment) -> str:
    """A link to a comment: its target's page, asked to show the comment's thread (which may be
    older than the threads a page shows at first), scrolled to the comment."""
    url = target.url
    return f"{url}{'&' if '?' in url else '?'}comment={comment.id}#comment-{comment.id}"



def edit(comment: Comment, by, body: str) -> None:
    body = _check_body(body)
    if body == comment.body:
        return
    before = mentions.names_in(comment.body)
    db.session.add(comment.edit(body, by))
    target = target_for(comment)
    # Only people newly named hear about it: an edit does not mention everyone again.
    new_names = mentions.names_in(body) - before
    text = mentions.text_of(comment.body_html)
    if new_names:
        named = [u for u in mentions.members_named(target.programme, body) if " ".join(u.name.split()).casefold() in new_names]
        notifications.notify(named, Kind.MENTION, target, by, text, url=comment_url(target, comment))
    record_activity(target.programme, by, "comment.edited", target, text)
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
        record_activity(target.programme, by, "comment.resolved", target, mentions.text_of(root.html))
    elif not resolved and root.is_resolved:
        root.resolved_at, root.resolved_by_id = None, None
        record_activity(target.programme, by, "comment.reopened", target, mentions.text_of(root.html))
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
    notifications.notify(list(moderators), Kind.MODERATION, target, by, reason or mentions.text_of(comment.html), url=comment_url(target, comment))
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


# -- stored HTML ------------------------------------------------------------------------------

def render_stale(connection, batch: int = 500) -> int:
    """Render again, from their text, the comments whose stored HTML another renderer made (or that
    have none yet). Takes a connection, so a migration can call it too; the caller commits."""
    table = Comment.__table__
    done, last_id = 0, 0
    while True:
        rows = connection.execute(
            select(table.c.id, table.c.body)
            .where(table.c.html_renderer != RENDERER, table.c.id > last_id)
            .order_by(table.c.id).limit(batch)
        ).all()
        if not rows:
            return done
        connection.execute(
            update(table).where(table.c.id == bindparam("comment_id")).values(body_html=bindparam("html"), html_renderer=RENDERER),
            [{"comment_id": row.id, "html": render_body(row.body)} for row in rows],
        )
        done += len(rows)
        last_id = rows[-1].id
