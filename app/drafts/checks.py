"""Pemeriksaan teknik penyusunan: a drafting check after Lampiran II UU 12/2011.

Errors block moving a draft to Final: broken references, gaps in typed numbering, a lone ayat
or huruf, empty units, a closing Pasal without the "mulai berlaku" formula. Term findings are
warnings (a capitalised phrase is not always a defined term), shown but not blocking.
"""
import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app.drafts import references
from app.drafts.models import Draft, UnitKind
from app.drafts.structure import Node, Tree, letter

K = UnitKind

# Pasal 1 of a regulation defines terms: "1. Daerah adalah Kota Bontang." or "…, yang selanjutnya disebut OPD, adalah …".
DEFINITION = re.compile(r"^\s*(?P<term>[^,]+?)(?:,?\s+yang selanjutnya (?:disebut|disingkat)\s+(?P<alias>[^,]+?))?,?\s+adalah\b")
CAPITALISED = re.compile(r"\b[A-Z][a-z]+(?:[ \t]+[A-Z][a-z]+)+\b")
# Phrases that are capitalised by convention, not defined terms.
CONVENTIONAL = {
    "Undang", "Undang Dasar", "Republik Indonesia", "Negara Republik Indonesia", "Tuhan Yang Maha Esa",
    "Lembaran Daerah", "Berita Daerah", "Tambahan Lembaran Daerah", "Lembaran Negara", "Peraturan Daerah",
    "Peraturan Pemerintah", "Peraturan Presiden", "Peraturan Menteri", "Peraturan Wali Kota", "Peraturan Bupati",
    "Peraturan Gubernur", "Tambahan Lembaran Negara", "Dewan Perwakilan Rakyat Daerah", "Cukup", "Pasal",
}
IN_FORCE = re.compile(r"mulai berlaku pada (?:tanggal|saat)", re.IGNORECASE)
TYPED_AYAT = re.compile(r"^\s*\((\d+)\)", re.MULTILINE)
TYPED_HURUF = re.compile(r"^\s*([a-z])\.\s", re.MULTILINE)
HEADED = {K.BAB, K.BAGIAN, K.PARAGRAF, K.JUDUL, K.MENETAPKAN}
CONTAINERS = {K.MENIMBANG, K.MENGINGAT}


@dataclass
class Finding:
    unit_id: int | None
    label: str
    category: str
    message: str
    blocking: bool = True


CATEGORIES = {
    "reference": _l("Broken references"),
    "numbering": _l("Numbering"),
    "empty": _l("Empty units"),
    "closing": _l("Closing provision"),
    "terms": _l("Defined terms"),
}


def _label(node: Node) -> str:
    return node.full_label or node.label or node.kind.label


def run(draft: Draft, tree: Tree) -> list[Finding]:
    findings: list[Finding] = []
    texts = {n.id: references.display(n.unit.text, tree, n) for n in tree.order}
    for node in tree.order:
        findings.extend(_references(node, tree))
        findings.extend(_numbering(node, texts[node.id]))
        findings.extend(_empty(node, texts[node.id]))
    if draft.kind.is_regulation:
        findings.extend(_closing(tree, texts))
        findings.extend(_terms(tree, texts))
    return findings


def blocking_count(findings: list[Finding]) -> int:
    return sum(1 for f in findings if f.blocking)


def _references(node: Node, tree: Tree) -> list[Finding]:
    out = []
    for label in references.dangling(node.unit.text, tree):
        out.append(Finding(node.id, _label(node), "reference",
                           str(_l("“%(ref)s” refers to a unit that has been deleted.", ref=label))))
    for mention in references.unresolved(node.unit.text, node):
        out.append(Finding(node.id, _label(node), "reference",
                           str(_l("“%(ref)s” does not exist in this draft.", ref=mention))))
    return out


