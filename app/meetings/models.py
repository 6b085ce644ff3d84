"""Coordination meetings: the meeting, who is invited and who came, the agenda with its minutes,
decisions, confirmations of the minutes, agenda templates and calendar feeds.

Times are stored in UTC together with the meeting's own IANA zone (WIB/WITA/WIT): a Rakor in
Bontang is "09.00 WITA" for everyone, and a viewer in Jakarta also sees "08.00" in their zone.
"""
import secrets
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, Date, Enum, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, query_expression, relationship

from app.extensions import db
from app.pentahelix import Element
from app.types import StrEnum, UTCDateTime, utcnow

ZONES = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}


def _enum(cls, length=20):
    return Enum(cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e])


class MeetingKind(StrEnum):
    RAKOR = "rakor"
    RDP = "rdp"
    ROADSHOW = "roadshow"
    NGOPI = "ngopi"
    SOSIALISASI = "sosialisasi"
    OTHER = "other"

    @property
    def label(self):
        return {
            MeetingKind.RAKOR: _l("Coordination meeting (Rakor)"),
            MeetingKind.RDP: _l("Hearing (RDP)"),
            MeetingKind.ROADSHOW: _l("Roadshow visit"),
            MeetingKind.NGOPI: _l("Informal discussion (ngopi bareng)"),
            MeetingKind.SOSIALISASI: _l("Information session (sosialisasi)"),
            MeetingKind.OTHER: _l("Other meeting"),
        }[self]


class MeetingStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    FINISHED = "finished"
    APPROVED = "approved"

    @property
    def label(self):
        return {
            MeetingStatus.PLANNED: _l("Planned"),
            MeetingStatus.IN_PROGRESS: _l("In progress"),
            MeetingStatus.FINISHED: _l("Finished"),
            MeetingStatus.APPROVED: _l("Minutes approved"),
        }[self]


# The lifecycle only moves forward, except that a finished meeting may be reopened.
TRANSITIONS = {
    MeetingStatus.PLANNED: {MeetingStatus.IN_PROGRESS},
    MeetingStatus.IN_PROGRESS: {MeetingStatus.FINISHED},
    MeetingStatus.FINISHED: {MeetingStatus.APPROVED, MeetingStatus.IN_PROGRESS},
    MeetingStatus.APPROVED: set(),
}


class Rsvp(StrEnum):
    YES = "yes"
    NO = "no"
    MAYBE = "maybe"

    @property
    def label(self):
        return {Rsvp.YES: _l("Attending"), Rsvp.NO: _l("Not attending"), Rsvp.MAYBE: _l("Maybe")}[self]


class Presence(StrEnum):
    PRESENT = "present"
    REPRESENTED = "represented"
    ABSENT = "absent"

    @property
    def label(self):
        return {
            Presence.PRESENT: _l("Present"),
            Presence.REPRESENTED: _l("Represented"),
            Presence.ABSENT: _l("Absent"),
        }[self]

    @property
    def at_the_table(self) -> bool:
        return self != Presence.ABSENT


class DecisionKind(StrEnum):
    INFORMATION = "information"
    AGREEMENT = "agreement"
    WORK = "work"

    @property
    def label(self):
        return {
            DecisionKind.INFORMATION: _l("Information"),
            DecisionKind.AGREEMENT: _l("Agreement"),
            DecisionKind.WORK: _l("Decision that creates work"),
        }[self]


class Verdict(StrEnum):
    CONFIRM = "confirm"
    OBJECT = "object"

    @property
    def label(self):
        return {Verdict.CONFIRM: _l("Confirmed"), Verdict.OBJECT: _l("Objected")}[self]


class Roadshow(db.Model):
    """A series of visits to stakeholders; each visit is a meeting of kind ROADSHOW."""

    __tablename__ = "roadshows"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    programme = relationship("Programme", lazy="joined")
    visits = relationship("Meeting", back_populates="roadshow", lazy="raise_on_sql", order_by="Meeting.starts_at")


