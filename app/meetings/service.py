"""Meetings: plain functions with explicit arguments, one commit each (none reads `request`).

Agenda items and minutes are co-edited under the shared rule of app/coediting.py: every save
carries the revision it started from; a save on an old base is merged word by word, and
overlapping edits come back as a conflict for the user to resolve. Nothing is overwritten.
"""
import calendar
import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import and_, delete as sql_delete, column, exists, func, null, select, table
from sqlalchemy.orm import joinedload, lazyload, selectinload, with_expression
from sqlalchemy.orm.attributes import set_committed_value

from app import coediting
from app.accounts.models import User
from app.coediting import Outcome
from app.collab import domains as collab
from app.extensions import db
from app.meetings.models import (
    AgendaItem,
    AgendaRevision,
    AgendaTemplate,
    Attendance,
    CalendarFeed,
    Decision,
    DecisionKind,
    Meeting,
    MeetingInvitation,
    MeetingKind,
    MeetingRsvp,
    MeetingStatus,
    MinutesConfirmation,
    MinutesRevision,
    Presence,
    Roadshow,
    Rsvp,
    Verdict,
)
from app.organisations.models import Organisation
from app.pentahelix import Element
from app.programmes.models import Membership, Programme
from app.types import utcnow


class MeetingError(Exception):
    """A change the rules refuse; the message is shown to the user."""


# -- time ------------------------------------------------------------------------------------

def to_utc(day: date, at: time, zone_name: str) -> datetime:
    """A wall-clock time in the meeting's zone, as an aware UTC datetime."""
    return datetime.combine(day, at, tzinfo=ZoneInfo(zone_name)).astimezone(timezone.utc)


# -- meetings --------------------------------------------------------------------------------

FOLLOW_UP_TITLE = "Tindak lanjut rapat sebelumnya"


def create_meeting(
    programme: Programme,
    by: User,
    *,
    title: str,
    kind: MeetingKind,
    starts_at: datetime,
    ends_at: datetime,
    zone: str,
    place: str = "",
    online_url: str = "",
    organiser_id: int | None = None,
    description: str = "",
    roadshow_id: int | None = None,
    template: AgendaTemplate | None = None,
    follow_up: list | None = None,
) -> Meeting:
    """Create a meeting, its agenda from `template`, and, when `follow_up` lists open actions,
    a first agenda item reviewing them ("nothing falls between meetings")."""
    if ends_at <= starts_at:
        raise MeetingError("end before start")
    meeting = Meeting(
        programme_id=programme.id, title=title, kind=kind, starts_at=starts_at, ends_at=ends_at, timezone=zone,
        place=place or "", online_url=online_url or "", organiser_id=organiser_id, description=description or "",
        roadshow_id=roadshow_id, created_by_id=by.id, status=MeetingStatus.PLANNED, agenda_version=0,
    )
    db.session.add(meeting)
    db.session.flush()
    position = 0
    if follow_up:
        _new_item(meeting, by, position, title=FOLLOW_UP_TITLE, description=follow_up_text(follow_up),
                  planned_minutes=15)
        position += 1
    for entry in template_entries(template) if template else []:
        _new_item(meeting, by, position, **entry)
        position += 1
    db.session.commit()
    return meeting


def follow_up_text(actions: list) -> str:
    """Markdown list of open actions: title, responsible organisation, due date (overdue marked)."""
    today = utcnow().date()
    lines = []
    for action in actions:
        org = action.get("organisation") or "—"
        due = action.get("due_on")
        mark = ""
        if due:
            mark = f" · {due.isoformat()}" + (" · **terlambat**" if due < today else "")
        lines.append(f"- {action['title']} — {org}{mark}")
    return "\n".join(lines)


# A change to one of these tells the invitees.
_WHEN_AND_WHERE = ("starts_at", "ends_at", "timezone", "place", "online_url")


