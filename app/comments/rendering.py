"""Rendering a discussion cheaply for many viewers (issue 7: a comment wakes 200 open pages, and each
renders its own copy of the discussion).

What a comment looks like depends on the comment and on a few facts about the viewer: what they may
do with it (the rule-book's answers, `CommentRights`), their own reaction, the report count a
moderator sees, their language and time zone. So:

* **Rights once per fragment.** `Rights` asks `can()` once per *kind* of comment (the viewer's own or
  not, deleted, hidden) instead of once per comment and per form: for a comment, the rule-book reads
  nothing else (see `Rights.of`; tests/comments/test_render_cache.py compares it with `can()`).
* **Each comment rendered once per process per distinct input.** `comment_html` renders
  components/_comment.html and keeps the result in a small per-process LRU (`RenderCache`) under a
  key made of *everything the template reads*: the comment's own columns (its stored HTML included),
  its author's name and element, its files, reaction counts, the viewer's reaction and rights, the
  report count, the language, the time zone and the URLs it links to. A changed input is a different
  key, so a cached comment is always what a fresh render would give; an edit, a reaction or a rename
  simply renders again. The thread's footer (`thread_foot_html`, with the reply form) likewise.
* **CSRF tokens are the viewer's own.** Cached HTML holds a placeholder where a form's token goes; it
  is replaced by the viewer's token when the HTML is used (the token is never kept, never shared).
  User content cannot produce the placeholder: it is random per process, and it is a tag (`<csrf …>`)
  while everything a user wrote reaches the HTML escaped or through the sanitiser's allow-list.
"""
import secrets
import threading
from collections import OrderedDict
from typing import NamedTuple

from flask import current_app, g, render_template, request
from flask_babel import get_locale, get_timezone
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from app.markdown import RENDERER
from app.permissions import can

# Stands for the viewer's CSRF token in cached HTML; per process, never sent to anyone.
PLACEHOLDER = Markup(f"<csrf {secrets.token_hex(16)}>")
# How much rendered HTML a worker process keeps (characters, keys included): a few thousand comments.
DEFAULT_BUDGET = 8_000_000


class CommentRights(NamedTuple):
    view: bool
    react: bool
    edit: bool
    delete: bool
    report: bool  # signed in, not the author, and allowed
    moderate: bool


class Rights:
    """What the viewer may do in one discussion, asked of the rule-book once per fragment."""

    def __init__(self, viewer, target):
        # The user itself, not Flask-Login's proxy: each attribute read through the proxy is a context
        # look-up, and the rule-book reads a few per question.
        viewer = getattr(viewer, "_get_current_object", lambda: viewer)()
        self.viewer = viewer
        self.signed_in = viewer is not None and viewer.is_authenticated
        self.viewer_id = viewer.id if self.signed_in else None
        self.create = can(viewer, "comment.create", target.obj)
        self.resolve = can(viewer, "comment.resolve", target.obj)
        self._of_kind: dict = {}

    def of(self, comment) -> CommentRights:
        """The viewer's rights on `comment`. For a comment, `can()` depends only on the viewer, the
        comment's programme, whether the viewer wrote it, and whether it is deleted or hidden
        (app/permissions.py: AUTHOR_ONLY, _can_view_comment): so it is asked once per such kind."""
        own = self.viewer_id is not None and comment.author_id == self.viewer_id
        kind = (comment.programme_id, own, comment.deleted_at is None, comment.hidden_at is None)
        rights = self._of_kind.get(kind)
        if rights is None:
            viewer = self.viewer
            rights = self._of_kind[kind] = CommentRights(
                view=can(viewer, "comment.view", comment),
                react=can(viewer, "comment.react", comment),
                edit=can(viewer, "comment.edit", comment),
                delete=can(viewer, "comment.delete", comment),
                report=self.signed_in and not own and can(viewer, "comment.report", comment),
                moderate=can(viewer, "comment.moderate", comment),
            )
        return rights


class RenderCache:
    """A thread-safe LRU of rendered HTML bounded by its size in characters (a budget of 0: off)."""

    def __init__(self, budget: int):
        self.budget = budget
        self.size = 0
        self.items: OrderedDict = OrderedDict()
        self.lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key):
        if not self.budget:
            return None
        with self.lock:
            html = self.items.get(key)
            if html is None:
                self.misses += 1
                return None
            self.items.move_to_end(key)
            self.hits += 1
            return html

    def put(self, key, html: str, cost: int) -> None:
        if not self.budget or cost > self.budget // 16:  # one huge comment must not empty the cache
            return
        with self.lock:
            old = self.items.pop(key, None)
            if old is not None:
                self.size -= old[1]
            self.items[key] = (html, cost)
            self.size += cost
            while self.size > self.budget:
                _, (_, freed) = self.items.popitem(last=False)
                self.size -= freed

    def clear(self) -> None:
        with self.lock:
            self.items.clear()
            self.size = 0


