from urllib.parse import parse_qsl

import click
from flask import Blueprint, Response, abort, current_app, flash, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict
from wtforms.fields.choices import SelectChoice

from app.accounts.models import User
from app.actions import exchange, service, signals  # noqa: F401  (signals: registers the session hooks)
from app.actions.forms import ActionForm, BulkForm, ChecklistItemForm, ImportForm, ProgressForm, StatusForm
from app.actions.models import Action, Priority, SourceKind, Status, TransitionError
from app.collab import live
from app.collab.domains import action_live_key
from app.collab.targets import target_of
from app.comments.service import live_key as comments_live_key
from app.extensions import db
from app.notifications.models import Kind
from app.notifications.service import notify
from app.mailer import send_mail
from app.organisations.models import Organisation
from app.permissions import can, require
from app.programmes.forms import ConfirmForm
from app.programmes.routes import get_programme_for
from app.web import is_htmx, is_inline, redirect_to, render_page, wants_fragment

# cli_group=None: `flask --app wsgi send-reminders`, not `flask actions send-reminders`.
bp = Blueprint("actions", __name__, cli_group=None)


def get_action_for(user, programme, action_id: int, write: bool = False, right: str | None = None) -> Action:
    """The action `action_id` of `programme`, checked for `right` (default: action.view, or
    action.edit when `write`). 404 when it is not in this programme or the programme is hidden from
    the user; 403 when the user sees it but lacks the right."""
    action = service.get(programme, action_id)
    if action is None:
        abort(404)
    require(user, right or ("action.edit" if write else "action.view"), action)
    return action


def _filter():
    return service.ActionFilter.from_args(request.args)


def _common(programme, flt, **ctx):
    return dict(programme=programme, flt=flt, options=service.filter_options(programme), today=service.today(),
                statuses=list(Status), sorts=service.SORTS, **ctx)


# -- views ---------------------------------------------------------------------------------

@bp.get("/p/<slug>/actions/")
def index(slug):
    programme = get_programme_for(current_user, slug, "action.view")
    flt = _filter()
    on = service.today()
    page = service.table(programme, flt, current_user, on)
    bulk_form = BulkForm(formdata=None)
    return render_page("actions/index.html", block="results",
                       **_common(programme, flt, page=page, bulk_form=bulk_form))


@bp.get("/p/<slug>/actions/board")
def board(slug):
    programme = get_programme_for(current_user, slug, "action.view")
    return _board_page(programme, _filter())


def _board_page(programme, flt, error=None, status=200):
    columns = service.board(programme, flt, current_user, service.today())
    return render_page("actions/board.html", block="board", status=status,
                       **_common(programme, flt, columns=columns, error=error, column_page=False,
                                 per_column=service.BOARD_PER_COLUMN))


@bp.get("/p/<slug>/actions/board/<status>")
def board_column(slug, status):
    """One column's next cards (`page` of the filter): htmx appends them to the column ("show more");
    without JavaScript the same link shows that page of the column on a board page of its own."""
    programme = get_programme_for(current_user, slug, "action.view")
    try:
        only = Status(status)
    except ValueError:
        abort(404)
    flt = _filter()
    columns = service.board(programme, flt, current_user, service.today(), only=only, page=flt.page)
    return render_page("actions/board.html", block="column_page",
                       **_common(programme, flt, columns=columns, error=None, column_page=True,
                                 per_column=service.BOARD_PER_COLUMN))


@bp.get("/p/<slug>/actions/<int:action_id>/status")
@login_required
def move(slug, action_id):
    """The board's Move form of one card (a button per status): loaded into the card when its Move is
    opened (htmx), a page of its own without JavaScript. `filter` is the board's, to return to."""
    programme = get_programme_for(current_user, slug, "action.view")
    action = get_action_for(current_user, programme, action_id, right="action.update_status")
    board_filter = service.ActionFilter.from_args(MultiDict(_parse_query(request.args.get("filter", ""))))
    return render_page("actions/move.html", block="move", programme=programme, action=action,
                       statuses=list(Status), filter_args=board_filter.query_string(), inline=is_inline(),
                       board_url=url_for("actions.board", slug=slug, **board_filter.to_args()))