def update_meeting(meeting: Meeting, by: User | None = None, **fields) -> None:
    if fields["ends_at"] <= fields["starts_at"]:
        raise MeetingError("end before start")
    before = {name: getattr(meeting, name) for name in _WHEN_AND_WHERE}
    for name, value in fields.items():
        setattr(meeting, name, value if value is not None or name in ("organiser_id", "roadshow_id") else "")
    if any(getattr(meeting, name) != old for name, old in before.items()):
        invitations = db.session.execute(select(MeetingInvitation).filter_by(meeting_id=meeting.id)).scalars().all()
        collab.meeting_changed(meeting, by, _reached_by(invitations, members_of(meeting.programme)))
    db.session.commit()


def delete_meeting(meeting: Meeting) -> None:
    db.session.delete(meeting)
    db.session.commit()


def change_status(meeting: Meeting, new: MeetingStatus, by: User) -> None:
    if not meeting.can_move_to(new):
        raise MeetingError("transition")
    meeting.set_status(new, by)
    db.session.commit()


def meetings_of(programme: Programme, *, upcoming: bool | None = None, limit: int | None = None) -> list[Meeting]:
    query = select(Meeting).where(Meeting.programme_id == programme.id)
    now = utcnow()
    if upcoming is True:
        query = query.where(Meeting.ends_at >= now).order_by(Meeting.starts_at)
    elif upcoming is False:
        query = query.where(Meeting.ends_at < now).order_by(Meeting.starts_at.desc())
    else:
        query = query.order_by(Meeting.starts_at.desc())
    if limit:
        query = query.limit(limit)
    return list(db.session.execute(query).scalars())


def month_grid(programme: Programme, year: int, month: int, zone_name: str) -> list[list[dict]]:
    """Weeks (Monday first) of day cells {day, in_month, meetings}, days in the viewer's zone."""
    zone = ZoneInfo(zone_name)
    cal = calendar.Calendar(firstweekday=0)
    weeks = cal.monthdatescalendar(year, month)
    first, last = weeks[0][0], weeks[-1][-1]
    start = datetime.combine(first, time(0), tzinfo=zone).astimezone(timezone.utc)
    end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=zone).astimezone(timezone.utc)
    by_day = defaultdict(list)
    rows = db.session.execute(
        select(Meeting)
        .where(Meeting.programme_id == programme.id, Meeting.starts_at >= start, Meeting.starts_at < end)
        .order_by(Meeting.starts_at)
    ).scalars()
    for meeting in rows:
        by_day[meeting.starts_at.astimezone(zone).date()].append(meeting)
    return [[{"day": d, "in_month": d.month == month, "meetings": by_day.get(d, [])} for d in week] for week in weeks]


def roadshows_of(programme: Programme) -> list[Roadshow]:
    return list(
        db.session.execute(select(Roadshow).where(Roadshow.programme_id == programme.id).order_by(Roadshow.title)).scalars()
    )


def create_roadshow(programme: Programme, title: str, description: str = "") -> Roadshow:
    roadshow = Roadshow(programme_id=programme.id, title=title, description=description or "")
    db.session.add(roadshow)
    db.session.commit()
    return roadshow


def roadshow_visits(roadshow: Roadshow) -> list[Meeting]:
    return list(
        db.session.execute(select(Meeting).where(Meeting.roadshow_id == roadshow.id).order_by(Meeting.starts_at)).scalars()
    )


def load_page(meeting: Meeting) -> Meeting:
    """Everything the meeting page shows, in a fixed number of queries whatever the meeting's size."""
    return db.session.execute(
        select(Meeting)
        .where(Meeting.id == meeting.id)
        .options(
            selectinload(Meeting.items).selectinload(AgendaItem.decisions),
            selectinload(Meeting.invitations),
            selectinload(Meeting.rsvps),
            selectinload(Meeting.attendance),
            selectinload(Meeting.decisions),
            selectinload(Meeting.confirmations),
        )
    ).scalar_one()


