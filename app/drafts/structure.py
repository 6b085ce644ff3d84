"""The tree of a draft and its numbers, computed — never stored — after Lampiran II UU 12/2011.

BAB in Roman numerals through the whole draft; Bagian by ordinal words (Kesatu, Kedua …)
within its BAB; Paragraf in Arabic numerals within its Bagian; Pasal in Arabic numerals
continuously through the draft; ayat (1), (2) within its Pasal; huruf a., b. and angka 1., 2.
within their parent; Menimbang points lettered, Mengingat points numbered.

`build(units)` takes every live unit of a draft (one query) and returns a `Tree` with
document order, depth, short labels ("Pasal 5", "(2)", "a.") and full labels used by
cross-references ("Pasal 5 ayat (2) huruf a").
"""
from dataclasses import dataclass, field

from app.drafts.models import UnitKind

K = UnitKind

_ONES = ["", "Satu", "Dua", "Tiga", "Empat", "Lima", "Enam", "Tujuh", "Delapan", "Sembilan"]


def roman(n: int) -> str:
    out = []
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                           (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


def _cardinal(n: int) -> str:
    if n < 10:
        return _ONES[n]
    if n == 10:
        return "Sepuluh"
    if n == 11:
        return "Sebelas"
    if n < 20:
        return f"{_ONES[n - 10]} Belas"
    tens, ones = divmod(n, 10)
    word = f"{_ONES[tens]} Puluh"
    return f"{word} {_ONES[ones]}" if ones else word


def ordinal(n: int) -> str:
    """Kesatu, Kedua, …, Kesepuluh, Kesebelas, Kedua Belas, Kedua Puluh Satu (Bagian numbering)."""
    if n == 1:
        return "Kesatu"
    word = _cardinal(n)
    # Indonesian ordinals prefix the first word only: "Kedua Belas", "Ketiga Puluh Satu".
    first, _, rest = word.partition(" ")
    return "Ke" + first.lower() + (" " + rest if rest else "")


def letter(n: int) -> str:
    """a … z, then aa, bb … (Lampiran II continues with doubled letters)."""
    alphabet = "abcdefghijklmnopqrstuvwxyz"
    times, index = divmod(n - 1, 26)
    return alphabet[index] * (times + 1)


@dataclass(slots=True)
class Node:
    unit: object  # a Unit, or a row of service.read_tree
    depth: int
    label: str = ""  # short: "BAB I", "Pasal 5", "(2)", "a."
    full_label: str = ""  # for references and headings: "Pasal 5 ayat (2) huruf a"
    pasal_label: str = ""  # the Pasal this unit sits in, for relative references ("ayat (2)")
    children: list["Node"] = field(default_factory=list)
    # The unit's, copied once: pages read them thousands of times (a row's attribute look-up costs more).
    id: int = field(init=False)
    kind: object = field(init=False)

    def __post_init__(self):
        self.id = self.unit.id
        self.kind = self.unit.kind


@dataclass
class Tree:
    roots: list[Node]
    order: list[Node]  # document order
    by_id: dict[int, Node]
    by_full_label: dict[str, int]

    def node(self, unit_id: int) -> Node | None:
        return self.by_id.get(unit_id)

    def pasals(self) -> list[Node]:
        return [n for n in self.order if n.kind == K.PASAL]

    def parent_of(self, node: Node) -> Node | None:
        return self.by_id.get(node.unit.parent_id) if node.unit.parent_id else None


def build(units) -> Tree:
    """`units`: every live unit of one draft, in any order."""
    children: dict[int | None, list] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    for siblings in children.values():
        siblings.sort(key=lambda u: (u.position, u.id))

    order: list[Node] = []
    by_id: dict[int, Node] = {}
    counters = {"bab": 0, "pasal": 0}

    def visit_labelled(unit, depth, parent: Node | None, n: int) -> Node:
        node = Node(unit=unit, depth=depth)
        order.append(node)
        by_id[unit.id] = node
        _assign(node, parent, n, counters)
        local: dict[UnitKind, int] = {}
        for child in children.get(unit.id, []):
            local[child.kind] = local.get(child.kind, 0) + 1
            node.children.append(visit_labelled(child, depth + 1, node, local[child.kind]))
        return node

    roots = []
    top: dict[UnitKind, int] = {}
    for unit in children.get(None, []):
        top[unit.kind] = top.get(unit.kind, 0) + 1
        roots.append(visit_labelled(unit, 0, None, top[unit.kind]))
    by_full_label = {n.full_label: n.id for n in order if n.full_label}
    return Tree(roots=roots, order=order, by_id=by_id, by_full_label=by_full_label)


def _assign(node: Node, parent: Node | None, n: int, counters: dict) -> None:
    kind = node.kind
    parent_full = parent.full_label if parent else ""
    node.pasal_label = parent.pasal_label if parent else ""
    if kind == K.BAB:
        counters["bab"] += 1
        node.label = node.full_label = f"BAB {roman(counters['bab'])}"
    elif kind == K.BAGIAN:
        node.label = f"Bagian {ordinal(n)}"
        node.full_label = f"{parent_full} {node.label}".strip()
    elif kind == K.PARAGRAF:
        node.label = f"Paragraf {n}"
        node.full_label = f"{parent_full} {node.label}".strip()
    elif kind == K.PASAL:
        counters["pasal"] += 1
        node.label = node.full_label = node.pasal_label = f"Pasal {counters['pasal']}"
    elif kind == K.AYAT:
        node.label = f"({n})"
        node.full_label = f"{parent_full} ayat ({n})"
    elif kind == K.HURUF:
        node.label = f"{letter(n)}."
        node.full_label = f"{parent_full} huruf {letter(n)}" if parent_full else ""
    elif kind == K.ANGKA:
        node.label = f"{n}."
        node.full_label = f"{parent_full} angka {n}" if parent_full else ""
    elif kind == K.POIN:
        if parent is not None and parent.kind == K.MENIMBANG:
            node.label = f"{letter(n)}."
        else:
            node.label = f"{n}."
        node.full_label = ""
    else:
        node.label = kind.label if kind != K.TEKS else ""
        node.full_label = ""
