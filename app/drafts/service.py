"""Drafts: every function takes explicit arguments, never reads `request`, and owns one commit.

Saving a unit follows the shared co-editing protocol (app/coediting.py): lock the unit's
row, compare the revision the user started from with the head, then apply, merge or
return a conflict — inside one transaction, so no save silently overwrites another.
"""
import json
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import gettext as _, ngettext
from sqlalchemy import Integer, String, and_, cast, delete, func, literal_column, null, select, type_coerce, union_all
from sqlalchemy.orm import contains_eager, joinedload

from app.coediting import MergeResult, Outcome, decide_save, lock
from app.drafts import references, skeletons, structure
from app.drafts.models import (
    ALLOWED_CHILDREN,
    CrossReference,
    Disposition,
    Draft,
    DraftKind,
    DraftStatus,
    DraftTransition,
    NamedVersion,
    Presence,
    PublicInput,
    RevisionAction,
    SuggestedAmendment,
    SuggestionStatus,
    Unit,
    UnitKind,
    UnitRevision,
)
from app.collab import domains as collab
from app.extensions import db
from app.pentahelix import Element
from app.permissions import remember_membership
from app.programmes.models import Membership, Programme
from app.types import utcnow

PRESENCE_SECONDS = 30


class DraftError(Exception):
    """A change the rules refuse; the message is shown to the user."""


# -- reading ----------------------------------------------------------------------------------

def drafts_of(programme) -> list[Draft]:
    return list(db.session.execute(
        select(Draft).where(Draft.programme_id == programme.id).order_by(Draft.updated_at.desc(), Draft.id.desc())
    ).scalars())


def live_units(draft_id: int) -> list[Unit]:
    return list(db.session.execute(
        select(Unit).where(Unit.draft_id == draft_id, Unit.deleted_at.is_(None))
    ).unique().scalars())


def load_tree(draft_id: int) -> structure.Tree:
    """The whole live structure with computed numbers, in one query, as ORM units (to change them).

    To show or number units, `read_tree` is the same tree for a fraction of the cost."""
    return structure.build(live_units(draft_id))


# What reading a draft needs of each unit. A Unit loaded through the ORM also brings its draft,
# programme and creator (joined eagerly) and converts its dates: the benchmark draft's 465 units
# take 14-16 ms to load and number that way, 4 ms as plain rows.
_READ_COLUMNS = (Unit.id, Unit.parent_id, Unit.position, Unit.kind, Unit.text, Unit.head_revision_id)


def read_tree(draft_id: int) -> structure.Tree:
    """The whole live structure with computed numbers, in one query, for reading: each node's `unit`
    is a plain row with `id, parent_id, position, kind, text, head_revision_id` (not an ORM object:
    nothing to change through it, no relationship to follow)."""
    return structure.build(db.session.execute(
        select(*_READ_COLUMNS).where(Unit.draft_id == draft_id, Unit.deleted_at.is_(None))
    ).all())


def _with_viewer(query, viewer):
    """`query` (which joins Programme) with the viewer's membership of the programme outer-joined."""
    if viewer is None or not viewer.is_authenticated:
        return query
    return query.add_columns(Membership).outerjoin(
        Membership, and_(Membership.programme_id == Programme.id, Membership.user_id == viewer.id))


def _remembered(row, viewer):
    """The object of a `_with_viewer` row, its programme's membership primed for permission checks."""
    if row is None:
        return None
    if viewer is None or not viewer.is_authenticated:
        return row[0]
    obj, membership = row
    remember_membership(viewer, obj.programme, membership)
    return obj


def get_draft_in(slug: str, draft_id: int, viewer=None) -> Draft | None:
    """The draft of programme `slug`, with the programme and the signed-in viewer's membership in the
    same query (remembered for the request's permission checks, as programmes.service.get_by_slug does)."""
    query = (select(Draft).join(Draft.programme).options(contains_eager(Draft.programme))
             .where(Draft.id == draft_id, Programme.slug == slug))
    return _remembered(db.session.execute(_with_viewer(query, viewer)).unique().one_or_none(), viewer)


def get_unit_in(slug: str, draft_id: int, unit_id: int, viewer=None) -> Unit | None:
    """A live unit of that draft of programme `slug`, with its draft, the programme and the viewer's
    membership in one query (see get_draft_in)."""
    query = (select(Unit).join(Unit.draft).join(Draft.programme)
             .options(contains_eager(Unit.draft).contains_eager(Draft.programme))
             .where(Unit.id == unit_id, Unit.draft_id == draft_id, Unit.deleted_at.is_(None), Programme.slug == slug))
    return _remembered(db.session.execute(_with_viewer(query, viewer)).unique().one_or_none(), viewer)


