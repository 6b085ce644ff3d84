"""Meetings of a programme: thin routes (parse, load through the access helper, call the service, render)."""
import hashlib
from datetime import date

from flask import Blueprint, abort, current_app, flash, jsonify, make_response, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import and_, select
from sqlalchemy.orm import contains_eager

from app.collab.drafts import confirm_saved
from app.coediting import Outcome, diff_words
from app.extensions import db
from app.i18n import select_timezone
from app.meetings import drafting, exports, followup, service
from app.meetings.forms import (
    AgendaItemForm,
    AttendanceForm,
    ConfirmationForm,
    DecisionForm,
    InviteForm,
    MeetingForm,
    MinutesForm,
    RoadshowForm,
    RsvpForm,
    TemplateForm,
)
from app.meetings.models import (
    AgendaItem,
    AgendaTemplate,
    Attendance,
    Decision,
    DecisionKind,
    Meeting,
    MeetingInvitation,
    MeetingKind,
    MeetingStatus,
    Presence,
    Roadshow,
    Rsvp,
    Verdict,
    ZONES,
)
from app.pentahelix import Element
from app.permissions import can, remember_membership, require
from app.programmes.forms import ConfirmForm
from app.programmes.models import Membership, Programme
from app.programmes.routes import get_programme_for
from app.programmes.service import slugify
from app.types import utcnow
from app.web import redirect_to, render_page, wants_fragment

bp = Blueprint("meetings", __name__)


# -- access helpers --------------------------------------------------------------------------

def get_meeting_for(user, slug: str, meeting_id: int, action: str = "meeting.view", options=()) -> Meeting:
    """The meeting of programme `slug`: 404 if the user may not see the programme or the meeting is
    not in it, 403 if they may see it but not do `action`. The programme, the user's membership and
    the meeting (with loader `options`, e.g. the page's) come in one query."""
    query = (
        select(Meeting).join(Meeting.programme).where(Programme.slug == slug, Meeting.id == meeting_id)
        .options(contains_eager(Meeting.programme), *options)
    )
    signed_in = user is not None and user.is_authenticated
    if signed_in:
        query = query.add_columns(Membership).outerjoin(
            Membership, and_(Membership.programme_id == Programme.id, Membership.user_id == user.id)
        )
    row = db.session.execute(query).unique().one_or_none()
    if row is None:
        abort(404)
    meeting = row[0]
    if signed_in:
        remember_membership(user, meeting.programme, row[1])
    require(user, "programme.view", meeting.programme)
    require(user, action, meeting)
    return meeting


def get_item_for(user, slug: str, meeting_id: int, agenda_item_id: int, action: str = "meeting.view") -> AgendaItem:
    meeting = get_meeting_for(user, slug, meeting_id, action)
    item = db.session.get(AgendaItem, agenda_item_id)
    if item is None or item.meeting_id != meeting.id:
        abort(404)
    if item.confidential and not can(user, "meeting.confidential", meeting):
        abort(404)
    return item


def _child(model, meeting: Meeting, child_id: int):
    row = db.session.get(model, child_id)
    if row is None or row.meeting_id != meeting.id:
        abort(404)
    return row


def _show_url(meeting: Meeting, anchor: str | None = None) -> str:
    return url_for("meetings.show", slug=meeting.programme.slug, meeting_id=meeting.id,
                   _anchor=anchor)


def _confirm_or_400():
    if not ConfirmForm().validate_on_submit():
        abort(400)


# -- list and calendar -----------------------------------------------------------------------

@bp.get("/p/<slug>/meetings")
def index(slug):
    programme = get_programme_for(current_user, slug)
    require(current_user, "meeting.view", programme)
    return render_page(
        "meetings/index.html",
        block="list",
        programme=programme,
        upcoming=service.meetings_of(programme, upcoming=True),
        past=service.meetings_of(programme, upcoming=False),
        roadshows=service.roadshows_of(programme),
        roadshow_form=RoadshowForm(formdata=None),
    )


def _viewer_zone() -> str:
    return select_timezone()


