"""Comment threads on any registered target. Each mutation answers htmx with the fragment it changed
(the thread, or a new thread appended) and a plain form with a redirect to the comment."""
import click
from flask import Blueprint, abort, current_app, flash, jsonify, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.attachments.service import AttachmentError
from app.collab import drafts, live
from app.collab.targets import Target, get_target_for, resolve, target_of
import app.comments.backup  # noqa: F401  (what the programme export does with comments)
from app.comments import mentions, rendering, service
from app.comments.forms import CommentForm, ConfirmForm, EditForm, ReasonForm
from app.comments.models import Comment, Reaction
from app.extensions import db, limiter
from app.permissions import can
from app.web import is_inline, render_page, retarget, wants_fragment

bp = Blueprint("comments", __name__)
bp.add_app_template_global(rendering.comment_html, "comment_html")
bp.add_app_template_global(rendering.thread_foot_html, "thread_foot_html")
bp.add_app_template_global(rendering.thread_html, "thread_html")


def _poster() -> str:
    """Comment posting is counted per person (several colleagues may share one office address)."""
    return f"user:{current_user.get_id()}" if current_user.is_authenticated else f"ip:{request.remote_addr}"


def attachment_error_message(error: AttachmentError) -> str:
    return {
        "empty": _("The file is empty."),
        "type": _("This kind of file is not accepted. Attach a PDF, an office document or an image (PNG, JPEG, GIF, WebP)."),
        "extension": _("The file's name does not match its content. Rename it or attach the original file."),
    }.get(str(error), _("This file cannot be attached."))


def get_comment_for(user, comment_id: int, action: str | None = None) -> tuple[Comment, Target]:
    """Load a comment and its target: 404 if either is gone or the user may not see the comment,
    403 if they may see it but not take `action`."""
    comment = service.get(comment_id)
    if comment is None:
        abort(404)
    target = resolve(comment.target_type, comment.target_id)
    if target is None or not can(user, target.kind.view_action, target.obj) or not can(user, "comment.view", comment):
        abort(404)
    if action is not None and not can(user, action, comment):
        abort(403)
    return comment, target


def _root_id(comment: Comment) -> int:
    return comment.parent_id or comment.id


def _fragment(html: str, status: int = 200):
    response = make_response(html, status)
    response.vary.add("HX-Request")
    return response


def _thread_fragment(target: Target, root_id: int):
    discussion = service.load(target, current_user, thread=root_id)
    thread = discussion.threads[0] if discussion.threads else None
    return _fragment(render_template("components/_thread.html", discussion=discussion, thread=thread))


def page_discussion(obj) -> service.Discussion:
    """The discussion a page shows (`discussion_for` in templates): its latest threads; with
    ?comment=<id> (the links of notifications and search) everything from that comment's thread on;
    with ?comments_before=<root id> (the "earlier threads" link without JavaScript) the threads
    before that one too."""
    discussion = service.load(
        target_of(obj), current_user, since_comment=request.args.get("comment", type=int),
        earlier_than=request.args.get("comments_before", type=int),
        since=request.args.get("comments_before", type=int),
    )
    _link_earlier(discussion)
    return discussion


def _link_earlier(discussion: service.Discussion) -> None:
    if discussion.earlier and discussion.first is not None and request.endpoint:
        args = {k: v for k, v in request.args.items() if k not in ("comment", "comments_before", "fragment")}
        discussion.earlier_href = url_for(
            request.endpoint, **(request.view_args or {}), **args, comments_before=discussion.first,
            _anchor=f"thread-{discussion.first}",
        )


def thread_response(comment: Comment, target: Target, message: str | None = None):
    """For other domains acting on a thread (e.g. a draft marking it addressed): the same answer as ours."""
    return _after_change(comment, target, message=message)


def _after_change(comment: Comment, target: Target, draft: str | None = None, message: str | None = None):
    """An in-page htmx request: the changed thread; a plain (or boosted) form: back to the comment."""
    if is_inline():
        response = _thread_fragment(target, _root_id(comment))
    else:
        if message:
            flash(message, "success")
        response = redirect(service.comment_url(target, comment), code=303)
    return drafts.confirm_saved(response, draft)