def get_unit(draft: Draft, unit_id: int, include_deleted=False) -> Unit | None:
    unit = db.session.get(Unit, unit_id)
    if unit is None or unit.draft_id != draft.id or (unit.deleted_at is not None and not include_deleted):
        return None
    return unit


def unit_label(unit: Unit) -> str:
    node = read_tree(unit.draft_id).node(unit.id)
    if node is None:
        return unit.kind.label
    return node.full_label or node.label or str(unit.kind.label)


def units_for_linking(programme) -> list[tuple[Draft, structure.Node]]:
    """Seam for meetings: every draft of the programme with its Pasal (and BAB), to pick what an agenda
    item or decision points at. Link with `unit.url`; "Suggest" from there is
    url_for("drafts.suggest", …, source_label=<decision>, source_url=<decision's URL>)."""
    drafts = drafts_of(programme)
    # Every draft's live units in one query (not one tree load per draft), then one tree each.
    units: dict[int, list] = {d.id: [] for d in drafts}
    if drafts:
        for unit in db.session.execute(
            select(Unit.draft_id, *_READ_COLUMNS).where(Unit.draft_id.in_(units), Unit.deleted_at.is_(None))
        ).all():
            units[unit.draft_id].append(unit)
    out = []
    for draft in drafts:
        for node in structure.build(units[draft.id]).order:
            if node.kind in (UnitKind.BAB, UnitKind.PASAL):
                out.append((draft, node))
    return out


def get_revision(unit: Unit, revision_id: int) -> UnitRevision | None:
    revision = db.session.get(UnitRevision, revision_id)
    return revision if revision is not None and revision.unit_id == unit.id else None


def unit_history(unit: Unit, limit: int = 200) -> list[UnitRevision]:
    return list(db.session.execute(
        select(UnitRevision).where(UnitRevision.unit_id == unit.id).order_by(UnitRevision.number.desc()).limit(limit)
    ).unique().scalars())


def draft_history(draft: Draft, limit: int = 100, before_id: int | None = None) -> list[UnitRevision]:
    query = select(UnitRevision).where(UnitRevision.draft_id == draft.id)
    if before_id:
        query = query.where(UnitRevision.id < before_id)
    return list(db.session.execute(query.order_by(UnitRevision.id.desc()).limit(limit)).unique().scalars())


def transitions(draft: Draft) -> list[DraftTransition]:
    return list(db.session.execute(
        select(DraftTransition).where(DraftTransition.draft_id == draft.id).order_by(DraftTransition.at.desc())
    ).unique().scalars())


def versions(draft: Draft) -> list[NamedVersion]:
    return list(db.session.execute(
        select(NamedVersion).where(NamedVersion.draft_id == draft.id).order_by(NamedVersion.number.desc())
    ).unique().scalars())


def get_version(draft: Draft, version_id: int) -> NamedVersion | None:
    version = db.session.get(NamedVersion, version_id)
    return version if version is not None and version.draft_id == draft.id else None


# -- creating ---------------------------------------------------------------------------------

def _write_revision(unit: Unit, text: str, user, action: RevisionAction, base_id=None, note="") -> UnitRevision:
    unit.revision_count = (unit.revision_count or 0) + 1
    revision = UnitRevision(
        draft_id=unit.draft_id, unit_id=unit.id, number=unit.revision_count, text=text, action=action,
        base_revision_id=base_id, author_id=user.id if user is not None else None, note=note or "",
    )
    db.session.add(revision)
    db.session.flush()
    unit.head_revision_id = revision.id
    unit.text = text
    unit.updated_at = utcnow()
    return revision


def _store_references(unit: Unit) -> None:
    db.session.execute(delete(CrossReference).where(CrossReference.source_unit_id == unit.id))
    for target_id, label in references.targets(unit.text):
        db.session.add(CrossReference(draft_id=unit.draft_id, source_unit_id=unit.id, target_unit_id=target_id,
                                      label=label[:120]))


def _build_units(draft: Draft, spec: list, parent: Unit | None, created: list) -> None:
    for position, (kind, text, children) in enumerate(spec):
        unit = Unit(draft_id=draft.id, parent_id=parent.id if parent else None, position=position,
                    kind=kind, text=text or "")
        db.session.add(unit)
        db.session.flush()
        created.append(unit)
        _build_units(draft, children, unit, created)


def _populate(draft: Draft, spec: list, user, action: RevisionAction) -> None:
    """Create the units of `spec`, then resolve references (a Pasal may cite a later one) and write revision 1."""
    created: list[Unit] = []
    _build_units(draft, spec, None, created)
    tree = structure.build(created)
    for unit in created:
        canonical, _found = references.canonicalize(unit.text, tree, tree.node(unit.id))
        _write_revision(unit, canonical, user, action)
        _store_references(unit)