@bp.get("/p/<slug>/actions/timeline")
def timeline(slug):
    programme = get_programme_for(current_user, slug, "action.view")
    flt = _filter()
    data = service.timeline(programme, flt, current_user, service.today())
    return render_page("actions/timeline.html", block="results", **_common(programme, flt, timeline=data))


@bp.get("/p/<slug>/actions/dashboard")
def dashboard(slug):
    programme = get_programme_for(current_user, slug, "action.view")
    on = service.today()
    data = service.dashboard(programme, on)
    from app.drafts.stats import count_by_status  # the dashboard also answers "where are the drafts?"

    return render_page("actions/dashboard.html", programme=programme, data=data, today=on,
                       chart=service.chart(data["series"]), drafts_by_status=count_by_status(programme))


@bp.get("/p/<slug>/actions/summary")
def summary(slug):
    """The programme page's actions card (loaded by htmx; a link to the dashboard without JS)."""
    programme = get_programme_for(current_user, slug, "action.view")
    return render_page("actions/_summary.html", programme=programme, summary=service.summary(programme, service.today()))


@bp.get("/my/tasks")
@login_required
def my_tasks():
    on = service.today()
    include_closed = request.args.get("closed") == "1"
    actions = service.tasks_of(current_user, on, include_closed=include_closed)
    token = service.calendar_token(current_user, create=False)
    return render_page("actions/my_tasks.html", block="tasks", groups=service.group_tasks(actions, on),
                       count=len(actions), include_closed=include_closed, today=on, token=token,
                       confirm_form=ConfirmForm(formdata=None))


@bp.post("/my/calendar")
@login_required
def calendar_link():
    if not ConfirmForm().validate_on_submit():
        abort(400)
    service.reset_calendar_token(current_user)
    flash(_("Your calendar link is ready. An older link no longer works."), "success")
    return redirect_to(url_for("actions.my_tasks"))


@bp.get("/calendar/<token>.ics")
def calendar_feed(token):
    user = service.user_for_calendar(token)
    if user is None:
        abort(404)
    body = exchange.calendar(
        user, service.calendar_actions(user),
        lambda a: url_for("actions.show", slug=a.programme.slug, action_id=a.id, _external=True),
    )
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'inline; filename="sinergi.ics"'
    response.headers["Cache-Control"] = "private, max-age=300"
    return response


# -- one action ---------------------------------------------------------------------------

def _detail_page(programme, action_id, status_form=None, progress_form=None, checklist_form=None, status=200,
                 block=None):
    action = service.detail(programme, action_id, live_only=block == "live" and wants_fragment(block))
    if action is None:
        abort(404)
    # The page's two live parts (this panel and the discussion) read their versions in one query.
    live.prefetch(action_live_key(action.id), comments_live_key(target_of(action)))
    history, older = service.history(action)
    return render_page(
        "actions/show.html",
        block=block,
        status=status,
        programme=programme,
        action=action,
        history=history,
        older_history=older,
        today=service.today(),
        # Computed here: Jinja blocks rendered alone (htmx fragments) do not see the page's {% set %}s.
        may_edit=can(current_user, "action.edit", action),
        may_report=can(current_user, "action.update_status", action),
        status_form=status_form or StatusForm(formdata=None, status=action.status.value),
        progress_form=progress_form or ProgressForm(formdata=None, progress=action.progress),
        checklist_form=checklist_form or ChecklistItemForm(formdata=None),
        confirm_form=ConfirmForm(formdata=None),
        live_etag=live.etag(current_user, action_live_key(action.id)),
    )


@bp.get("/p/<slug>/actions/<int:action_id>")
def show(slug, action_id):
    programme = get_programme_for(current_user, slug, "action.view")
    get_action_for(current_user, programme, action_id)
    return _detail_page(programme, action_id)


@bp.get("/p/<slug>/actions/<int:action_id>/history")
def history(slug, action_id):
    """The whole history of an action, newest first, a page at a time (the action page shows the latest)."""
    programme = get_programme_for(current_user, slug, "action.view")
    action = get_action_for(current_user, programme, action_id)
    page = service._int(request.args.get("page")) or 1
    entries, older = service.history(action, limit=service.HISTORY_PER_PAGE, page=page)
    if not entries and page > 1:
        abort(404)
    return render_page("actions/history.html", block="entries", programme=programme, action=action,
                       history=entries, older_history=older, page=page)