@bp.get("/p/<slug>/meetings/calendar")
def calendar(slug):
    programme = get_programme_for(current_user, slug)
    require(current_user, "meeting.view", programme)
    today = utcnow().date()
    try:
        year, month = (int(x) for x in request.args.get("month", f"{today.year}-{today.month}").split("-"))
        first = date(year, month, 1)
    except ValueError:
        abort(400)
    prev_month = date(year - 1, 12, 1) if month == 1 else date(year, month - 1, 1)
    next_month = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return render_page(
        "meetings/calendar.html",
        block="calendar",
        programme=programme,
        first=first,
        weeks=service.month_grid(programme, year, month, _viewer_zone()),
        prev_month=f"{prev_month.year}-{prev_month.month:02d}",
        next_month=f"{next_month.year}-{next_month.month:02d}",
        today=today,
    )


# -- create, edit, delete --------------------------------------------------------------------

def _meeting_form_page(programme, form, meeting=None, status=200):
    return render_page("meetings/form.html", block="form", programme=programme, form=form, meeting=meeting,
                       status=status, open_actions=followup.open_actions(programme) if meeting is None else [])


def _meeting_values(form) -> dict:
    zone = form.timezone.data
    return {
        "title": form.title.data,
        "kind": MeetingKind(form.kind.data),
        "starts_at": service.to_utc(form.day.data, form.start.data, zone),
        "ends_at": service.to_utc(form.day.data, form.end.data, zone),
        "timezone": zone,
        "place": form.place.data or "",
        "online_url": form.online_url.data or "",
        "organiser_id": form.organiser_id.data,
        "description": form.description.data or "",
        "roadshow_id": form.roadshow_id.data,
    }


@bp.route("/p/<slug>/meetings/new", methods=["GET", "POST"])
@login_required
def new(slug):
    programme = get_programme_for(current_user, slug, "meeting.edit")
    form = MeetingForm()
    form.set_choices(service.organisations(), service.roadshows_of(programme), service.templates_of(programme))
    if request.method == "GET":
        if request.args.get("roadshow", "").isdigit():
            form.roadshow_id.data = int(request.args["roadshow"])
            form.kind.data = MeetingKind.ROADSHOW.value
        if current_user.organisation_id:
            form.organiser_id.data = current_user.organisation_id
        form.timezone.data = current_user.timezone if current_user.timezone in ZONES else "Asia/Makassar"
    if form.validate_on_submit():
        # The choices hold only this programme's templates, so the id is one of them.
        template = db.session.get(AgendaTemplate, form.template_id.data) if form.template_id.data else None
        values = _meeting_values(form)
        meeting = service.create_meeting(
            programme, current_user, zone=values.pop("timezone"), template=template,
            follow_up=followup.open_actions(programme) if form.follow_up.data else None, **values,
        )
        flash(_("Meeting created. Add the agenda and invite the partners."), "success")
        return redirect_to(_show_url(meeting))
    return _meeting_form_page(programme, form, status=422 if form.errors else 200)


@bp.route("/p/<slug>/meetings/<int:meeting_id>/edit", methods=["GET", "POST"])
@login_required
def edit(slug, meeting_id):
    meeting = get_meeting_for(current_user, slug, meeting_id, "meeting.edit")
    programme = meeting.programme
    form = MeetingForm(obj=meeting if request.method == "GET" else None)
    form.set_choices(service.organisations(), service.roadshows_of(programme))
    if request.method == "GET":
        form.kind.data = meeting.kind.value
        form.day.data = meeting.local_start.date()
        form.start.data = meeting.local_start.time()
        form.end.data = meeting.local_end.time()
    if form.validate_on_submit():
        service.update_meeting(meeting, by=current_user, **_meeting_values(form))
        flash(_("Meeting saved."), "success")
        return redirect_to(_show_url(meeting))
    return _meeting_form_page(programme, form, meeting=meeting, status=422 if form.errors else 200)


@bp.post("/p/<slug>/meetings/<int:meeting_id>/delete")
@login_required
def delete(slug, meeting_id):
    meeting = get_meeting_for(current_user, slug, meeting_id, "meeting.delete")
    _confirm_or_400()
    service.delete_meeting(meeting)
    flash(_("Meeting deleted."), "info")
    return redirect_to(url_for("meetings.index", slug=slug))


# -- the meeting page ------------------------------------------------------------------------

# What each fragment of the page needs beyond the meeting and its agenda (always loaded together).
_NEEDS = {
    None: {"people", "invitations", "members", "organisations", "drafts", "actions"},
    "header": set(),
    "agenda": set(),
    "attendance": {"people", "invitations", "members", "organisations"},
    "confirmations": {"people"},
}


