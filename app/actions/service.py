"""Follow-up actions: queries for the views, changes (one commit each), reminders.

Every list function runs a fixed number of queries whatever the number of actions: filters
are SQL conditions, related rows come with joins or selectin loads.
"""
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from functools import cached_property
from math import ceil
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from flask import current_app, has_request_context
from flask_babel import get_timezone
from sqlalchemy import String, and_, case, exists, func, literal, or_, select, union_all
from sqlalchemy.orm import joinedload, selectinload

from app.i18n import lazy_gettext as _l
from app.accounts.models import User
from app.actions.models import (
    OPEN_STATUSES,
    Action,
    ActionHistory,
    CalendarToken,
    ChecklistItem,
    Label,
    Priority,
    SourceKind,
    Status,
    NOTE_SUBACTIONS,
    NOTE_WEIGHTS,
    TransitionError,
    action_blockers,
    action_labels,
)
from app.extensions import db
from app.organisations.models import Organisation
from app.pentahelix import Element
from app.programmes.models import Membership, Programme

CLOSED_STATUSES = (Status.SELESAI, Status.DIBATALKAN)
PER_PAGE = 50
# Cards per column and per "show more": 250 cards made the board 555 KB (17 KB compressed) and 50 ms.
BOARD_PER_COLUMN = 20
MAX_DEPTH = 20  # sub-action levels followed when rolling progress up (a guard, not a design limit)


def today() -> date:
    """Today where the viewer is (their time zone), else where the app is set up (WITA by default)."""
    if has_request_context():
        return datetime.now(get_timezone()).date()
    return datetime.now(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])).date()


# -- filters ------------------------------------------------------------------------------

SORTS = {
    "due": _l("Due date"),
    "-due": _l("Due date, latest first"),
    "priority": _l("Priority"),
    "status": _l("Status"),
    "title": _l("Title"),
    "progress": _l("Progress"),
    "updated": _l("Recently changed"),
}

_STATUS_ORDER = case({s.value: i for i, s in enumerate(Status)}, value=Action.status)
_PRIORITY_ORDER = case({p.value: -i for i, p in enumerate(Priority)}, value=Action.priority)