def create_draft(programme, user, title: str, kind: DraftKind, region: str = "", spec: list | None = None,
                 imported: bool = False) -> Draft:
    draft = Draft(programme_id=programme.id, title=title.strip(), kind=kind, region=(region or "").strip(),
                  created_by_id=user.id)
    db.session.add(draft)
    db.session.flush()
    if spec is None:
        spec = skeletons.for_kind(kind, draft.title, draft.region)
    _populate(draft, spec, user, RevisionAction.IMPORTED if imported else RevisionAction.CREATED)
    collab.draft_created(draft, user)
    db.session.commit()
    return draft


def _siblings(draft_id: int, parent_id: int | None) -> list[Unit]:
    return list(db.session.execute(
        select(Unit).where(Unit.draft_id == draft_id, Unit.parent_id.is_(parent_id) if parent_id is None
                           else Unit.parent_id == parent_id, Unit.deleted_at.is_(None))
        .order_by(Unit.position, Unit.id)
    ).unique().scalars())


def _require_editable(draft: Draft) -> None:
    if not draft.is_editable:
        raise DraftError(_("The text is frozen in status %(status)s.", status=draft.status.label))


def allowed_children(kind: UnitKind | None) -> tuple[UnitKind, ...]:
    return ALLOWED_CHILDREN.get(kind, ())


def add_unit(draft: Draft, user, kind: UnitKind, parent: Unit | None = None, after: Unit | None = None,
             text: str = "") -> Unit:
    """Insert a unit as the last child of `parent`, or right after its sibling `after`. Numbers follow."""
    _require_editable(draft)
    if after is not None:
        parent_id = after.parent_id
        parent_kind = db.session.get(Unit, parent_id).kind if parent_id else None
    else:
        parent_id = parent.id if parent else None
        parent_kind = parent.kind if parent else None
    if kind not in allowed_children(parent_kind):
        raise DraftError(_("A %(kind)s cannot be placed there.", kind=kind.label))
    siblings = _siblings(draft.id, parent_id)
    index = (siblings.index(after) + 1) if after is not None and after in siblings else len(siblings)
    unit = Unit(draft_id=draft.id, parent_id=parent_id, kind=kind, position=index, text="")
    siblings.insert(index, unit)
    db.session.add(unit)
    for position, sibling in enumerate(siblings):
        sibling.position = position
    db.session.flush()
    tree = read_tree(draft.id)
    canonical, _found = references.canonicalize(text, tree, tree.node(unit.id))
    _write_revision(unit, canonical, user, RevisionAction.CREATED)
    _store_references(unit)
    draft.structure_version += 1
    draft.updated_at = utcnow()
    db.session.commit()
    return unit


def move_unit(draft: Draft, unit: Unit, user, direction: str) -> None:
    """Move a unit up or down among its siblings; everything after it is renumbered by computation."""
    _require_editable(draft)
    siblings = _siblings(draft.id, unit.parent_id)
    index = siblings.index(unit)
    target = index - 1 if direction == "up" else index + 1
    if not 0 <= target < len(siblings):
        raise DraftError(_("This unit cannot move further."))
    siblings[index], siblings[target] = siblings[target], siblings[index]
    for position, sibling in enumerate(siblings):
        sibling.position = position
    _write_revision(unit, unit.text, user, RevisionAction.MOVED, unit.head_revision_id)
    draft.structure_version += 1
    draft.updated_at = utcnow()
    db.session.commit()


def possible_parents(tree: structure.Tree, unit: Unit) -> list[structure.Node]:
    """Where `unit` may be moved to (not into itself or below itself): e.g. a Pasal into another BAB."""
    node = tree.node(unit.id)
    inside = set()
    pending = [node] if node else []
    while pending:
        current = pending.pop()
        inside.add(current.id)
        pending.extend(current.children)
    return [n for n in tree.order
            if unit.kind in allowed_children(n.kind) and n.id not in inside and n.id != unit.parent_id]


def reparent_unit(draft: Draft, unit: Unit, user, parent: Unit | None) -> None:
    """Move a unit (with everything inside it) to the end of another parent; numbers follow."""
    _require_editable(draft)
    tree = read_tree(draft.id)
    if parent is None:
        if unit.kind not in allowed_children(None):
            raise DraftError(_("A %(kind)s cannot be placed there.", kind=unit.kind.label))
    elif parent.id not in {n.id for n in possible_parents(tree, unit)}:
        raise DraftError(_("A %(kind)s cannot be placed there.", kind=unit.kind.label))
    old_siblings = [s for s in _siblings(draft.id, unit.parent_id) if s.id != unit.id]
    for position, sibling in enumerate(old_siblings):
        sibling.position = position
    unit.parent_id = parent.id if parent else None
    unit.position = len(_siblings(draft.id, unit.parent_id))
    _write_revision(unit, unit.text, user, RevisionAction.MOVED, unit.head_revision_id)
    draft.structure_version += 1
    draft.updated_at = utcnow()
    db.session.commit()