@bp.get("/p/<slug>/actions/<int:action_id>/live")
def live_part(slug, action_id):
    """The action's details, status and history for pages that poll: 304 while the action is unchanged
    (one version read, before any permission work), the fresh part otherwise."""
    tag = live.etag(live.viewer(), action_live_key(action_id))
    unchanged = live.not_modified(tag)
    if unchanged is not None:
        return unchanged
    programme = get_programme_for(current_user, slug, "action.view")
    get_action_for(current_user, programme, action_id)
    response = _detail_page(programme, action_id, block="live")
    return live.with_etag(response, live.etag(current_user, action_live_key(action_id)))  # moved if it waited


def _fill_choices(form: ActionForm, options: dict) -> None:
    form.assignee.choices = [SelectChoice("", _("— nobody yet —"))] + [SelectChoice(u.id, u.name) for u in options["members"]]
    organisations = {o.id: o for o in options["organisations"]}
    if form.organisation.data and form.organisation.data not in organisations:
        extra = db.session.get(Organisation, form.organisation.data)
        if extra is not None:
            organisations[extra.id] = extra
    form.organisation.choices = [SelectChoice("", _("— the assignee's organisation —"))] + [
        SelectChoice(o.id, f"{o.display_name} ({o.element.label})") for o in sorted(organisations.values(), key=lambda o: o.name)
    ]


def _form_values(form: ActionForm, programme):
    """Turn the form's ids into objects of this programme; None plus a field error when one is foreign."""
    assignee = db.session.get(User, form.assignee.data) if form.assignee.data else None
    organisation = db.session.get(Organisation, form.organisation.data) if form.organisation.data else None
    parent = None
    if form.parent.data:
        parent = service.get(programme, form.parent.data)
        if parent is None:
            form.parent.errors = list(form.parent.errors) + [_("There is no action #%(num)d in this programme.", num=form.parent.data)]
            return None
    ids = form.blocked_by_ids()
    if ids is None:
        return None
    blockers = service._actions_by_id(programme, ids)
    missing = sorted(set(ids) - {b.id for b in blockers})
    if missing:
        form.blocked_by.errors = list(form.blocked_by.errors) + [
            _("There is no action %(nums)s in this programme.", nums=", ".join(f"#{n}" for n in missing))]
        return None
    return dict(assignee=assignee, organisation=organisation, parent=parent, blockers=blockers)


def _source_from(form: ActionForm) -> dict:
    try:
        kind = SourceKind(form.source_kind.data) if form.source_kind.data else None
    except ValueError:
        kind = None
    return dict(
        source_kind=kind,
        source_id=service._int(form.source_id.data),
        source_label=(form.source_label.data or "")[:200],
        meeting_id=service._int(form.meeting_id.data),
        meeting_label=(form.meeting_label.data or "")[:200],
    )


@bp.route("/p/<slug>/actions/new", methods=["GET", "POST"])
@login_required
def new(slug):
    """New action; ?source_kind=decision&source_id=…&source_label=…&meeting_id=…&meeting_label=… prefills
    the source (how meetings and drafts link here), ?parent=… makes a sub-action."""
    programme = get_programme_for(current_user, slug, "action.create")
    options = service.filter_options(programme)
    if request.method == "GET":
        form = ActionForm(formdata=MultiDict({k: v for k, v in request.args.items() if k in (
            "source_kind", "source_id", "source_label", "meeting_id", "meeting_label", "parent", "title",
            # meetings: a decision also brings its text, responsible organisation and due date.
            "description", "organisation", "due_date")}))
        form.weight.data = 1
    else:
        form = ActionForm()
    _fill_choices(form, options)
    if request.method == "POST" and form.validate():
        values = _form_values(form, programme)
        if values is not None:
            try:
                action = service.create(
                    programme, current_user,
                    title=form.title.data, description=form.description.data,
                    assignee=values["assignee"], organisation=values["organisation"], due_date=form.due_date.data,
                    priority=Priority(form.priority.data), labels=service.split_labels(form.labels.data),
                    parent=values["parent"], weight=form.weight.data, blocked_by=values["blockers"],
                    **_source_from(form),
                )
            except service.ActionError as error:
                form.parent.errors = list(form.parent.errors) + [str(error)]
            else:
                flash(_("Action #%(num)d created.", num=action.id), "success")
                return redirect_to(url_for("actions.show", slug=slug, action_id=action.id))
    return render_page("actions/form.html", block="form", programme=programme, form=form, action=None,
                       status=422 if request.method == "POST" else 200)