def _int(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**31 else None


def _date(value) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


@dataclass
class ActionFilter:
    """The table's filter, read from and written back to the URL so a view can be shared.

    Values that do not parse are dropped: a hand-edited URL shows a wider list, never an error.
    """

    statuses: list[Status] = field(default_factory=list)
    element: Element | None = None
    organisation_id: int | None = None
    assignee: str = ""  # a user id, "me" or "none"
    overdue: bool = False
    due_from: date | None = None
    due_to: date | None = None
    meeting_id: int | None = None
    label_id: int | None = None
    q: str = ""
    sort: str = "due"
    page: int = 1

    @classmethod
    def from_args(cls, args) -> "ActionFilter":
        statuses = []
        for value in args.getlist("status"):
            try:
                status = Status(value)
            except ValueError:
                continue
            if status not in statuses:
                statuses.append(status)
        try:
            element = Element(args.get("element", ""))
        except ValueError:
            element = None
        assignee = args.get("assignee", "")
        if assignee not in ("me", "none") and _int(assignee) is None:
            assignee = ""
        sort = args.get("sort", "due")
        return cls(
            statuses=statuses,
            element=element,
            organisation_id=_int(args.get("organisation")),
            assignee=assignee,
            overdue=args.get("overdue") in ("1", "on", "true", "y"),
            due_from=_date(args.get("due_from")),
            due_to=_date(args.get("due_to")),
            meeting_id=_int(args.get("meeting")),
            label_id=_int(args.get("label")),
            q=(args.get("q") or "").strip()[:100],
            sort=sort if sort in SORTS else "due",
            page=_int(args.get("page")) or 1,
        )

    def to_args(self, **changes) -> dict:
        """Query-string arguments for url_for (only the ones set), with `changes` applied."""
        args = {
            "status": [s.value for s in self.statuses],
            "element": self.element.value if self.element else None,
            "organisation": self.organisation_id,
            "assignee": self.assignee or None,
            "overdue": "1" if self.overdue else None,
            "due_from": self.due_from.isoformat() if self.due_from else None,
            "due_to": self.due_to.isoformat() if self.due_to else None,
            "meeting": self.meeting_id,
            "label": self.label_id,
            "q": self.q or None,
            "sort": self.sort if self.sort != "due" else None,
            "page": self.page if self.page > 1 else None,
        }
        args.update(changes)
        return {k: v for k, v in args.items() if v not in (None, "", [])}

    def query_string(self, **changes) -> str:
        return urlencode(self.to_args(**changes), doseq=True)

    @property
    def is_active(self) -> bool:
        return bool(set(self.to_args()) - {"sort", "page"})

    def conditions(self, user, on: date, with_status: bool = True) -> list:
        conds = []
        if with_status and self.statuses:
            conds.append(Action.status.in_(self.statuses))
        if self.element:
            conds.append(Action.organisation_id.in_(select(Organisation.id).where(Organisation.element == self.element)))
        if self.organisation_id:
            conds.append(Action.organisation_id == self.organisation_id)
        if self.assignee == "none":
            conds.append(Action.assignee_id.is_(None))
        elif self.assignee == "me":
            conds.append(Action.assignee_id == (user.id if user is not None and user.is_authenticated else -1))
        elif self.assignee:
            conds.append(Action.assignee_id == int(self.assignee))
        if self.overdue:
            conds.append(_overdue(on))
        if self.due_from:
            conds.append(Action.due_date >= self.due_from)
        if self.due_to:
            conds.append(Action.due_date <= self.due_to)
        if self.meeting_id:
            conds.append(Action.meeting_id == self.meeting_id)
        if self.label_id:
            conds.append(
                exists().where(action_labels.c.action_id == Action.id, action_labels.c.label_id == self.label_id)
            )
        if self.q:
            escaped = self.q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            conds.append(Action.title.ilike(f"%{escaped}%", escape="\\"))
        return conds

    def order_by(self) -> list:
        nulls_last = Action.due_date.is_(None)
        return {
            "due": [nulls_last, Action.due_date, Action.id],
            "-due": [nulls_last, Action.due_date.desc(), Action.id.desc()],
            "priority": [_PRIORITY_ORDER, nulls_last, Action.due_date, Action.id],
            "status": [_STATUS_ORDER, nulls_last, Action.due_date, Action.id],
            "title": [Action.title, Action.id],
            "progress": [Action.progress.desc(), Action.id],
            "updated": [Action.updated_at.desc(), Action.id.desc()],
        }[self.sort]


def _overdue(on: date):
    return and_(Action.status.in_(OPEN_STATUSES), Action.due_date.is_not(None), Action.due_date < on)


def _row_options():
    """What a row in any list shows: assignee (with organisation), responsible organisation, labels."""
    return (
        joinedload(Action.assignee),
        joinedload(Action.organisation),
        selectinload(Action.labels),
    )


@dataclass
class Page:
    items: list
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def table(programme: Programme, flt: ActionFilter, user, on: date, per_page: int = PER_PAGE) -> Page:
    where = [Action.programme_id == programme.id, *flt.conditions(user, on)]
    total = db.session.scalar(select(func.count()).select_from(Action).where(*where))
    page = min(flt.page, max(1, ceil(total / per_page)))
    # The page's ids first, sorted on the actions table alone, then only those 50 rows with their
    # joins: sorting every matching row together with its assignee, organisations and parent cost
    # 60 ms on the first page of 20,000 actions and 150 ms on page 200 (SQLite).
    page_ids = (
        select(Action.id)
        .where(*where)
        .order_by(*flt.order_by())
        .limit(per_page)
        .offset((page - 1) * per_page)
        .subquery()
    )
    items = db.session.execute(
        select(Action)
        .join(page_ids, page_ids.c.id == Action.id)
        .order_by(*flt.order_by())
        .options(*_row_options(), joinedload(Action.parent))
    ).unique().scalars().all()
    return Page(items=list(items), total=total, page=page, per_page=per_page)


def filtered(programme: Programme, flt: ActionFilter, user, on: date) -> list[Action]:
    """Every action the filter selects (for the CSV export), in the table's order.

    Labels come in one query for all rows: a selectin load would run one query per 500 rows.
    """
    conditions = [Action.programme_id == programme.id, *flt.conditions(user, on)]
    actions = list(
        db.session.execute(
            select(Action)
            .where(*conditions)
            .order_by(*flt.order_by())
            .options(joinedload(Action.assignee), joinedload(Action.organisation))
        ).unique().scalars()
    )
    names = defaultdict(list)
    for action_id, name in db.session.execute(
        select(action_labels.c.action_id, Label.name)
        .join(Label, Label.id == action_labels.c.label_id)
        .where(action_labels.c.action_id.in_(select(Action.id).where(*conditions)))
        .order_by(Label.name)
    ):
        names[action_id].append(name)
    for action in actions:
        action.label_names = names[action.id]  # a plain attribute: the export reads names only
    return actions


def board(programme: Programme, flt: ActionFilter, user, on: date, per_column: int = BOARD_PER_COLUMN,
          only: Status | None = None, page: int = 1) -> list[dict]:
    """Columns by status: the count of each, and its first `per_column` cards (with `only`: that
    column alone, its cards of `page`; the board's "show more").

    Open columns show the most urgent first; Selesai and Dibatalkan the most recently changed,
    so a programme with thousands of finished actions still has a readable board.
    """
    statuses = [only] if only is not None else list(Status)
    where = [Action.programme_id == programme.id, *flt.conditions(user, on, with_status=False)]
    if only is not None:
        where.append(Action.status == only)
    counts = dict(
        db.session.execute(select(Action.status, func.count()).where(*where).group_by(Action.status)).all()
    )
    offset = (max(1, page) - 1) * per_column
    # Each column's first cards with a LIMIT of its own, walked along ix_actions_programme_board:
    # one ranking window over every action of the programme cost 130 ms at 20,000 actions (SQLite).
    open_order = [Action.due_date.is_(None), Action.due_date, Action.updated_at.desc(), Action.id.desc()]
    closed_order = [Action.updated_at.desc(), Action.id.desc()]
    columns = []
    for status in statuses:
        column = (
            select(Action.id)
            .where(*where, Action.status == status)
            .order_by(*(closed_order if status in CLOSED_STATUSES else open_order))
            .limit(per_column)
            .offset(offset)
            .subquery()
        )
        columns.append(select(column.c.id))
    shown = union_all(*columns).subquery() if len(columns) > 1 else columns[0].subquery()
    closed = Action.status.in_(CLOSED_STATUSES)
    cards = db.session.execute(
        select(Action)
        .join(shown, shown.c.id == Action.id)
        .order_by(
            case((closed, 1), (Action.due_date.is_(None), 1), else_=0),
            case((closed, None), else_=Action.due_date),
            Action.updated_at.desc(),
            Action.id.desc(),
        )
        # A card shows its assignee (with their organisation's badge), no labels or organisation.
        .options(joinedload(Action.assignee))
    ).unique().scalars().all()
    by_status = defaultdict(list)
    for action in cards:
        by_status[action.status].append(action)
    result = []
    for status in statuses:
        count = counts.get(status, 0)
        shown_until = offset + len(by_status[status])
        result.append({"status": status, "count": count, "items": by_status[status], "page": page,
                       "more": count - shown_until, "next_page": page + 1 if shown_until < count else None})
    return result


def timeline(programme: Programme, flt: ActionFilter, user, on: date, limit: int = 500) -> dict:
    """Actions with a due date in the range (default: four weeks back, three months ahead), by month."""
    start = flt.due_from or on - timedelta(days=28)
    end = flt.due_to or on + timedelta(days=92)
    where = [
        Action.programme_id == programme.id,
        *flt.conditions(user, on),
        Action.due_date.is_not(None),
        Action.due_date >= start,
        Action.due_date <= end,
    ]
    items = db.session.execute(
        select(Action).where(*where).order_by(Action.due_date, Action.id).limit(limit)
        .options(joinedload(Action.assignee), joinedload(Action.organisation))  # the timeline shows no labels
    ).unique().scalars().all()
    months: dict[date, list[Action]] = {}
    for action in items:
        months.setdefault(action.due_date.replace(day=1), []).append(action)
    return {"start": start, "end": end, "months": months, "count": len(items), "limit": limit}


def tasks_of(user, on: date, include_closed: bool = False, limit: int = 500) -> list[Action]:
    """"Tugas saya": what is assigned to `user` in every programme they are still a member of."""
    query = (
        select(Action)
        .join(Membership, and_(Membership.programme_id == Action.programme_id, Membership.user_id == user.id))
        .where(Action.assignee_id == user.id)
        .order_by(Action.due_date.is_(None), Action.due_date, Action.id)
        .limit(limit)
        .options(joinedload(Action.programme), joinedload(Action.organisation), selectinload(Action.labels))
    )
    if not include_closed:
        query = query.where(Action.status.in_(OPEN_STATUSES))
    return list(db.session.execute(query).unique().scalars())


def group_tasks(actions: list[Action], on: date) -> list[tuple]:
    """Overdue, this week, later, without a date: the order in which a person works."""
    groups = {"overdue": [], "week": [], "later": [], "undated": [], "closed": []}
    week_end = on + timedelta(days=7)
    for action in actions:
        if not action.is_open:
            groups["closed"].append(action)
        elif action.due_date is None:
            groups["undated"].append(action)
        elif action.due_date < on:
            groups["overdue"].append(action)
        elif action.due_date <= week_end:
            groups["week"].append(action)
        else:
            groups["later"].append(action)
    labels = {
        "overdue": _l("Overdue"),
        "week": _l("Due within a week"),
        "later": _l("Later"),
        "undated": _l("No due date"),
        "closed": _l("Done or cancelled"),
    }
    return [(key, labels[key], items) for key, items in groups.items() if items]


class FilterOptions:
    """Choices for the filter and edit forms: members, organisations, labels, source meetings.

    Each is loaded when first read (`options.members` or `options["members"]`): the htmx fragments
    of the table and the board do not show the filter form, so they load none of them.
    """

    def __init__(self, programme: Programme):
        self.programme = programme

    def __getitem__(self, name: str):
        return getattr(self, name)

    @cached_property
    def members(self) -> list[User]:
        return list(db.session.execute(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.programme_id == self.programme.id)
            .order_by(User.name)
        ).unique().scalars())

    @cached_property
    def organisations(self) -> list[Organisation]:
        """The members' organisations and those answering for an action. EXISTS per organisation (a
        probe of ix_actions_programme_organisation each), not IN over the programme's every action."""
        pid = self.programme.id
        return list(db.session.execute(
            select(Organisation)
            .where(or_(
                exists().where(Membership.programme_id == pid, Membership.user_id == User.id,
                               User.organisation_id == Organisation.id),
                exists().where(Action.programme_id == pid, Action.organisation_id == Organisation.id),
            ))
            .order_by(Organisation.name)
        ).scalars())

    @cached_property
    def _vocabulary(self) -> dict[str, list]:
        """Labels and source meetings, both short lists of (id, name), in one statement."""
        pid = self.programme.id
        rows = db.session.execute(union_all(
            select(literal("label").label("kind"), Label.id.label("id"), Label.name.label("name"))
            .where(Label.programme_id == pid),
            select(literal("meeting"), Action.meeting_id, func.max(Action.meeting_label))
            .where(Action.programme_id == pid, Action.meeting_id.is_not(None))
            .group_by(Action.meeting_id),
        )).all()
        found = {"label": [], "meeting": []}
        for row in rows:
            found[row.kind].append(row)
        return {
            "labels": sorted(found["label"], key=lambda r: (r.name, r.id)),
            "meetings": sorted(((r.id, r.name or f"#{r.id}") for r in found["meeting"])),
        }

    @property
    def labels(self) -> list:
        """Rows with .id and .name, by name."""
        return self._vocabulary["labels"]

    @property
    def meetings(self) -> list[tuple[int, str]]:
        """(meeting id, its label), by id."""
        return self._vocabulary["meetings"]