def page_options(meeting_id: int, viewer) -> list:
    """Loader options for the meeting page's one query of the meeting: its agenda items with their
    decisions (joined: one row per decision), the RSVP counts and the viewer's answer, each item's
    comment count and whether any decision became an action, as columns of that same query."""
    from app.comments.models import Comment

    def answers(response):
        return (
            select(func.count()).where(MeetingRsvp.meeting_id == Meeting.id, MeetingRsvp.response == response)
            .scalar_subquery()
        )

    mine = (
        select(MeetingRsvp.response).where(MeetingRsvp.meeting_id == Meeting.id, MeetingRsvp.user_id == viewer.id)
        .scalar_subquery() if viewer is not None and viewer.is_authenticated else null()
    )
    comments = (
        select(func.count()).where(
            Comment.target_type == "agenda_item", Comment.target_id == AgendaItem.id,
            Comment.deleted_at.is_(None), Comment.hidden_at.is_(None),
        ).scalar_subquery()
    )
    # By table name: meetings load without the actions package (app/meetings/followup.py).
    # Uncorrelated (the meeting's id, not its row), so it runs once: one pass over the actions made
    # from decisions (they have no index by source), not one per row of the query.
    actions = table("actions", column("source_kind"), column("source_id"))
    decisions = select(Decision.id).where(Decision.meeting_id == meeting_id)
    has_actions = exists().where(actions.c.source_kind == "decision", actions.c.source_id.in_(decisions))
    return [
        with_expression(Meeting.has_decision_actions, has_actions),
        with_expression(Meeting.rsvp_yes, answers(Rsvp.YES)),
        with_expression(Meeting.rsvp_maybe, answers(Rsvp.MAYBE)),
        with_expression(Meeting.rsvp_no, answers(Rsvp.NO)),
        with_expression(Meeting.my_rsvp, mine),
        joinedload(Meeting.items).options(
            with_expression(AgendaItem.comment_count, comments),
            joinedload(AgendaItem.decisions),
        ),
    ]


def reload_page(meeting: Meeting, viewer) -> Meeting:
    """The meeting again with page_options (after a change, for the fragment that answers it)."""
    return db.session.execute(
        select(Meeting).where(Meeting.id == meeting.id).options(*page_options(meeting.id, viewer))
        .execution_options(populate_existing=True)
    ).unique().scalar_one()


def settle_page(meeting: Meeting) -> None:
    """After page_options: the meeting's decisions are its items' (no second query for them)."""
    decisions = [d for item in meeting.items for d in item.decisions]
    set_committed_value(meeting, "decisions", sorted(decisions, key=lambda d: d.id))


def load_people(meeting: Meeting) -> None:
    """Who was at the table and their answers on the minutes, in one query: a confirmation belongs
    to an attendee (remove_attendance takes it away with them)."""
    rows = db.session.execute(
        select(Attendance, MinutesConfirmation)
        .outerjoin(MinutesConfirmation, and_(MinutesConfirmation.meeting_id == Attendance.meeting_id,
                                             MinutesConfirmation.user_id == Attendance.user_id))
        .where(Attendance.meeting_id == meeting.id)
        .order_by(Attendance.id)
    ).all()
    set_committed_value(meeting, "attendance", [a for a, _c in rows])
    set_committed_value(meeting, "confirmations", [c for _a, c in rows if c is not None])


def load_invitations(meeting: Meeting) -> None:
    set_committed_value(meeting, "invitations", list(db.session.execute(
        select(MeetingInvitation).where(MeetingInvitation.meeting_id == meeting.id).order_by(MeetingInvitation.id)
    ).scalars()))


def members_and_organisations(programme: Programme) -> tuple[list[Membership], list[Organisation]]:
    """The programme's members (by name) and every organisation (by name, for the forms' choices),
    in one query: organisations outer-joined to their users who are members."""
    users, memberships = User.__table__, Membership.__table__
    members_only = users.join(memberships, and_(memberships.c.user_id == users.c.id, memberships.c.programme_id == programme.id))
    rows = db.session.execute(
        select(Organisation, User, Membership)
        .select_from(Organisation.__table__.outerjoin(members_only, users.c.organisation_id == Organisation.id))
        .options(lazyload(User.organisation), lazyload(Membership.user))
        .order_by(Organisation.name, Organisation.id)
    ).all()
    organisations, members = [], []
    for organisation, user, membership in rows:
        if not organisations or organisations[-1] is not organisation:
            organisations.append(organisation)
        if membership is not None:
            set_committed_value(user, "organisation", organisation)
            set_committed_value(membership, "user", user)
            members.append(membership)
    members.sort(key=lambda m: (m.user.name, m.id))
    return members, organisations