@bp.get("/t/<target_type>/<int:target_id>/comments")
def index(target_type, target_id):
    """The discussion on a page of its own. ?comments_before=<root id> from an htmx "earlier threads"
    control: only the threads before that one, with the control for those before them."""
    target = get_target_for(current_user, target_type, target_id)
    before = request.args.get("comments_before", type=int)
    if before is not None and is_inline():
        discussion = service.load(target, current_user, earlier_than=before, upto=before)
        _link_earlier(discussion)
        return _fragment(render_template("components/_earlier_threads.html", discussion=discussion))
    return render_page("comments/index.html", block="discussion", discussion=page_discussion(target.obj))


@bp.get("/t/<target_type>/<int:target_id>/comments/live")
def live_threads(target_type, target_id):
    """The threads of a discussion for pages that poll: 304 while nothing changed (one cheap version
    read), the fresh fragment otherwise. The permission check runs whenever content is sent.
    ?since and ?upto (root ids, from Discussion.live_args) keep the window the page shows."""
    key = f"comments-{target_type}-{target_id}"
    tag = live.etag(live.viewer(), key)
    unchanged = live.not_modified(tag)
    if unchanged is not None:
        return unchanged
    target = get_target_for(current_user, target_type, target_id)
    since, upto = request.args.get("since", type=int), request.args.get("upto", type=int)
    discussion = service.load(target, current_user, last=None, since=since, upto=upto)
    response = _fragment(render_template("components/_threads.html", discussion=discussion, region_only=upto is not None))
    return live.with_etag(response, discussion.etag)


@bp.post("/t/<target_type>/<int:target_id>/comments")
@login_required
@limiter.limit(lambda: current_app.config["RATELIMIT_COMMENT"], key_func=_poster)
def create(target_type, target_id):
    target = get_target_for(current_user, target_type, target_id, "comment.create")
    form = CommentForm()
    parent = None
    if form.parent_id.data:
        parent = db.session.get(Comment, form.parent_id.data)
        if parent is None or (parent.target_type, parent.target_id) != (target.type, target.id):
            abort(404)
    if form.validate_on_submit():
        files = [(f.filename, f.read()) for f in (form.files.data or []) if f and f.filename]
        try:
            comment = service.post(target, current_user, form.body.data, parent=parent, files=files)
        except AttachmentError as error:
            db.session.rollback()
            form.files.errors = [attachment_error_message(error)]
        except service.CommentError as error:
            db.session.rollback()
            form.body.errors = [str(error)]
        else:
            if is_inline():
                return drafts.confirm_saved(_thread_fragment(target, _root_id(comment)), form.draft.data)
            flash(_("Comment posted."), "success")
            return drafts.confirm_saved(redirect(service.comment_url(target, comment), code=303), form.draft.data)
    # Errors: htmx gets the form back in place; a plain form gets the discussion page.
    if is_inline():  # the form needs the target only: no thread is loaded (thread 0 is none)
        discussion = service.load(target, current_user, thread=parent.id if parent else 0)
    if is_inline():
        html = render_template("components/_comment_form.html", discussion=discussion, comment_form=form, parent=parent)
        selector = f"#reply-form-{parent.id}" if parent else f"#comment-form-{target.key}"
        return retarget(_fragment(html, 422), selector)
    discussion = page_discussion(target.obj)
    return render_page("comments/index.html", discussion=discussion, comment_form=form, reply_to=parent, status=422)


@bp.get("/t/<target_type>/<int:target_id>/mentions")
@login_required
def suggest_mentions(target_type, target_id):
    """Members of the target's programme whose name starts with (or contains) `q`, for @-autocomplete."""
    target = get_target_for(current_user, target_type, target_id)
    users = mentions.suggestions(target.programme, request.args.get("q", "")[:60])
    return jsonify(
        [
            {"name": u.name, "mention": f"@[{u.name}]", "organisation": u.organisation.display_name,
             "element": u.organisation.element.value, "element_label": str(u.organisation.element.label)}
            for u in users
        ]
    )


@bp.get("/comments/<int:comment_id>")
def show(comment_id):
    comment, target = get_comment_for(current_user, comment_id)
    discussion = service.load(target, current_user, thread=_root_id(comment))
    return render_page(
        "comments/show.html", block="thread", discussion=discussion, thread=discussion.threads[0], comment=comment
    )