def filter_options(programme: Programme) -> FilterOptions:
    return FilterOptions(programme)


def detail(programme: Programme, action_id: int, live_only: bool = False) -> Action | None:
    """One action with everything its page shows, in a fixed number of queries; with `live_only`
    what its live part shows (the answer to a change: no checklist, links or sub-action rows)."""
    options = [*_row_options(), joinedload(Action.created_by), joinedload(Action.parent)]
    if live_only:
        options.append(selectinload(Action.children))  # only whether there are any (the progress form)
    else:
        options += [
            selectinload(Action.children).options(joinedload(Action.assignee)),
            selectinload(Action.blocked_by),
            selectinload(Action.blocking),
            selectinload(Action.checklist),
        ]
    return db.session.execute(
        select(Action).where(Action.id == action_id, Action.programme_id == programme.id).options(*options)
    ).unique().scalar_one_or_none()


# History entries on the action page (and in the answer to every change of it): the latest ones,
# the rest on the history page. The whole history made an action's answer grow with every change.
HISTORY_SHOWN = 20
HISTORY_PER_PAGE = 100


def history(action: Action, limit: int = HISTORY_SHOWN, page: int = 1) -> tuple[list[ActionHistory], bool]:
    """`limit` history entries of `action`, newest first, from `page`; and whether there are older ones."""
    entries = list(db.session.execute(
        select(ActionHistory)
        .where(ActionHistory.action_id == action.id)
        .order_by(ActionHistory.at.desc(), ActionHistory.id.desc())
        .limit(limit + 1)
        .offset((max(1, page) - 1) * limit)
        .options(joinedload(ActionHistory.user))
    ).unique().scalars())
    return entries[:limit], len(entries) > limit


