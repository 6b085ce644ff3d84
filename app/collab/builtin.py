"""What this layer registers itself: the programme ("discussion of the programme") and the comment
(so files can be attached to a comment) as targets, and programmes and comments as searchable."""
from flask_babel import lazy_gettext as _l

from app.collab import targets
from app.collab.urls import path_for
from app.comments.mentions import plain_text, text_of
from app.comments.models import Comment
from app.extensions import db
from app.programmes.models import Programme
from app.search import service as search


def _comment_url(comment: Comment, target=False) -> str:
    if target is False:
        target = targets.resolve(comment.target_type, comment.target_id)
    if target is None:
        return f"{path_for('main.index')}#comment-{comment.id}"
    from app.comments.service import comment_url

    return comment_url(target, comment)


def _comment_title(comment: Comment) -> str:
    target = targets.resolve(comment.target_type, comment.target_id)
    return target.title if target else ""


def _programme_document(programme: Programme):
    return search.Document(
        programme_id=programme.id, title=programme.name, body=plain_text(programme.description or ""),
        url=path_for("programmes.show", slug=programme.slug),
    )


def _author_name(comment: Comment) -> str:
    from app.accounts.models import User

    author = db.session.get(User, comment.author_id) if comment.author_id else None
    return author.name if author else ""


def _comment_document(comment: Comment):
    if comment.is_deleted or comment.is_hidden:
        return None  # nobody finds what was taken down
    # The target once, and the text from the stored HTML: no second Markdown rendering per comment.
    target = targets.resolve(comment.target_type, comment.target_id)
    return search.Document(
        programme_id=comment.programme_id, title=" · ".join(filter(None, [_author_name(comment), target.title if target else ""])),
        body=text_of(comment.html), url=_comment_url(comment, target)
    )


def register() -> None:
    targets.register(
        "programme", model=Programme, load=lambda id: db.session.get(Programme, id),
        title=lambda p: p.name, url=lambda p: path_for("programmes.show", slug=p.slug), label=_l("Programme"),
    )
    targets.register(
        "comment", model=Comment, load=lambda id: db.session.get(Comment, id),
        title=_comment_title, url=_comment_url, label=_l("Comment"), view_action="comment.view",
    )
    search.register_model(Programme, "programme", _l("Programmes"), _programme_document)
    search.register_model(Comment, "comment", _l("Comments"), _comment_document)