def members_of(programme: Programme) -> list[Membership]:
    return list(
        db.session.execute(
            select(Membership).where(Membership.programme_id == programme.id).join(Membership.user).order_by(User.name)
        ).scalars()
    )


def organisations() -> list[Organisation]:
    return list(db.session.execute(select(Organisation).order_by(Organisation.name)).scalars())


# -- invitations, RSVP, attendance ---------------------------------------------------------------

def invite(meeting: Meeting, *, user_id: int | None = None, organisation_id: int | None = None,
           element: Element | None = None, by: User | None = None) -> MeetingInvitation:
    if sum(x is not None for x in (user_id, organisation_id, element)) != 1:
        raise MeetingError("one of user, organisation, element")
    existing = db.session.execute(
        select(MeetingInvitation).filter_by(
            meeting_id=meeting.id, user_id=user_id, organisation_id=organisation_id, element=element
        )
    ).scalar_one_or_none()
    if existing:
        return existing
    invitation = MeetingInvitation(meeting_id=meeting.id, user_id=user_id, organisation_id=organisation_id,
                                   element=element)
    db.session.add(invitation)
    collab.meeting_invited(meeting, by, _reached_by([invitation], members_of(meeting.programme)))
    db.session.commit()
    return invitation


def remove_invitation(invitation: MeetingInvitation) -> None:
    db.session.delete(invitation)
    db.session.commit()


def invitees(meeting: Meeting, members: list[Membership]) -> list[User]:
    """The programme's members an invitation reaches: by name, by organisation, or by element."""
    return _reached_by(meeting.invitations, members)


def _reached_by(invitations, members: list[Membership]) -> list[User]:
    users, orgs, elements = set(), set(), set()
    for inv in invitations:
        if inv.user_id:
            users.add(inv.user_id)
        elif inv.organisation_id:
            orgs.add(inv.organisation_id)
        elif inv.element:
            elements.add(inv.element)
    return [
        m.user for m in members
        if m.user_id in users or m.user.organisation_id in orgs or m.user.organisation.element in elements
    ]


def set_rsvp(meeting: Meeting, user: User, response: Rsvp) -> None:
    rsvp = db.session.execute(select(MeetingRsvp).filter_by(meeting_id=meeting.id, user_id=user.id)).scalar_one_or_none()
    if rsvp is None:
        db.session.add(MeetingRsvp(meeting_id=meeting.id, user_id=user.id, response=response))
    else:
        rsvp.response = response
    db.session.commit()


def record_attendance(meeting: Meeting, *, user_id: int | None = None, guest_name: str | None = None,
                      organisation_id: int | None = None, guest_element: Element | None = None,
                      presence: Presence = Presence.PRESENT, represented_by: str = "", contact: str = "") -> Attendance:
    """Record (or update) one attendee: a member by user id, or a guest by name."""
    if user_id is None and not guest_name:
        raise MeetingError("user or guest")
    row = None
    if user_id is not None:
        row = db.session.execute(
            select(Attendance).filter_by(meeting_id=meeting.id, user_id=user_id)
        ).scalar_one_or_none()
    if row is None:
        row = Attendance(meeting_id=meeting.id, user_id=user_id, guest_name=guest_name if user_id is None else None)
        db.session.add(row)
    if user_id is None:
        row.organisation_id = organisation_id
        row.guest_element = guest_element if organisation_id is None else None
    row.presence = presence
    row.represented_by = represented_by or "" if presence == Presence.REPRESENTED else ""
    row.contact = contact or ""
    db.session.commit()
    return row