def get(programme: Programme, action_id: int) -> Action | None:
    return db.session.execute(
        select(Action)
        .where(Action.id == action_id, Action.programme_id == programme.id)
        .options(joinedload(Action.assignee), joinedload(Action.organisation))
    ).unique().scalar_one_or_none()


def for_sources(programme: Programme, kind: SourceKind, source_ids) -> dict[int, list[Action]]:
    """The actions that came from each of these decisions / meetings / drafts / articles, in one query:
    the other side of the source link, for the meetings and drafts pages (`new_url` makes one)."""
    ids = list(source_ids)
    found: dict[int, list[Action]] = {i: [] for i in ids}
    if not ids:
        return found
    for action in db.session.execute(
        select(Action)
        .where(Action.programme_id == programme.id, Action.source_kind == kind, Action.source_id.in_(ids))
        .order_by(Action.id)
        .options(joinedload(Action.assignee))
    ).unique().scalars():
        found[action.source_id].append(action)
    return found


def new_url_args(kind: SourceKind, source_id: int, label: str, meeting_id: int | None = None,
                 meeting_label: str = "", title: str = "") -> dict:
    """Arguments for url_for("actions.new", slug=…, **these): the form opens with the source filled in."""
    args = {"source_kind": kind.value, "source_id": source_id, "source_label": label[:200], "title": title[:200]}
    if meeting_id is not None:
        args.update(meeting_id=meeting_id, meeting_label=meeting_label[:200])
    return {k: v for k, v in args.items() if v not in (None, "")}


# -- dashboard ------------------------------------------------------------------------------
#
# Every number is counted along an index range: a count over index entries, no expression per row.
# The earlier one-pass GROUP BY evaluated a 12-way CASE per action for the weekly series (18 ms of a
# 57 ms dashboard at 20,000 actions on SQLite); ranges of ix_actions_programme_created and
# ix_actions_programme_completed (migration 0530) count the same weeks in ~2 ms.

def _count(*conditions):
    return select(func.count()).select_from(Action).where(*conditions).scalar_subquery()


def _numbers(programme: Programme, on: date, weeks: int = 0) -> dict:
    """Counts by status, the overdue count and, with `weeks`, the actions created and finished in
    each of the last `weeks` weeks (not counting cancelled ones): one row of index-range counts."""
    base = Action.programme_id == programme.id
    columns = [_count(base, Action.status == s) for s in Status]
    # Overdue per open status: each a range of (programme_id, status, due_date).
    columns += [_count(base, Action.status == s, Action.due_date < on) for s in OPEN_STATUSES]
    ends, instants = _week_ends(on, weeks) if weeks else ([], [])
    live = Action.status != Status.DIBATALKAN
    for column in (Action.created_at, Action.completed_at):
        # Bucket i holds what happened before the end of week i and after the end of week i-1.
        lower = [None, *instants[:-1]]
        columns += [
            _count(base, column < end, live, *([column >= start] if start is not None else []))
            for start, end in zip(lower, instants)
        ]
    row = db.session.execute(select(*columns)).one() if columns else ()
    n = len(Status)
    counts = dict(zip(Status, row[:n]))
    overdue = sum(row[n:n + len(OPEN_STATUSES)])
    created, completed = row[n + len(OPEN_STATUSES):n + len(OPEN_STATUSES) + weeks], row[n + len(OPEN_STATUSES) + weeks:]
    series = []
    total = done = 0
    for day, new, finished in zip(ends, created, completed):
        total, done = total + new, done + finished
        series.append({"date": day, "total": total, "done": done, "completion": round(100 * done / total) if total else 0})
    return {"summary": _summary(sum(counts.values()), counts, overdue), "series": series}


