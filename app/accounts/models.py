from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import db
from app.types import UTCDateTime, utcnow


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    locale: Mapped[str] = mapped_column(String(5), default="id")
    timezone: Mapped[str] = mapped_column(String(40), default="Asia/Makassar")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    # Bumped on password change and logout-everywhere: invalidates remember-me and reset tokens.
    session_version: Mapped[int] = mapped_column(default=1)

    # Joined: the element badge next to a name is shown everywhere a user appears.
    organisation = relationship("Organisation", back_populates="members", lazy="joined")

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def element(self):
        return self.organisation.element

    def get_id(self) -> str:
        # Includes the session version so a password change logs out other sessions.
        return f"{self.id}:{self.session_version}"

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method="scrypt")

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def __repr__(self) -> str:
        return f"<User {self.email}>"