def remove_attendance(row: Attendance) -> None:
    """Someone was not at the table after all: their answer on the minutes goes with them."""
    if row.user_id is not None:
        db.session.execute(
            sql_delete(MinutesConfirmation).where(MinutesConfirmation.meeting_id == row.meeting_id,
                                                  MinutesConfirmation.user_id == row.user_id)
        )
    db.session.delete(row)
    db.session.commit()


@dataclass
class ElementRow:
    element: Element
    invited: int = 0
    present: int = 0
    represented: int = 0
    absent: int = 0
    organisations: list = field(default_factory=list)

    @property
    def at_table(self) -> bool:
        return self.present + self.represented > 0


def element_summary(meeting: Meeting, invited_users: list[User]) -> list[ElementRow]:
    """Per element: invited, present, represented, absent, and the organisations at the table."""
    rows = {e: ElementRow(e) for e in Element}
    for user in invited_users:
        rows[user.organisation.element].invited += 1
    for att in meeting.attendance:
        element = att.element
        if element is None:
            continue
        row = rows[element]
        if att.presence == Presence.PRESENT:
            row.present += 1
        elif att.presence == Presence.REPRESENTED:
            row.represented += 1
        else:
            row.absent += 1
        org = att.org
        label = org.display_name if org else att.name
        if att.presence.at_the_table and label not in row.organisations:
            row.organisations.append(label)
    return list(rows.values())


def attendance_by_element(meeting: Meeting) -> list[tuple[Element, list[Attendance]]]:
    groups = defaultdict(list)
    for att in sorted(meeting.attendance, key=lambda a: a.name.lower()):
        groups[att.element].append(att)
    ordered = [(e, groups[e]) for e in Element if groups.get(e)]
    if groups.get(None):
        ordered.append((None, groups[None]))
    return ordered


# -- agenda ----------------------------------------------------------------------------------

AGENDA_FIELDS = ("title", "description", "presenter", "planned_minutes", "link_url", "link_label", "confidential")
PROSE_FIELDS = ("title", "description")


def _snapshot(item: AgendaItem, by: User | None) -> AgendaRevision:
    return AgendaRevision(item_id=item.id, number=item.version, author_id=by.id if by else None,
                          **{name: getattr(item, name) for name in AGENDA_FIELDS})


def _new_item(meeting: Meeting, by: User, position: int, **values) -> AgendaItem:
    values = {k: v for k, v in values.items() if k in AGENDA_FIELDS}
    item = AgendaItem(meeting_id=meeting.id, position=position, version=1, minutes="", minutes_rev=0, **values)
    for name in AGENDA_FIELDS:
        if getattr(item, name) is None:
            setattr(item, name, AgendaItem.__table__.c[name].default.arg)
    db.session.add(item)
    db.session.flush()
    db.session.add(_snapshot(item, by))
    meeting.agenda_version = (meeting.agenda_version or 0) + 1
    return item


def agenda_items(meeting: Meeting) -> list[AgendaItem]:
    return list(
        db.session.execute(select(AgendaItem).where(AgendaItem.meeting_id == meeting.id).order_by(AgendaItem.position)).scalars()
    )


def add_item(meeting: Meeting, by: User, **values) -> AgendaItem:
    position = db.session.scalar(
        select(func.coalesce(func.max(AgendaItem.position), -1)).where(AgendaItem.meeting_id == meeting.id)
    ) + 1
    item = _new_item(meeting, by, position, **values)
    db.session.commit()
    return item


@dataclass
class AgendaConflict:
    name: str
    base: object
    mine: object
    theirs: object
    proposal: object


@dataclass
class AgendaSave:
    outcome: Outcome
    conflicts: list[AgendaConflict] = field(default_factory=list)
    head_version: int = 0
    by: User | None = None  # who saved the head we merged with