def summary(programme: Programme, on: date) -> dict:
    """Counts by status and overdue, for the programme page and the dashboard's head."""
    return _numbers(programme, on)["summary"]


def progress_series(programme: Programme, on: date, weeks: int = 12) -> list[dict]:
    """Completion at the end of each of the last `weeks` weeks (cumulative: created vs finished)."""
    return _numbers(programme, on, weeks)["series"]


def _summary(total: int, by_status: dict, overdue: int) -> dict:
    counted = total - by_status[Status.DIBATALKAN]
    return {
        "total": total,
        "by_status": by_status,
        "overdue": overdue,
        "blocked": by_status[Status.TERHAMBAT],
        "completion": round(100 * by_status[Status.SELESAI] / counted) if counted else 0,
    }


def _completion_row(total, done, cancelled, progress) -> dict:
    counted = total - cancelled
    return {
        "total": total,
        "done": done,
        "cancelled": cancelled,
        "completion": round(100 * done / counted) if counted else 0,
        "progress": round(float(progress or 0)),
    }


@dataclass
class _Group:
    """Actions of one organisation or source meeting, summed over the statuses."""

    key: int | None
    name: str = ""
    element: Element | None = None
    total: int = 0
    done: int = 0
    cancelled: int = 0
    progress_sum: int = 0
    late: int = 0

    def add(self, status: Status, n: int, progress_sum: int, late: int) -> None:
        self.total += n
        self.late += late
        if status == Status.SELESAI:
            self.done += n
        if status == Status.DIBATALKAN:
            self.cancelled += n
        else:
            self.progress_sum += progress_sum

    def completion(self) -> dict:
        return _completion_row(self.total, self.done, self.cancelled, _average(self.progress_sum, self.total - self.cancelled))


def _groups(programme: Programme, on: date, meetings: int = 10) -> tuple[list[_Group], list[_Group]]:
    """Completion per responsible organisation (None: none) and per source meeting (the `meetings`
    latest), in one statement of two index-ordered passes grouped by (key, status): each reads its
    index only (ix_actions_programme_organisation, ix_actions_programme_meeting_status)."""
    base = Action.programme_id == programme.id
    late = func.sum(case((and_(Action.status.in_(OPEN_STATUSES), Action.due_date < on), 1), else_=0))
    by_organisation = (
        select(Action.organisation_id.label("key"), Action.status.label("status"), func.count().label("n"),
               # No lateness per organisation: the dashboard does not show it, and due_date is not in
               # the index this pass reads.
               func.sum(Action.progress).label("progress_sum"), literal(0).label("late"))
        .where(base)
        .group_by(Action.organisation_id, Action.status)
        .subquery()
    )
    latest = (
        select(Action.meeting_id).where(base, Action.meeting_id.is_not(None))
        .group_by(Action.meeting_id).order_by(Action.meeting_id.desc()).limit(meetings)
    )
    rows = db.session.execute(union_all(
        select(literal("organisation").label("kind"), by_organisation, Organisation.name,
               Organisation.short_name, Organisation.element)
        .outerjoin(Organisation, Organisation.id == by_organisation.c.key),
        select(literal("meeting"), Action.meeting_id, Action.status, func.count(), func.sum(Action.progress), late,
               func.max(Action.meeting_label), literal(None, String), literal(None, Organisation.element.type))
        .where(base, Action.meeting_id.in_(latest))
        .group_by(Action.meeting_id, Action.status),
    )).all()
    found: dict[tuple, _Group] = {}
    for kind, key, status, n, progress_sum, late_n, name, short_name, element in rows:
        group = found.get((kind, key))
        if group is None:
            label = (short_name or name) if kind == "organisation" else (name or f"#{key}")
            group = found[kind, key] = _Group(key, label or "", element)
        group.add(Status(status), n, progress_sum or 0, late_n or 0)
    organisations = sorted((g for (kind, _), g in found.items() if kind == "organisation"),
                           key=lambda g: (-g.total, g.name))
    meeting_groups = sorted((g for (kind, _), g in found.items() if kind == "meeting"), key=lambda g: -g.key)
    return organisations, meeting_groups


def _overdue_list(programme: Programme, on: date, limit: int = 10) -> list[Action]:
    """The `limit` longest overdue actions: the first `limit` of each open status along
    (programme_id, status, due_date), merged; sorting every overdue action cost more than the rest
    of the dashboard's lists together."""
    firsts = union_all(*[
        select(Action.id, Action.due_date)
        .where(Action.programme_id == programme.id, Action.status == s, Action.due_date < on)
        .order_by(Action.due_date, Action.id).limit(limit)
        .subquery().select()
        for s in OPEN_STATUSES
    ]).subquery()
    return list(db.session.execute(
        select(Action)
        .join(firsts, firsts.c.id == Action.id)
        .order_by(Action.due_date, Action.id)
        .limit(limit)
        .options(joinedload(Action.assignee), joinedload(Action.organisation))  # no labels on this list
    ).unique().scalars())