def delete_unit(draft: Draft, unit: Unit, user) -> None:
    """Soft delete (with its sub-units): history stays, and references to it are flagged, not lost."""
    _require_editable(draft)
    now = utcnow()
    pending = [unit]
    while pending:
        current = pending.pop()
        current.deleted_at = now
        _write_revision(current, current.text, user, RevisionAction.DELETED, current.head_revision_id)
        pending.extend(db.session.execute(
            select(Unit).where(Unit.parent_id == current.id, Unit.deleted_at.is_(None))
        ).unique().scalars())
    draft.structure_version += 1
    draft.updated_at = now
    db.session.commit()


# -- saving -----------------------------------------------------------------------------------

@dataclass
class SaveResult:
    outcome: Outcome
    unit_id: int
    head_revision_id: int | None  # the head after the save (the base for a retry after a conflict)
    head_text: str  # canonical
    revision_id: int | None = None
    merge: MergeResult | None = None
    mine: str = ""  # canonical form of what the user sent
    # The structure the typed text was read against (read_tree, inside the save's transaction), for
    # the answer to show the unit with: one structure load per save. None for a canonical text.
    tree: structure.Tree | None = None


def save_unit(unit_id: int, user, base_revision_id: int | None, text: str, note: str = "", *,
              canonical: bool = False, action: RevisionAction = RevisionAction.EDITED,
              resolves_suggestion: "SuggestedAmendment | None" = None) -> SaveResult:
    """`resolves_suggestion`: the save is an editor's resolution of a suggestion whose acceptance
    conflicted; once written, the suggestion counts as accepted (in the same transaction)."""
    result = _save(unit_id, user, base_revision_id, text, note, canonical=canonical, action=action)
    if (
        resolves_suggestion is not None
        and resolves_suggestion.unit_id == unit_id
        and resolves_suggestion.status == SuggestionStatus.OPEN
        and result.outcome in (Outcome.APPLIED, Outcome.MERGED, Outcome.UNCHANGED)
    ):
        _accepted(resolves_suggestion, user, note)
    db.session.commit()
    return result


def _save(unit_id: int, user, base_revision_id: int | None, text: str, note: str = "", *,
          canonical: bool = False, action: RevisionAction = RevisionAction.EDITED) -> SaveResult:
    """Save `text` typed on top of revision `base_revision_id`: applied, merged, unchanged or a conflict.

    Runs in one transaction holding the unit's row. A conflict writes nothing: the caller shows
    theirs, mine and a merged proposal, and the user saves again on top of `head_revision_id`.
    """
    unit = lock(Unit, unit_id)
    if unit is None or unit.deleted_at is not None:
        raise DraftError(_("This unit has been deleted meanwhile."))
    _require_editable(unit.draft)
    base = db.session.get(UnitRevision, base_revision_id) if base_revision_id else None
    if base is None or base.unit_id != unit.id:
        raise DraftError(_("The revision this edit started from is unknown. Reload the page."))
    tree = None
    if canonical:
        mine = (text or "").replace("\r\n", "\n")
    else:
        tree = read_tree(unit.draft_id)
        mine, _found = references.canonicalize(text, tree, tree.node(unit.id))
    decision = decide_save(base.text, unit.text, base.id == unit.head_revision_id, mine)
    result = SaveResult(decision.outcome, unit.id, unit.head_revision_id, unit.text, merge=decision.merge, mine=mine,
                        tree=tree)
    if decision.outcome in (Outcome.APPLIED, Outcome.MERGED):
        revision = _write_revision(
            unit, decision.text, user, action if decision.outcome == Outcome.APPLIED else RevisionAction.MERGED,
            base.id, note,
        )
        _store_references(unit)
        result.revision_id = result.head_revision_id = revision.id
        result.head_text = decision.text
        # collab: notify() watchers of the unit; record_activity(); reindex the unit for search.
    db.session.execute(delete(Presence).where(Presence.unit_id == unit.id, Presence.user_id == user.id))
    return result


def restore_revision(unit: Unit, revision: UnitRevision, user) -> SaveResult:
    """Bring an old text back as a new revision on top of the head: nothing in between is lost from history."""
    return save_unit(unit.id, user, unit.head_revision_id, revision.text,
                     note=_("Restored from revision %(number)d", number=revision.number),
                     canonical=True, action=RevisionAction.RESTORED)


# -- named versions ---------------------------------------------------------------------------