def save_item(item_id: int, by: User, base_version: int, values: dict) -> AgendaSave:
    """Save an agenda item edited from revision `base_version`; merges with saves made meanwhile.

    Prose fields merge word by word; other fields take whichever side changed them, and conflict
    when both sides changed them differently. On conflict nothing is written.
    """
    item = coediting.lock(AgendaItem, item_id)
    base_is_head = base_version == item.version
    base = item if base_is_head else db.session.execute(
        select(AgendaRevision).filter_by(item_id=item.id, number=base_version)
    ).scalar_one_or_none()
    if base is None:
        raise MeetingError("unknown base")
    new_values, conflicts, merged = {}, [], False
    for name in AGENDA_FIELDS:
        mine, theirs, old = values[name], getattr(item, name), getattr(base, name)
        if name in PROSE_FIELDS:
            decision = coediting.decide_save(old, theirs, base_is_head, mine)
            if decision.outcome == Outcome.CONFLICT:
                conflicts.append(AgendaConflict(name, old, mine, theirs, decision.merge.proposal))
            elif decision.outcome in (Outcome.APPLIED, Outcome.MERGED):
                new_values[name] = decision.text
                merged |= decision.outcome == Outcome.MERGED
        elif mine != theirs:
            if base_is_head or old == theirs:
                new_values[name] = mine
            elif old != mine:
                conflicts.append(AgendaConflict(name, old, mine, theirs, theirs))
    head_author = None
    if not base_is_head:
        head_author = db.session.execute(
            select(AgendaRevision).filter_by(item_id=item.id, number=item.version)
        ).scalar_one().author
    if conflicts:
        db.session.rollback()
        return AgendaSave(Outcome.CONFLICT, conflicts, item.version, head_author)
    if not new_values:
        db.session.rollback()
        return AgendaSave(Outcome.UNCHANGED, head_version=item.version)
    for name, value in new_values.items():
        setattr(item, name, value)
    item.version += 1
    db.session.add(_snapshot(item, by))
    item.meeting.agenda_version += 1
    db.session.commit()
    # collab: record_activity(by, "agenda.edited", item) and notify the meeting's followers.
    return AgendaSave(Outcome.MERGED if (merged or not base_is_head) else Outcome.APPLIED,
                      head_version=item.version, by=head_author)


def move_item(item: AgendaItem, step: int) -> None:
    items = agenda_items(item.meeting)
    index = next(i for i, it in enumerate(items) if it.id == item.id)
    target = index + step
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
        _renumber(item.meeting, items)
    db.session.commit()


def reorder(meeting: Meeting, ids: list[int]) -> None:
    """Put the items in the order of `ids`. Items missing from the list (added meanwhile by
    someone else) keep their relative order after the listed ones: a stale drag never loses one."""
    items = agenda_items(meeting)
    rank = {item_id: i for i, item_id in enumerate(ids)}
    ordered = sorted(items, key=lambda it: (rank.get(it.id, len(ids)), it.position))
    _renumber(meeting, ordered)
    db.session.commit()


def _renumber(meeting: Meeting, items: list[AgendaItem]) -> None:
    for position, it in enumerate(items):
        it.position = position
    meeting.agenda_version += 1


def remove_item(item: AgendaItem) -> None:
    meeting = item.meeting
    db.session.delete(item)
    db.session.flush()
    _renumber(meeting, agenda_items(meeting))
    db.session.commit()


def total_minutes(items: list[AgendaItem]) -> int:
    return sum(item.planned_minutes or 0 for item in items)


def agenda_history(item: AgendaItem) -> list[AgendaRevision]:
    return list(
        db.session.execute(
            select(AgendaRevision).filter_by(item_id=item.id).order_by(AgendaRevision.number.desc())
        ).scalars()
    )


# -- minutes ---------------------------------------------------------------------------------

@dataclass
class MinutesSave:
    outcome: Outcome
    item: AgendaItem
    merge: coediting.MergeResult | None = None
    mine: str = ""


