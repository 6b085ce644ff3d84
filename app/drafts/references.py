"""Cross-references that survive renumbering.

A user types "sebagaimana dimaksud dalam Pasal 5 ayat (2)". On save the mention is resolved
against the current numbers and stored inside the text as `⟦<unit id>|Pasal 5 ayat (2)⟧`.
Everything shown to people (page, editor, exports, diffs) goes through `display()`, which
writes the target's *current* number; a target that no longer exists keeps the label it had
and is flagged. The canonical form is what revisions store and what the merge compares, so
renumbering never changes a stored text and never causes a conflict.
"""
import re
from dataclasses import dataclass

from markupsafe import Markup, escape

from app.drafts.structure import Node, Tree

PLACEHOLDER = re.compile(r"⟦(\d+)\|([^⟦⟧]*)⟧")
MENTION = re.compile(
    r"\b(?:Pasal\s+(?P<pasal>\d+)(?:\s+ayat\s+\((?P<ayat>\d+)\))?|ayat\s+\((?P<rayat>\d+)\))"
    r"(?:\s+huruf\s+(?P<huruf>[a-z]{1,3})\b)?(?:\s+angka\s+(?P<angka>\d+)\b)?"
)
# "Pasal 18 ayat (6) Undang-Undang Dasar …" cites another law: not a reference inside this draft.
EXTERNAL = re.compile(r"\s+(?:Undang|UUD|Peraturan|Kitab|Keputusan|Instruksi|Konvensi)\b")
# Preamble points cite other laws by design.
NO_REFERENCES = {"judul", "menimbang", "mengingat", "poin", "menetapkan"}


@dataclass
class Found:
    target_id: int
    label: str


def _mentioned_label(m: re.Match, source: Node | None) -> tuple[str, bool]:
    relative = m.group("pasal") is None
    if relative:
        if source is None or not source.pasal_label:
            return "", True
        label = f"{source.pasal_label} ayat ({m.group('rayat')})"
    else:
        label = f"Pasal {m.group('pasal')}"
        if m.group("ayat"):
            label += f" ayat ({m.group('ayat')})"
    if m.group("huruf"):
        label += f" huruf {m.group('huruf')}"
    if m.group("angka"):
        label += f" angka {m.group('angka')}"
    return label, relative


def canonicalize(typed: str, tree: Tree, source: Node | None) -> tuple[str, list[Found]]:
    """Typed text (current numbers) → canonical text with placeholders, and the references found."""
    typed = (typed or "").replace("⟦", "").replace("⟧", "")
    if source is not None and source.kind.value in NO_REFERENCES:
        return typed, []
    found: list[Found] = []

    def replace(m: re.Match) -> str:
        if EXTERNAL.match(typed, m.end()):
            return m.group(0)
        label, _relative = _mentioned_label(m, source)
        target = tree.by_full_label.get(label) if label else None
        if target is None:
            return m.group(0)  # left as typed; the drafting check flags it
        found.append(Found(target, m.group(0)))
        return f"⟦{target}|{m.group(0)}⟧"

    return MENTION.sub(replace, typed), found


def _current(target_id: int, typed_label: str, tree: Tree, source: Node | None) -> tuple[str, bool]:
    """The label to show now, and whether the target still exists."""
    node = tree.node(target_id)
    if node is None:
        return typed_label, False
    label = node.full_label
    relative = typed_label.startswith("ayat")
    if relative and source is not None and source.pasal_label and label.startswith(source.pasal_label + " "):
        label = label[len(source.pasal_label) + 1:]
    return label, True


def display(text: str, tree: Tree, source: Node | None = None) -> str:
    """Canonical text → what people read, with current numbers."""
    return PLACEHOLDER.sub(lambda m: _current(int(m.group(1)), m.group(2), tree, source)[0], text or "")


def to_html(text: str, tree: Tree, source: Node | None = None, href=None) -> Markup:
    """Display text as safe HTML with each reference a link to its unit (or flagged when dangling)."""
    out: list[str] = []
    last = 0
    text = text or ""
    for m in PLACEHOLDER.finditer(text):
        out.append(str(escape(text[last:m.start()])))
        label, alive = _current(int(m.group(1)), m.group(2), tree, source)
        if alive:
            url = href(int(m.group(1))) if href else f"#unit-{m.group(1)}"
            out.append(f'<a class="xref" href="{escape(url)}">{escape(label)}</a>')
        else:
            out.append(f'<mark class="xref-broken" title="{escape(_dangling_title())}">{escape(label)}</mark>')
        last = m.end()
    out.append(str(escape(text[last:])))
    return Markup("".join(out))


def _dangling_title() -> str:
    from flask_babel import gettext as _

    return _("This reference points to a unit that no longer exists.")


def dangling(text: str, tree: Tree) -> list[str]:
    """Labels of references in `text` whose target no longer exists."""
    return [m.group(2) for m in PLACEHOLDER.finditer(text or "") if tree.node(int(m.group(1))) is None]


def unresolved(text: str, source: Node | None) -> list[str]:
    """Mentions like "Pasal 99" that are not links (no such unit when saved)."""
    if source is not None and source.kind.value in NO_REFERENCES:
        return []
    plain = PLACEHOLDER.sub(" ", text or "")
    return [m.group(0) for m in MENTION.finditer(plain) if not EXTERNAL.match(plain, m.end())]


def targets(text: str) -> list[tuple[int, str]]:
    return [(int(m.group(1)), m.group(2)) for m in PLACEHOLDER.finditer(text or "")]
