from flask import Blueprint, abort, flash, redirect, send_file
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileField

from app.activity.service import record_activity
from app.attachments import service
from app.attachments.models import Attachment
from app.collab.targets import get_target_for, resolve
from app.comments.routes import attachment_error_message
from app.extensions import db
from app.permissions import can

bp = Blueprint("attachments", __name__)


class UploadForm(FlaskForm):
    file = FileField()


@bp.get("/files/<int:attachment_id>/<path:filename>")
def download(attachment_id, filename):
    """Only for those who may see the object the file is attached to; 404 for everyone else."""
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None:
        abort(404)
    target = resolve(attachment.target_type, attachment.target_id)
    if target is None or not can(current_user, target.kind.view_action, target.obj):
        abort(404)
    path = service.path_of(attachment)
    if not path.exists():
        abort(404)
    response = send_file(
        path, mimetype=attachment.content_type, as_attachment=True, download_name=attachment.filename,
        conditional=True, etag=attachment.sha256, max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-cache"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@bp.post("/t/<target_type>/<int:target_id>/attachments")
@login_required
def upload(target_type, target_id):
    """Attach a file to any target (meetings and drafts use this; comments take files with the comment)."""
    target = get_target_for(current_user, target_type, target_id, "attachment.upload")
    form = UploadForm()
    if not form.validate_on_submit() or not form.file.data or not form.file.data.filename:
        flash(_("Choose a file to upload."), "error")
        return redirect(target.url, code=303)
    try:
        attachment = service.add(target, current_user, form.file.data.filename, form.file.data.read())
    except service.AttachmentError as error:
        db.session.rollback()
        flash(attachment_error_message(error), "error")
        return redirect(target.url, code=303)
    record_activity(target.programme, current_user, "attachment.added", target, attachment.filename)
    db.session.commit()
    flash(_("File attached."), "success")
    return redirect(target.url, code=303)