def save_minutes(item_id: int, by: User, base_rev: int, text: str, reason: str | None = None) -> MinutesSave:
    """Save the minutes of an agenda item written from revision `base_rev`.

    Inside one transaction holding the item's row: on the head, applied; on an older base,
    merged with what others saved meanwhile, or returned as a conflict with nothing written.
    Approved minutes change only with a `reason` (a correction, kept in history).
    """
    item = coediting.lock(AgendaItem, item_id)
    if item.meeting.minutes_locked and not (reason or "").strip():
        db.session.rollback()
        raise MeetingError("locked")
    if base_rev > item.minutes_rev or base_rev < 0:
        db.session.rollback()
        raise MeetingError("unknown base")
    base_is_head = base_rev == item.minutes_rev
    base_text = item.minutes if base_is_head else (
        "" if base_rev == 0 else db.session.execute(
            select(MinutesRevision.text).filter_by(item_id=item.id, number=base_rev)
        ).scalar_one()
    )
    decision = coediting.decide_save(base_text, item.minutes, base_is_head, text)
    if decision.outcome in (Outcome.UNCHANGED, Outcome.CONFLICT):
        db.session.rollback()
        return MinutesSave(decision.outcome, item, decision.merge, coediting.normalise(text))
    item.minutes_rev += 1
    item.minutes = decision.text
    item.minutes_by_id = by.id
    item.minutes_at = utcnow()
    db.session.add(MinutesRevision(
        item_id=item.id, number=item.minutes_rev, text=decision.text, author_id=by.id,
        merged=decision.outcome == Outcome.MERGED, reason=(reason or "").strip() or None,
    ))
    db.session.commit()
    # collab: publish the change to the live channel once SSE exists; the poll below serves it now.
    return MinutesSave(decision.outcome, item, decision.merge, coediting.normalise(text))


def minutes_history(item: AgendaItem) -> list[MinutesRevision]:
    return list(
        db.session.execute(
            select(MinutesRevision).filter_by(item_id=item.id).order_by(MinutesRevision.number.desc())
        ).scalars()
    )


def minutes_state(meeting_id: int) -> list[tuple[int, int, str | None, bool]]:
    """(item id, head revision, who saved it, confidential) for the live poll: one small query."""
    return list(
        db.session.execute(
            select(AgendaItem.id, AgendaItem.minutes_rev, User.name, AgendaItem.confidential)
            .outerjoin(User, User.id == AgendaItem.minutes_by_id)
            .where(AgendaItem.meeting_id == meeting_id)
            .order_by(AgendaItem.id)
        ).all()
    )


# -- decisions -------------------------------------------------------------------------------

def add_decision(item: AgendaItem, by: User, kind: DecisionKind, text: str, organisation_id: int | None = None,
                 due_on: date | None = None, unit_id: int | None = None) -> Decision:
    """`unit_id`: a Pasal of one of the programme's drafts (the caller offers only those)."""
    if item.meeting.minutes_locked:
        raise MeetingError("locked")
    decision = Decision(meeting_id=item.meeting_id, item_id=item.id, kind=kind, text=text,
                        organisation_id=organisation_id, due_on=due_on, unit_id=unit_id, created_by_id=by.id)
    db.session.add(decision)
    if not item.confidential:  # the feed is read by everyone who sees the meeting
        collab.decision_recorded(item, by, text)
    db.session.commit()
    return decision


def remove_decision(decision: Decision) -> None:
    if decision.item.meeting.minutes_locked:
        raise MeetingError("locked")
    db.session.delete(decision)
    db.session.commit()


# -- confirmations of the minutes --------------------------------------------------------------

def confirm(meeting: Meeting, user: User, verdict: Verdict, note: str = "") -> MinutesConfirmation:
    """An attendee confirms the minutes or objects with a note, before they are approved."""
    if meeting.status != MeetingStatus.FINISHED:
        raise MeetingError("not finished")
    attended = db.session.execute(
        select(Attendance).filter_by(meeting_id=meeting.id, user_id=user.id)
    ).scalar_one_or_none()
    if attended is None or not attended.presence.at_the_table:
        raise MeetingError("not an attendee")
    if verdict == Verdict.OBJECT and not (note or "").strip():
        raise MeetingError("objection needs a note")
    row = db.session.execute(
        select(MinutesConfirmation).filter_by(meeting_id=meeting.id, user_id=user.id)
    ).scalar_one_or_none()
    if row is None:
        row = MinutesConfirmation(meeting_id=meeting.id, user_id=user.id, verdict=verdict)
        db.session.add(row)
    row.verdict, row.note = verdict, (note or "").strip()
    db.session.commit()
    return row