def _people(programme: Programme, on: date, limit: int = 10) -> list[dict]:
    """Who carries the most open actions, and how many of them are late."""
    load = (
        select(Action.assignee_id.label("assignee_id"), func.count().label("open"),
               func.sum(case((Action.due_date < on, 1), else_=0)).label("late"))
        .where(Action.programme_id == programme.id, Action.status.in_(OPEN_STATUSES), Action.assignee_id.is_not(None))
        .group_by(Action.assignee_id)
        .order_by(func.count().desc(), Action.assignee_id)
        .limit(limit)
        .subquery()
    )
    return [
        {"user": user, "open": open_count, "late": late}
        for user, open_count, late in db.session.execute(
            select(User, load.c.open, load.c.late)
            .join(load, load.c.assignee_id == User.id)
            .order_by(load.c.open.desc(), load.c.assignee_id)
        ).unique().all()
    ]


def dashboard(programme: Programme, on: date, weeks: int = 12) -> dict:
    """"What did we agree, who is on it, what is late": four statements, each reading index ranges
    of the programme's actions (see _numbers, _groups, _overdue_list, _people)."""
    numbers = _numbers(programme, on, weeks)
    organisations, meetings = _groups(programme, on)
    by_element_groups: dict = {}
    for group in organisations:
        element = group.element if group.key is not None else None
        sums = by_element_groups.setdefault(element, _Group(None))
        sums.total, sums.done, sums.cancelled = sums.total + group.total, sums.done + group.done, sums.cancelled + group.cancelled
        sums.progress_sum += group.progress_sum
    by_element = {element: group.completion() for element, group in by_element_groups.items()}
    return {
        "summary": numbers["summary"],
        "by_element": [(element, by_element.get(element)) for element in Element] + (
            [(None, by_element[None])] if None in by_element else []
        ),
        "by_organisation": [
            {"id": g.key, "name": g.name, "element": g.element, **g.completion()}
            for g in organisations if g.key is not None
        ][:15],
        "overdue": _overdue_list(programme, on),
        "meetings": [{"id": g.key, "label": g.name, **g.completion(), "late": g.late} for g in meetings],
        "people": _people(programme, on),
        "series": numbers["series"],
    }


def _average(total, count):
    return total / count if count else 0


def _week_ends(on: date, weeks: int) -> tuple[list[date], list[datetime]]:
    """The last `weeks` week ends up to `on`, and the instant each ends (UTC)."""
    # ZoneInfo, not Babel's pytz zone: pytz in datetime.combine() would use local mean time (+7:57 in Makassar).
    zone = ZoneInfo(str(get_timezone()) if has_request_context() else current_app.config["BABEL_DEFAULT_TIMEZONE"])
    ends = [on - timedelta(days=7 * i) for i in range(weeks - 1, -1, -1)]
    instants = [datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone).astimezone(timezone.utc) for day in ends]
    return ends, instants


def chart(series: list[dict], width: int = 600, height: int = 200, pad: int = 30) -> dict:
    """Coordinates for the server-rendered SVG line chart of completion (0–100 %)."""
    n = len(series)
    step = (width - 2 * pad) / max(1, n - 1)
    points = []
    for i, point in enumerate(series):
        x = pad + i * step
        y = height - pad - (height - 2 * pad) * point["completion"] / 100
        points.append({"x": round(x, 1), "y": round(y, 1), **point})
    return {
        "width": width,
        "height": height,
        "pad": pad,
        "points": points,
        "polyline": " ".join(f"{p['x']},{p['y']}" for p in points),
        "gridlines": [{"y": round(height - pad - (height - 2 * pad) * v / 100, 1), "value": v} for v in (0, 25, 50, 75, 100)],
    }


# -- changes --------------------------------------------------------------------------------

class ActionError(ValueError):
    """A change the rules refuse; the message is shown to the user (next to `field` on a form)."""

    def __init__(self, message, field: str | None = None):
        super().__init__(message)
        self.field = field


def _labels_for(programme: Programme, names: list[str]) -> list[Label]:
    names = list(dict.fromkeys(n.strip()[:40] for n in names if n and n.strip()))
    if not names:
        return []
    existing = {
        label.name: label
        for label in db.session.execute(
            select(Label).where(Label.programme_id == programme.id, Label.name.in_(names))
        ).scalars()
    }
    labels = []
    for name in names:
        label = existing.get(name)
        if label is None:
            label = Label(programme_id=programme.id, name=name)
            db.session.add(label)
            existing[name] = label
        labels.append(label)
    return labels


def split_labels(text: str) -> list[str]:
    return [part.strip() for part in (text or "").replace(";", ",").split(",") if part.strip()]


def _check_parent(action: Action | None, parent: Action | None, programme: Programme) -> None:
    if parent is None:
        return
    if parent.programme_id != programme.id:
        raise ActionError(_l("The parent action must be in the same programme."), field="parent")
    if action is None or action.id is None:
        return
    node, depth = parent, 0
    while node is not None and depth < MAX_DEPTH:
        if node.id == action.id:
            raise ActionError(_l("An action cannot be a sub-action of itself or of its own sub-actions."), field="parent")
        node = db.session.get(Action, node.parent_id) if node.parent_id else None
        depth += 1