def page_context(meeting: Meeting, block: str | None = None, loaded: bool = False, **overrides) -> dict:
    """Everything the meeting page (or its fragment `block`) needs, in a fixed number of queries:
    the meeting with its agenda, decisions and counts in one (`loaded`: get_meeting_for already ran
    it with service.page_options), then only what the block shows."""
    if not loaded:
        meeting = service.reload_page(meeting, current_user)
    service.settle_page(meeting)
    needs = _NEEDS[block]
    programme = meeting.programme
    if "people" in needs:
        service.load_people(meeting)
    if "invitations" in needs:
        service.load_invitations(meeting)
    members, organisations = service.members_and_organisations(programme) if "members" in needs else ([], [])
    invited = service.invitees(meeting, members) if "invitations" in needs else []
    show_confidential = can(current_user, "meeting.confidential", meeting)
    items = service.visible_items(meeting.items, show_confidential)
    me = current_user.id if current_user.is_authenticated else None
    attendance = meeting.attendance if "people" in needs else []
    my_attendance = next((a for a in attendance if me is not None and a.user_id == me), None)
    confirmations = meeting.confirmations if "people" in needs else []
    my_confirmation = next((c for c in confirmations if me is not None and c.user_id == me), None)
    recorded = {a.user_id for a in attendance if a.user_id}
    can_edit = can(current_user, "meeting.edit", meeting)
    ctx = dict(
        programme=programme,
        meeting=meeting,
        items=items,
        total_minutes=service.total_minutes(items),
        members=members,
        invited=invited,
        not_recorded=[u for u in invited if u.id not in recorded],
        rsvp_counts={Rsvp.YES.value: meeting.rsvp_yes or 0, Rsvp.MAYBE.value: meeting.rsvp_maybe or 0,
                     Rsvp.NO.value: meeting.rsvp_no or 0},
        my_rsvp=Rsvp(meeting.my_rsvp) if meeting.my_rsvp else None,
        my_attendance=my_attendance,
        my_confirmation=my_confirmation,
        objections=[c for c in confirmations if c.verdict == Verdict.OBJECT],
        rsvp_form=RsvpForm(formdata=None),
        item_form=AgendaItemForm(formdata=None),
        failed_decision_form=None,  # a refused decision form and its item (add_decision)
        failed_decision_item=None,
        confirmation_form=ConfirmationForm(formdata=None),
        template_form=TemplateForm(formdata=None),
        confirm_form=ConfirmForm(formdata=None),
        minutes_forms={},
        minutes_results={},
        statuses=MeetingStatus,
        presences=list(Presence),
        show_contacts=can_edit,
        can_edit=can_edit,
        actions_enabled="actions.new" in current_app.view_functions,
        pasals={},
        decision_actions={},
    )
    if "people" in needs:
        ctx.update(attendance_groups=service.attendance_by_element(meeting), confirmations=service.confirmation_summary(meeting))
    if "invitations" in needs:
        ctx["summary"] = service.element_summary(meeting, invited)
    if "organisations" in needs:
        invite_form = InviteForm(formdata=None)
        invite_form.set_choices(members, organisations)
        attendance_form = AttendanceForm(formdata=None)
        attendance_form.set_choices(organisations)
        ctx.update(invite_form=invite_form, attendance_form=attendance_form)
    if "drafts" in needs:
        # The drafts' outlines only when the page shows a Pasal link or the decision form offers them.
        wanted = can_edit or any(d.unit_id for d in meeting.decisions)
        ctx["pasals"] = drafting.pasal_links(programme, current_user) if wanted else {}
        decision_form = DecisionForm(formdata=None)
        decision_form.set_choices(organisations, drafting.unit_choices(ctx["pasals"]))
        ctx["decision_form"] = decision_form
    if "actions" in needs and meeting.has_decision_actions:
        ctx["decision_actions"] = _by_decision(followup.actions_for_decisions(programme, [d.id for d in meeting.decisions]))
    ctx.update(overrides)
    return ctx


def _by_decision(actions: list[dict]) -> dict[int, list[dict]]:
    grouped: dict[int, list[dict]] = {}
    for action in actions:
        grouped.setdefault(action["decision_id"], []).append(action)
    return grouped


