"""Regulation drafts: a draft is an ordered tree of units; every save of a unit is a revision.

Numbers (BAB I, Pasal 5, ayat (2), huruf a) are never stored: they are computed from the
tree order by `app.drafts.structure`, so inserting or moving a unit renumbers everything
after it. Cross-references are stored inside the text as `⟦<unit id>|<label when typed>⟧`
and shown with the target's current number (see `app.drafts.references`).
"""
from flask_babel import lazy_gettext as _l
from sqlalchemy import Enum, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.pentahelix import Element
from app.types import StrEnum, UTCDateTime, utcnow


def _enum(cls, length=24):
    return Enum(cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e])


class DraftKind(StrEnum):
    RAPERDA = "raperda"
    PERWALI = "perwali"
    PERBUP = "perbup"
    PERGUB = "pergub"
    NASKAH_AKADEMIK = "naskah_akademik"
    OTHER = "other"

    @property
    def label(self):
        return {
            DraftKind.RAPERDA: _l("Regional regulation draft (Raperda)"),
            DraftKind.PERWALI: _l("Mayor regulation (Perwali)"),
            DraftKind.PERBUP: _l("Regent regulation (Perbup)"),
            DraftKind.PERGUB: _l("Governor regulation (Pergub)"),
            DraftKind.NASKAH_AKADEMIK: _l("Academic paper (Naskah Akademik)"),
            DraftKind.OTHER: _l("Other document"),
        }[self]

    @property
    def is_regulation(self) -> bool:
        return self in (DraftKind.RAPERDA, DraftKind.PERWALI, DraftKind.PERBUP, DraftKind.PERGUB)

    @property
    def legal_name(self) -> str:
        """The name of the instrument as it is written in the regulation itself (content, not UI)."""
        return {
            DraftKind.RAPERDA: "PERATURAN DAERAH",
            DraftKind.PERWALI: "PERATURAN WALI KOTA",
            DraftKind.PERBUP: "PERATURAN BUPATI",
            DraftKind.PERGUB: "PERATURAN GUBERNUR",
        }.get(self, "")


class DraftStatus(StrEnum):
    KONSEP = "konsep"
    PEMBAHASAN = "pembahasan"
    KONSULTASI = "konsultasi_publik"
    PERBAIKAN = "perbaikan"
    FINAL = "final"
    DIAJUKAN = "diajukan"
    DITETAPKAN = "ditetapkan"
    DITARIK = "ditarik"

    @property
    def label(self):
        return STATUS_LABELS[self]


STATUS_LABELS = {
    DraftStatus.KONSEP: _l("Concept"),
    DraftStatus.PEMBAHASAN: _l("Deliberation"),
    DraftStatus.KONSULTASI: _l("Public consultation"),
    DraftStatus.PERBAIKAN: _l("Revision"),
    DraftStatus.FINAL: _l("Final"),
    DraftStatus.DIAJUKAN: _l("Submitted"),
    DraftStatus.DITETAPKAN: _l("Enacted"),
    DraftStatus.DITARIK: _l("Withdrawn"),
}

S = DraftStatus
# Where a draft may go from each status. Forward along the workflow, one step back for
# another round, and withdrawal from anywhere before enactment.
TRANSITIONS: dict[DraftStatus, tuple[DraftStatus, ...]] = {
    S.KONSEP: (S.PEMBAHASAN, S.DITARIK),
    S.PEMBAHASAN: (S.KONSULTASI, S.KONSEP, S.DITARIK),
    S.KONSULTASI: (S.PERBAIKAN, S.DITARIK),
    S.PERBAIKAN: (S.FINAL, S.KONSULTASI, S.PEMBAHASAN, S.DITARIK),
    S.FINAL: (S.DIAJUKAN, S.PERBAIKAN, S.DITARIK),
    S.DIAJUKAN: (S.DITETAPKAN, S.PERBAIKAN, S.DITARIK),
    S.DITETAPKAN: (),
    S.DITARIK: (S.KONSEP,),
}
# The text is frozen once final: changes then go back through Perbaikan.
EDITABLE_STATUSES = frozenset({S.KONSEP, S.PEMBAHASAN, S.KONSULTASI, S.PERBAIKAN})