def _numbering(node: Node, text: str) -> list[Finding]:
    out = []
    typed = [int(n) for n in TYPED_AYAT.findall(text)]
    if typed and typed != list(range(1, len(typed) + 1)):
        out.append(Finding(node.id, _label(node), "numbering",
                           str(_l("Typed ayat numbers are not consecutive: %(numbers)s.",
                                  numbers=", ".join(f"({n})" for n in typed)))))
    letters = TYPED_HURUF.findall(text)
    if letters and letters != [letter(i) for i in range(1, len(letters) + 1)]:
        out.append(Finding(node.id, _label(node), "numbering",
                           str(_l("Typed huruf are not consecutive: %(letters)s.", letters=", ".join(letters)))))
    for kind, name in ((K.AYAT, "ayat"), (K.HURUF, "huruf")):
        if sum(1 for child in node.children if child.kind == kind) == 1:
            out.append(Finding(node.id, _label(node), "numbering",
                               str(_l("A single %(kind)s: an enumeration needs at least two items.", kind=name))))
    return out


def _empty(node: Node, text: str) -> list[Finding]:
    if node.kind in CONTAINERS:
        if not node.children:
            return [Finding(node.id, _label(node), "empty", str(_l("%(kind)s has no points.", kind=node.kind.label)))]
        return []
    if node.kind == K.BAB and not node.children:
        return [Finding(node.id, _label(node), "empty", str(_l("This chapter has no content.")))]
    if text.strip():
        return []
    if node.kind == K.PASAL and node.children:
        return []  # a Pasal made of ayat has no text of its own
    return [Finding(node.id, _label(node), "empty", str(_l("This unit has no text.")))]


def _closing(tree: Tree, texts: dict) -> list[Finding]:
    pasals = tree.pasals()
    if not pasals:
        return [Finding(None, "", "closing", str(_l("The draft has no Pasal.")))]
    last = pasals[-1]
    content = " ".join(texts[n.id] for n in _subtree(last))
    if IN_FORCE.search(content):
        return []
    return [Finding(last.id, _label(last), "closing",
                    str(_l("The closing Pasal has no “mulai berlaku pada tanggal diundangkan” formula.")))]


def _subtree(node: Node):
    yield node
    for child in node.children:
        yield from _subtree(child)


def _terms(tree: Tree, texts: dict) -> list[Finding]:
    pasals = tree.pasals()
    if not pasals:
        return []
    first = pasals[0]
    defined: dict[str, Node] = {}
    for item in first.children:
        match = DEFINITION.match(texts[item.id])
        if match:
            defined[match.group("term").strip()] = item
            if match.group("alias"):
                defined[match.group("alias").strip()] = item
    if not defined:
        return []
    out = []
    body = [n for n in tree.order if n.kind not in (K.PENJELASAN, K.JUDUL, K.MENIMBANG, K.MENGINGAT, K.POIN)]
    outside_first = [texts[n.id] for n in body if n.id != first.id and n.unit.parent_id != first.id]
    definitions_text = {item.id: texts[item.id] for item in first.children}
    for term, item in defined.items():
        # Used elsewhere in the body, or in another definition (not its own).
        used = any(term in text for text in outside_first) or any(
            term in text for unit_id, text in definitions_text.items() if unit_id != item.id
        )
        if not used:
            out.append(Finding(item.id, _label(item), "terms",
                               str(_l("“%(term)s” is defined but never used.", term=term)), blocking=False))
    reported = set()
    for node in body:
        if node.id == first.id or node.unit.parent_id == first.id or node.kind in HEADED:
            continue
        for phrase, at_sentence_start in _capitalised_phrases(texts[node.id]):
            if _is_known(phrase, defined):
                continue
            if at_sentence_start:
                # The first word may be capitalised by grammar only: judge the rest.
                rest = phrase.split(" ", 1)[1]
                if " " not in rest or _is_known(rest, defined):
                    continue
                phrase = rest
            if phrase in reported:
                continue
            reported.add(phrase)
            out.append(Finding(node.id, _label(node), "terms",
                               str(_l("“%(term)s” is capitalised but not defined in Pasal 1.", term=phrase)),
                               blocking=False))
    return out


def _capitalised_phrases(text: str):
    for match in CAPITALISED.finditer(text):
        before = text[:match.start()].rstrip()
        yield match.group(0), (not before or before[-1] in ".:;")


def _is_known(phrase: str, defined: dict) -> bool:
    if phrase in CONVENTIONAL or any(phrase.startswith(c + " ") or phrase == c for c in CONVENTIONAL):
        return True
    return any(term in phrase or phrase in term for term in defined)