def snapshot(tree: structure.Tree) -> list[dict]:
    return [
        {"id": n.id, "kind": n.kind.value, "depth": n.depth, "label": n.label, "full_label": n.full_label,
         "text": references.display(n.unit.text, tree, n), "revision_id": n.unit.head_revision_id}
        for n in tree.order
    ]


def create_version(draft: Draft, user, name: str) -> NamedVersion:
    number = (db.session.scalar(select(func.max(NamedVersion.number)).where(NamedVersion.draft_id == draft.id)) or 0) + 1
    version = NamedVersion(draft_id=draft.id, number=number, name=name.strip(), created_by_id=user.id,
                           snapshot=json.dumps(snapshot(read_tree(draft.id)), ensure_ascii=False))
    db.session.add(version)
    db.session.commit()
    return version


def version_units(version: NamedVersion) -> list[dict]:
    return json.loads(version.snapshot)


def compare_units(old: list[dict], new: list[dict]) -> list[dict]:
    """Pair units of two snapshots by id (numbers may differ): changed, added and removed units, in the new order."""
    old_by_id = {u["id"]: u for u in old}
    new_ids = {u["id"] for u in new}
    rows = []
    for unit in new:
        before = old_by_id.get(unit["id"])
        if before is None:
            rows.append({"state": "added", "old": None, "new": unit})
        elif before["text"] != unit["text"] or before["label"] != unit["label"]:
            rows.append({"state": "changed", "old": before, "new": unit})
    rows.extend({"state": "removed", "old": u, "new": None} for u in old if u["id"] not in new_ids)
    return rows


def referenced_by(unit: Unit) -> list[int]:
    """Ids of live units whose text refers to `unit`."""
    return list(db.session.execute(
        select(CrossReference.source_unit_id).join(Unit, Unit.id == CrossReference.source_unit_id)
        .where(CrossReference.target_unit_id == unit.id, Unit.deleted_at.is_(None))
    ).scalars())


# -- status workflow --------------------------------------------------------------------------

def transition(draft: Draft, user, to: DraftStatus, note: str = "", blocking_findings: int = 0) -> DraftTransition:
    if to not in draft.next_statuses():
        raise DraftError(_("A draft in status %(from)s cannot move to %(to)s.", **{"from": draft.status.label,
                                                                                  "to": to.label}))
    if to == DraftStatus.FINAL and blocking_findings:
        raise DraftError(ngettext("The drafting check found %(num)d problem. Fix it before moving to Final.",
                                  "The drafting check found %(num)d problems. Fix them before moving to Final.",
                                  blocking_findings))
    record = DraftTransition(draft_id=draft.id, from_status=draft.status, to_status=to, by_id=user.id,
                             note=note or "")
    old = draft.status
    draft.status = to
    draft.updated_at = utcnow()
    db.session.add(record)
    collab.draft_status_changed(draft, user, old, to)
    db.session.commit()
    return record


# -- suggested amendments ---------------------------------------------------------------------

def suggest(unit: Unit, user, text: str, reason: str, source_label: str = "", source_url: str = "") -> SuggestedAmendment:
    tree = read_tree(unit.draft_id)
    canonical, _found = references.canonicalize(text, tree, tree.node(unit.id))
    suggestion = SuggestedAmendment(
        draft_id=unit.draft_id, unit_id=unit.id, base_revision_id=unit.head_revision_id, base_text=unit.text,
        text=canonical, reason=reason.strip(), author_id=user.id, element=user.element,
        source_label=(source_label or "").strip()[:300], source_url=(source_url or "").strip()[:500],
    )
    db.session.add(suggestion)
    db.session.flush()
    if unit.draft.open_for_public_input:
        # Made during consultation: an input the register must answer.
        db.session.add(PublicInput(
            draft_id=unit.draft_id, unit_id=unit.id, suggestion_id=suggestion.id, author_id=user.id,
            author_name=user.name, element=user.element, text=reason.strip() or _("Suggested amendment"),
        ))
    collab.suggestion_made(suggestion, unit, user)
    db.session.commit()
    return suggestion


def suggestions_for(draft: Draft, unit: Unit | None = None, status: SuggestionStatus | None = None):
    query = select(SuggestedAmendment).where(SuggestedAmendment.draft_id == draft.id)
    if unit is not None:
        query = query.where(SuggestedAmendment.unit_id == unit.id)
    if status is not None:
        query = query.where(SuggestedAmendment.status == status)
    return list(db.session.execute(query.order_by(SuggestedAmendment.created_at.desc())).unique().scalars())


def get_suggestion(draft: Draft, suggestion_id: int) -> SuggestedAmendment | None:
    suggestion = db.session.get(SuggestedAmendment, suggestion_id)
    return suggestion if suggestion is not None and suggestion.draft_id == draft.id else None