@bp.get("/p/<slug>/meetings/<int:meeting_id>")
def show(slug, meeting_id):
    block = request.args.get("fragment")
    if block not in (None, "attendance", "agenda", "confirmations", "header"):
        abort(400)
    meeting = get_meeting_for(current_user, slug, meeting_id, options=service.page_options(meeting_id, current_user))
    return render_page("meetings/show.html", block=block, **page_context(meeting, block if wants_fragment(block) else None, loaded=True))


def _after_change(meeting: Meeting, block: str | None, anchor: str | None = None, status: int = 200, **overrides):
    """htmx gets the refreshed section; a plain form gets POST-redirect-GET."""
    if wants_fragment(block):
        return render_page("meetings/show.html", block=block, status=status, **page_context(meeting, block, **overrides))
    if status >= 400:
        return render_page("meetings/show.html", status=status, **page_context(meeting, **overrides))
    return redirect_to(_show_url(meeting, anchor or block))


@bp.post("/p/<slug>/meetings/<int:meeting_id>/status")
@login_required
def change_status(slug, meeting_id):
    meeting = get_meeting_for(current_user, slug, meeting_id, "meeting.edit")
    try:
        new = MeetingStatus(request.form.get("status", ""))
    except ValueError:
        abort(400)
    if new == MeetingStatus.APPROVED:
        require(current_user, "meeting.approve", meeting)
    _confirm_or_400()
    try:
        service.change_status(meeting, new, current_user)
    except service.MeetingError:
        flash(_("The meeting cannot move from “%(old)s” to “%(new)s”.", old=meeting.status.label, new=new.label), "error")
        return redirect_to(_show_url(meeting))
    flash(_("Meeting status: %(status)s.", status=new.label), "success")
    return redirect_to(_show_url(meeting))


# -- invitations and RSVP ----------------------------------------------------------------------

@bp.post("/p/<slug>/meetings/<int:meeting_id>/invitations")
@login_required
def invite(slug, meeting_id):
    meeting = get_meeting_for(current_user, slug, meeting_id, "meeting.edit")
    form = InviteForm()
    form.set_choices(service.members_of(meeting.programme), service.organisations())
    if not form.validate_on_submit():
        return _after_change(meeting, "attendance", status=422, invite_form=form)
    kind, _sep, value = form.target.data.partition(":")
    if kind == "u":
        service.invite(meeting, user_id=int(value), by=current_user)
    elif kind == "o":
        service.invite(meeting, organisation_id=int(value), by=current_user)
    else:
        service.invite(meeting, element=Element(value), by=current_user)
    return _after_change(meeting, "attendance")


@bp.post("/p/<slug>/meetings/<int:meeting_id>/invitations/<int:meeting_invitation_id>/remove")
@login_required
def remove_invitation(slug, meeting_id, meeting_invitation_id):
    meeting = get_meeting_for(current_user, slug, meeting_id, "meeting.edit")
    invitation = _child(MeetingInvitation, meeting, meeting_invitation_id)
    _confirm_or_400()
    service.remove_invitation(invitation)
    return _after_change(meeting, "attendance")


@bp.post("/p/<slug>/meetings/<int:meeting_id>/rsvp")
@login_required
def rsvp(slug, meeting_id):
    meeting = get_meeting_for(current_user, slug, meeting_id, "meeting.rsvp")
    form = RsvpForm()
    if not form.validate_on_submit():
        abort(400)
    service.set_rsvp(meeting, current_user, Rsvp(form.response.data))
    return _after_change(meeting, "header")


# -- attendance ------------------------------------------------------------------------------

@bp.post("/p/<slug>/meetings/<int:meeting_id>/attendance")
@login_required
def record_attendance(slug, meeting_id):
    meeting = get_meeting_for(current_user, slug, meeting_id, "meeting.edit")
    form = AttendanceForm()
    form.set_choices(service.organisations())
    if not form.validate_on_submit():
        return _after_change(meeting, "attendance", status=422, attendance_form=form)
    user_id = None
    if form.user_id.data:
        if not form.user_id.data.isdigit():
            abort(400)
        user_id = int(form.user_id.data)
        if user_id not in {m.user_id for m in service.members_of(meeting.programme)}:
            abort(400)
    service.record_attendance(
        meeting, user_id=user_id, guest_name=form.guest_name.data or None, organisation_id=form.organisation_id.data,
        guest_element=Element(form.guest_element.data) if form.guest_element.data else None,
        presence=Presence(form.presence.data), represented_by=form.represented_by.data or "",
        contact=form.contact.data or "",
    )
    return _after_change(meeting, "attendance")