def _check_blockers(action: Action, blockers: list[Action], programme: Programme) -> None:
    ids = {b.id for b in blockers}
    if any(b.programme_id != programme.id for b in blockers):
        raise ActionError(_l("Blocking actions must be in the same programme."))
    if action.id in ids:
        raise ActionError(_l("An action cannot block itself."))
    # Walk what the blockers are themselves blocked by: reaching `action` would be a cycle.
    frontier, seen = set(ids), set()
    while frontier and action.id is not None:
        if action.id in frontier:
            raise ActionError(_l("These links would make actions block each other in a circle."))
        seen |= frontier
        frontier = set(
            db.session.execute(
                select(action_blockers.c.blocker_id).where(action_blockers.c.action_id.in_(frontier))
            ).scalars()
        ) - seen


def _actions_by_id(programme: Programme, ids) -> list[Action]:
    ids = [i for i in ids if i]
    if not ids:
        return []
    return list(
        db.session.execute(select(Action).where(Action.programme_id == programme.id, Action.id.in_(ids))).scalars()
    )


def rollup(action: Action, by) -> None:
    """Recompute the progress of `action`'s parents from their sub-actions' weighted progress."""
    rollup_from(action.parent_id, by)


def rollup_from(parent_id: int | None, by) -> None:
    """Recompute the action `parent_id` from its sub-actions, then its own parents."""
    depth = 0
    while parent_id and depth < MAX_DEPTH:
        parent = db.session.get(Action, parent_id)
        if parent is None:
            return
        children = db.session.execute(select(Action).where(Action.parent_id == parent.id)).scalars().all()
        value = parent.weighted_progress(children)
        if value is not None:
            parent.set_progress(value, by=by, note=NOTE_SUBACTIONS)
        parent_id, depth = parent.parent_id, depth + 1


def has_children(action: Action) -> bool:
    return bool(db.session.scalar(select(exists().where(Action.parent_id == action.id))))


def _new_action(programme: Programme, by, *, title: str, description: str = "", assignee: User | None = None,
                organisation: Organisation | None = None, due_date: date | None = None,
                priority: Priority = Priority.NORMAL, status: Status = Status.BARU, status_note: str = "",
                progress: int = 0, labels: list[str] = (), parent: Action | None = None, weight: int = 1,
                source_kind: SourceKind | None = None, source_id: int | None = None, source_label: str = "",
                meeting_id: int | None = None, meeting_label: str = "", history_note: str = "",
                blocked_by: list[Action] = ()) -> Action:
    _check_parent(None, parent, programme)
    if any(b.programme_id != programme.id for b in blocked_by):
        raise ActionError(_l("Blocking actions must be in the same programme."))
    if organisation is None and assignee is not None:
        organisation = assignee.organisation  # the assignee's organisation answers for it unless told otherwise
    action = Action(
        programme_id=programme.id,
        title=title,
        description=description or "",
        assignee=assignee,
        organisation=organisation,
        due_date=due_date,
        priority=priority,
        status=Status.BARU,
        progress=0,
        labels=_labels_for(programme, list(labels)),
        parent_id=parent.id if parent else None,
        weight=weight,
        source_kind=source_kind,
        source_id=source_id,
        source_label=source_label or "",
        meeting_id=meeting_id,
        meeting_label=meeting_label or "",
        created_by_id=by.id if by is not None else None,
        status_note="",
        blocked_by=list(blocked_by),
    )
    db.session.add(action)
    db.session.flush()
    action.record("created", "", title[:200], by, history_note)
    if progress and action.progress != progress:
        action.set_progress(progress, by=by)
    if status != Status.BARU:
        action.set_status(status, by=by, note=status_note)
    if parent is not None:
        rollup(action, by)
    return action


def create(programme: Programme, by, **fields) -> Action:
    try:
        action = _new_action(programme, by, **fields)
    except (ActionError, TransitionError):
        db.session.rollback()
        raise
    db.session.commit()
    return action


def update(action: Action, programme: Programme, by, *, title: str, description: str, priority: Priority,
           assignee: User | None, organisation: Organisation | None, due_date: date | None, labels: list[str],
           parent: Action | None, weight: int, blocked_by: list[Action], note: str = "") -> None:
    """Save the edit form. Assignee and due date changes go through the recording methods."""
    try:
        _check_parent(action, parent, programme)
        _check_blockers(action, blocked_by, programme)
    except ActionError:
        db.session.rollback()
        raise
    old_parent_id = action.parent_id
    action.title = title
    action.description = description or ""
    action.priority = priority
    action.assign(assignee, by=by, note=note)
    action.organisation = organisation
    action.set_due_date(due_date, by=by, note=note)
    action.labels = _labels_for(programme, labels)
    action.blocked_by = blocked_by
    action.parent_id = parent.id if parent else None
    action.weight = weight
    db.session.flush()
    rollup(action, by)
    if old_parent_id and old_parent_id != action.parent_id:
        rollup_from(old_parent_id, by)  # the old parent lost a child: its progress changes too
    db.session.commit()


def _change(action: Action, by, change) -> bool:
    """Run one recording model method, roll progress up to the parents, commit; refused → nothing."""
    try:
        changed = change()
        if changed:
            db.session.flush()
            rollup(action, by)
    except TransitionError:
        db.session.rollback()
        raise
    db.session.commit()
    return changed


def change_status(action: Action, new: Status, by, note: str = "") -> bool:
    return _change(action, by, lambda: action.set_status(new, by=by, note=note))


