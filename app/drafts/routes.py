"""Drafts: thin routes. Load through the access helpers, call the service, render page or fragment."""
import re
import zlib

from flask import Blueprint, Response, abort, current_app, flash, make_response, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import escape

from app.collab.drafts import confirm_saved
from app.coediting import Outcome, diff_words
from app.drafts import checks, exports, importer, references, service, threads
from app.drafts import parts as drafting_parts
from app.drafts.forms import (
    AddressedForm,
    AddUnitForm,
    DecisionForm,
    DeclineForm,
    DispositionForm,
    DraftForm,
    ImportForm,
    InputForm,
    MoveForm,
    StatusForm,
    SuggestionForm,
    UnitForm,
    VersionForm,
)
from app.drafts.models import Disposition, Draft, DraftKind, DraftStatus, SuggestionStatus, Unit, UnitKind
from app.forms import choices
from app.pentahelix import Element
from app.permissions import can, require
from app.programmes.forms import ConfirmForm
from app.programmes.routes import get_programme_for
from app.web import redirect_to, render_page, set_trigger, wants_fragment

bp = Blueprint("drafts", __name__, url_prefix="/p/<slug>/drafts")

# What the draft's outline lists (not ayat, huruf, points…).
OUTLINE = frozenset({UnitKind.JUDUL, UnitKind.MENIMBANG, UnitKind.MENGINGAT, UnitKind.MENETAPKAN, UnitKind.BAB,
                     UnitKind.BAGIAN, UnitKind.PARAGRAF, UnitKind.PASAL, UnitKind.PENJELASAN})

# Owners decide these moves; editors the others (app/permissions.py: draft.submit vs draft.status).
OWNER_STATUSES = {DraftStatus.DIAJUKAN, DraftStatus.DITETAPKAN, DraftStatus.DITARIK}


# -- access helpers ---------------------------------------------------------------------------

def get_draft_for(user, slug: str, draft_id: int, action: str = "draft.view") -> Draft:
    """The draft in this programme: 404 for a non-member of a private programme or a draft elsewhere, 403 without the right.

    One query for the draft, its programme and the user's membership (every draft page asks)."""
    draft = service.get_draft_in(slug, draft_id, viewer=user)
    if draft is None:
        abort(404)
    require(user, "programme.view", draft.programme)
    require(user, action, draft)
    return draft


def get_unit_for(user, slug: str, draft_id: int, unit_id: int, action: str = "draft.view") -> tuple[Draft, Unit]:
    """The live unit of this draft: 404 as get_draft_for, or for a unit deleted or elsewhere; 403
    without the right. One query for the unit, its draft, the programme and the user's membership."""
    unit = service.get_unit_in(slug, draft_id, unit_id, viewer=user)
    if unit is None:
        abort(404)
    require(user, "programme.view", unit.draft.programme)
    require(user, "draft.view", unit.draft)
    require(user, action, unit)
    return unit.draft, unit


def unit_url(draft: Draft, unit_id: int) -> str:
    """The stable address of a unit: a meeting agenda item or decision points here."""
    return url_for("drafts.unit", slug=draft.programme.slug, draft_id=draft.id, unit_id=unit_id)


# -- list, create, import ---------------------------------------------------------------------

@bp.get("/")
def index(slug):
    programme = get_programme_for(current_user, slug)
    require(current_user, "draft.view", programme)
    return render_page("drafts/index.html", programme=programme, drafts=service.drafts_of(programme))


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new(slug):
    programme = get_programme_for(current_user, slug, "draft.create")
    form = DraftForm()
    if form.validate_on_submit():
        draft = service.create_draft(programme, current_user, form.title.data, DraftKind(form.kind.data), form.region.data)
        flash(_("Draft created from the %(kind)s skeleton.", kind=draft.kind.label), "success")
        return redirect_to(url_for("drafts.show", slug=slug, draft_id=draft.id))
    return render_page("drafts/new.html", block="form", programme=programme, form=form,
                       status=422 if form.errors else 200)