class Meeting(db.Model):
    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"), index=True)
    roadshow_id: Mapped[int | None] = mapped_column(ForeignKey("roadshows.id", ondelete="SET NULL"), index=True)
    kind: Mapped[MeetingKind] = mapped_column(_enum(MeetingKind), default=MeetingKind.RAKOR)
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    timezone: Mapped[str] = mapped_column(String(40), default="Asia/Makassar")
    place: Mapped[str] = mapped_column(String(300), default="")
    online_url: Mapped[str] = mapped_column(String(500), default="")
    organiser_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="SET NULL"))
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[MeetingStatus] = mapped_column(_enum(MeetingStatus), default=MeetingStatus.PLANNED)
    # Bumped by every agenda change (add, edit, move, remove): the agenda's ETag and reorder guard.
    agenda_version: Mapped[int] = mapped_column(Integer, default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    approved_at = mapped_column(UTCDateTime)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    programme = relationship("Programme", lazy="joined")
    organiser = relationship("Organisation", lazy="joined")
    roadshow = relationship("Roadshow", back_populates="visits", lazy="joined")
    approved_by = relationship("User", foreign_keys=[approved_by_id], lazy="raise_on_sql")
    items = relationship(
        "AgendaItem", back_populates="meeting", cascade="all, delete-orphan", lazy="raise_on_sql",
        order_by="AgendaItem.position",
    )
    invitations = relationship("MeetingInvitation", cascade="all, delete-orphan", lazy="raise_on_sql")
    rsvps = relationship("MeetingRsvp", cascade="all, delete-orphan", lazy="raise_on_sql")
    attendance = relationship("Attendance", cascade="all, delete-orphan", lazy="raise_on_sql")
    decisions = relationship("Decision", cascade="all, delete-orphan", lazy="raise_on_sql", order_by="Decision.id")
    confirmations = relationship("MinutesConfirmation", cascade="all, delete-orphan", lazy="raise_on_sql")
    # Filled by the meeting page's one query (service.page_options): the answers, and the viewer's.
    rsvp_yes = query_expression()
    rsvp_maybe = query_expression()
    rsvp_no = query_expression()
    my_rsvp = query_expression()
    has_decision_actions = query_expression()

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def zone_label(self) -> str:
        return ZONES.get(self.timezone, self.timezone)

    @property
    def local_start(self) -> datetime:
        return self.starts_at.astimezone(self.zone)

    @property
    def local_end(self) -> datetime:
        return self.ends_at.astimezone(self.zone)

    @property
    def minutes_locked(self) -> bool:
        """Approved minutes change only through a correction with a reason."""
        return self.status == MeetingStatus.APPROVED

    @property
    def is_upcoming(self) -> bool:
        return self.ends_at >= utcnow()

    def can_move_to(self, new: MeetingStatus) -> bool:
        return new in TRANSITIONS[self.status]

    def set_status(self, new: MeetingStatus, by) -> None:
        if not self.can_move_to(new):
            raise ValueError(f"{self.status} -> {new}")
        self.status = new
        if new == MeetingStatus.APPROVED:
            self.approved_at = utcnow()
            self.approved_by_id = by.id

    def __repr__(self) -> str:
        return f"<Meeting {self.id} {self.title!r}>"


class MeetingInvitation(db.Model):
    """Exactly one of user, organisation or element: a person, a whole organisation, a whole element."""

    __tablename__ = "meeting_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    element: Mapped[Element | None] = mapped_column(_enum(Element))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    user = relationship("User", lazy="joined")
    organisation = relationship("Organisation", lazy="joined")


class MeetingRsvp(db.Model):
    __tablename__ = "meeting_rsvps"
    __table_args__ = (UniqueConstraint("meeting_id", "user_id", name="uq_meeting_rsvps_meeting_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    response: Mapped[Rsvp] = mapped_column(_enum(Rsvp))
    updated_at = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False)

    user = relationship("User", lazy="joined")


class Attendance(db.Model):
    """Who was at the table: a member (user) or a guest without an account (name, organisation or element)."""

    __tablename__ = "meeting_attendance"
    __table_args__ = (UniqueConstraint("meeting_id", "user_id", name="uq_meeting_attendance_meeting_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    guest_name: Mapped[str | None] = mapped_column(String(120))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="SET NULL"))
    guest_element: Mapped[Element | None] = mapped_column(_enum(Element))
    contact: Mapped[str] = mapped_column(String(200), default="")
    presence: Mapped[Presence] = mapped_column(_enum(Presence), default=Presence.PRESENT)
    represented_by: Mapped[str] = mapped_column(String(120), default="")
    recorded_at = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False)

    user = relationship("User", lazy="joined")
    organisation = relationship("Organisation", lazy="joined")

    @property
    def name(self) -> str:
        return self.user.name if self.user else (self.guest_name or "")

    @property
    def org(self):
        return self.organisation or (self.user.organisation if self.user else None)

    @property
    def element(self) -> Element | None:
        org = self.org
        return org.element if org else self.guest_element

    @property
    def contact_info(self) -> str:
        return self.contact or (self.user.email if self.user else "")


class AgendaItem(db.Model):
    __tablename__ = "agenda_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    presenter: Mapped[str] = mapped_column(String(200), default="")
    planned_minutes: Mapped[int] = mapped_column(Integer, default=0)
    # drafts: a link to a draft or a Pasal, as URL and label; a foreign key once drafts are merged.
    link_url: Mapped[str] = mapped_column(String(500), default="")
    link_label: Mapped[str] = mapped_column(String(200), default="")
    confidential: Mapped[bool] = mapped_column(Boolean, default=False)
    # The agenda item's own revision counter (AgendaRevision.number of the head).
    version: Mapped[int] = mapped_column(Integer, default=1)
    # The minutes' head, cached here so the live poll reads one row per item.
    minutes: Mapped[str] = mapped_column(Text, default="")
    minutes_rev: Mapped[int] = mapped_column(Integer, default=0)
    minutes_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    minutes_at = mapped_column(UTCDateTime)

    # Many-to-one by key: answered from the identity map, no join on every item load.
    meeting = relationship("Meeting", back_populates="items", lazy="select")
    minutes_by = relationship("User", lazy="joined")
    # The database deletes an item's decisions with it (ON DELETE CASCADE); the ORM need not load them.
    decisions = relationship("Decision", back_populates="item", lazy="raise_on_sql", order_by="Decision.id",
                             cascade="all, delete-orphan", passive_deletes=True)
    # The item's visible comments, when the meeting page's query asks (service.page_options).
    comment_count = query_expression()

    @property
    def programme(self):
        return self.meeting.programme


class AgendaRevision(db.Model):
    """A snapshot of an agenda item after each save: the base a later save merges against."""

    __tablename__ = "agenda_revisions"
    __table_args__ = (UniqueConstraint("item_id", "number", name="uq_agenda_revisions_item_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    presenter: Mapped[str] = mapped_column(String(200), default="")
    planned_minutes: Mapped[int] = mapped_column(Integer, default=0)
    link_url: Mapped[str] = mapped_column(String(500), default="")
    link_label: Mapped[str] = mapped_column(String(200), default="")
    confidential: Mapped[bool] = mapped_column(Boolean, default=False)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    author = relationship("User", lazy="joined")


class MinutesRevision(db.Model):
    """The minutes of one agenda item after each save. `reason` is set for corrections of approved minutes."""

    __tablename__ = "minutes_revisions"
    __table_args__ = (UniqueConstraint("item_id", "number", name="uq_minutes_revisions_item_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text, default="")
    merged: Mapped[bool] = mapped_column(Boolean, default=False)
    reason: Mapped[str | None] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    author = relationship("User", lazy="joined")


class Decision(db.Model):
    """A kesepakatan recorded under an agenda item; a WORK decision becomes action items."""

    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"), index=True)
    kind: Mapped[DecisionKind] = mapped_column(_enum(DecisionKind), default=DecisionKind.AGREEMENT)
    text: Mapped[str] = mapped_column(Text)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="SET NULL"))
    due_on: Mapped[date | None] = mapped_column(Date)
    # The Pasal (or BAB) of one of the programme's drafts that the decision is about.
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("draft_units.id", ondelete="SET NULL"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    item = relationship("AgendaItem", back_populates="decisions", lazy="select")
    organisation = relationship("Organisation", lazy="joined")

    @property
    def programme(self):
        return self.item.meeting.programme

    @property
    def label(self) -> str:
        """How an action item names its source."""
        return f"{self.item.meeting.title}: {self.text[:80]}"


class MinutesConfirmation(db.Model):
    __tablename__ = "minutes_confirmations"
    __table_args__ = (UniqueConstraint("meeting_id", "user_id", name="uq_minutes_confirmations_meeting_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    verdict: Mapped[Verdict] = mapped_column(_enum(Verdict))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False)

    user = relationship("User", lazy="joined")


class AgendaTemplate(db.Model):
    """A saved agenda (titles, presenters, planned minutes) to start new meetings from."""

    __tablename__ = "agenda_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    items: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of {title, presenter, planned_minutes, description}
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    programme = relationship("Programme", lazy="joined")


class CalendarFeed(db.Model):
    """A personal calendar feed: whoever knows the token reads the user's meetings, so it can be reset."""

    __tablename__ = "calendar_feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    token: Mapped[str] = mapped_column(String(64), unique=True, default=lambda: secrets.token_urlsafe(32))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    user = relationship("User", lazy="joined")
