"""Exports: iCalendar (one meeting, or a personal feed) and the notulen as DOCX.

Events carry the meeting's own zone (TZID=Asia/Makassar with its VTIMEZONE), so a calendar
shows 09.00 WITA to a reader in Bontang and 08.00 to one in Jakarta.
"""
import io
from datetime import timezone

import icalendar
from docx import Document
from docx.shared import Pt
from flask_babel import format_date, format_datetime
from flask_babel import gettext as _

from app.meetings.models import Meeting

PRODID = "-//Sinergi//Meetings//ID"


def _event(meeting: Meeting, url: str) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"meeting-{meeting.id}@sinergi")
    event.add("dtstamp", meeting.created_at.astimezone(timezone.utc))
    event.add("dtstart", meeting.local_start)
    event.add("dtend", meeting.local_end)
    event.add("summary", meeting.title)
    location = meeting.place or meeting.online_url
    if location:
        event.add("location", location)
    description = meeting.description or ""
    if meeting.online_url:
        description = f"{description}\n\n{meeting.online_url}".strip()
    if description:
        event.add("description", description)
    event.add("url", url)
    event.add("categories", [meeting.kind.value])
    event.add("status", "CONFIRMED")
    return event


def calendar_for(meetings: list[Meeting], url_of, name: str | None = None) -> bytes:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if name:
        cal.add("x-wr-calname", name)
    for meeting in meetings:
        cal.add_component(_event(meeting, url_of(meeting)))
    cal.add_missing_timezones()
    return cal.to_ical()


def notulen_docx(meeting: Meeting, ctx: dict) -> bytes:
    """The notulen as a Word document: header, attendance by element, agenda with minutes and
    decisions, and the actions table. `ctx` is what the print view gets (already filtered for
    contacts and confidential items)."""
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(11)
    doc.add_heading(_("Minutes: %(title)s", title=meeting.title), level=0)
    facts = doc.add_table(rows=0, cols=2)
    facts.style = "Table Grid"
    for label, value in (
        (_("Type"), str(meeting.kind.label)),
        (_("Date"), format_date(meeting.local_start, "full")),
        (_("Time"), f"{meeting.local_start:%H.%M}–{meeting.local_end:%H.%M} {meeting.zone_label}"),
        (_("Place"), meeting.place or meeting.online_url or "—"),
        (_("Organiser"), meeting.organiser.name if meeting.organiser else "—"),
        (_("Status"), str(meeting.status.label)),
    ):
        row = facts.add_row().cells
        row[0].text, row[1].text = label, value
    if meeting.approved_at:
        doc.add_paragraph(_("Approved on %(date)s.", date=format_datetime(meeting.approved_at, "medium")))

    doc.add_heading(_("Attendance by element"), level=1)
    for element, rows in ctx["attendance_groups"]:
        doc.add_heading(str(element.label) if element else _("Other"), level=2)
        cols = 4 if ctx["include_contacts"] else 3
        table = doc.add_table(rows=1, cols=cols)
        table.style = "Table Grid"
        head = [_("Name"), _("Organisation"), _("Attendance")] + ([_("Contact")] if ctx["include_contacts"] else [])
        for cell, text in zip(table.rows[0].cells, head):
            cell.text = text
        for att in rows:
            cells = table.add_row().cells
            org = att.org
            presence = str(att.presence.label)
            if att.represented_by:
                presence += f" ({att.represented_by})"
            values = [att.name, org.name if org else "—", presence]
            if ctx["include_contacts"]:
                values.append(att.contact_info or "—")
            for cell, text in zip(cells, values):
                cell.text = text

    doc.add_heading(_("Agenda and minutes"), level=1)
    for number, item in enumerate(ctx["items"], start=1):
        doc.add_heading(f"{number}. {item.title}", level=2)
        if item.presenter:
            doc.add_paragraph(_("Presenter: %(name)s", name=item.presenter))
        for paragraph in (item.minutes or "").split("\n\n"):
            if paragraph.strip():
                doc.add_paragraph(paragraph.strip())
        for decision in item.decisions:
            p = doc.add_paragraph(style="List Bullet")
            p.add_run(f"{decision.kind.label}: ").bold = True
            p.add_run(decision.text)

    doc.add_heading(_("Decisions"), level=1)
    if ctx["decisions"]:
        table = doc.add_table(rows=1, cols=4)
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, [_("Decision"), _("Kind"), _("Responsible"), _("Due date")]):
            cell.text = text
        for decision in ctx["decisions"]:
            cells = table.add_row().cells
            values = [
                decision.text, str(decision.kind.label),
                decision.organisation.name if decision.organisation else "—",
                format_date(decision.due_on) if decision.due_on else "—",
            ]
            for cell, text in zip(cells, values):
                cell.text = text
    else:
        doc.add_paragraph(_("No decisions recorded."))

    doc.add_heading(_("Follow-up actions"), level=1)
    if ctx["actions"]:
        table = doc.add_table(rows=1, cols=4)
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, [_("Action"), _("Responsible"), _("Due date"), _("Status")]):
            cell.text = text
        for action in ctx["actions"]:
            cells = table.add_row().cells
            values = [action["title"], action.get("organisation") or "—",
                      format_date(action["due_on"]) if action.get("due_on") else "—", str(action.get("status") or "")]
            for cell, text in zip(cells, values):
                cell.text = text
    else:
        doc.add_paragraph(_("No follow-up actions yet."))

    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