class UnitKind(StrEnum):
    JUDUL = "judul"
    MENIMBANG = "menimbang"
    MENGINGAT = "mengingat"
    POIN = "poin"  # a point of Menimbang (a., b.) or Mengingat (1., 2.)
    MENETAPKAN = "menetapkan"
    BAB = "bab"
    BAGIAN = "bagian"
    PARAGRAF = "paragraf"
    PASAL = "pasal"
    AYAT = "ayat"
    HURUF = "huruf"
    ANGKA = "angka"
    PENJELASAN = "penjelasan"
    TEKS = "teks"  # free text, e.g. inside a chapter of a Naskah Akademik

    @property
    def label(self):
        return UNIT_KIND_LABELS[self]


UNIT_KIND_LABELS = {
    UnitKind.JUDUL: "Judul",
    UnitKind.MENIMBANG: "Menimbang",
    UnitKind.MENGINGAT: "Mengingat",
    UnitKind.POIN: _l("Point"),
    UnitKind.MENETAPKAN: "Menetapkan",
    UnitKind.BAB: "BAB",
    UnitKind.BAGIAN: "Bagian",
    UnitKind.PARAGRAF: "Paragraf",
    UnitKind.PASAL: "Pasal",
    UnitKind.AYAT: "Ayat",
    UnitKind.HURUF: "Huruf",
    UnitKind.ANGKA: "Angka",
    UnitKind.PENJELASAN: "Penjelasan",
    UnitKind.TEKS: _l("Text"),
}

# Which kinds may sit directly under which (None = top level of the draft).
ALLOWED_CHILDREN: dict[UnitKind | None, tuple[UnitKind, ...]] = {
    None: (UnitKind.JUDUL, UnitKind.MENIMBANG, UnitKind.MENGINGAT, UnitKind.MENETAPKAN, UnitKind.BAB,
           UnitKind.PASAL, UnitKind.PENJELASAN, UnitKind.TEKS),
    UnitKind.MENIMBANG: (UnitKind.POIN,),
    UnitKind.MENGINGAT: (UnitKind.POIN,),
    UnitKind.BAB: (UnitKind.BAGIAN, UnitKind.PASAL, UnitKind.TEKS),
    UnitKind.BAGIAN: (UnitKind.PARAGRAF, UnitKind.PASAL),
    UnitKind.PARAGRAF: (UnitKind.PASAL,),
    UnitKind.PASAL: (UnitKind.AYAT, UnitKind.HURUF, UnitKind.ANGKA),
    UnitKind.AYAT: (UnitKind.HURUF, UnitKind.ANGKA),
    UnitKind.HURUF: (UnitKind.ANGKA,),
    UnitKind.ANGKA: (UnitKind.HURUF,),
}


class RevisionAction(StrEnum):
    CREATED = "created"
    EDITED = "edited"
    MERGED = "merged"
    RESTORED = "restored"
    SUGGESTION = "suggestion"  # an accepted suggested amendment
    IMPORTED = "imported"
    MOVED = "moved"
    DELETED = "deleted"

    @property
    def label(self):
        return {
            RevisionAction.CREATED: _l("created"),
            RevisionAction.EDITED: _l("edited"),
            RevisionAction.MERGED: _l("merged with a concurrent edit"),
            RevisionAction.RESTORED: _l("restored"),
            RevisionAction.SUGGESTION: _l("suggestion accepted"),
            RevisionAction.IMPORTED: _l("imported"),
            RevisionAction.MOVED: _l("moved"),
            RevisionAction.DELETED: _l("deleted"),
        }[self]


class Draft(db.Model):
    __tablename__ = "drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[DraftKind] = mapped_column(_enum(DraftKind))
    # "KOTA BONTANG": the region named in the heading and the formulas of the regulation.
    region: Mapped[str] = mapped_column(String(120), default="")
    status: Mapped[DraftStatus] = mapped_column(_enum(DraftStatus), default=DraftStatus.KONSEP)
    # Bumped on every insert, move or delete of a unit: open pages learn the outline changed.
    structure_version: Mapped[int] = mapped_column(default=1)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    updated_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    programme = relationship("Programme", lazy="joined")
    created_by = relationship("User", lazy="joined")

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def open_for_public_input(self) -> bool:
        return self.status == DraftStatus.KONSULTASI

    def next_statuses(self) -> tuple[DraftStatus, ...]:
        return TRANSITIONS[self.status]

    def __repr__(self) -> str:
        return f"<Draft {self.id} {self.title!r} {self.status}>"


