import secrets
from datetime import datetime, timedelta

from sqlalchemy import Enum, ForeignKey, String, Text, UniqueConstraint, func, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.i18n import lazy_gettext as _l
from app.extensions import db
from app.types import StrEnum, UTCDateTime, utcnow


class Role(StrEnum):
    VIEWER = "viewer"
    COMMENTER = "commenter"
    EDITOR = "editor"
    OWNER = "owner"

    @property
    def rank(self) -> int:
        return _RANK[self]

    def at_least(self, other: "Role") -> bool:
        return self.rank >= other.rank

    @property
    def label(self):
        return ROLE_LABELS[self]


_RANK = {Role.VIEWER: 1, Role.COMMENTER: 2, Role.EDITOR: 3, Role.OWNER: 4}
ROLE_LABELS = {
    Role.VIEWER: _l("Viewer"),
    Role.COMMENTER: _l("Commenter"),
    Role.EDITOR: _l("Editor"),
    Role.OWNER: _l("Owner"),
}


class Visibility(StrEnum):
    PRIVATE = "private"
    PUBLIC = "public"

    @property
    def label(self):
        return {Visibility.PRIVATE: _l("Private"), Visibility.PUBLIC: _l("Public (read-only)")}[self]


def _enum(cls, length=20):
    return Enum(cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e])


class Programme(db.Model):
    __tablename__ = "programmes"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    visibility: Mapped[Visibility] = mapped_column(_enum(Visibility), default=Visibility.PRIVATE)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    memberships = relationship(
        "Membership", back_populates="programme", cascade="all, delete-orphan", lazy="raise_on_sql"
    )

    @property
    def is_public(self) -> bool:
        return self.visibility == Visibility.PUBLIC

    def membership_of(self, user) -> "Membership | None":
        if user is None or not getattr(user, "is_authenticated", False):
            return None
        return db.session.execute(
            select(Membership).filter_by(programme_id=self.id, user_id=user.id)
        ).scalar_one_or_none()

    def owner_count(self) -> int:
        return db.session.scalar(
            select(func.count()).select_from(Membership).filter_by(programme_id=self.id, role=Role.OWNER)
        )

    def add_member(self, user, role: Role) -> "Membership":
        membership = Membership(programme=self, user=user, role=role)
        db.session.add(membership)
        return membership


class Membership(db.Model):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("programme_id", "user_id", name="uq_memberships_programme_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(_enum(Role))
    joined_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    programme = relationship("Programme", back_populates="memberships")
    user = relationship("User", lazy="joined")


class Invitation(db.Model):
    """An invitation by email (one person, used once) or a shareable link (anyone, until it expires)."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"), index=True)
    token: Mapped[str] = mapped_column(String(64), unique=True, default=lambda: secrets.token_urlsafe(24))
    role: Mapped[Role] = mapped_column(_enum(Role))
    email: Mapped[str | None] = mapped_column(String(254))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    expires_at = mapped_column(UTCDateTime, nullable=False)
    revoked_at = mapped_column(UTCDateTime)
    accepted_at = mapped_column(UTCDateTime)
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    use_count: Mapped[int] = mapped_column(default=0)

    programme = relationship("Programme", lazy="joined")
    created_by = relationship("User", foreign_keys=[created_by_id], lazy="joined")

    @property
    def is_link(self) -> bool:
        return self.email is None

    def is_usable(self, now: datetime | None = None) -> bool:
        now = now or utcnow()
        if self.revoked_at is not None or self.expires_at <= now:
            return False
        # An email invitation is for one person, once.
        return self.is_link or self.accepted_at is None

    @staticmethod
    def expiry_in(days: int) -> datetime:
        return utcnow() + timedelta(days=days)