@bp.route("/import", methods=["GET", "POST"])
@login_required
def import_text(slug):
    programme = get_programme_for(current_user, slug, "draft.create")
    form = ImportForm()
    problem = None
    if form.validate_on_submit():
        try:
            spec = importer.parse(form.text.data)
        except importer.ImportProblem as error:
            problem = str(error)
        else:
            draft = service.create_draft(programme, current_user, form.title.data, DraftKind(form.kind.data),
                                         form.region.data, spec=spec, imported=True)
            flash(_("Imported into a new draft."), "success")
            return redirect_to(url_for("drafts.show", slug=slug, draft_id=draft.id))
    return render_page("drafts/import.html", block="form", programme=programme, form=form, problem=problem,
                       status=422 if (form.errors or problem) else 200)


# -- the draft --------------------------------------------------------------------------------

def _status_form(draft: Draft) -> StatusForm:
    form = StatusForm(formdata=None)
    form.to.choices = choices((s.value, s.label) for s in draft.next_statuses() if _may_move(draft, s))
    return form


def _may_move(draft: Draft, to: DraftStatus) -> bool:
    return can(current_user, "draft.submit" if to in OWNER_STATUSES or draft.status == DraftStatus.DITARIK
               else "draft.status", draft)


class UnitLinks:
    """The addresses of a draft's units, for pages that show many units: each endpoint's URL is built
    once with url_for (around a stand-in id) and the unit's id put in its place. url_for costs some
    20 µs; the draft's page paid it four times for each of its ~450 units."""

    _STAND_IN = 987654321

    def __init__(self, draft: Draft):
        self.draft = draft
        self._around: dict[str, tuple[str, str]] = {}

    def __call__(self, endpoint: str, unit_id: int) -> str:
        around = self._around.get(endpoint)
        if around is None:
            url = url_for(f"drafts.{endpoint}", slug=self.draft.programme.slug, draft_id=self.draft.id,
                          unit_id=self._STAND_IN)
            around = self._around[endpoint] = tuple(url.rsplit(str(self._STAND_IN), 1))
        return f"{around[0]}{unit_id}{around[1]}"


def _unit_chrome(draft: Draft) -> dict:
    """What drafts/_unit.html shows around a unit's text, decided once per page rather than per unit.
    `xref`: where a cross-reference in the text leads (the draft's page at the target)."""
    page = url_for("drafts.show", slug=draft.programme.slug, draft_id=draft.id)
    return dict(links=UnitLinks(draft), may_edit=can(current_user, "draft.edit", draft),
                may_suggest=can(current_user, "draft.comment", draft),
                xref=lambda target_id: f"{page}?at={target_id}#unit-{target_id}")


def in_draft(draft: Draft, unit_id: int) -> str:
    """The draft's page opened at a unit: the part of the text that holds it, scrolled to it."""
    return url_for("drafts.show", slug=draft.programme.slug, draft_id=draft.id, at=unit_id) + f"#unit-{unit_id}"


@bp.get("/<int:draft_id>/")
def show(slug, draft_id):
    """The outline and the text. The text comes in parts (app/drafts/parts.py): the page carries the
    part holding `?at=<unit id>` (the first part without it) or, with `?all=1`, all of them; the other
    parts are placeholders. htmx fills a placeholder with `?from=<first id>&to=<last id>`: that part alone."""
    draft = get_draft_for(current_user, slug, draft_id)
    tree = service.read_tree(draft.id)
    parts = drafting_parts.split(tree, current_app.config.get("DRAFT_PART_BUDGET", drafting_parts.BUDGET))
    keys = {node.id: part.key for part in parts for node in part.nodes}
    first, last = request.args.get("from", type=int), request.args.get("to", type=int)
    if first and wants_fragment("part"):
        part = drafting_parts.between(tree, first, last or first) or drafting_parts.holding(parts, first)
        here = {node.id for node in part.nodes}
        comments, suggestions = service.unit_tags(draft, here)
        return render_page("drafts/show.html", block="part", part=part,
                           **_text_context(draft, tree, keys, here, comments, suggestions))
    tally = service.tally(draft)
    if request.args.get("all"):
        shown = parts
    else:
        shown = [drafting_parts.holding(parts, request.args.get("at", type=int) or first)] if parts else []
    here = {node.id for part in shown for node in part.nodes}
    return render_page(
        "drafts/show.html",
        parts=parts, shown=shown, here=here, outline=[n for n in tree.order if n.kind in OUTLINE],
        weigh_in=_weigh_in_columns(tally.weigh_in(tree)),
        counts=tally.register,
        last_revision_id=tally.last_revision_id, page_version=draft.structure_version,
        status_form=_status_form(draft), add_form=AddUnitForm(formdata=None),
        **_text_context(draft, tree, keys, here, tally.comments, tally.open_suggestions),
    )