@bp.route("/p/<slug>/actions/<int:action_id>/edit", methods=["GET", "POST"])
@login_required
def edit(slug, action_id):
    programme = get_programme_for(current_user, slug, "action.view")
    action = service.detail(programme, action_id)
    if action is None:
        abort(404)
    require(current_user, "action.edit", action)
    if request.method == "GET":
        form = ActionForm(formdata=None, obj=action)
        form.assignee.data = action.assignee_id
        form.organisation.data = action.organisation_id
        form.labels.data = ", ".join(label.name for label in action.labels)
        form.parent.data = action.parent_id
        form.blocked_by.data = ", ".join(str(b.id) for b in action.blocked_by)
    else:
        form = ActionForm()
    _fill_choices(form, service.filter_options(programme))
    if request.method == "POST" and form.validate():
        values = _form_values(form, programme)
        if values is not None:
            try:
                service.update(
                    action, programme, current_user,
                    title=form.title.data, description=form.description.data, priority=Priority(form.priority.data),
                    assignee=values["assignee"], organisation=values["organisation"], due_date=form.due_date.data,
                    labels=service.split_labels(form.labels.data), parent=values["parent"], weight=form.weight.data,
                    blocked_by=values["blockers"],
                )
            except service.ActionError as error:
                field = form.parent if error.field == "parent" else form.blocked_by
                field.errors = list(field.errors) + [str(error)]
            else:
                flash(_("Action saved."), "success")
                return redirect_to(url_for("actions.show", slug=slug, action_id=action.id))
    return render_page("actions/form.html", block="form", programme=programme, form=form, action=action,
                       status=422 if request.method == "POST" else 200)


@bp.post("/p/<slug>/actions/<int:action_id>/status")
@login_required
def change_status(slug, action_id):
    """From the action page (view=detail) or a board card (view=board, with the board's filter in
    `filter`). htmx gets the refreshed part back; a plain form is redirected."""
    programme = get_programme_for(current_user, slug, "action.view")
    action = get_action_for(current_user, programme, action_id, right="action.update_status")
    form = StatusForm()
    on_board = request.form.get("view") == "board"
    board_args = MultiDict(_parse_query(request.form.get("filter", "")))
    error = None
    if form.validate():
        try:
            service.change_status(action, Status(form.status.data), current_user, form.note.data)
        except TransitionError as exc:
            error = str(exc)
            form.note.errors = list(form.note.errors) + [error]
    else:
        error = _("Please correct the errors below.")
    if on_board:
        # The card's own form (htmx) gets the board back; the Move page's form (a plain or boosted
        # post) is redirected to the board it came from.
        if is_inline():
            return _board_page(programme, service.ActionFilter.from_args(board_args), error=error,
                               status=422 if error else 200)
        if error:
            flash(error, "error")
        return redirect_to(url_for("actions.board", slug=slug, **service.ActionFilter.from_args(board_args).to_args()))
    if error:
        return _detail_page(programme, action_id, status_form=form, status=422, block="live")
    if is_htmx():
        return _detail_page(programme, action_id, block="live")
    flash(_("Status changed to %(status)s.", status=action.status.label), "success")
    return redirect_to(url_for("actions.show", slug=slug, action_id=action_id))


def _parse_query(text: str):
    """The filter a board or table form carries along (a query string), for the page it returns to."""
    return parse_qsl(text[:2000], keep_blank_values=False)


@bp.post("/p/<slug>/actions/<int:action_id>/progress")
@login_required
def change_progress(slug, action_id):
    programme = get_programme_for(current_user, slug, "action.view")
    action = get_action_for(current_user, programme, action_id, right="action.update_status")
    form = ProgressForm()
    if form.validate():
        try:
            service.change_progress(action, form.progress.data, current_user, form.note.data)
        except (service.ActionError, TransitionError) as error:
            form.progress.errors = list(form.progress.errors) + [str(error)]
    if form.errors:
        return _detail_page(programme, action_id, progress_form=form, status=422, block="live")
    if is_htmx():
        return _detail_page(programme, action_id, block="live")
    flash(_("Progress saved."), "success")
    return redirect_to(url_for("actions.show", slug=slug, action_id=action_id))


