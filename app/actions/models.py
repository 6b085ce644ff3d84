"""Follow-up actions (tindak lanjut) and their history.

State changes are model methods (`action.set_status(new, by=user, note=...)`) that enforce the
rules and write an ActionHistory row; the service that calls them owns the one commit.
"""
import secrets
from datetime import date

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    Enum,
    Index,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.i18n import lazy_gettext as _l
from app.extensions import db
from app.types import StrEnum, UTCDateTime, utcnow


class Status(StrEnum):
    BARU = "baru"
    DIKERJAKAN = "dikerjakan"
    TERHAMBAT = "terhambat"
    SELESAI = "selesai"
    DIBATALKAN = "dibatalkan"

    @property
    def label(self):
        return STATUS_LABELS[self]

    @property
    def is_open(self) -> bool:
        return self in OPEN_STATUSES


STATUS_LABELS = {
    Status.BARU: _l("New"),
    Status.DIKERJAKAN: _l("In progress"),
    Status.TERHAMBAT: _l("Blocked"),
    Status.SELESAI: _l("Done"),
    Status.DIBATALKAN: _l("Cancelled"),
}
OPEN_STATUSES = (Status.BARU, Status.DIKERJAKAN, Status.TERHAMBAT)


class Priority(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"

    @property
    def label(self):
        return PRIORITY_LABELS[self]

    @property
    def rank(self) -> int:
        return list(Priority).index(self)


PRIORITY_LABELS = {
    Priority.LOW: _l("Low"),
    Priority.NORMAL: _l("Normal"),
    Priority.HIGH: _l("High"),
    Priority.URGENT: _l("Urgent"),
}


class SourceKind(StrEnum):
    """Where an action came from. Meetings and drafts live in other domains: we keep kind + id + a
    label so the link survives until those domains add their side (and a foreign key) later."""

    DECISION = "decision"
    MEETING = "meeting"
    DRAFT = "draft"
    UNIT = "unit"

    @property
    def label(self):
        return SOURCE_LABELS[self]


SOURCE_LABELS = {
    SourceKind.DECISION: _l("Meeting decision"),
    SourceKind.MEETING: _l("Meeting"),
    SourceKind.DRAFT: _l("Draft"),
    SourceKind.UNIT: _l("Draft article"),
}


# Notes the system writes are stored as keys and shown in the reader's language.
NOTE_SUBACTIONS = "@subactions"
NOTE_WEIGHTS = "@weights"
NOTE_IMPORT = "@import"
SYSTEM_NOTES = {
    NOTE_SUBACTIONS: _l("Calculated from the sub-actions"),
    NOTE_WEIGHTS: _l("Sub-action weights changed"),
    NOTE_IMPORT: _l("Imported from CSV"),
}


class TransitionError(ValueError):
    """A change the rules refuse; the message is shown to the user."""


def _enum(cls, length=20):
    return Enum(cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e])


action_labels = Table(
    "action_labels",
    db.metadata,
    Column("action_id", ForeignKey("actions.id", ondelete="CASCADE"), primary_key=True),
    Column("label_id", ForeignKey("action_label_names.id", ondelete="CASCADE"), primary_key=True, index=True),
)

