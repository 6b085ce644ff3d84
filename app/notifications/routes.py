from flask import Blueprint, abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from markupsafe import escape

from app.collab import live
from app.collab.targets import get_target_for
from app.extensions import login_manager
from app.notifications import service
from app.notifications.forms import PreferencesForm
from app.notifications.models import Delivery
from app.web import is_inline, is_safe_path, redirect_to, render_page, wants_fragment

bp = Blueprint("notifications", __name__)


@bp.get("/notifications")
@login_required
def index():
    unread_only = request.args.get("filter") == "unread"
    return render_page(
        "notifications/index.html", block="list",
        notifications=service.recent(current_user, unread_only=unread_only), unread_only=unread_only,
        unread=service.unread_count(current_user), sentence=service.sentence,
    )


@bp.get("/notifications/bell")
def bell():
    """The header bell for pages that poll: 304 until something changes for this person (asked of
    the session's viewer, without loading the user: see live.viewer)."""
    viewer = live.viewer()
    if viewer.is_authenticated:
        tag = live.etag(viewer, f"user-{viewer.id}")
        unchanged = live.not_modified(tag)
        if unchanged is not None:
            return unchanged
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    tag = live.etag(current_user, f"user-{current_user.id}")  # moved if the request waited for a change
    unread = service.unread_count(current_user)
    if wants_fragment("bell"):
        response = make_response(bell_html(unread, tag))
        response.vary.add("HX-Request")
    else:
        response = render_page("notifications/bell.html", block="bell", unread=unread, bell_etag=tag)
    return live.with_etag(response, tag)


# Stands for the viewer's ETag in a kept bell (the bell shows nothing a user wrote).
_TAG = "\x00bell-etag\x00"


def bell_html(unread: int, tag: str) -> str:
    """components/_bell.html, as the page's `bell` block renders it, rendered once per unread count
    and language (it is the same for everyone else) with this viewer's ETag put in: a notification
    wakes every open page of its person, and their bells ask for it at once."""
    key = (unread, str(get_locale()), request.script_root)
    kept = current_app.extensions.setdefault("sinergi_bell_html", {})
    html = kept.get(key)
    if html is None:
        if len(kept) >= 1000:  # distinct counts and languages: a handful in practice
            kept.clear()
        html = kept[key] = render_template("components/_bell.html", unread=unread, bell_etag=_TAG)
    return html.replace(_TAG, str(escape(tag)))


def _after_read():
    if is_inline():
        return index()
    target = request.form.get("next")
    return redirect_to(target if is_safe_path(target) else url_for("notifications.index"))


@bp.post("/notifications/<int:notification_id>/read")
@login_required
def mark_read(notification_id):
    if not FlaskForm().validate_on_submit():
        abort(400)
    # Someone else's notification id simply marks nothing.
    service.mark_read(current_user, notification_id)
    return _after_read()


@bp.post("/notifications/read-all")
@login_required
def mark_all_read():
    if not FlaskForm().validate_on_submit():
        abort(400)
    service.mark_read(current_user)
    return _after_read()


@bp.route("/notifications/settings", methods=["GET", "POST"])
@login_required
def settings():
    form = PreferencesForm(data={"delivery": service.delivery_of(current_user).value} if request.method == "GET" else None)
    if form.validate_on_submit():
        service.set_delivery(current_user, Delivery(form.delivery.data))
        flash(_("Notification settings saved."), "success")
        return redirect_to(url_for("notifications.settings"))
    return render_page("notifications/settings.html", block="form", form=form, status=422 if form.errors else 200)


def _follow(target_type, target_id, following: bool):
    target = get_target_for(current_user, target_type, target_id, "notification.follow")
    if not FlaskForm().validate_on_submit():
        abort(400)
    if following:
        service.follow(current_user, target)
    else:
        service.unfollow(current_user, target)
    if is_inline():
        return render_template("components/_follow.html", target=target, following=following)
    flash(_("You follow this now.") if following else _("You no longer follow this."), "info")
    return redirect(target.url, code=303)


@bp.post("/t/<target_type>/<int:target_id>/follow")
@login_required
def follow(target_type, target_id):
    return _follow(target_type, target_id, True)


@bp.post("/t/<target_type>/<int:target_id>/unfollow")
@login_required
def unfollow(target_type, target_id):
    return _follow(target_type, target_id, False)
