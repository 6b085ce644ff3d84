"""Ids that drafts keep inside text, for the programme export (app/backup): cross-references
`⟦<unit id>|label⟧` in unit, revision and suggestion texts, and unit/revision ids in a named
version's snapshot. The export renumbers ids; these are rewritten with them."""
import json

from app.backup.service import register_embedded
from app.drafts.references import PLACEHOLDER


def _rewrite_text(value, lookup):
    if not value:
        return value
    return PLACEHOLDER.sub(lambda m: f"⟦{lookup('draft_units', int(m.group(1)))}|{m.group(2)}⟧", value)


def _rewrite_snapshot(value, lookup):
    if not value:
        return value
    units = json.loads(value)
    for unit in units:
        unit["id"] = lookup("draft_units", unit["id"])
        if unit.get("revision_id") is not None:
            unit["revision_id"] = lookup("draft_unit_revisions", unit["revision_id"])
    return json.dumps(units, ensure_ascii=False)


for table, column in (
    ("draft_units", "text"),
    ("draft_unit_revisions", "text"),
    ("draft_suggestions", "base_text"),
    ("draft_suggestions", "text"),
):
    register_embedded(table, column, _rewrite_text)
register_embedded("draft_versions", "snapshot", _rewrite_snapshot)