action_blockers = Table(
    "action_blockers",
    db.metadata,
    Column("action_id", ForeignKey("actions.id", ondelete="CASCADE"), primary_key=True),
    Column("blocker_id", ForeignKey("actions.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Label(db.Model):
    """A programme's label vocabulary ("anggaran", "regulasi" …), shared by its actions."""

    __tablename__ = "action_label_names"
    __table_args__ = (UniqueConstraint("programme_id", "name", name="uq_action_label_names_programme_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(40))


class Action(db.Model):
    __tablename__ = "actions"
    __table_args__ = (
        CheckConstraint("progress >= 0 AND progress <= 100", name="progress_range"),
        CheckConstraint("weight >= 1 AND weight <= 100", name="weight_range"),
        # Counts by status, overdue, and the dashboard's completion per week in one index-only pass
        # (migration 0420 widened ix_actions_programme_status_due into this).
        Index("ix_actions_programme_status_dates", "programme_id", "status", "due_date", "created_at", "completed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[Status] = mapped_column(_enum(Status), default=Status.BARU, index=True)
    # The note of the latest status change: the reason while Terhambat (shown on cards and exported).
    status_note: Mapped[str] = mapped_column(Text, default="")
    priority: Mapped[Priority] = mapped_column(_enum(Priority), default=Priority.NORMAL)
    progress: Mapped[int] = mapped_column(Integer, default=0)
    due_date: Mapped[date | None] = mapped_column(Date, index=True)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="SET NULL"), index=True)
    # Source: a meeting decision, a meeting, a draft or one of its articles (Pasal), or nothing.
    source_kind: Mapped[SourceKind | None] = mapped_column(_enum(SourceKind))
    source_id: Mapped[int | None] = mapped_column(Integer)
    source_label: Mapped[str] = mapped_column(String(200), default="")
    # The meeting an action came out of (directly or through its decision), for the "source meeting"
    # filter. No foreign key yet: the meetings domain adds it with its own migration.
    meeting_id: Mapped[int | None] = mapped_column(Integer, index=True)
    meeting_label: Mapped[str] = mapped_column(String(200), default="")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("actions.id", ondelete="SET NULL"), index=True)
    # This action's share of its parent's progress.
    weight: Mapped[int] = mapped_column(Integer, default=1)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False, index=True)
    updated_at = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False)
    completed_at = mapped_column(UTCDateTime, index=True)

    # Every relationship raises on lazy SQL: pages load what they show, so no page runs a query per row.
    programme = relationship("Programme", lazy="raise_on_sql")
    assignee = relationship("User", foreign_keys=[assignee_id], lazy="raise_on_sql")
    organisation = relationship("Organisation", lazy="raise_on_sql")
    created_by = relationship("User", foreign_keys=[created_by_id], lazy="raise_on_sql")
    labels = relationship("Label", secondary=action_labels, lazy="raise_on_sql", order_by="Label.name")
    checklist = relationship(
        "ChecklistItem", cascade="all, delete-orphan", lazy="raise_on_sql", order_by="ChecklistItem.position",
        passive_deletes=True,
    )
    parent = relationship("Action", remote_side=[id], back_populates="children", lazy="raise_on_sql")
    children = relationship("Action", back_populates="parent", lazy="raise_on_sql", order_by="Action.id")
    blocked_by = relationship(
        "Action",
        secondary=action_blockers,
        primaryjoin=lambda: Action.id == action_blockers.c.action_id,
        secondaryjoin=lambda: Action.id == action_blockers.c.blocker_id,
        lazy="raise_on_sql",
        back_populates="blocking",
        order_by="Action.id",
    )
    blocking = relationship(
        "Action",
        secondary=action_blockers,
        primaryjoin=lambda: Action.id == action_blockers.c.blocker_id,
        secondaryjoin=lambda: Action.id == action_blockers.c.action_id,
        lazy="raise_on_sql",
        back_populates="blocked_by",
        order_by="Action.id",
    )
    # Written through ActionHistory(action_id=…) only, so recording never loads the whole timeline.
    history = relationship(
        "ActionHistory", viewonly=True, lazy="raise_on_sql", order_by="(ActionHistory.at.desc(), ActionHistory.id.desc())"
    )

    def __repr__(self) -> str:
        return f"<Action {self.id} {self.title!r} {self.status}>"

    # -- reading -------------------------------------------------------------------------

    @property
    def is_open(self) -> bool:
        return self.status.is_open

    def is_overdue(self, today: date) -> bool:
        return self.is_open and self.due_date is not None and self.due_date < today

    @property
    def source_kind_label(self):
        return self.source_kind.label if self.source_kind else ""

    # -- state changes (each records history; the caller commits) ---------------------------

    def record(self, field: str, old, new, by, note: str = "") -> "ActionHistory":
        entry = ActionHistory(
            action=self,
            user_id=by.id if by is not None else None,
            field=field,
            old_value="" if old is None else str(old),
            new_value="" if new is None else str(new),
            note=note or "",
        )
        db.session.add(entry)
        return entry

    def set_status(self, new: Status, by, note: str = "") -> bool:
        """Move to `new`. Terhambat needs a reason; reopening a Selesai action needs a note.

        Returns False when nothing changes. Selesai sets progress to 100 % (recorded too).
        """
        new = Status(new)
        note = (note or "").strip()
        old = self.status
        if new == old:
            return False
        if new == Status.TERHAMBAT and not note:
            raise TransitionError(_l("Say why the action is blocked."))
        if old == Status.SELESAI and new.is_open and not note:
            raise TransitionError(_l("Reopening a finished action needs a note."))
        self.status = new
        self.status_note = note
        self.record("status", old.value, new.value, by, note)
        if new == Status.SELESAI:
            self.completed_at = utcnow()
            if self.progress != 100:
                self.set_progress(100, by=by)
        elif old == Status.SELESAI:
            self.completed_at = None
        return True

    def set_progress(self, value: int, by, note: str = "") -> bool:
        value = int(value)
        if not 0 <= value <= 100:
            raise TransitionError(_l("Progress is a percentage between 0 and 100."))
        if value == self.progress:
            return False
        old = self.progress
        self.progress = value
        self.record("progress", old, value, by, note)
        return True

    def assign(self, user, by, note: str = "") -> bool:
        new_id = user.id if user is not None else None
        if new_id == self.assignee_id:
            return False
        from app.accounts.models import User

        # From the identity map when the page loaded it; one query otherwise (never a lazy-load error).
        old = db.session.get(User, self.assignee_id) if self.assignee_id is not None else None
        old_name = old.name if old is not None else ""
        self.assignee = user
        self.assignee_id = new_id
        self.record("assignee", old_name, user.name if user is not None else "", by, note)
        return True

    def set_due_date(self, value: date | None, by, note: str = "") -> bool:
        if value == self.due_date:
            return False
        old = self.due_date
        self.due_date = value
        self.record("due_date", old.isoformat() if old else "", value.isoformat() if value else "", by, note)
        return True

    def weighted_progress(self, children) -> int | None:
        """Progress from sub-actions weighted by their weight; cancelled ones do not count."""
        counted = [c for c in children if c.status != Status.DIBATALKAN]
        total = sum(c.weight for c in counted)
        if not total:
            return None
        return round(sum(c.progress * c.weight for c in counted) / total)


# Indexes of the list pages at tens of thousands of actions (migration 0420): each lets a page
# walk its first rows in order instead of sorting every action of the programme.
# The table's default order (due date, undated last):
Index("ix_actions_programme_due_order", Action.programme_id, Action.due_date.is_(None), Action.due_date, Action.id)
# The board's columns (per status: due date, undated last, then the latest change):
Index("ix_actions_programme_board", Action.programme_id, Action.status, Action.due_date.is_(None), Action.due_date,
      Action.updated_at)
# Who carries how much (dashboard), and the table filtered by assignee:
Index("ix_actions_programme_assignee", Action.programme_id, Action.assignee_id, Action.status, Action.due_date)
# Completion per organisation (dashboard), index-only and already grouped:
Index("ix_actions_programme_organisation", Action.programme_id, Action.organisation_id, Action.status, Action.progress)
# The source meetings of the filter and the dashboard's completion per meeting, grouped in index
# order and index-only (migration 0530 widened ix_actions_programme_meeting into this):
Index("ix_actions_programme_meeting_status", Action.programme_id, Action.meeting_id, Action.status, Action.due_date,
      Action.progress, Action.meeting_label)
# The dashboard's weekly series: what was created / finished in each week, counted along a range each
# (migration 0530):
Index("ix_actions_programme_created", Action.programme_id, Action.created_at, Action.status)
Index("ix_actions_programme_completed", Action.programme_id, Action.completed_at, Action.status)


class ChecklistItem(db.Model):
    __tablename__ = "action_checklist_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(String(300))
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)


class ActionHistory(db.Model):
    """One change: who, when, which field, from → to, and why."""

    __tablename__ = "action_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    field: Mapped[str] = mapped_column(String(20))
    old_value: Mapped[str] = mapped_column(String(200), default="")
    new_value: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")

    action = relationship("Action", lazy="raise_on_sql")
    user = relationship("User", lazy="raise_on_sql")

    FIELD_LABELS = {
        "created": _l("Created"),
        "status": _l("Status"),
        "progress": _l("Progress"),
        "assignee": _l("Assignee"),
        "due_date": _l("Due date"),
    }

    @property
    def note_text(self):
        return SYSTEM_NOTES.get(self.note, self.note)

    @property
    def field_label(self):
        return self.FIELD_LABELS.get(self.field, self.field)

    def display(self, value: str):
        """A stored value as the reader should see it (status label, a date, a percentage)."""
        if not value:
            return "—"
        if self.field == "status":
            try:
                return Status(value).label
            except ValueError:
                return value
        if self.field == "progress":
            return f"{value} %"
        if self.field == "due_date":
            try:
                return date.fromisoformat(value)
            except ValueError:
                return value
        return value


class CalendarToken(db.Model):
    """The secret in a person's .ics feed URL: calendar apps cannot sign in, so the URL is the key."""

    __tablename__ = "calendar_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    token: Mapped[str] = mapped_column(String(64), unique=True, default=lambda: secrets.token_urlsafe(32))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    user = relationship("User", lazy="joined")