@bp.route("/comments/<int:comment_id>/edit", methods=["GET", "POST"])
@login_required
def edit(comment_id):
    comment, target = get_comment_for(current_user, comment_id, "comment.edit")
    if comment.is_deleted:
        abort(404)
    form = EditForm(data={"body": comment.body}) if request.method == "GET" else EditForm()
    inline = wants_fragment("form")
    if form.validate_on_submit():
        try:
            service.edit(comment, current_user, form.body.data)
        except service.CommentError as error:
            db.session.rollback()
            form.body.errors = [str(error)]
        else:
            return _after_change(comment, target, form.draft.data, _("Comment saved."))
    status = 422 if form.errors else 200
    response = render_page("comments/edit.html", block="form", comment=comment, target=target, form=form, inline=inline, status=status)
    return retarget(response, f"#comment-{comment.id}") if status == 422 else response


@bp.post("/comments/<int:comment_id>/delete")
@login_required
def delete(comment_id):
    comment, target = get_comment_for(current_user, comment_id, "comment.delete")
    if not ConfirmForm().validate_on_submit():
        abort(400)
    service.delete(comment, current_user)
    return _after_change(comment, target, message=_("Comment deleted."))


@bp.post("/comments/<int:comment_id>/react")
@login_required
def react(comment_id):
    comment, target = get_comment_for(current_user, comment_id, "comment.react")
    try:
        kind = Reaction(request.form.get("kind", ""))
    except ValueError:
        abort(400)
    if not ConfirmForm().validate_on_submit() or comment.is_deleted:
        abort(400)
    service.react(comment, current_user, kind)
    return _after_change(comment, target)


def _resolve(comment_id: int, resolved: bool):
    comment, target = get_comment_for(current_user, comment_id, "comment.resolve")
    if not comment.is_root or not ConfirmForm().validate_on_submit():
        abort(400)
    service.resolve_thread(comment, current_user, resolved)
    return _after_change(comment, target, message=_("Thread resolved.") if resolved else _("Thread reopened."))


@bp.post("/comments/<int:comment_id>/resolve")
@login_required
def resolve_thread(comment_id):
    return _resolve(comment_id, True)


@bp.post("/comments/<int:comment_id>/reopen")
@login_required
def reopen_thread(comment_id):
    return _resolve(comment_id, False)


@bp.post("/comments/<int:comment_id>/report")
@login_required
def report(comment_id):
    comment, target = get_comment_for(current_user, comment_id, "comment.report")
    form = ReasonForm()
    if not form.validate_on_submit() or comment.is_deleted:
        abort(400)
    created = service.report(comment, current_user, form.reason.data)
    if not is_inline():
        flash(_("Thank you. The moderators have been told.") if created else _("You have already reported this comment."), "info")
    return _after_change(comment, target)


@bp.post("/comments/<int:comment_id>/hide")
@login_required
def hide(comment_id):
    comment, target = get_comment_for(current_user, comment_id, "comment.moderate")
    form = ReasonForm()
    if not form.validate_on_submit() or comment.is_deleted:
        abort(400)
    try:
        service.hide(comment, current_user, form.reason.data)
    except service.CommentError as error:
        db.session.rollback()
        abort(400)
    return _after_change(comment, target, message=_("Comment hidden."))


@bp.post("/comments/<int:comment_id>/unhide")
@login_required
def unhide(comment_id):
    comment, target = get_comment_for(current_user, comment_id, "comment.moderate")
    if not ConfirmForm().validate_on_submit():
        abort(400)
    service.unhide(comment, current_user)
    return _after_change(comment, target, message=_("Comment shown again."))


@bp.get("/comments/<int:comment_id>/history")
def history(comment_id):
    comment, target = get_comment_for(current_user, comment_id)
    return render_page("comments/history.html", block="history", comment=comment, target=target, author=service.author_of(comment))


@bp.cli.command("render")
def render_command():
    """Render again every comment whose stored HTML another renderer made (after a change of the
    sanitiser or of Markdown; until then those comments are rendered on every view)."""
    count = service.render_stale(db.session.connection())
    db.session.commit()
    click.echo(f"Comments rendered: {count}")
