"""Drafts in the shared comment threads (app/comments): what the draft domain adds to a discussion
of a draft or one of its units. Wired in app/collab/domains.py through the targets registry.

- A comment or reply posted while the draft is in Konsultasi publik is an input of the public-input
  register (as a suggested amendment is), written in the comment's own transaction.
- An editor may mark a thread "ditangani di versi N": addressed in one of the draft's named versions.
"""
from flask_babel import gettext as _
from sqlalchemy import delete, select

from app.collab import live
from app.collab.targets import Target, ThreadAddon, target_of
from app.drafts.models import AddressedThread, Draft, NamedVersion, PublicInput, Unit
from app.extensions import db
from app.permissions import can
from app.types import utcnow


class ThreadError(ValueError):
    """Refused; the message is shown to the user."""


def draft_of(obj) -> Draft:
    return obj if isinstance(obj, Draft) else obj.draft


def comment_posted(obj, comment, author) -> None:
    """targets hook `on_comment`: no commit here, the comment service commits both."""
    from app.comments.mentions import plain_text

    draft = draft_of(obj)
    if not draft.open_for_public_input:
        return
    db.session.add(PublicInput(
        draft_id=draft.id, unit_id=obj.id if isinstance(obj, Unit) else None, comment_id=comment.id,
        author_id=author.id, author_name=author.name, element=author.element,
        text=plain_text(comment.body) or comment.body,
    ))


def thread_addon(target: Target, roots: list[int], viewer) -> ThreadAddon:
    """targets hook `thread_addon`: which of these threads were addressed in which version (one query),
    and the versions an editor may choose from (one more query, for editors only)."""
    draft = draft_of(target.obj)
    addressed = {
        row.comment_id: row for row in db.session.execute(
            select(AddressedThread).where(AddressedThread.comment_id.in_(roots))
        ).unique().scalars()
    }
    choices = []
    if can(viewer, "draft.decide", draft):
        choices = list(db.session.execute(
            select(NamedVersion.id, NamedVersion.number, NamedVersion.name)
            .where(NamedVersion.draft_id == draft.id).order_by(NamedVersion.number.desc())
        ).all())
    return ThreadAddon("drafts/_addressed.html", {"draft": draft, "by_root": addressed, "choices": choices})


def mark_addressed(draft: Draft, root, user, version: NamedVersion | None) -> None:
    """Mark the thread of `root` as addressed in `version`, or clear the mark (version None). One commit."""
    from app.activity.service import record_activity
    from app.comments.service import live_key, target_for

    target = target_for(root)
    if target is None or draft_of(target.obj).id != draft.id or not root.is_root or root.is_deleted:
        raise ThreadError(_("This thread no longer exists."))
    if version is not None and version.draft_id != draft.id:
        raise ThreadError(_("Choose one of this draft's named versions."))
    current = db.session.get(AddressedThread, root.id)
    if version is None:
        if current is None:
            return
        db.session.execute(delete(AddressedThread).where(AddressedThread.comment_id == root.id))
        record_activity(draft.programme, user, "draft.thread_unaddressed", target_of(target.obj), _version_text(current.version))
    else:
        if current is not None and current.version_id == version.id:
            return
        if current is None:
            db.session.add(AddressedThread(comment_id=root.id, draft_id=draft.id, version_id=version.id, by_id=user.id))
        else:
            current.version_id, current.by_id, current.at = version.id, user.id, utcnow()
        record_activity(draft.programme, user, "draft.thread_addressed", target_of(target.obj), _version_text(version))
    live.touch(live_key(target))
    db.session.commit()


def _version_text(version: NamedVersion) -> str:
    # Stored in the activity feed: content, not UI (the feed shows it as written).
    return f"Versi {version.number}: {version.name}"
