"""Meetings' side of the link with regulation drafts (app/drafts): a decision may point at a Pasal
(or a BAB) of one of the programme's drafts; from the decision one step opens a suggested
amendment on that Pasal, which records the decision as its source (label and link back)."""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice

from app.permissions import can


@dataclass(frozen=True)
class PasalLink:
    draft_id: int
    draft_title: str
    label: str  # the unit's computed number, e.g. "Pasal 5" ("BAB II ASAS DAN TUJUAN")


def pasal_links(programme, user) -> dict[int, PasalLink]:
    """Every Pasal and BAB of the programme's drafts the user may read, by unit id, in outline order.
    One tree load per draft (a programme has a handful of drafts, whatever its meetings hold)."""
    if not can(user, "draft.view", programme):
        return {}
    from app.drafts.service import units_for_linking  # drafts may be absent from a slimmed-down app

    return {
        node.unit.id: PasalLink(draft.id, draft.title, node.full_label or node.label or str(node.kind.label))
        for draft, node in units_for_linking(programme)
    }


def unit_choices(links: dict[int, PasalLink]) -> list[SelectChoice]:
    return [SelectChoice("", _l("— none —"))] + [
        SelectChoice(unit_id, f"{link.draft_title} · {link.label}") for unit_id, link in links.items()
    ]
