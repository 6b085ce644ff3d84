from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db


class LiveVersion(db.Model):
    """A counter per live key ("programme-3", "user-7"), bumped in the transaction that changes what the
    key shows. Used when no REDIS_URL is set; shared by every worker because it is in the database."""

    __tablename__ = "live_versions"

    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    version: Mapped[int] = mapped_column(default=0)
