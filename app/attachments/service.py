"""Attachments: type decided by the file's content (magic bytes), never by its name or the browser's
word; stored under UPLOAD_FOLDER with a random name; served only through the permission check."""
import hashlib
import io
import os
import secrets
import unicodedata
import zipfile
from pathlib import Path

from flask import current_app
from sqlalchemy import select
from werkzeug.exceptions import RequestEntityTooLarge

from app.attachments.models import Attachment
from app.collab import hooks
from app.collab.targets import Target
from app.extensions import db

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OOXML = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
# The extensions a sniffed type may carry: a file whose name claims something else is refused.
EXTENSIONS = {
    "application/pdf": {"pdf"},
    "image/png": {"png"},
    "image/jpeg": {"jpg", "jpeg"},
    "image/gif": {"gif"},
    "image/webp": {"webp"},
    "application/x-ole-storage": {"doc", "xls", "ppt"},
    OOXML["word/"]: {"docx"},
    OOXML["xl/"]: {"xlsx"},
    OOXML["ppt/"]: {"pptx"},
    "application/vnd.oasis.opendocument.text": {"odt"},
    "application/vnd.oasis.opendocument.spreadsheet": {"ods"},
    "application/vnd.oasis.opendocument.presentation": {"odp"},
}
OLE_TYPES = {"doc": "application/msword", "xls": "application/vnd.ms-excel", "ppt": "application/vnd.ms-powerpoint"}


class AttachmentError(ValueError):
    """The file is refused; the message is shown to the user."""


def sniff(data: bytes) -> str | None:
    """The content type of `data` judged by its bytes, or None when it is not one we accept."""
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data.startswith(OLE):
        return "application/x-ole-storage"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = archive.namelist()
                if "mimetype" in names:
                    mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                    return mimetype if mimetype in EXTENSIONS else None
                if "[Content_Types].xml" in names:
                    for prefix, mimetype in OOXML.items():
                        if any(n.startswith(prefix) for n in names):
                            return mimetype
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
    return None


def clean_filename(name: str) -> str:
    name = unicodedata.normalize("NFC", os.path.basename((name or "").replace("\\", "/")))
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C" and ch not in '"<>|:*?/').strip(" .")
    return name[-200:] or "lampiran"


def check(filename: str, data: bytes) -> tuple[str, str]:
    """(clean file name, content type) or AttachmentError. Oversize raises 413."""
    limit = current_app.config.get("ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
    if len(data) > limit:
        raise RequestEntityTooLarge()
    if not data:
        raise AttachmentError("empty")
    name = clean_filename(filename)
    sniffed = sniff(data)
    if sniffed is None:
        raise AttachmentError("type")
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in EXTENSIONS[sniffed]:
        raise AttachmentError("extension")
    if sniffed == "application/x-ole-storage":
        sniffed = OLE_TYPES[extension]
    return name, sniffed


def folder() -> Path:
    path = Path(current_app.config.get("UPLOAD_FOLDER") or Path(current_app.instance_path) / "uploads")
    path.mkdir(parents=True, exist_ok=True)
    return path


def path_of(attachment: Attachment) -> Path:
    return folder() / attachment.storage_name


def add(target: Target, uploader, filename: str, data: bytes) -> Attachment:
    """Check and store a file for `target`. No commit; the file is removed again if the transaction rolls back."""
    name, content_type = check(filename, data)
    storage_name = secrets.token_hex(20)
    path = folder() / storage_name
    path.write_bytes(data)
    attachment = Attachment(
        programme_id=target.programme.id, target_type=target.type, target_id=target.id,
        uploaded_by_id=uploader.id, filename=name, content_type=content_type, size=len(data),
        sha256=hashlib.sha256(data).hexdigest(), storage_name=storage_name,
    )
    db.session.add(attachment)
    # If the save fails after this, the orphan file goes too.
    db.session.info.setdefault("uploaded_files", []).append(path)
    return attachment


def remove_for(target_type: str, target_ids) -> None:
    """Delete the attachments of targets (no commit); files are unlinked once the deletion commits."""
    rows = list(db.session.execute(
        select(Attachment).where(Attachment.target_type == target_type, Attachment.target_id.in_(list(target_ids)))
    ).scalars())
    paths = [path_of(a) for a in rows]
    for a in rows:
        db.session.delete(a)
    if paths:
        hooks.on_commit(db.session, lambda: [p.unlink(missing_ok=True) for p in paths])


def for_targets(target_type: str, target_ids) -> dict[int, list[Attachment]]:
    ids = list(target_ids)
    result: dict[int, list[Attachment]] = {}
    if not ids:
        return result
    for a in db.session.execute(
        select(Attachment).where(Attachment.target_type == target_type, Attachment.target_id.in_(ids)).order_by(Attachment.id)
    ).scalars():
        result.setdefault(a.target_id, []).append(a)
    return result


def for_target_and_comments(target: Target, comment_ids) -> tuple[dict[int, list[Attachment]], list[Attachment]]:
    """The files of a target and of its comments, in one query: ({comment id: [files]}, [target's files])."""
    from sqlalchemy import and_, or_

    ids = list(comment_ids)
    condition = and_(Attachment.target_type == target.type, Attachment.target_id == target.id)
    if ids:
        condition = or_(condition, and_(Attachment.target_type == "comment", Attachment.target_id.in_(ids)))
    by_comment: dict[int, list[Attachment]] = {}
    own: list[Attachment] = []
    for a in db.session.execute(select(Attachment).where(condition).order_by(Attachment.id)).scalars():
        if a.target_type == target.type and a.target_id == target.id:
            own.append(a)
        else:
            by_comment.setdefault(a.target_id, []).append(a)
    return by_comment, own


def human_size(size: int) -> str:
    for unit in ("B", "KB", "MB"):
        if size < 1024 or unit == "MB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size} B"