@bp.post("/p/<slug>/actions/<int:action_id>/weights")
@login_required
def weights(slug, action_id):
    programme = get_programme_for(current_user, slug, "action.view")
    action = get_action_for(current_user, programme, action_id, write=True)
    values = {}
    for key, value in request.form.items():
        if key.startswith("weight-"):
            child_id, weight = service._int(key[len("weight-"):]), service._int(value)
            if child_id is None or weight is None or weight > 100:
                flash(_("A weight is a whole number between 1 and 100."), "error")
                return redirect_to(url_for("actions.show", slug=slug, action_id=action_id) + "#sub-actions")
            values[child_id] = weight
    try:
        service.set_weights(action, values, current_user)
    except service.ActionError as error:
        flash(str(error), "error")
    else:
        flash(_("Weights saved; progress recalculated."), "success")
    return redirect_to(url_for("actions.show", slug=slug, action_id=action_id) + "#sub-actions")


@bp.post("/p/<slug>/actions/<int:action_id>/checklist")
@login_required
def add_checklist_item(slug, action_id):
    programme = get_programme_for(current_user, slug, "action.view")
    action = get_action_for(current_user, programme, action_id, right="action.update_status")
    form = ChecklistItemForm()
    if form.validate():
        service.add_checklist_item(action, form.text.data)
        return _checklist_changed(programme, action_id)
    return _detail_page(programme, action_id, checklist_form=form, status=422, block="checklist")


@bp.post("/p/<slug>/actions/<int:action_id>/checklist/<int:item_id>")
@login_required
def update_checklist_item(slug, action_id, item_id):
    """Tick, untick (done=1/0) or delete (delete=1) one checklist item."""
    programme = get_programme_for(current_user, slug, "action.view")
    action = get_action_for(current_user, programme, action_id, right="action.update_status")
    item = service.checklist_item(action, item_id)
    if item is None:
        abort(404)
    if request.form.get("delete") == "1":
        service.delete_checklist_item(item)
    else:
        service.toggle_checklist_item(item, request.form.get("done") == "1")
    return _checklist_changed(programme, action_id)


def _checklist_changed(programme, action_id):
    if is_htmx():
        return _detail_page(programme, action_id, block="checklist")
    return redirect_to(url_for("actions.show", slug=programme.slug, action_id=action_id) + "#checklist")


@bp.post("/p/<slug>/actions/<int:action_id>/delete")
@login_required
def delete(slug, action_id):
    programme = get_programme_for(current_user, slug, "action.view")
    action = get_action_for(current_user, programme, action_id, right="action.delete")
    if not ConfirmForm().validate_on_submit():
        abort(400)
    service.delete(action, current_user)
    flash(_("Action deleted."), "info")
    return redirect_to(url_for("actions.index", slug=slug))


# -- many actions ---------------------------------------------------------------------------

@bp.post("/p/<slug>/actions/bulk")
@login_required
def bulk(slug):
    programme = get_programme_for(current_user, slug, "action.edit")
    form = BulkForm()
    options = service.filter_options(programme)
    form.assignee.choices = [SelectChoice("", ""), SelectChoice("none", "")] + [
        SelectChoice(str(u.id), u.name) for u in options["members"]]
    back = url_for("actions.index", slug=slug, **service.ActionFilter.from_args(
        MultiDict(_parse_query(request.form.get("filter", "")))).to_args())
    ids = [i for i in (service._int(v) for v in request.form.getlist("ids")) if i]
    if not form.validate():
        flash(_("Choose a status or an assignee from the lists."), "error")
        return redirect_to(back)
    status = Status(form.status.data) if form.status.data else None
    assignee = None
    if form.assignee.data not in ("", "none"):
        assignee = next(u for u in options["members"] if str(u.id) == form.assignee.data)
    if status is None and not form.assignee.data:
        flash(_("Choose a new status or assignee for the selected actions."), "error")
        return redirect_to(back)
    try:
        count = service.bulk_update(programme, ids, current_user, status=status, note=form.note.data,
                                    assignee=assignee, unassign=form.assignee.data == "none")
    except service.ActionError as error:
        flash(_("Nothing was changed. %(error)s", error=str(error)), "error")
    else:
        flash(_("%(num)d actions changed.", num=count), "success")
    return redirect_to(back)