@bp.post("/p/<slug>/meetings/<int:meeting_id>/attendance/<int:attendance_id>/remove")
@login_required
def remove_attendance(slug, meeting_id, attendance_id):
    meeting = get_meeting_for(current_user, slug, meeting_id, "meeting.edit")
    row = _child(Attendance, meeting, attendance_id)
    _confirm_or_400()
    service.remove_attendance(row)
    return _after_change(meeting, "attendance")


# -- agenda ----------------------------------------------------------------------------------

@bp.post("/p/<slug>/meetings/<int:meeting_id>/items")
@login_required
def add_item(slug, meeting_id):
    meeting = get_meeting_for(current_user, slug, meeting_id, "meeting.edit")
    form = AgendaItemForm()
    if not form.validate_on_submit():
        return _after_change(meeting, "agenda", status=422, item_form=form)
    service.add_item(meeting, current_user, **form.values())
    return _after_change(meeting, "agenda")


@bp.route("/p/<slug>/meetings/<int:meeting_id>/items/<int:agenda_item_id>/edit", methods=["GET", "POST"])
@login_required
def edit_item(slug, meeting_id, agenda_item_id):
    item = get_item_for(current_user, slug, meeting_id, agenda_item_id, "meeting.edit")
    meeting = item.meeting
    form = AgendaItemForm(obj=item if request.method == "GET" else None)
    if request.method == "GET":
        form.base_version.data = item.version
    result = None
    if form.validate_on_submit():
        try:
            base = int(form.base_version.data or "")
        except ValueError:
            abort(400)
        try:
            result = service.save_item(item.id, current_user, base, form.values())
        except service.MeetingError:
            abort(400)
        if result.outcome != Outcome.CONFLICT:
            if result.outcome == Outcome.MERGED:
                flash(_("Someone saved this item meanwhile; both changes were merged."), "info")
            elif result.outcome == Outcome.APPLIED:
                flash(_("Agenda item saved."), "success")
            return redirect_to(_show_url(meeting, f"item-{item.id}"))
        # Conflict: start again from the head, with the merged proposal in the prose fields.
        db.session.refresh(item)
        form.base_version.data = result.head_version
        for conflict in result.conflicts:
            getattr(form, conflict.name).data = conflict.proposal
    status = 409 if result and result.outcome == Outcome.CONFLICT else (422 if form.errors else 200)
    return render_page(
        "meetings/item_form.html", block="form", programme=meeting.programme, meeting=meeting, item=item, form=form,
        result=result, status=status,
        history=service.agenda_history(item),
    )


@bp.post("/p/<slug>/meetings/<int:meeting_id>/agenda/order")
@login_required
def reorder(slug, meeting_id):
    """Drag and drop posts the whole order; the keyboard buttons post `move=<id>:up|down`."""
    meeting = get_meeting_for(current_user, slug, meeting_id, "meeting.edit")
    _confirm_or_400()
    move = request.form.get("move", "")
    if move:
        agenda_item_id, _sep, direction = move.partition(":")
        if not agenda_item_id.isdigit() or direction not in ("up", "down"):
            abort(400)
        item = _child(AgendaItem, meeting, int(agenda_item_id))
        service.move_item(item, -1 if direction == "up" else 1)
    else:
        try:
            ids = [int(x) for x in request.form.getlist("order")]
        except ValueError:
            abort(400)
        service.reorder(meeting, ids)
    return _after_change(meeting, "agenda")


@bp.post("/p/<slug>/meetings/<int:meeting_id>/items/<int:agenda_item_id>/remove")
@login_required
def remove_item(slug, meeting_id, agenda_item_id):
    item = get_item_for(current_user, slug, meeting_id, agenda_item_id, "meeting.edit")
    meeting = item.meeting
    _confirm_or_400()
    if meeting.minutes_locked:
        abort(409)
    service.remove_item(item)
    return _after_change(meeting, "agenda")


@bp.post("/p/<slug>/meetings/<int:meeting_id>/template")
@login_required
def save_template(slug, meeting_id):
    meeting = get_meeting_for(current_user, slug, meeting_id, "meeting.edit")
    form = TemplateForm()
    if not form.validate_on_submit():
        return _after_change(meeting, "agenda", status=422, template_form=form)
    service.save_template(meeting, current_user, form.name.data)
    flash(_("Agenda saved as template “%(name)s”.", name=form.name.data), "success")
    return redirect_to(_show_url(meeting, "agenda"))