def change_progress(action: Action, value: int, by, note: str = "") -> bool:
    if has_children(action):
        raise ActionError(_l("This action's progress comes from its sub-actions."))
    return _change(action, by, lambda: action.set_progress(value, by=by, note=note))


def set_weights(parent: Action, weights: dict[int, int], by) -> None:
    children = db.session.execute(select(Action).where(Action.parent_id == parent.id)).scalars().all()
    for child in children:
        if child.id in weights:
            weight = weights[child.id]
            if not 1 <= weight <= 100:
                db.session.rollback()
                raise ActionError(_l("A weight is a whole number between 1 and 100."))
            child.weight = weight
    value = parent.weighted_progress(children)
    if value is not None:
        parent.set_progress(value, by=by, note=NOTE_WEIGHTS)
    db.session.flush()
    rollup(parent, by)
    db.session.commit()


def bulk_update(programme: Programme, ids: list[int], by, *, status: Status | None = None, note: str = "",
                assignee: User | None = None, unassign: bool = False) -> int:
    """Change status and/or assignee of the selected actions: all of them, or none (the first refusal
    is raised with the action's title and nothing is written)."""
    actions = _actions_by_id(programme, ids)
    if not actions:
        raise ActionError(_l("Select at least one action."))
    try:
        for action in actions:
            if status is not None:
                try:
                    if action.set_status(status, by=by, note=note):
                        db.session.flush()
                        rollup(action, by)
                except TransitionError as error:
                    raise ActionError(f"{action.title}: {error}") from error
            if unassign:
                action.assign(None, by=by, note=note)
            elif assignee is not None:
                action.assign(assignee, by=by, note=note)
    except ActionError:
        db.session.rollback()
        raise
    db.session.commit()
    return len(actions)


def add_checklist_item(action: Action, text: str) -> ChecklistItem:
    position = db.session.scalar(
        select(func.coalesce(func.max(ChecklistItem.position), 0)).where(ChecklistItem.action_id == action.id)
    )
    item = ChecklistItem(action_id=action.id, text=text, position=position + 1)
    db.session.add(item)
    db.session.commit()
    return item


def checklist_item(action: Action, item_id: int) -> ChecklistItem | None:
    item = db.session.get(ChecklistItem, item_id)
    return item if item is not None and item.action_id == action.id else None


def toggle_checklist_item(item: ChecklistItem, done: bool) -> None:
    item.done = done
    db.session.commit()


def delete_checklist_item(item: ChecklistItem) -> None:
    db.session.delete(item)
    db.session.commit()


def delete(action: Action, by) -> None:
    parent_id = action.parent_id
    db.session.delete(action)
    db.session.flush()
    rollup_from(parent_id, by)
    db.session.commit()


# -- reminders ------------------------------------------------------------------------------

@dataclass
class Reminder:
    user: User
    overdue: list[Action]
    due_soon: list[Action]


def reminders_due(on: date, soon_days: int = 3) -> list[Reminder]:
    """Who should hear about what: each active person's open actions that are overdue or due within
    `soon_days`, in programmes they still belong to. The hook for every reminder channel: the email
    digest below, and the in-app notifications of the collaboration layer."""
    rows = db.session.execute(
        select(Action)
        .join(User, User.id == Action.assignee_id)
        .join(Membership, and_(Membership.programme_id == Action.programme_id, Membership.user_id == Action.assignee_id))
        .where(
            Action.status.in_(OPEN_STATUSES),
            Action.due_date.is_not(None),
            Action.due_date <= on + timedelta(days=soon_days),
            User.active.is_(True),
        )
        .order_by(User.id, Action.due_date, Action.id)
        .options(joinedload(Action.assignee), joinedload(Action.programme))
    ).unique().scalars().all()
    reminders: dict[int, Reminder] = {}
    for action in rows:
        reminder = reminders.setdefault(action.assignee_id, Reminder(action.assignee, [], []))
        (reminder.overdue if action.due_date < on else reminder.due_soon).append(action)
    return list(reminders.values())


# -- calendar feed ------------------------------------------------------------------------------

def calendar_token(user: User, create: bool = True) -> CalendarToken | None:
    token = db.session.execute(select(CalendarToken).where(CalendarToken.user_id == user.id)).scalar_one_or_none()
    if token is None and create:
        token = CalendarToken(user_id=user.id)
        db.session.add(token)
        db.session.commit()
    return token


def reset_calendar_token(user: User) -> CalendarToken:
    token = calendar_token(user, create=False)
    if token is not None:
        db.session.delete(token)
        db.session.flush()
    token = CalendarToken(user_id=user.id)
    db.session.add(token)
    db.session.commit()
    return token


def user_for_calendar(token: str) -> User | None:
    row = db.session.execute(select(CalendarToken).where(CalendarToken.token == token)).scalar_one_or_none()
    return row.user if row is not None and row.user.active else None


def calendar_actions(user: User) -> list[Action]:
    return list(
        db.session.execute(
            select(Action)
            .join(Membership, and_(Membership.programme_id == Action.programme_id, Membership.user_id == user.id))
            .where(Action.assignee_id == user.id, Action.due_date.is_not(None), Action.status.in_(OPEN_STATUSES))
            .order_by(Action.due_date, Action.id)
            .limit(1000)
            .options(joinedload(Action.programme))
        ).unique().scalars()
    )

