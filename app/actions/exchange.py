"""CSV export and import of actions, and the personal .ics feed of due dates.

Import is all or nothing: every row is checked first (a preview shows each row's errors), and
only a file without a single error is written, in one commit.
"""
import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from icalendar import Calendar, Event
from sqlalchemy import func, select

from app.accounts.models import User
from app.actions import service
from app.actions.models import NOTE_IMPORT, Action, Priority, Status
from app.extensions import db
from app.organisations.models import Organisation
from app.programmes.models import Membership, Programme

COLUMNS = [
    "id", "title", "description", "status", "status_note", "priority", "progress",
    "assignee_email", "organisation", "due_date", "labels",
]
REQUIRED = {"title"}
MAX_IMPORT_BYTES = 1024 * 1024
MAX_IMPORT_ROWS = 2000
# Spreadsheet programs run a cell that starts with one of these as a formula: export them quoted
# with a leading apostrophe, and take the apostrophe off again on import.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _uncell(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_START) else text


def _label_names(action: Action) -> list[str]:
    names = getattr(action, "label_names", None)  # set by service.filtered()
    return names if names is not None else [label.name for label in action.labels]


def export_csv(actions: list[Action]) -> str:
    out = io.StringIO()
    out.write("\ufeff")  # a byte-order mark, so spreadsheet programs read UTF-8 as UTF-8
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for a in actions:
        writer.writerow([_cell(v) for v in (
            a.id, a.title, a.description, a.status.value, a.status_note, a.priority.value, a.progress,
            a.assignee.email if a.assignee else "", a.organisation.name if a.organisation else "",
            a.due_date.isoformat() if a.due_date else "", "; ".join(_label_names(a)),
        )])
    return out.getvalue()


@dataclass
class Row:
    line: int
    values: dict
    errors: list[str] = field(default_factory=list)
    data: dict = field(default_factory=dict)


@dataclass
class ImportResult:
    rows: list[Row] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # about the whole file
    text: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows) and not any(row.errors for row in self.rows)

    @property
    def bad_rows(self) -> int:
        return sum(1 for row in self.rows if row.errors)


def _parse_date(text: str) -> date:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


STATUS_WORDS = {s.value: s for s in Status} | {
    "new": Status.BARU, "in progress": Status.DIKERJAKAN, "blocked": Status.TERHAMBAT,
    "done": Status.SELESAI, "cancelled": Status.DIBATALKAN,
}
PRIORITY_WORDS = {p.value: p for p in Priority} | {
    "rendah": Priority.LOW, "sedang": Priority.NORMAL, "tinggi": Priority.HIGH, "mendesak": Priority.URGENT,
}