# -- minutes ---------------------------------------------------------------------------------

def _minutes_fragment(item: AgendaItem, form=None, result=None, status=200):
    meeting = item.meeting
    return render_page(
        "meetings/show.html", block="minutes", status=status, programme=meeting.programme, meeting=meeting,
        item=item, minutes_forms={item.id: form} if form else {}, minutes_results={item.id: result} if result else {},
        can_edit=can(current_user, "meeting.edit", meeting),
    )


@bp.get("/p/<slug>/meetings/<int:meeting_id>/items/<int:agenda_item_id>/minutes")
def minutes(slug, meeting_id, agenda_item_id):
    item = get_item_for(current_user, slug, meeting_id, agenda_item_id)
    if not wants_fragment("minutes"):
        return redirect_to(_show_url(item.meeting, f"item-{item.id}"))
    return _minutes_fragment(item)


@bp.post("/p/<slug>/meetings/<int:meeting_id>/items/<int:agenda_item_id>/minutes")
@login_required
def save_minutes(slug, meeting_id, agenda_item_id):
    item = get_item_for(current_user, slug, meeting_id, agenda_item_id, "meeting.edit")
    meeting = item.meeting
    form = MinutesForm()
    if not form.validate_on_submit():
        return _minutes_fragment(item, form=form, status=422)
    correcting = meeting.minutes_locked
    if correcting:
        require(current_user, "meeting.correct", meeting)
        if not form.reason.data:
            form.reason.errors.append(_("Approved minutes change only with a reason for the correction."))
            return _minutes_fragment(item, form=form, status=422)
    try:
        result = service.save_minutes(item.id, current_user, form.base_rev.data, form.text.data or "",
                                      reason=form.reason.data if correcting else None)
    except service.MeetingError:
        abort(400)
    item = result.item
    if result.outcome == Outcome.CONFLICT:
        # Nothing was written. The user resolves from the merged proposal, on top of the head.
        conflict_form = MinutesForm(formdata=None, base_rev=item.minutes_rev, text=result.merge.proposal)
        if not wants_fragment("minutes"):
            return render_page("meetings/show.html", status=409,
                               **page_context(meeting, minutes_forms={item.id: conflict_form},
                                              minutes_results={item.id: result}))
        return _minutes_fragment(item, form=conflict_form, result=result, status=409)
    # Saved: the browser may forget the text it kept (static/js/drafts.js).
    if not wants_fragment("minutes"):
        if result.outcome == Outcome.MERGED:
            flash(_("Someone saved these minutes meanwhile; both changes were merged."), "info")
        return confirm_saved(redirect_to(_show_url(meeting, f"item-{item.id}")), request.form.get("draft"))
    return confirm_saved(_minutes_fragment(item, result=result), request.form.get("draft"))


@bp.get("/p/<slug>/meetings/<int:meeting_id>/live")
def live(slug, meeting_id):
    """The minutes' head revisions for the live poll, with an ETag: unchanged minutes cost a 304."""
    meeting = get_meeting_for(current_user, slug, meeting_id)
    show_confidential = can(current_user, "meeting.confidential", meeting)
    state = [(i, r, n) for i, r, n, secret in service.minutes_state(meeting.id) if show_confidential or not secret]
    tag = hashlib.sha1(
        (f"{meeting.status}|{meeting.agenda_version}|" + ",".join(f"{i}:{r}" for i, r, _n in state)).encode()
    ).hexdigest()[:20]
    if request.if_none_match.contains(tag):
        response = make_response("", 304)
    else:
        response = jsonify(
            status=meeting.status.value,
            agenda_version=meeting.agenda_version,
            items=[{"id": i, "rev": r, "by": n or ""} for i, r, n in state],
        )
    response.set_etag(tag)
    response.headers["Cache-Control"] = "no-cache, private"
    return response


@bp.get("/p/<slug>/meetings/<int:meeting_id>/items/<int:agenda_item_id>/history")
def history(slug, meeting_id, agenda_item_id):
    item = get_item_for(current_user, slug, meeting_id, agenda_item_id)
    revisions = service.minutes_history(item)
    diffs = []
    for index, revision in enumerate(revisions):
        older = revisions[index + 1].text if index + 1 < len(revisions) else ""
        diffs.append((revision, diff_words(older, revision.text)))
    return render_page(
        "meetings/history.html", programme=item.meeting.programme, meeting=item.meeting, item=item, diffs=diffs,
        agenda_history=service.agenda_history(item),
    )


