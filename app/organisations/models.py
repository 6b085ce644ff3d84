from sqlalchemy import Enum, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.pentahelix import Element
from app.types import UTCDateTime, utcnow


class Organisation(db.Model):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    short_name: Mapped[str | None] = mapped_column(String(60))
    element: Mapped[Element] = mapped_column(
        Enum(Element, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])
    )
    description: Mapped[str] = mapped_column(Text, default="")
    website: Mapped[str | None] = mapped_column(String(300))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    members = relationship("User", back_populates="organisation", lazy="raise_on_sql")

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def __repr__(self) -> str:
        return f"<Organisation {self.name!r} {self.element}>"
