"""Comments on any registered target, one level of replies (a thread is a root comment and its replies)."""
from markupsafe import Markup
from sqlalchemy import Enum, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.markdown import RENDERER

from app.extensions import db
from app.types import StrEnum, UTCDateTime, utcnow


class Reaction(StrEnum):
    AGREE = "agree"
    DISAGREE = "disagree"


def render_body(body: str | None) -> str:
    from app.comments.mentions import render  # mentions needs the programme models, which load later

    return str(render(body or ""))


def _rendered_on_insert(context) -> str:
    # Every insert renders its text once, the ORM's and bulk ones (backup import, the bench dataset) alike.
    return render_body(context.get_current_parameters().get("body"))


class Comment(db.Model):
    __tablename__ = "comments"
    __table_args__ = (
        Index("ix_comments_target", "target_type", "target_id", "created_at"),
        # Counting the visible comments of many targets (a draft's units, a meeting's agenda items) and
        # their authors' elements reads only this index, not the comment rows (migration 0530).
        Index("ix_comments_target_visible", "target_type", "target_id", "deleted_at", "hidden_at", "author_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"), index=True)
    target_type: Mapped[str] = mapped_column(String(40))
    target_id: Mapped[int] = mapped_column()
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    body: Mapped[str] = mapped_column(Text, default="")
    # The body as sanitised HTML, rendered when it is written (Markdown is the costly part of showing a
    # discussion), and the renderer it was made with: HTML from another renderer is never shown
    # (see `html`) until `flask comments render` (or an edit) makes it again.
    body_html: Mapped[str] = mapped_column(Text, default=_rendered_on_insert, server_default="", nullable=False)
    html_renderer: Mapped[str] = mapped_column(String(40), default=RENDERER, server_default="", nullable=False)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    edited_at = mapped_column(UTCDateTime)
    deleted_at = mapped_column(UTCDateTime)
    resolved_at = mapped_column(UTCDateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    hidden_at = mapped_column(UTCDateTime)
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    hidden_reason: Mapped[str | None] = mapped_column(String(500))

    # The programme is normally in the identity map already (the page loaded it): no query.
    programme = relationship("Programme", lazy="select")
    author = relationship("User", foreign_keys=[author_id], lazy="raise_on_sql")
    resolved_by = relationship("User", foreign_keys=[resolved_by_id], lazy="raise_on_sql")
    hidden_by = relationship("User", foreign_keys=[hidden_by_id], lazy="raise_on_sql")
    revisions = relationship(
        "CommentRevision", back_populates="comment", cascade="all, delete-orphan", lazy="raise_on_sql",
        order_by="CommentRevision.id",
    )

    @property
    def is_root(self) -> bool:
        return self.parent_id is None

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None

    @property
    def html(self) -> Markup:
        """The body as sanitised HTML: the stored rendering when the current renderer made it."""
        if self.html_renderer == RENDERER:
            return Markup(self.body_html)
        return Markup(render_body(self.body))

    def set_body(self, body: str) -> None:
        self.body = body
        self.body_html, self.html_renderer = render_body(body), RENDERER

    def edit(self, body: str, by) -> "CommentRevision":
        """Replace the text; returns the earlier text as a revision for the caller to add."""
        revision = CommentRevision(comment_id=self.id, body=self.body, edited_by_id=by.id, replaced_at=utcnow())
        self.set_body(body)
        self.edited_at = utcnow()
        return revision

    def delete(self) -> None:
        """The comment stays as a "comment deleted" marker in its thread; its text goes (and its
        history: the caller removes the revisions)."""
        self.deleted_at = utcnow()
        self.set_body("")

    def __repr__(self) -> str:
        return f"<Comment {self.id} on {self.target_type}:{self.target_id}>"


class CommentRevision(db.Model):
    """An earlier text of an edited comment."""

    __tablename__ = "comment_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(Text)
    edited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    replaced_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    comment = relationship("Comment", back_populates="revisions")


class CommentReaction(db.Model):
    """Setuju / tidak setuju: one per person per comment."""

    __tablename__ = "comment_reactions"
    __table_args__ = (UniqueConstraint("comment_id", "user_id", name="uq_comment_reactions_comment_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[Reaction] = mapped_column(
        Enum(Reaction, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])
    )
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)


class CommentReport(db.Model):
    """Somebody flagged a comment for the moderators (owners and editors)."""

    __tablename__ = "comment_reports"
    __table_args__ = (UniqueConstraint("comment_id", "reporter_id", name="uq_comment_reports_comment_reporter"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(500), default="")
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