@bp.get("/p/<slug>/actions/export.csv")
def export(slug):
    programme = get_programme_for(current_user, slug, "action.view")
    flt = _filter()
    actions = service.filtered(programme, flt, current_user, service.today())
    response = Response(exchange.export_csv(actions), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="tindak-lanjut-{programme.slug}.csv"'
    return response


@bp.route("/p/<slug>/actions/import", methods=["GET", "POST"])
@login_required
def import_csv(slug):
    """Upload → preview with each row's errors → confirm (the checked text travels in the form)."""
    programme = get_programme_for(current_user, slug, "action.import")
    form = ImportForm()
    result, error = None, None
    if request.method == "POST" and form.validate():
        if form.csv_text.data and request.form.get("confirm") == "1":
            result = exchange.parse(programme, form.csv_text.data)
            if result.ok:
                count = exchange.import_rows(programme, current_user, result)
                flash(_("%(num)d actions imported.", num=count), "success")
                return redirect_to(url_for("actions.index", slug=slug, sort="updated"))
        else:
            upload = request.files.get("file")
            if upload is None or not upload.filename:
                error = _("Choose a CSV file to upload.")
            else:
                raw = upload.stream.read(exchange.MAX_IMPORT_BYTES + 1)
                text, error = exchange.decode(raw)
                if text is not None:
                    result = exchange.parse(programme, text)
    status = 200
    if error or (result is not None and not result.ok):
        status = 422
    return render_page("actions/import.html", block="preview" if request.method == "POST" else None,
                       programme=programme, form=form, result=result, error=error, columns=exchange.COLUMNS,
                       status=status)


# -- reminders --------------------------------------------------------------------------------

def send_reminders(on, soon_days: int = 3) -> int:
    """One digest email per person (the log when no SMTP). Returns the number of emails."""
    sent = 0
    for reminder in service.reminders_due(on, soon_days):
        user = reminder.user
        with force_locale(user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
            lines = [_("Hello %(name)s,", name=user.name), ""]
            for title, actions in ((_("Overdue"), reminder.overdue), (_("Due soon"), reminder.due_soon)):
                if not actions:
                    continue
                lines.append(f"{title} ({len(actions)}):")
                for a in actions:
                    link = url_for("actions.show", slug=a.programme.slug, action_id=a.id, _external=True)
                    lines.append(f"- {a.due_date.isoformat()} · {a.title} · {a.programme.name} · {a.status.label}\n  {link}")
                lines.append("")
            lines.append(_("All your tasks: %(link)s", link=url_for("actions.my_tasks", _external=True)))
            subject = _("Sinergi: %(overdue)d overdue, %(soon)d due soon", overdue=len(reminder.overdue),
                        soon=len(reminder.due_soon))
            send_mail(user.email, subject, "\n".join(lines))
            # The same reminders in the app's bell, one per action, in the person's language.
            for action in (*reminder.overdue, *reminder.due_soon):
                overdue = action in reminder.overdue
                notify([user], Kind.REMINDER, action, actor=None,
                       text=_("Overdue since %(date)s", date=action.due_date.isoformat()) if overdue
                       else _("Due on %(date)s", date=action.due_date.isoformat()))
        sent += 1
    db.session.commit()
    return sent


@bp.cli.command("send-reminders")
@click.option("--days", default=3, show_default=True, help="Remind of actions due within this many days.")
@click.option("--base-url", envvar="SINERGI_BASE_URL", default="http://localhost:5000", show_default=True,
              help="Public address of Sinergi, for the links in the emails (or SINERGI_BASE_URL).")
def send_reminders_command(days, base_url):
    """Email each person their overdue and due-soon actions (one digest each). For cron, e.g. daily."""
    app = current_app._get_current_object()
    with app.test_request_context("/", base_url=base_url):
        count = send_reminders(service.today(), soon_days=days)
    click.echo(f"Reminders sent: {count}")