class DraftTransition(db.Model):
    __tablename__ = "draft_transitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[DraftStatus] = mapped_column(_enum(DraftStatus))
    to_status: Mapped[DraftStatus] = mapped_column(_enum(DraftStatus))
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    note: Mapped[str] = mapped_column(Text, default="")

    by = relationship("User", lazy="joined")


class Unit(db.Model):
    """One node of a draft: a Pasal, an ayat, a Menimbang point… `text` mirrors the head revision."""

    __tablename__ = "draft_units"
    __table_args__ = (Index("ix_draft_units_draft_parent_position", "draft_id", "parent_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("draft_units.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[UnitKind] = mapped_column(_enum(UnitKind))
    text: Mapped[str] = mapped_column(Text, default="")
    head_revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("draft_unit_revisions.id", use_alter=True, ondelete="SET NULL")
    )
    revision_count: Mapped[int] = mapped_column(default=0)
    deleted_at = mapped_column(UTCDateTime)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    updated_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    draft = relationship("Draft", lazy="joined", innerjoin=True)

    @property
    def programme(self):
        # The permission rule-book and the shared comment thread find the programme through this.
        return self.draft.programme

    @property
    def title(self) -> str:
        """"Pasal 5 ayat (2)" — its current number (one query for the draft's tree: not for use in a loop)."""
        from app.drafts.service import unit_label

        return unit_label(self)

    @property
    def url(self) -> str:
        """The stable address of the unit (collab: comment threads, notifications, search results, meetings)."""
        from flask import url_for

        return url_for("drafts.unit", slug=self.draft.programme.slug, draft_id=self.draft_id, unit_id=self.id)

    def __repr__(self) -> str:
        return f"<Unit {self.id} {self.kind} draft={self.draft_id}>"


class UnitRevision(db.Model):
    __tablename__ = "draft_unit_revisions"
    __table_args__ = (UniqueConstraint("unit_id", "number", name="uq_draft_unit_revisions_unit_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # draft_id is denormalised: the draft's history and the live poll read revisions by draft.
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("draft_units.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column()
    text: Mapped[str] = mapped_column(Text, default="")
    action: Mapped[RevisionAction] = mapped_column(_enum(RevisionAction))
    base_revision_id: Mapped[int | None] = mapped_column(ForeignKey("draft_unit_revisions.id", ondelete="SET NULL"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    note: Mapped[str] = mapped_column(Text, default="")

    author = relationship("User", lazy="joined")


class NamedVersion(db.Model):
    """A frozen copy of the whole draft ("Versi untuk RDP 12 Mei"): units with numbers and text as they were."""

    __tablename__ = "draft_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column()
    name: Mapped[str] = mapped_column(String(200))
    # JSON list of {"id", "kind", "depth", "label", "full_label", "text" (display), "revision_id"}.
    snapshot: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    created_by = relationship("User", lazy="joined")


class CrossReference(db.Model):
    """A reference in one unit's head text to another unit, kept by id so renumbering cannot break it."""

    __tablename__ = "draft_cross_references"

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id", ondelete="CASCADE"), index=True)
    source_unit_id: Mapped[int] = mapped_column(ForeignKey("draft_units.id", ondelete="CASCADE"), index=True)
    # No FK cascade: a deleted unit is soft-deleted, and the reference must stay to be flagged.
    target_unit_id: Mapped[int] = mapped_column(index=True)
    label: Mapped[str] = mapped_column(String(120))


class SuggestionStatus(StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"
    DECLINED = "declined"

    @property
    def label(self):
        return {
            SuggestionStatus.OPEN: _l("Open"),
            SuggestionStatus.ACCEPTED: _l("Accepted"),
            SuggestionStatus.DECLINED: _l("Declined"),
        }[self]


class SuggestedAmendment(db.Model):
    """Usulan perubahan: replacement text for one unit, with a reason, decided by an editor."""

    __tablename__ = "draft_suggestions"

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("draft_units.id", ondelete="CASCADE"), index=True)
    base_revision_id: Mapped[int | None] = mapped_column(ForeignKey("draft_unit_revisions.id", ondelete="SET NULL"))
    base_text: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    element: Mapped[Element | None] = mapped_column(_enum(Element, 20))
    # Where it came from, e.g. a meeting decision: "Rapat koordinasi 12 Mei, keputusan 3".
    source_label: Mapped[str] = mapped_column(String(300), default="")
    source_url: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[SuggestionStatus] = mapped_column(_enum(SuggestionStatus), default=SuggestionStatus.OPEN)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at = mapped_column(UTCDateTime)
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    author = relationship("User", foreign_keys=[author_id], lazy="joined")
    decided_by = relationship("User", foreign_keys=[decided_by_id], lazy="joined")


class Disposition(StrEnum):
    DITERIMA = "diterima"
    DITERIMA_SEBAGIAN = "diterima_sebagian"
    TIDAK_DITERIMA = "tidak_diterima"
    DITAMPUNG = "ditampung"

    @property
    def label(self):
        return {
            Disposition.DITERIMA: _l("Accepted"),
            Disposition.DITERIMA_SEBAGIAN: _l("Partly accepted"),
            Disposition.TIDAK_DITERIMA: _l("Not accepted"),
            Disposition.DITAMPUNG: _l("Noted for later"),
        }[self]

    @property
    def legal_label(self) -> str:
        """As written in the Matriks masukan dan tanggapan."""
        return {
            Disposition.DITERIMA: "Diterima",
            Disposition.DITERIMA_SEBAGIAN: "Diterima sebagian",
            Disposition.TIDAK_DITERIMA: "Tidak diterima",
            Disposition.DITAMPUNG: "Ditampung",
        }[self]


class PublicInput(db.Model):
    """An input made during Konsultasi publik: it must be heard, considered and answered."""

    __tablename__ = "draft_inputs"

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("draft_units.id", ondelete="SET NULL"), index=True)
    suggestion_id: Mapped[int | None] = mapped_column(ForeignKey("draft_suggestions.id", ondelete="SET NULL"))
    # A comment (or reply) on the draft or one of its units posted during consultation. The input keeps
    # its own copy of the text: what was said stays on the record if the comment is later edited or deleted.
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="SET NULL"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Inputs heard outside Sinergi (a public hearing, a letter) are recorded by staff under the speaker's name.
    author_name: Mapped[str] = mapped_column(String(200))
    element: Mapped[Element | None] = mapped_column(_enum(Element, 20))
    text: Mapped[str] = mapped_column(Text)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    disposition: Mapped[Disposition | None] = mapped_column(_enum(Disposition))
    disposition_reason: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at = mapped_column(UTCDateTime)

    decided_by = relationship("User", foreign_keys=[decided_by_id], lazy="joined")
    # Loaded with the register (service.inputs_for): whether the comment was hidden or deleted since.
    comment = relationship("Comment", lazy="raise_on_sql")

    @property
    def answered(self) -> bool:
        return self.disposition is not None

    @property
    def withdrawn(self) -> bool:
        """Its comment was hidden by a moderator or deleted by its author: the input stays on the
        record and must still be answered, but its words are shown only to those who answer it."""
        comment = self.comment if self.comment_id else None
        return comment is not None and (comment.hidden_at is not None or comment.deleted_at is not None)


class AddressedThread(db.Model):
    """"Ditangani di versi N": an editor says a comment thread on the draft or a unit was dealt with in a
    named version. Kept beside the shared comments (which know nothing of drafts), one row per thread."""

    __tablename__ = "draft_addressed_threads"

    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("draft_versions.id", ondelete="CASCADE"), index=True)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    version = relationship("NamedVersion", lazy="joined", innerjoin=True)


class Presence(db.Model):
    """"<name> sedang menyunting Pasal 5": advisory, expires unless renewed by the open editor."""

    __tablename__ = "draft_presence"
    __table_args__ = (UniqueConstraint("unit_id", "user_id", name="uq_draft_presence_unit_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("draft_units.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    expires_at = mapped_column(UTCDateTime, nullable=False)

    user = relationship("User", lazy="joined")