def _decide(suggestion: SuggestedAmendment, user, status: SuggestionStatus, reason: str) -> None:
    suggestion.status = status
    suggestion.decided_by_id = user.id
    suggestion.decided_at = utcnow()
    suggestion.decision_reason = (reason or "").strip()


def accept_suggestion(suggestion: SuggestedAmendment, user, reason: str = "") -> SaveResult:
    """Apply through the same merge path as any save; on conflict nothing is written and it stays open."""
    if suggestion.status != SuggestionStatus.OPEN:
        raise DraftError(_("This suggestion has already been decided."))
    base_id = suggestion.base_revision_id
    result = _save(suggestion.unit_id, user, base_id, suggestion.text, note=reason or _("Suggested amendment accepted"),
                   canonical=True, action=RevisionAction.SUGGESTION)
    if result.outcome == Outcome.CONFLICT:
        db.session.rollback()
        return result
    _accepted(suggestion, user, reason)
    db.session.commit()
    return result


def _accepted(suggestion: SuggestedAmendment, user, reason: str) -> None:
    _decide(suggestion, user, SuggestionStatus.ACCEPTED, reason)
    _answer_linked_input(suggestion, user, Disposition.DITERIMA, reason)
    collab.suggestion_decided(suggestion, user, accepted=True)


def decline_suggestion(suggestion: SuggestedAmendment, user, reason: str) -> None:
    if suggestion.status != SuggestionStatus.OPEN:
        raise DraftError(_("This suggestion has already been decided."))
    _decide(suggestion, user, SuggestionStatus.DECLINED, reason)
    _answer_linked_input(suggestion, user, Disposition.TIDAK_DITERIMA, reason)
    collab.suggestion_decided(suggestion, user, accepted=False)
    db.session.commit()


def _answer_linked_input(suggestion, user, disposition: Disposition, reason: str) -> None:
    public_input = db.session.execute(
        select(PublicInput).where(PublicInput.suggestion_id == suggestion.id)
    ).scalar_one_or_none()
    if public_input is not None and public_input.disposition is None:
        public_input.disposition = disposition
        public_input.disposition_reason = (reason or "").strip()
        public_input.decided_by_id = user.id
        public_input.decided_at = utcnow()


# -- public-input register --------------------------------------------------------------------

def add_input(draft: Draft, user, text: str, unit: Unit | None = None, author_name: str = "",
              element: Element | None = None) -> PublicInput:
    """An input from a signed-in participant, or one heard elsewhere recorded under the speaker's name."""
    public_input = PublicInput(
        draft_id=draft.id, unit_id=unit.id if unit else None, author_id=None if author_name else user.id,
        author_name=(author_name or user.name).strip(), element=element if author_name else user.element,
        text=text.strip(),
    )
    db.session.add(public_input)
    db.session.commit()
    return public_input


def inputs_for(draft: Draft, unit: Unit | None = None) -> list[PublicInput]:
    query = select(PublicInput).options(joinedload(PublicInput.comment)).where(PublicInput.draft_id == draft.id)
    if unit is not None:
        query = query.where(PublicInput.unit_id == unit.id)
    return list(db.session.execute(query.order_by(PublicInput.created_at, PublicInput.id)).unique().scalars())


def get_input(draft: Draft, input_id: int) -> PublicInput | None:
    public_input = db.session.get(PublicInput, input_id)
    return public_input if public_input is not None and public_input.draft_id == draft.id else None


def dispose(public_input: PublicInput, user, disposition: Disposition, reason: str) -> None:
    public_input.disposition = disposition
    public_input.disposition_reason = reason.strip()
    public_input.decided_by_id = user.id
    public_input.decided_at = utcnow()
    db.session.commit()


@dataclass
class RegisterCounts:
    total: int
    unanswered: int
    by_disposition: dict
    by_element: dict  # element -> {"total": n, "unanswered": n}


def register_counts(draft: Draft) -> RegisterCounts:
    return _register(db.session.execute(
        select(PublicInput.element, PublicInput.disposition, func.count())
        .where(PublicInput.draft_id == draft.id).group_by(PublicInput.element, PublicInput.disposition)
    ).all())


def _register(rows) -> RegisterCounts:
    """`rows`: (element or None, disposition or None, count)."""
    by_disposition = {d: 0 for d in Disposition}
    by_element = {e: {"total": 0, "unanswered": 0} for e in Element}
    total = unanswered = 0
    for element, disposition, count in rows:
        total += count
        if disposition is None:
            unanswered += count
        else:
            by_disposition[disposition] += count
        if element is not None:
            by_element[element]["total"] += count
            if disposition is None:
                by_element[element]["unanswered"] += count
    return RegisterCounts(total, unanswered, by_disposition, by_element)


