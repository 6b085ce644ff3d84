from flask_babel import lazy_gettext as _l
from sqlalchemy import Enum, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.types import StrEnum, UTCDateTime, utcnow


def _enum(cls, length=20):
    return Enum(cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e])


class Kind(StrEnum):
    MENTION = "mention"
    REPLY = "reply"
    COMMENT = "comment"  # a new comment on something I follow
    ASSIGNMENT = "assignment"
    STATUS = "status"  # a status change on something I follow
    DECISION = "decision"  # a decision on my suggestion
    MEETING = "meeting"  # a meeting invitation or change
    MODERATION = "moderation"  # a comment was reported (to moderators)
    REMINDER = "reminder"  # an action of mine is due soon or overdue (flask send-reminders)

    @property
    def label(self):
        return KIND_LABELS[self]


KIND_LABELS = {
    Kind.REMINDER: _l("Reminder"),
    Kind.MENTION: _l("Mention"),
    Kind.REPLY: _l("Reply"),
    Kind.COMMENT: _l("New comment"),
    Kind.ASSIGNMENT: _l("Assignment"),
    Kind.STATUS: _l("Status change"),
    Kind.DECISION: _l("Decision"),
    Kind.MEETING: _l("Meeting"),
    Kind.MODERATION: _l("Moderation"),
}


class Delivery(StrEnum):
    IN_APP = "in_app"
    IMMEDIATE = "immediate"
    DIGEST = "digest"

    @property
    def label(self):
        return {
            Delivery.IN_APP: _l("In the app only"),
            Delivery.IMMEDIATE: _l("In the app and by email right away"),
            Delivery.DIGEST: _l("In the app and a daily email digest"),
        }[self]


class Notification(db.Model):
    """One thing to tell one person. Text and link are written when it happens, so the list needs
    no per-row lookup of whatever object it is about."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_unread", "user_id", "read_at", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"), index=True)
    kind: Mapped[Kind] = mapped_column(_enum(Kind))
    target_type: Mapped[str] = mapped_column(String(40))
    target_id: Mapped[int] = mapped_column()
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(300), default="")
    text: Mapped[str] = mapped_column(String(500))
    url: Mapped[str] = mapped_column(String(500))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    read_at = mapped_column(UTCDateTime)
    emailed_at = mapped_column(UTCDateTime)

    actor = relationship("User", foreign_keys=[actor_id], lazy="raise_on_sql")
    programme = relationship("Programme", lazy="raise_on_sql")


class Follow(db.Model):
    __tablename__ = "follows"
    __table_args__ = (
        UniqueConstraint("user_id", "target_type", "target_id", name="uq_follows_user_target"),
        Index("ix_follows_target", "target_type", "target_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"), index=True)
    target_type: Mapped[str] = mapped_column(String(40))
    target_id: Mapped[int] = mapped_column()
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)


class NotificationPreference(db.Model):
    """How a person wants to hear about things; no row means in-app only."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    delivery: Mapped[Delivery] = mapped_column(_enum(Delivery), default=Delivery.IN_APP)
    last_digest_at = mapped_column(UTCDateTime)