# -- decisions -------------------------------------------------------------------------------

@bp.post("/p/<slug>/meetings/<int:meeting_id>/items/<int:agenda_item_id>/decisions")
@login_required
def add_decision(slug, meeting_id, agenda_item_id):
    item = get_item_for(current_user, slug, meeting_id, agenda_item_id, "meeting.edit")
    meeting = item.meeting
    form = DecisionForm()
    form.set_choices(service.organisations(), drafting.unit_choices(drafting.pasal_links(meeting.programme, current_user)))
    if not form.validate_on_submit():
        # The decision form is a plain (boosted) form: the whole page comes back with its errors.
        return _after_change(meeting, None, status=422, failed_decision_form=form, failed_decision_item=item.id)
    try:
        service.add_decision(item, current_user, DecisionKind(form.kind.data), form.text.data,
                             organisation_id=form.organisation_id.data, due_on=form.due_on.data,
                             unit_id=form.unit_id.data)
    except service.MeetingError:
        abort(409)
    return redirect_to(_show_url(meeting, f"item-{item.id}"))


@bp.post("/p/<slug>/meetings/<int:meeting_id>/decisions/<int:decision_id>/remove")
@login_required
def remove_decision(slug, meeting_id, decision_id):
    meeting = get_meeting_for(current_user, slug, meeting_id, "meeting.edit")
    decision = _child(Decision, meeting, decision_id)
    _confirm_or_400()
    try:
        service.remove_decision(decision)
    except service.MeetingError:
        abort(409)
    return redirect_to(_show_url(meeting, f"item-{decision.item_id}"))


@bp.get("/p/<slug>/meetings/<int:meeting_id>/decisions/<int:decision_id>/action")
@login_required
def create_action(slug, meeting_id, decision_id):
    """One step from a decision to an action item: the actions' form, prefilled and linked back."""
    meeting = get_meeting_for(current_user, slug, meeting_id, "meeting.edit")
    decision = _child(Decision, meeting, decision_id)
    if decision.item.confidential and not can(current_user, "meeting.confidential", meeting):
        abort(404)
    target = followup.new_action_url(meeting.programme, decision)
    if target is None:
        flash(_("Action items are not available yet."), "info")
        return redirect_to(_show_url(meeting, f"item-{decision.item_id}"))
    return redirect_to(target)


# -- confirmations ---------------------------------------------------------------------------

@bp.post("/p/<slug>/meetings/<int:meeting_id>/confirmation")
@login_required
def confirm(slug, meeting_id):
    meeting = get_meeting_for(current_user, slug, meeting_id, "meeting.confirm")
    form = ConfirmationForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        service.confirm(meeting, current_user, Verdict(form.verdict.data), form.note.data or "")
    except service.MeetingError as error:
        messages = {
            "not finished": _("The minutes can be confirmed once the meeting is finished and before they are approved."),
            "not an attendee": _("Only attendees confirm the minutes."),
            "objection needs a note": _("Say what should change when you object."),
        }
        form.note.errors.append(messages.get(str(error), str(error)))
        return _after_change(meeting, "confirmations", status=422, confirmation_form=form)
    flash(_("Thank you: your answer on the minutes is recorded."), "success")
    return _after_change(meeting, "confirmations")


# -- exports ---------------------------------------------------------------------------------

def _export_ctx(meeting: Meeting) -> dict:
    include_contacts = request.args.get("contacts") == "1" and can(current_user, "meeting.edit", meeting)
    include_confidential = request.args.get("confidential") == "1" and can(current_user, "meeting.confidential", meeting)
    meeting = service.load_page(meeting)
    items = service.visible_items(meeting.items, include_confidential)
    decisions = [d for item in items for d in item.decisions]
    return dict(
        programme=meeting.programme, meeting=meeting, items=items, decisions=decisions,
        attendance_groups=service.attendance_by_element(meeting),
        summary=service.element_summary(meeting, service.invitees(meeting, service.members_of(meeting.programme))),
        actions=followup.actions_for_decisions(meeting.programme, [d.id for d in decisions]),
        include_contacts=include_contacts, include_confidential=include_confidential,
    )