def _weigh_in_columns(per_pasal: dict) -> dict[int, list[tuple]]:
    """Per Pasal, for the outline: (element value, label, count) of each element in order (labels
    translated and escaped once, not 760 times)."""
    columns = [(e, e.value, escape(e.label)) for e in Element]
    return {pasal: [(value, label, counts.get(e, 0)) for e, value, label in columns]
            for pasal, counts in per_pasal.items()}


def _text_context(draft, tree, keys: dict[int, int], here: set[int], comments, suggestions) -> dict:
    """What the units of the draft's page need; `keys`: each unit's part, `here`: the units on the page,
    `comments` and `suggestions`: their counts per unit."""

    def xref(target_id: int) -> str:
        # A reference into a part that is not on the page opens the page at that part; with
        # JavaScript the part is loaded in place instead (static/js/drafts.js).
        if target_id in here:
            return f"#unit-{target_id}"
        return f"?at={keys.get(target_id, target_id)}#unit-{target_id}"

    return dict(_unit_chrome(draft), draft=draft, programme=draft.programme, tree=tree, part_keys=keys, xref=xref,
                open_suggestions=suggestions, unit_comments=comments)


@bp.get("/<int:draft_id>/live")
def live(slug, draft_id):
    """Polled every 2 s by open pages: who is editing what, and units saved since `since` (swapped out of band).

    Conditional: the ETag changes only when a revision is written or presence changes, so an
    idle page costs two small queries and a 304 on any worker.
    """
    draft = get_draft_for(current_user, slug, draft_id)
    since = request.args.get("since", type=int) or 0
    version = request.args.get("v", type=int) or draft.structure_version
    # The parts of the text the page holds ("<first id>-<last id>", see drafts/show.html): a unit
    # saved in a part the page has not loaded yet has nowhere to go (it loads fresh when it comes).
    held = [tuple(int(i) for i in p.split("-", 1)) for p in request.args.getlist("part") if _RANGE.match(p)]
    state = service.live_state(draft, since, current_user)
    etag = state.etag + f"-{since}-{version}" + (f"-{zlib.crc32(repr(held).encode())}" if held else "")
    if etag in request.headers.get("If-None-Match", ""):
        response = make_response("", 304)
    else:
        tree = service.read_tree(draft.id) if state.changed_units or state.editing else None
        saved = state.changed_units
        if held and tree is not None:
            inside = {n.id for first, last in held for n in _nodes_between(tree, first, last)}
            saved = [u for u in saved if u.id in inside]
        response = render_page("drafts/_live.html", draft=draft, state=state, tree=tree, since=since, saved=saved,
                               structure_changed=version != draft.structure_version, page_version=version,
                               **_unit_chrome(draft))
    response.headers["ETag"] = etag
    response.headers["Cache-Control"] = "no-cache"
    return response


_RANGE = re.compile(r"^\d{1,18}-\d{1,18}$")


def _nodes_between(tree, first: int, last: int) -> list:
    part = drafting_parts.between(tree, first, last)
    return part.nodes if part else []


@bp.post("/<int:draft_id>/status")
@login_required
def change_status(slug, draft_id):
    draft = get_draft_for(current_user, slug, draft_id)
    form = StatusForm()
    form.to.choices = choices((s.value, s.label) for s in DraftStatus)
    if not form.validate_on_submit():
        abort(400)
    to = DraftStatus(form.to.data)
    if not _may_move(draft, to):
        abort(403)
    blocking = 0
    if to == DraftStatus.FINAL:
        blocking = checks.blocking_count(checks.run(draft, service.read_tree(draft.id)))
    try:
        service.transition(draft, current_user, to, form.note.data, blocking_findings=blocking)
    except service.DraftError as error:
        flash(str(error), "error")
        if to == DraftStatus.FINAL:
            return redirect_to(url_for("drafts.check", slug=slug, draft_id=draft_id))
    else:
        flash(_("Status changed to %(status)s.", status=to.label), "success")
    return redirect_to(url_for("drafts.show", slug=slug, draft_id=draft_id))