def cache() -> RenderCache:
    app = current_app._get_current_object()
    found = app.extensions.get("sinergi_comment_html")
    if found is None:
        found = app.extensions.setdefault(
            "sinergi_comment_html", RenderCache(int(app.config.get("COMMENT_RENDER_CACHE", DEFAULT_BUDGET)))
        )
    return found


def _placeholder() -> str:
    return PLACEHOLDER


def _render(template: str, **context) -> str:
    """Render a part to keep: the placeholder where a CSRF token goes, in it and in every part it
    takes in (g.comments_rendering tells comment_html() not to put the viewer's token in)."""
    g.comments_rendering = g.get("comments_rendering", 0) + 1
    try:
        return current_app.jinja_env.get_template(template).render(csrf_token=_placeholder, **context)
    finally:
        g.comments_rendering -= 1


def _with_token(html: str) -> Markup:
    if PLACEHOLDER in html and not g.get("comments_rendering"):
        token = g.get("comments_csrf_html")
        if token is None:
            token = g.comments_csrf_html = str(escape(generate_csrf()))
        html = html.replace(PLACEHOLDER, token)
    return Markup(html)


def _cached(key, cost_of: int, template: str, **context) -> Markup:
    store = cache()
    found = store.get(key)
    if found is None:
        html = _render(template, **context)
        store.put(key, html, len(html) + cost_of)
    else:
        html = found[0]
    return _with_token(html)


def view_context(discussion) -> tuple:
    """What every cached part of a discussion also depends on: language, time zone, and the URLs it
    is built into (the target's page, the application's root)."""
    if discussion._view is None:
        discussion._view = (str(get_locale()), str(get_timezone()), request.script_root, discussion.link_base)
    return discussion._view


def _comment_key(discussion, c) -> tuple:
    """Everything components/_comment.html reads, for the viewer of `discussion`."""
    author, hidden_by, files = c.author, c.hidden_by, discussion.files.get(c.id)
    reactions = discussion.reactions.get(c.id)
    return (
        "comment", view_context(discussion), discussion.rights.of(c),
        c.id, c.parent_id, c.created_at, c.edited_at, c.deleted_at, c.hidden_at, c.hidden_reason,
        c.html_renderer, c.body_html, None if c.html_renderer == RENDERER else c.body,
        c.author_id, author.name if author else None, author.organisation.element if author else None,
        hidden_by.name if hidden_by else None,
        tuple((a.id, a.filename, a.size) for a in files) if files else (),
        (reactions["agree"], reactions["disagree"]) if reactions else None,
        discussion.mine.get(c.id), discussion.reports.get(c.id),
    )


def _foot_key(discussion, root) -> tuple:
    """Everything components/_thread_foot.html reads."""
    rights, resolved_by = discussion.rights, root.resolved_by
    return (
        "foot", view_context(discussion), discussion.target.type, discussion.target.id, rights.create, rights.resolve,
        root.id, root.deleted_at is None, root.resolved_at, resolved_by.name if resolved_by else None,
    )


def comment_html(discussion, c) -> Markup:
    """components/_comment.html for `c`, from the cache when the same inputs were rendered before."""
    return _cached(_comment_key(discussion, c), len(c.body_html), "components/_comment.html",
                   c=c, discussion=discussion, rights=discussion.rights.of(c))


def thread_foot_html(discussion, root) -> Markup:
    """components/_thread_foot.html for the thread of `root`: the resolved note, the reply box, the
    resolve form."""
    return _cached(_foot_key(discussion, root), 0, "components/_thread_foot.html",
                   root=root, discussion=discussion, rights=discussion.rights)


def thread_html(discussion, thread) -> Markup:
    """components/_thread.html for `thread`: kept whole when the target adds nothing of its own to
    threads (a draft's "addressed in version" is rendered every time, around the kept comments)."""
    if discussion.addon is not None:
        return Markup(render_template("components/_thread.html", discussion=discussion, thread=thread))
    comments = thread.comments
    key = ("thread", tuple(_comment_key(discussion, c) for c in comments), _foot_key(discussion, thread.root))
    return _cached(key, sum(len(c.body_html) for c in comments), "components/_thread.html",
                   discussion=discussion, thread=thread)