# -- the numbers on the draft's page ----------------------------------------------------------

@dataclass
class Tally:
    """Every count the draft's page shows, read together by `tally()`."""
    voices: dict[int, dict[Element, int]]  # per unit and element: comments, suggestions, standalone inputs
    comments: dict[int, int]  # visible comments per unit
    open_suggestions: dict[int, int]  # per unit
    register: RegisterCounts
    last_revision_id: int  # where the page's live poll starts

    def weigh_in(self, tree: structure.Tree) -> dict[int, dict[Element, int]]:
        """Per Pasal: how many comments, suggestions and inputs came from each Pentahelix element.

        Units below a Pasal (ayat, huruf) count for their Pasal. A voice counts once: an input that
        stands for a suggestion or a comment made during consultation is counted as that suggestion
        or comment (only inputs standing for nothing else are read as voices).
        """
        result: dict[int, dict[Element, int]] = {n.id: {} for n in tree.pasals()}
        for unit_id, counts in self.voices.items():
            node = tree.node(unit_id)
            while node is not None and node.kind != UnitKind.PASAL:
                node = tree.parent_of(node)
            if node is None:
                continue
            bucket = result[node.id]
            for element, count in counts.items():
                bucket[element] = bucket.get(element, 0) + count
        return result


def _source(name: str):
    # A constant in the SQL text (not a bound parameter): PostgreSQL must see its type in a UNION.
    return literal_column(f"'{name}'", String).label("source")


def tally(draft: Draft) -> Tally:
    """The counts of the draft's page in one query, whatever the size: a UNION ALL of grouped counts
    (suggestions per unit, element and status; standalone inputs per unit and element; inputs per
    element and disposition for the register; visible comments per unit and author's element; the
    last revision id). One round trip instead of seven, and the comments on the units (the big
    table) are read once for the weigh-in map and the per-unit comment counts together."""
    from app.accounts.models import User
    from app.comments.models import Comment
    from app.organisations.models import Organisation

    def text(column):
        return type_coerce(column, String)  # enum values come back as stored, converted below

    suggestions = (
        select(_source("suggestion"), SuggestedAmendment.unit_id.label("unit_id"),
               text(SuggestedAmendment.element).label("element"), text(SuggestedAmendment.status).label("detail"),
               func.count().label("n"))
        .where(SuggestedAmendment.draft_id == draft.id)
        .group_by(SuggestedAmendment.unit_id, SuggestedAmendment.element, SuggestedAmendment.status)
    )
    standalone_inputs = (
        select(_source("input"), PublicInput.unit_id, text(PublicInput.element), null(), func.count())
        .where(PublicInput.draft_id == draft.id, PublicInput.unit_id.is_not(None), PublicInput.element.is_not(None),
               PublicInput.suggestion_id.is_(None), PublicInput.comment_id.is_(None))
        .group_by(PublicInput.unit_id, PublicInput.element)
    )
    register = (
        select(_source("register"), null(), text(PublicInput.element), text(PublicInput.disposition), func.count())
        .where(PublicInput.draft_id == draft.id)
        .group_by(PublicInput.element, PublicInput.disposition)
    )
    # Counted per author first (the index ix_comments_target_visible answers that alone), then each
    # author's element looked up once per unit rather than once per comment. Outer joins: a comment
    # whose author left (or has no organisation) still counts on its unit, but is nobody's voice.
    per_author = (
        select(Comment.target_id, Comment.author_id, func.count().label("n"))
        .where(Comment.target_type == "unit", Comment.target_id.in_(select(Unit.id).where(Unit.draft_id == draft.id)),
               Comment.deleted_at.is_(None), Comment.hidden_at.is_(None))
        .group_by(Comment.target_id, Comment.author_id)
        .subquery()
    )
    comments = (
        select(_source("comment"), per_author.c.target_id, text(Organisation.element), null(),
               cast(func.sum(per_author.c.n), Integer))
        .select_from(per_author)
        .outerjoin(User, User.id == per_author.c.author_id)
        .outerjoin(Organisation, Organisation.id == User.organisation_id)
        .group_by(per_author.c.target_id, Organisation.element)
    )
    last = select(_source("revision"), null(), null(), null(), func.max(UnitRevision.id)).where(
        UnitRevision.draft_id == draft.id)

    voices: dict[int, dict[Element, int]] = {}
    per_unit_comments: dict[int, int] = {}
    open_suggestions: dict[int, int] = {}
    register_rows = []
    last_revision = 0

    def voice(unit_id, element, count):
        bucket = voices.setdefault(unit_id, {})
        bucket[element] = bucket.get(element, 0) + count

    elements = {e.value: e for e in Element}  # a dict look-up per row, not an Enum call (~3,000 rows)
    rows = db.session.execute(union_all(suggestions, standalone_inputs, register, comments, last)).all()
    for source, unit_id, element, detail, count in rows:
        element = elements.get(element)
        if source == "suggestion":
            if element is not None:
                voice(unit_id, element, count)
            if detail == SuggestionStatus.OPEN.value:
                open_suggestions[unit_id] = open_suggestions.get(unit_id, 0) + count
        elif source == "input":
            voice(unit_id, element, count)
        elif source == "register":
            register_rows.append((element, Disposition(detail) if detail else None, count))
        elif source == "comment":
            per_unit_comments[unit_id] = per_unit_comments.get(unit_id, 0) + count
            if element is not None:
                voice(unit_id, element, count)
        else:
            last_revision = count or 0
    return Tally(voices, per_unit_comments, open_suggestions, _register(register_rows), last_revision)