@bp.route("/<int:draft_id>/versions", methods=["GET", "POST"])
def versions(slug, draft_id):
    draft = get_draft_for(current_user, slug, draft_id)
    form = VersionForm()
    if request.method == "POST":
        require(current_user, "draft.edit", draft)
        if form.validate_on_submit():
            version = service.create_version(draft, current_user, form.name.data)
            flash(_("Version %(number)d “%(name)s” saved.", number=version.number, name=version.name), "success")
            return redirect_to(url_for("drafts.versions", slug=slug, draft_id=draft_id))
    return render_page("drafts/versions.html", block="versions", draft=draft, programme=draft.programme,
                       versions=service.versions(draft), form=form, status=422 if form.errors else 200)


@bp.get("/<int:draft_id>/versions/<int:version_id>")
def version(slug, draft_id, version_id):
    draft = get_draft_for(current_user, slug, draft_id)
    named = service.get_version(draft, version_id) or abort(404)
    return render_page("drafts/version.html", draft=draft, programme=draft.programme, version=named,
                       units=service.version_units(named))


@bp.get("/<int:draft_id>/compare")
def compare(slug, draft_id):
    """Word diff between two named versions, or a named version and the current text (b=0)."""
    draft = get_draft_for(current_user, slug, draft_id)
    a_id = request.args.get("a", type=int)
    b_id = request.args.get("b", type=int) or 0
    old = service.get_version(draft, a_id) if a_id else None
    if old is None:
        abort(404)
    old_units = service.version_units(old)
    if b_id:
        new = service.get_version(draft, b_id) or abort(404)
        new_units, new_name = service.version_units(new), new.name
    else:
        new_units, new_name = service.snapshot(service.read_tree(draft.id)), _("Current text")
    rows = service.compare_units(old_units, new_units)
    return render_page("drafts/compare.html", draft=draft, programme=draft.programme, old=old, new_name=new_name,
                       rows=rows, diff_words=diff_words)


@bp.get("/<int:draft_id>/history")
def history(slug, draft_id):
    draft = get_draft_for(current_user, slug, draft_id)
    before = request.args.get("before", type=int)
    revisions = service.draft_history(draft, limit=100, before_id=before)
    tree = service.read_tree(draft.id)
    return render_page("drafts/history.html", block="revisions" if before else None, draft=draft,
                       programme=draft.programme, revisions=revisions, tree=tree,
                       transitions=service.transitions(draft) if not before else [])


@bp.get("/<int:draft_id>/check")
def check(slug, draft_id):
    draft = get_draft_for(current_user, slug, draft_id)
    findings = checks.run(draft, service.read_tree(draft.id))
    return render_page("drafts/check.html", draft=draft, programme=draft.programme, findings=findings,
                       blocking=checks.blocking_count(findings), categories=checks.CATEGORIES)


# -- exports ----------------------------------------------------------------------------------

def _filename(draft: Draft, ext: str) -> str:
    from app.programmes.service import slugify

    return f"{slugify(draft.title)}.{ext}"


