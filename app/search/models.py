from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.types import UTCDateTime, utcnow


class SearchDocument(db.Model):
    """One searchable text of any domain. The full-text index over it is per dialect and lives only in
    the migration: an FTS5 table kept in step by triggers on SQLite, a generated tsvector column with a
    GIN index on PostgreSQL."""

    __tablename__ = "search_documents"
    __table_args__ = (UniqueConstraint("kind", "doc_id", name="uq_search_documents_kind_doc"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    doc_id: Mapped[int] = mapped_column()
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str] = mapped_column(String(500))
    updated_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