def _filename(meeting: Meeting, ext: str) -> str:
    return f"notulen-{slugify(meeting.title)}-{meeting.local_start:%Y%m%d}.{ext}"


@bp.get("/p/<slug>/meetings/<int:meeting_id>/notulen")
def notulen(slug, meeting_id):
    meeting = get_meeting_for(current_user, slug, meeting_id)
    return render_page("meetings/notulen.html", **_export_ctx(meeting))


@bp.get("/p/<slug>/meetings/<int:meeting_id>/notulen.docx")
def notulen_docx(slug, meeting_id):
    meeting = get_meeting_for(current_user, slug, meeting_id)
    ctx = _export_ctx(meeting)
    response = make_response(exports.notulen_docx(ctx["meeting"], ctx))
    response.mimetype = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    response.headers["Content-Disposition"] = f'attachment; filename="{_filename(meeting, "docx")}"'
    return response


def _ics_response(body: bytes, filename: str):
    response = make_response(body)
    response.mimetype = "text/calendar"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _external_url(meeting: Meeting) -> str:
    return url_for("meetings.show", slug=meeting.programme.slug, meeting_id=meeting.id, _external=True)


@bp.get("/p/<slug>/meetings/<int:meeting_id>/invite.ics")
def ics(slug, meeting_id):
    meeting = get_meeting_for(current_user, slug, meeting_id)
    return _ics_response(exports.calendar_for([meeting], _external_url), f"meeting-{meeting.id}.ics")


# -- roadshows -------------------------------------------------------------------------------

@bp.post("/p/<slug>/roadshows")
@login_required
def new_roadshow(slug):
    programme = get_programme_for(current_user, slug, "meeting.edit")
    form = RoadshowForm()
    if not form.validate_on_submit():
        return render_page(
            "meetings/index.html", block="list", status=422, programme=programme,
            upcoming=service.meetings_of(programme, upcoming=True), past=service.meetings_of(programme, upcoming=False),
            roadshows=service.roadshows_of(programme), roadshow_form=form,
        )
    roadshow = service.create_roadshow(programme, form.title.data, form.description.data)
    return redirect_to(url_for("meetings.roadshow", slug=slug, roadshow_id=roadshow.id))


@bp.get("/p/<slug>/roadshows/<int:roadshow_id>")
def roadshow(slug, roadshow_id):
    programme = get_programme_for(current_user, slug)
    require(current_user, "meeting.view", programme)
    roadshow = db.session.get(Roadshow, roadshow_id)
    if roadshow is None or roadshow.programme_id != programme.id:
        abort(404)
    return render_page("meetings/roadshow.html", programme=programme, roadshow=roadshow,
                       visits=service.roadshow_visits(roadshow))


# -- personal calendar feed ------------------------------------------------------------------

@bp.route("/calendar/meetings", methods=["GET", "POST"])
@login_required
def my_calendar():
    if request.method == "POST":
        _confirm_or_400()
        service.feed_for(current_user, reset=True)
        flash(_("A new calendar address was made; the old one no longer works."), "success")
        return redirect_to(url_for("meetings.my_calendar"))
    feed = service.feed_for(current_user)
    return render_page(
        "meetings/feed.html", feed_url=url_for("meetings.feed", token=feed.token, _external=True),
        meetings=[m for m in service.meetings_for_feed(current_user) if m.is_upcoming], confirm_form=ConfirmForm(),
    )


@bp.get("/calendar/meetings/<token>.ics")
def feed(token):
    """The secret address is the credential: calendar apps cannot sign in."""
    row = service.feed_by_token(token)
    if row is None or not row.user.is_active:
        abort(404)
    meetings = service.meetings_for_feed(row.user)
    return _ics_response(exports.calendar_for(meetings, _external_url, name="Sinergi"), "sinergi.ics")


@bp.app_template_global()
def upcoming_meetings(programme, limit: int = 3):
    """For the programme page's "upcoming meetings" block."""
    if not can(current_user, "meeting.view", programme):
        return []
    return service.upcoming_for(programme, limit)


@bp.app_template_global()
def viewer_zone():
    """The viewer's time zone as {name, label}: times are shown in it, the meeting's own zone noted."""
    name = _viewer_zone()
    return {"name": name, "label": ZONES.get(name, name)}