@bp.get("/<int:draft_id>/export.docx")
def export_docx(slug, draft_id):
    draft = get_draft_for(current_user, slug, draft_id)
    data = exports.to_docx(draft, service.read_tree(draft.id))
    return Response(data, mimetype="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    headers={"Content-Disposition": f'attachment; filename="{_filename(draft, "docx")}"'})


@bp.get("/<int:draft_id>/export.md")
def export_markdown(slug, draft_id):
    draft = get_draft_for(current_user, slug, draft_id)
    return Response(exports.to_markdown(draft, service.read_tree(draft.id)), mimetype="text/markdown; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{_filename(draft, "md")}"'})


@bp.get("/<int:draft_id>/print")
def print_view(slug, draft_id):
    draft = get_draft_for(current_user, slug, draft_id)
    return render_page("drafts/print.html", draft=draft, blocks=exports.layout(draft, service.read_tree(draft.id)))


# -- units ------------------------------------------------------------------------------------

def _unit_context(draft: Draft, unit: Unit, tree=None, **extra):
    """`tree`: the draft's structure when the caller has it already (read_tree or load_tree)."""
    tree = tree or service.read_tree(draft.id)
    node = tree.node(unit.id)
    return dict(_unit_chrome(draft), draft=draft, programme=draft.programme, unit=unit, node=node, tree=tree,
                confirm_form=ConfirmForm(formdata=None), move_form=MoveForm(formdata=None), **extra)


def _render_unit(draft, unit, mode="view", status=200, trigger=None, **extra):
    ctx = _unit_context(draft, unit, **extra)
    if mode == "view" and not wants_fragment("unit"):
        ctx.update(_unit_page_extras(draft, unit, ctx["tree"]))
    return render_page("drafts/unit.html", block="unit", mode=mode, status=status, trigger=trigger, **ctx)


def _unit_page_extras(draft, unit, tree):
    suggestions = service.suggestions_for(draft, unit)
    return dict(
        suggestions=suggestions, suggestion_diffs={
            s.id: diff_words(references.display(s.base_text, tree, tree.node(unit.id)),
                             references.display(s.text, tree, tree.node(unit.id))) for s in suggestions
        },
        inputs=service.inputs_for(draft, unit),
        input_form=InputForm(formdata=None), decline_form=DeclineForm(formdata=None),
        decision_form=DecisionForm(formdata=None), disposition_form=DispositionForm(formdata=None),
        referenced_by=service.referenced_by(unit),
        possible_parents=service.possible_parents(tree, unit),
    )


@bp.get("/<int:draft_id>/units/<int:unit_id>")
def unit(slug, draft_id, unit_id):
    draft, unit = get_unit_for(current_user, slug, draft_id, unit_id)
    return _render_unit(draft, unit)


@bp.get("/<int:draft_id>/units/<int:unit_id>/edit")
@login_required
def edit_unit(slug, draft_id, unit_id):
    # Presence ("… sedang menyunting Pasal 5") is announced by the editor's own POST heartbeat: a GET writes nothing.
    draft, unit = get_unit_for(current_user, slug, draft_id, unit_id, "draft.edit")
    tree = service.read_tree(draft.id)
    form = UnitForm(formdata=None, text=references.display(unit.text, tree, tree.node(unit.id)),
                    base_revision_id=unit.head_revision_id)
    return _render_unit(draft, unit, mode="edit", form=form, tree=tree)


@bp.post("/<int:draft_id>/units/<int:unit_id>/presence")
@login_required
def presence(slug, draft_id, unit_id):
    draft, unit = get_unit_for(current_user, slug, draft_id, unit_id, "draft.edit")
    if request.form.get("leave"):
        service.clear_presence(unit, current_user)
    else:
        service.touch_presence(unit, current_user)
    return make_response("", 204)


@bp.post("/<int:draft_id>/units/<int:unit_id>")
@login_required
def save_unit(slug, draft_id, unit_id):
    draft, unit = get_unit_for(current_user, slug, draft_id, unit_id, "draft.edit")
    form = UnitForm()
    if not form.validate_on_submit():
        return _render_unit(draft, unit, mode="edit", form=form, status=422)
    suggestion = None
    if form.suggestion_id.data:
        suggestion = service.get_suggestion(draft, form.suggestion_id.data)
        if suggestion is None or suggestion.unit_id != unit.id:
            abort(404)
        require(current_user, "draft.decide", draft)
    try:
        result = service.save_unit(unit.id, current_user, form.base_revision_id.data, form.text.data, form.note.data,
                                   resolves_suggestion=suggestion)
    except service.DraftError as error:
        form.text.errors.append(str(error))
        draft, unit = get_unit_for(current_user, slug, draft_id, unit_id)
        return _render_unit(draft, unit, mode="edit", form=form, status=409)
    response = _after_save(slug, draft_id, unit_id, result, mine_typed=form.text.data, suggestion_id=form.suggestion_id.data)
    if result.outcome != Outcome.CONFLICT:  # the browser may forget the text it kept (static/js/drafts.js)
        confirm_saved(response, request.form.get("draft"))
    return response


def _after_save(slug, draft_id, unit_id, result, mine_typed: str, suggestion_id=None):
    draft, unit = get_unit_for(current_user, slug, draft_id, unit_id)
    trigger = {"draft:unit-saved": {"unit": unit.id, "revision": unit.head_revision_id}}
    if result.outcome == Outcome.CONFLICT:
        return _conflict(draft, unit, result, mine_typed, suggestion_id=suggestion_id)
    if result.outcome == Outcome.MERGED:
        message = _("Someone saved this unit while you were editing; both changes were merged.")
    elif result.outcome == Outcome.UNCHANGED:
        message = _("No change to save.")
    else:
        message = _("Saved.")
    if not wants_fragment("unit"):
        flash(message, "success" if result.outcome != Outcome.UNCHANGED else "info")
        return redirect_to(in_draft(draft, unit.id))
    return _render_unit(draft, unit, notice=message, outcome=result.outcome.value, trigger=trigger, tree=result.tree)


def _conflict(draft, unit, result, mine_typed, suggestion_id=None):
    """409 with theirs, mine and a merged proposal; saving again starts from the current head.

    `suggestion_id`: the conflict came from accepting that suggestion; saving the resolution accepts it."""
    tree = result.tree or service.read_tree(draft.id)
    node = tree.node(unit.id)
    head = service.get_revision(unit, unit.head_revision_id)
    proposal = references.display(result.merge.proposal if result.merge else unit.text, tree, node)
    form = UnitForm(formdata=None, text=proposal, base_revision_id=unit.head_revision_id, suggestion_id=suggestion_id)
    return _render_unit(
        draft, unit, mode="conflict", status=409, form=form, head=head, tree=tree,
        theirs=references.display(unit.text, tree, node), mine=mine_typed,
        conflicts=result.merge.conflicts if result.merge else [],
    )


@bp.post("/<int:draft_id>/units/<int:unit_id>/revisions/<int:revision_id>/restore")
@login_required
def restore(slug, draft_id, unit_id, revision_id):
    draft, unit = get_unit_for(current_user, slug, draft_id, unit_id, "draft.edit")
    revision = service.get_revision(unit, revision_id) or abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    service.restore_revision(unit, revision, current_user)
    flash(_("Revision %(number)d restored as a new revision.", number=revision.number), "success")
    return redirect_to(url_for("drafts.unit_history", slug=slug, draft_id=draft_id, unit_id=unit_id))


@bp.get("/<int:draft_id>/units/<int:unit_id>/history")
def unit_history(slug, draft_id, unit_id):
    draft, unit = get_unit_for(current_user, slug, draft_id, unit_id)
    tree = service.read_tree(draft.id)  # the unit's number, and those of the units its texts refer to
    node = tree.node(unit.id)
    revisions = service.unit_history(unit)
    # Compare any two revisions: ?a=<number>&b=<number>; by default the head with the one before.
    numbers = {r.number: r for r in revisions}
    b = numbers.get(request.args.get("b", type=int)) or (revisions[0] if revisions else None)
    a = numbers.get(request.args.get("a", type=int)) or (revisions[1] if len(revisions) > 1 else b)
    parts = diff_words(references.display(a.text, tree, node), references.display(b.text, tree, node)) if a and b else []
    return render_page("drafts/unit_history.html", block="diff" if request.args.get("a") else None,
                       draft=draft, programme=draft.programme, unit=unit, node=node, revisions=revisions,
                       a=a, b=b, parts=parts, confirm_form=ConfirmForm(formdata=None))


@bp.post("/<int:draft_id>/units")
@login_required
def add_unit(slug, draft_id):
    draft = get_draft_for(current_user, slug, draft_id, "draft.edit")
    form = AddUnitForm()
    if not form.validate_on_submit():
        abort(400)
    parent = service.get_unit(draft, form.parent_id.data) if form.parent_id.data else None
    after = service.get_unit(draft, form.after_id.data) if form.after_id.data else None
    if (form.parent_id.data and parent is None) or (form.after_id.data and after is None):
        abort(404)
    try:
        unit = service.add_unit(draft, current_user, UnitKind(form.kind.data), parent=parent, after=after,
                                text=form.text.data or "")
    except service.DraftError as error:
        flash(str(error), "error")
        return redirect_to(url_for("drafts.show", slug=slug, draft_id=draft_id))
    return redirect_to(in_draft(draft, unit.id))


@bp.post("/<int:draft_id>/units/<int:unit_id>/move")
@login_required
def move_unit(slug, draft_id, unit_id):
    draft, unit = get_unit_for(current_user, slug, draft_id, unit_id, "draft.edit")
    form = MoveForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        if form.direction.data == "into":
            parent = service.get_unit(draft, form.parent_id.data) if form.parent_id.data else None
            if parent is None:
                abort(404)
            service.reparent_unit(draft, unit, current_user, parent)
        else:
            service.move_unit(draft, unit, current_user, form.direction.data)
    except service.DraftError as error:
        flash(str(error), "error")
    return redirect_to(in_draft(draft, unit_id))


@bp.post("/<int:draft_id>/units/<int:unit_id>/delete")
@login_required
def delete_unit(slug, draft_id, unit_id):
    draft, unit = get_unit_for(current_user, slug, draft_id, unit_id, "draft.edit")
    if not ConfirmForm().validate_on_submit():
        abort(400)
    service.delete_unit(draft, unit, current_user)
    flash(_("Unit deleted. Its history is kept, and references to it are flagged."), "info")
    return redirect_to(url_for("drafts.show", slug=slug, draft_id=draft_id))


# -- suggested amendments ---------------------------------------------------------------------

@bp.route("/<int:draft_id>/units/<int:unit_id>/suggestions/new", methods=["GET", "POST"])
@login_required
def suggest(slug, draft_id, unit_id):
    """Also the one step from a meeting: ?source_label=…&source_url=… links the suggestion to its decision."""
    draft, unit = get_unit_for(current_user, slug, draft_id, unit_id, "draft.comment")
    tree = service.read_tree(draft.id)
    node = tree.node(unit.id)
    if request.method == "GET":
        form = SuggestionForm(formdata=None, text=references.display(unit.text, tree, node),
                              source_label=request.args.get("source_label", ""),
                              source_url=_local_url(request.args.get("source_url", "")))
    else:
        form = SuggestionForm()
        if form.validate_on_submit():
            service.suggest(unit, current_user, form.text.data, form.reason.data, form.source_label.data,
                            _local_url(form.source_url.data))
            flash(_("Suggestion sent to the editors."), "success")
            return redirect_to(unit_url(draft, unit.id))
    return render_page("drafts/suggest.html", block="form", draft=draft, programme=draft.programme, unit=unit,
                       node=node, tree=tree, form=form, status=422 if form.errors else 200)


def _local_url(url: str) -> str:
    """Only links inside Sinergi are kept as a suggestion's source (no open redirect, no javascript:)."""
    url = (url or "").strip()
    return url if url.startswith("/") and not url.startswith("//") and "\\" not in url else ""


@bp.post("/<int:draft_id>/suggestions/<int:suggestion_id>/accept")
@login_required
def accept_suggestion(slug, draft_id, suggestion_id):
    draft = get_draft_for(current_user, slug, draft_id, "draft.decide")
    require(current_user, "draft.edit", draft)
    suggestion = service.get_suggestion(draft, suggestion_id) or abort(404)
    form = DecisionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        result = service.accept_suggestion(suggestion, current_user, form.reason.data)
    except service.DraftError as error:
        flash(str(error), "error")
        return redirect_to(unit_url(draft, suggestion.unit_id))
    if result.outcome == Outcome.CONFLICT:
        flash(_("The unit changed in the same words since the suggestion was made. Resolve the conflict below; "
                "the suggestion stays open."), "error")
        draft, unit = get_unit_for(current_user, slug, draft_id, suggestion.unit_id)
        return _conflict(draft, unit, result, references.display(result.mine, service.read_tree(draft.id)),
                         suggestion_id=suggestion.id)
    flash(_("Suggestion accepted and applied."), "success")
    return redirect_to(unit_url(draft, suggestion.unit_id))


@bp.post("/<int:draft_id>/suggestions/<int:suggestion_id>/decline")
@login_required
def decline_suggestion(slug, draft_id, suggestion_id):
    draft = get_draft_for(current_user, slug, draft_id, "draft.decide")
    suggestion = service.get_suggestion(draft, suggestion_id) or abort(404)
    form = DeclineForm()
    if not form.validate_on_submit():
        flash(_("Say why the suggestion is declined."), "error")
        return redirect_to(unit_url(draft, suggestion.unit_id))
    try:
        service.decline_suggestion(suggestion, current_user, form.reason.data)
    except service.DraftError as error:
        flash(str(error), "error")
    else:
        flash(_("Suggestion declined."), "info")
    return redirect_to(unit_url(draft, suggestion.unit_id))


# -- public-input register --------------------------------------------------------------------

@bp.post("/<int:draft_id>/inputs")
@login_required
def add_input(slug, draft_id):
    draft = get_draft_for(current_user, slug, draft_id, "draft.comment")
    form = InputForm()
    if not form.validate_on_submit():
        flash(_("Write the input first."), "error")
        return redirect_to(url_for("drafts.register", slug=slug, draft_id=draft_id))
    unit = service.get_unit(draft, form.unit_id.data) if form.unit_id.data else None
    if form.unit_id.data and unit is None:
        abort(404)
    author_name, element = "", None
    if form.author_name.data:
        # Recording what someone said at a hearing is the secretariat's job.
        require(current_user, "draft.decide", draft)
        author_name = form.author_name.data
        element = Element(form.element.data) if form.element.data else None
    service.add_input(draft, current_user, form.text.data, unit=unit, author_name=author_name, element=element)
    flash(_("Input recorded. It will be answered in the register."), "success")
    return redirect_to(unit_url(draft, unit.id) if unit else url_for("drafts.register", slug=slug, draft_id=draft_id))


@bp.get("/<int:draft_id>/register")
def register(slug, draft_id):
    draft = get_draft_for(current_user, slug, draft_id)
    tree = service.read_tree(draft.id)
    return render_page("drafts/register.html", block="register", draft=draft, programme=draft.programme, tree=tree,
                       inputs=service.inputs_for(draft), counts=service.register_counts(draft),
                       disposition_form=DispositionForm(formdata=None), input_form=InputForm(formdata=None),
                       Disposition=Disposition)


@bp.post("/<int:draft_id>/inputs/<int:input_id>/dispose")
@login_required
def dispose(slug, draft_id, input_id):
    draft = get_draft_for(current_user, slug, draft_id, "draft.decide")
    public_input = service.get_input(draft, input_id) or abort(404)
    form = DispositionForm()
    if not form.validate_on_submit():
        flash(_("Choose a disposition and give the reason."), "error")
        return redirect_to(url_for("drafts.register", slug=slug, draft_id=draft_id) + f"#input-{input_id}")
    service.dispose(public_input, current_user, Disposition(form.disposition.data), form.reason.data)
    flash(_("Answer recorded."), "success")
    return redirect_to(url_for("drafts.register", slug=slug, draft_id=draft_id) + f"#input-{input_id}")


def _register_rows(draft):
    return exports.register_rows(service.inputs_for(draft), service.read_tree(draft.id), lambda e: str(e.label),
                                 reveal=can(current_user, "draft.decide", draft))


@bp.get("/<int:draft_id>/register.csv")
def register_csv(slug, draft_id):
    draft = get_draft_for(current_user, slug, draft_id)
    return Response(exports.register_csv(_register_rows(draft)), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="matriks-masukan-dan-tanggapan.csv"'})


@bp.get("/<int:draft_id>/register.docx")
def register_docx(slug, draft_id):
    draft = get_draft_for(current_user, slug, draft_id)
    return Response(exports.register_docx(draft, _register_rows(draft)),
                    mimetype="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    headers={"Content-Disposition": 'attachment; filename="matriks-masukan-dan-tanggapan.docx"'})


# -- comment threads --------------------------------------------------------------------------

@bp.post("/<int:draft_id>/threads/<int:thread_id>/addressed")
@login_required
def address_thread(slug, draft_id, thread_id):
    """Mark a thread (its root comment's id) on the draft or one of its units "addressed in version N",
    or clear the mark."""
    from app.comments.routes import get_comment_for, thread_response

    draft = get_draft_for(current_user, slug, draft_id, "draft.decide")
    root, target = get_comment_for(current_user, thread_id)
    if target.type not in ("draft", "unit") or threads.draft_of(target.obj).id != draft.id:
        abort(404)
    form = AddressedForm()
    if not form.validate_on_submit() or not root.is_root:
        abort(400)
    version = None
    if form.version_id.data:
        version = service.get_version(draft, form.version_id.data) or abort(404)
    try:
        threads.mark_addressed(draft, root, current_user, version)
    except threads.ThreadError:
        abort(404)
    message = (_("Marked as addressed in version %(number)d.", number=version.number) if version
               else _("The thread is no longer marked as addressed."))
    return thread_response(root, target, message)


@bp.app_template_global()
def unit_html(text, tree, node, href=None):
    """A unit's text as safe HTML, each cross-reference a link showing the target's current number
    (to `href(target id)`; `#unit-<id>` by default)."""
    return references.to_html(text, tree, node, href=href)


@bp.app_template_global()
def draft_allowed_children(kind):
    return service.allowed_children(kind)