def confirmation_summary(meeting: Meeting) -> list[dict]:
    """Per element: attendees with an account, how many confirmed, objected, not yet answered."""
    verdicts = {c.user_id: c.verdict for c in meeting.confirmations}
    rows = {e: {"element": e, "attendees": 0, "confirmed": 0, "objected": 0, "pending": 0} for e in Element}
    for att in meeting.attendance:
        if att.user_id is None or not att.presence.at_the_table:
            continue
        row = rows[att.element]
        row["attendees"] += 1
        verdict = verdicts.get(att.user_id)
        key = {Verdict.CONFIRM: "confirmed", Verdict.OBJECT: "objected"}.get(verdict, "pending")
        row[key] += 1
    return list(rows.values())


# -- agenda templates ------------------------------------------------------------------------

TEMPLATE_FIELDS = ("title", "presenter", "planned_minutes", "description")


def save_template(meeting: Meeting, by: User, name: str) -> AgendaTemplate:
    entries = [{k: getattr(item, k) for k in TEMPLATE_FIELDS} for item in agenda_items(meeting)]
    template = AgendaTemplate(programme_id=meeting.programme_id, name=name, items=json.dumps(entries), created_by_id=by.id)
    db.session.add(template)
    db.session.commit()
    return template


def templates_of(programme: Programme) -> list[AgendaTemplate]:
    return list(
        db.session.execute(
            select(AgendaTemplate).where(AgendaTemplate.programme_id == programme.id).order_by(AgendaTemplate.name)
        ).scalars()
    )


def template_entries(template: AgendaTemplate) -> list[dict]:
    try:
        entries = json.loads(template.items or "[]")
    except ValueError:
        return []
    return [{k: e.get(k) for k in TEMPLATE_FIELDS if e.get(k) is not None} for e in entries if e.get("title")]


# -- calendar feed ---------------------------------------------------------------------------

def feed_for(user: User, reset: bool = False) -> CalendarFeed:
    feed = db.session.execute(select(CalendarFeed).filter_by(user_id=user.id)).scalar_one_or_none()
    if feed is not None and reset:
        db.session.delete(feed)
        db.session.flush()
        feed = None
    if feed is None:
        feed = CalendarFeed(user_id=user.id)
        db.session.add(feed)
        db.session.commit()
    return feed


def feed_by_token(token: str) -> CalendarFeed | None:
    return db.session.execute(select(CalendarFeed).filter_by(token=token)).scalar_one_or_none()


def meetings_for_feed(user: User, since: datetime | None = None) -> list[Meeting]:
    """Meetings of every programme the user belongs to, from 90 days back."""
    since = since or utcnow() - timedelta(days=90)
    return list(
        db.session.execute(
            select(Meeting)
            .join(Membership, Membership.programme_id == Meeting.programme_id)
            .where(Membership.user_id == user.id, Meeting.starts_at >= since)
            .order_by(Meeting.starts_at)
        ).scalars()
    )


def upcoming_for(programme: Programme, limit: int = 3) -> list[Meeting]:
    return meetings_of(programme, upcoming=True, limit=limit)


def previous_meeting(meeting: Meeting) -> Meeting | None:
    return db.session.execute(
        select(Meeting)
        .where(Meeting.programme_id == meeting.programme_id, Meeting.starts_at < meeting.starts_at)
        .order_by(Meeting.starts_at.desc())
        .limit(1)
    ).scalar_one_or_none()


def visible_items(items: list[AgendaItem], include_confidential: bool) -> list[AgendaItem]:
    return [item for item in items if include_confidential or not item.confidential]

