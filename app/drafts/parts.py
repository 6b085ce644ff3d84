"""The draft's page shows its text in parts, so a 150-Pasal draft opens about as fast as a short one.

The outline always lists the whole draft. The text comes part by part: the page carries one part
(the first, or the one holding `?at=<unit id>`), every other part is a placeholder that htmx fills
when it scrolls into view, and without JavaScript a link that opens the page at that part. A part
ends only before a BAB, Bagian, Paragraf, Pasal or top-level unit (never inside a Pasal or the
Menimbang), once it holds about `budget` characters: each unit's text plus a fixed allowance for
its markup (label, links, buttons).

A placeholder asks for its part by the ids of its first and last unit (`?from=…&to=…`), not by
its number: texts change while the page is open and with them where the next split would fall,
but the units between two ids stay the same until the structure changes (and then the page says
so and offers a reload).
"""
from dataclasses import dataclass

from app.drafts.models import UnitKind
from app.drafts.structure import Node, Tree

BREAKS = frozenset({UnitKind.BAB, UnitKind.BAGIAN, UnitKind.PARAGRAF, UnitKind.PASAL})
# What a unit's markup weighs beside its text, in characters (measured on the benchmark draft:
# 150-250 bytes of HTML per unit around a text of 0-200 characters).
UNIT_WEIGHT = 200
BUDGET = 20_000


@dataclass(eq=False)  # a part is itself (the page asks `part in shown`), not the sum of its nodes
class Part:
    nodes: list[Node]

    @property
    def key(self) -> int:
        """The id of its first unit: names the part in the page (`part-<key>`) and in `?at=`."""
        return self.nodes[0].id

    @property
    def last(self) -> int:
        return self.nodes[-1].id

    @property
    def title(self) -> str:
        """"Pasal 31 – Pasal 60": its first and last heading (BAB, Pasal…) or top-level unit."""
        heads = [n for n in self.nodes if n.depth == 0 or n.kind in BREAKS]
        first, last = _name(heads[0]), _name(heads[-1])
        return first if first == last else f"{first} – {last}"


def _name(node: Node) -> str:
    return node.full_label or node.label or str(node.kind.label)


def split(tree: Tree, budget: int = BUDGET) -> list[Part]:
    parts: list[Part] = []
    nodes: list[Node] = []
    weight = 0
    for node in tree.order:
        if nodes and weight >= budget and (node.depth == 0 or node.kind in BREAKS):
            parts.append(Part(nodes))
            nodes, weight = [], 0
        nodes.append(node)
        weight += UNIT_WEIGHT + len(node.unit.text or "")
    if nodes:
        parts.append(Part(nodes))
    return parts


def holding(parts: list[Part], unit_id: int | None) -> Part | None:
    """The part with that unit; the first part when there is no such unit (deleted since, or no id)."""
    if not parts:
        return None
    for part in parts:
        if any(n.id == unit_id for n in part.nodes):
            return part
    return parts[0]


def between(tree: Tree, first_id: int, last_id: int) -> Part | None:
    """The units from `first_id` to `last_id` in document order (a placeholder's part); None when
    either is gone (deleted or moved away since the page was opened)."""
    first, last = tree.node(first_id), tree.node(last_id)
    if first is None or last is None:
        return None
    start, end = tree.order.index(first), tree.order.index(last)
    return Part(tree.order[start:end + 1]) if start <= end else None