def weigh_in(draft: Draft, tree: structure.Tree) -> dict[int, dict[Element, int]]:
    """Per Pasal: voices by Pentahelix element (see Tally.weigh_in). One query whatever the size."""
    return tally(draft).weigh_in(tree)


def unit_tags(draft: Draft, unit_ids) -> tuple[dict[int, int], dict[int, int]]:
    """Visible comments and open suggestions of these units only (one part of the text), in one
    query: (comments per unit, open suggestions per unit)."""
    from app.comments.models import Comment

    ids = list(unit_ids)
    if not ids:
        return {}, {}
    comments = (
        select(_source("comment"), Comment.target_id, func.count())
        .where(Comment.target_type == "unit", Comment.target_id.in_(ids),
               Comment.deleted_at.is_(None), Comment.hidden_at.is_(None))
        .group_by(Comment.target_id)
    )
    suggestions = (
        select(_source("suggestion"), SuggestedAmendment.unit_id, func.count())
        .where(SuggestedAmendment.draft_id == draft.id, SuggestedAmendment.unit_id.in_(ids),
               SuggestedAmendment.status == SuggestionStatus.OPEN)
        .group_by(SuggestedAmendment.unit_id)
    )
    counts: dict[str, dict[int, int]] = {"comment": {}, "suggestion": {}}
    for source, unit_id, count in db.session.execute(union_all(comments, suggestions)).all():
        counts[source][unit_id] = count
    return counts["comment"], counts["suggestion"]


# -- presence and live updates ----------------------------------------------------------------

def touch_presence(unit: Unit, user) -> None:
    expires = utcnow() + timedelta(seconds=PRESENCE_SECONDS)
    presence = db.session.execute(
        select(Presence).where(Presence.unit_id == unit.id, Presence.user_id == user.id)
    ).scalar_one_or_none()
    if presence is None:
        db.session.add(Presence(draft_id=unit.draft_id, unit_id=unit.id, user_id=user.id, expires_at=expires))
    else:
        presence.expires_at = expires
    db.session.commit()


def clear_presence(unit: Unit, user) -> None:
    db.session.execute(delete(Presence).where(Presence.unit_id == unit.id, Presence.user_id == user.id))
    db.session.commit()


@dataclass
class LiveState:
    last_revision_id: int
    structure_version: int
    changed_units: list[Unit]
    editing: list[Presence]

    @property
    def etag(self) -> str:
        people = ",".join(f"{p.unit_id}:{p.user_id}" for p in self.editing)
        return f'W/"{self.last_revision_id}-{self.structure_version}-{people}"'


def live_state(draft: Draft, since: int, viewer) -> LiveState:
    """What changed since revision id `since`, and who is editing what (expired presence is ignored)."""
    last = db.session.scalar(select(func.max(UnitRevision.id)).where(UnitRevision.draft_id == draft.id)) or 0
    changed = []
    if since and last > since:
        changed = list(db.session.execute(
            select(Unit).where(Unit.id.in_(
                select(UnitRevision.unit_id).where(UnitRevision.draft_id == draft.id, UnitRevision.id > since)
            ), Unit.deleted_at.is_(None)).limit(50)
        ).unique().scalars())
    query = select(Presence).where(Presence.draft_id == draft.id, Presence.expires_at > utcnow())
    if viewer is not None and getattr(viewer, "is_authenticated", False):
        query = query.where(Presence.user_id != viewer.id)
    editing = list(db.session.execute(query.order_by(Presence.unit_id, Presence.user_id)).unique().scalars())
    return LiveState(last, draft.structure_version, changed, editing)


def last_revision_id(draft: Draft) -> int:
    return db.session.scalar(select(func.max(UnitRevision.id)).where(UnitRevision.draft_id == draft.id)) or 0