def decode(raw: bytes) -> tuple[str | None, str | None]:
    """The text of an uploaded file, or an error message."""
    if len(raw) > MAX_IMPORT_BYTES:
        return None, _("The file is larger than %(size)d KB. Split it into smaller files.", size=MAX_IMPORT_BYTES // 1024)
    if b"\x00" in raw:
        return None, _("This is not a CSV text file.")
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        return None, _("The file is not UTF-8 text. Save it as “CSV UTF-8” and try again.")


def parse(programme: Programme, text: str) -> ImportResult:
    """Check every row; nothing is written here."""
    result = ImportResult(text=text)
    if len(text.encode("utf-8")) > MAX_IMPORT_BYTES:
        result.errors.append(_("The file is larger than %(size)d KB. Split it into smaller files.", size=MAX_IMPORT_BYTES // 1024))
        return result
    text = text.lstrip("\ufeff")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    # strict: a stray or unterminated quote is an error to show, not a silent merge of lines.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader, None)
    except csv.Error:
        header = None
    if not header or not any(h.strip() for h in header):
        result.errors.append(_("The file is empty or has no header row."))
        return result
    header = [h.strip().lower() for h in header]
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        result.errors.append(
            _("Unknown columns: %(columns)s. Allowed columns: %(allowed)s.",
              columns=", ".join(h or "(empty)" for h in unknown[:10]), allowed=", ".join(COLUMNS))
        )
    duplicates = sorted({h for h in header if header.count(h) > 1})
    if duplicates:
        result.errors.append(_("Columns appear twice: %(columns)s.", columns=", ".join(duplicates)))
    missing = REQUIRED - set(header)
    if missing:
        result.errors.append(_("Missing required columns: %(columns)s.", columns=", ".join(sorted(missing))))
    if result.errors:
        return result

    members = {
        email.lower(): user
        for email, user in db.session.execute(
            select(func.lower(User.email), User).join(Membership, Membership.user_id == User.id)
            .where(Membership.programme_id == programme.id)
        ).unique().all()
    }
    organisations = {}
    for org in db.session.execute(select(Organisation)).scalars():
        organisations[org.name.lower()] = org
        if org.short_name:
            organisations.setdefault(org.short_name.lower(), org)

    try:
        for number, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue
            if len(result.rows) >= MAX_IMPORT_ROWS:
                result.errors.append(_("At most %(num)d rows can be imported at once.", num=MAX_IMPORT_ROWS))
                return result
            row = Row(line=number, values={})
            if len(cells) != len(header):
                row.errors.append(_("Expected %(expected)d fields, found %(found)d.", expected=len(header), found=len(cells)))
            row.values = {h: _uncell(c.strip()) for h, c in zip(header, cells)}
            _check_row(row, members, organisations)
            result.rows.append(row)
    except csv.Error as error:
        result.errors.append(_("The file could not be read as CSV (line %(line)d): %(error)s", line=reader.line_num, error=str(error)))
        return result
    if not result.rows and not result.errors:
        result.errors.append(_("The file has a header but no rows."))
    return result


def _word(values: dict, column: str, words: dict, default, errors: list, message):
    """A status or priority cell: empty → `default`; an unknown word → an error (and `default`)."""
    text = values.get(column, "")
    if not text:
        return default
    value = words.get(text.lower())
    if value is None:
        errors.append(message(text))
        return default
    return value


def _check_row(row: Row, members: dict, organisations: dict) -> None:
    v, data, errors = row.values, row.data, row.errors
    title = v.get("title", "")
    if not title:
        errors.append(_("Title is required."))
    elif len(title) > 200:
        errors.append(_("Title is longer than 200 characters."))
    data["title"] = title
    data["description"] = v.get("description", "")
    status = _word(v, "status", STATUS_WORDS, Status.BARU, errors, lambda value: _(
        "Unknown status “%(value)s”: use one of %(allowed)s.", value=value, allowed=", ".join(s.value for s in Status)))
    data["status"] = status
    data["status_note"] = v.get("status_note", "")
    if status == Status.TERHAMBAT and not data["status_note"]:
        errors.append(_("A blocked action needs its reason in status_note."))
    data["priority"] = _word(v, "priority", PRIORITY_WORDS, Priority.NORMAL, errors, lambda value: _(
        "Unknown priority “%(value)s”: use one of %(allowed)s.", value=value, allowed=", ".join(p.value for p in Priority)))
    progress_text = v.get("progress", "").rstrip("%").strip()
    try:
        progress = int(progress_text) if progress_text else 0
        if not 0 <= progress <= 100:
            raise ValueError
    except ValueError:
        errors.append(_("Progress “%(value)s” is not a whole number from 0 to 100.", value=v["progress"]))
        progress = 0
    data["progress"] = progress
    email = v.get("assignee_email", "").lower()
    data["assignee"] = None
    if email:
        data["assignee"] = members.get(email)
        if data["assignee"] is None:
            errors.append(_("No member of this programme has the email “%(email)s”.", email=v["assignee_email"]))
    org_name = v.get("organisation", "").lower()
    data["organisation"] = None
    if org_name:
        data["organisation"] = organisations.get(org_name)
        if data["organisation"] is None:
            errors.append(_("Unknown organisation “%(name)s”.", name=v["organisation"]))
    due_text = v.get("due_date", "")
    data["due_date"] = None
    if due_text:
        try:
            data["due_date"] = _parse_date(due_text)
        except ValueError:
            errors.append(_("“%(value)s” is not a date: write it as YYYY-MM-DD (or DD/MM/YYYY).", value=due_text))
    data["labels"] = service.split_labels(v.get("labels", ""))
    if any(len(label) > 40 for label in data["labels"]):
        errors.append(_("A label is longer than 40 characters."))


def import_rows(programme: Programme, by, result: ImportResult) -> int:
    """Write every row of a checked file, in one commit. Refuses a file with any error."""
    if not result.ok:
        raise ValueError("import_rows needs a file without errors")
    note = NOTE_IMPORT
    try:
        for row in result.rows:
            service._new_action(programme, by, history_note=note, **row.data)
    except Exception:
        db.session.rollback()
        raise
    db.session.commit()
    return len(result.rows)


def calendar(user: User, actions: list[Action], url_for_action) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Sinergi//Tindak lanjut//ID")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", _("Sinergi: due dates of %(name)s", name=user.name))
    for action in actions:
        event = Event()
        event.add("uid", f"action-{action.id}@sinergi")
        event.add("summary", f"{action.title} · {action.programme.name}")
        event.add("dtstart", action.due_date)
        event.add("dtend", action.due_date + timedelta(days=1))
        event.add("dtstamp", action.updated_at)
        event.add("status", "CONFIRMED")
        url = url_for_action(action)
        event.add("url", url)
        event.add("description", f"{action.status.label} · {action.progress} %\n{url}")
        cal.add_component(event)
    return cal.to_ical()
