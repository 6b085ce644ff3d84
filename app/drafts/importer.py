"""Import a regulation from Markdown or plain text into the unit tree.

Recognised markers, one per line (Markdown "#", "**" and "> " around them are ignored):
"BAB I" (heading on the same or next line), "Bagian Kesatu", "Paragraf 1", "Pasal 1",
"(1)" ayat, "a." huruf, "1." angka; preamble lines "Menimbang", "Mengingat", "Menetapkan",
"MEMUTUSKAN" and "PENJELASAN". Any other line continues the unit before it.

A malformed text raises ImportProblem naming the line; the caller imports nothing.
"""
import re
from dataclasses import dataclass, field

from flask_babel import gettext as _

from app.drafts.models import UnitKind
from app.drafts.structure import letter, ordinal, roman

K = UnitKind

BAB = re.compile(r"^BAB\s+([IVXLCDM]+)\b\.?\s*(.*)$")
BAGIAN = re.compile(r"^Bagian\s+(Ke\w+(?:\s+(?:Belas|Puluh(?:\s+\w+)?))?)\s*$", re.IGNORECASE)
PARAGRAF = re.compile(r"^Paragraf\s+(\d+)\s*$", re.IGNORECASE)
PASAL = re.compile(r"^Pasal\s+(\d+)\s*$")
AYAT = re.compile(r"^\((\d+)\)\s*(.*)$")
HURUF = re.compile(r"^([a-z]{1,3})\.\s+(.*)$")
ANGKA = re.compile(r"^(\d+)\.\s+(.*)$")
MENIMBANG = re.compile(r"^Menimbang\s*:?\s*(.*)$", re.IGNORECASE)
MENGINGAT = re.compile(r"^Mengingat\s*:?\s*(.*)$", re.IGNORECASE)
MEMUTUSKAN = re.compile(r"^MEMUTUSKAN\s*:?\s*$", re.IGNORECASE)
MENETAPKAN = re.compile(r"^Menetapkan\s*:?\s*(.*)$", re.IGNORECASE)
PENJELASAN = re.compile(r"^PENJELASAN\b")
TENTANG = re.compile(r"^TENTANG\s*$")
CLOSING_FORMULA = re.compile(r"^Agar setiap orang mengetahuinya\b", re.IGNORECASE)
APPROVAL = re.compile(r"^Dengan Persetujuan Bersama\b", re.IGNORECASE)
MARKDOWN = re.compile(r"^(?:#{1,6}\s*|>\s*)")


class ImportProblem(Exception):
    def __init__(self, line_number: int, line: str, message: str):
        self.line_number, self.line = line_number, line
        super().__init__(_("Line %(number)d (“%(line)s”): %(problem)s", number=line_number, line=line[:80],
                           problem=message))


@dataclass
class Item:
    kind: UnitKind
    text: str = ""
    children: list["Item"] = field(default_factory=list)
    number: int = 0  # the number as typed, checked for sequence

    def add(self, child: "Item") -> "Item":
        self.children.append(child)
        return child

    def append_text(self, line: str) -> None:
        self.text = f"{self.text}\n{line}" if self.text else line

    def spec(self):
        return (self.kind, self.text.strip(), [c.spec() for c in self.children])


def _clean(line: str) -> str:
    line = MARKDOWN.sub("", line.strip())
    return line.replace("**", "").replace("__", "").strip()


def parse(text: str) -> list:
    """Text → spec [(kind, text, children)]. Raises ImportProblem for the first malformed line."""
    root = Item(K.TEKS)
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    counters = {"bab": 0, "pasal": 0}
    bab = bagian = paragraf = pasal = ayat = container = current = None
    awaiting_heading: Item | None = None
    title_lines: list[str] | None = None
    judul: Item | None = None
    penjelasan: Item | None = None
    seen_structure = False
    skipping = False
    closing = False

    def problem(message):
        return ImportProblem(number, raw.strip(), message)

    for number, raw in enumerate(lines, start=1):
        line = _clean(raw)
        if penjelasan is not None:
            penjelasan.append_text(raw.rstrip())
            continue
        if not line:
            if title_lines is not None and title_lines:
                judul = root.add(Item(K.JUDUL, " ".join(title_lines)))
                title_lines = None
            continue
        if awaiting_heading is not None and not (PASAL.match(line) or BAB.match(line)):
            awaiting_heading.text = line
            awaiting_heading = None
            continue
        if awaiting_heading is not None:
            raise problem(_("a heading is missing after %(marker)s.", marker=awaiting_heading.kind.label))
        if TENTANG.match(line) and not seen_structure:
            if judul is not None:  # what we took for the title was the heading formula
                root.children.remove(judul)
                judul = None
            title_lines = []  # the title follows "TENTANG"; what came before is the heading formula
            continue
        if title_lines is not None:
            if not (MENIMBANG.match(line) or BAB.match(line) or PASAL.match(line)):
                title_lines.append(line)
                continue
            judul = root.add(Item(K.JUDUL, " ".join(title_lines)))
            title_lines = None
        if APPROVAL.match(line):
            container = current = None
            skipping = True  # "Dengan Persetujuan Bersama … dan WALI KOTA …": formula up to MEMUTUSKAN
            continue
        if skipping and not (MEMUTUSKAN.match(line) or MENETAPKAN.match(line)):
            continue
        skipping = False
        if PENJELASAN.match(line) and seen_structure:
            penjelasan = root.add(Item(K.PENJELASAN))
            closing = False
            continue
        if closing or (seen_structure and CLOSING_FORMULA.match(line)):
            closing = True  # "Agar setiap orang mengetahuinya …", place, date and signature: not units
            continue
        preamble = next(((kind, m) for pattern, kind in ((MENIMBANG, K.MENIMBANG), (MENGINGAT, K.MENGINGAT))
                         if (m := pattern.match(line))), None)
        if preamble:
            kind, m = preamble
            container = current = root.add(Item(kind))
            if m.group(1):  # "Menimbang : a. bahwa …" on one line
                current = _preamble_point(container, m.group(1), problem)
            continue
        if MEMUTUSKAN.match(line):
            container = None
            continue
        if m := MENETAPKAN.match(line):
            container = None
            current = root.add(Item(K.MENETAPKAN, m.group(1)))
            continue
        if m := BAB.match(line):
            counters["bab"] += 1
            if m.group(1) != roman(counters["bab"]):
                raise problem(_("expected BAB %(expected)s.", expected=roman(counters["bab"])))
            bab = current = root.add(Item(K.BAB, m.group(2).strip()))
            bagian = paragraf = pasal = ayat = container = None
            seen_structure = True
            if not bab.text:
                awaiting_heading = bab
            continue
        if m := BAGIAN.match(line):
            if bab is None:
                raise problem(_("a Bagian must be inside a BAB."))
            expected = ordinal(sum(1 for c in bab.children if c.kind == K.BAGIAN) + 1)
            if m.group(1).lower() != expected.lower():
                raise problem(_("expected Bagian %(expected)s.", expected=expected))
            bagian = current = bab.add(Item(K.BAGIAN))
            paragraf = pasal = ayat = None
            awaiting_heading = bagian
            continue
        if m := PARAGRAF.match(line):
            if bagian is None:
                raise problem(_("a Paragraf must be inside a Bagian."))
            expected = sum(1 for c in bagian.children if c.kind == K.PARAGRAF) + 1
            if int(m.group(1)) != expected:
                raise problem(_("expected Paragraf %(expected)d.", expected=expected))
            paragraf = current = bagian.add(Item(K.PARAGRAF))
            pasal = ayat = None
            awaiting_heading = paragraf
            continue
        if m := PASAL.match(line):
            counters["pasal"] += 1
            if int(m.group(1)) != counters["pasal"]:
                raise problem(_("expected Pasal %(expected)d.", expected=counters["pasal"]))
            parent = paragraf or bagian or bab or root
            pasal = current = parent.add(Item(K.PASAL))
            ayat = container = None
            seen_structure = True
            continue
        if container is not None and (m := (HURUF.match(line) if container.kind == K.MENIMBANG else ANGKA.match(line))):
            current = _preamble_point(container, line, problem)
            continue
        if m := AYAT.match(line):
            if pasal is None:
                raise problem(_("an ayat must be inside a Pasal."))
            expected = sum(1 for c in pasal.children if c.kind == K.AYAT) + 1
            if int(m.group(1)) != expected:
                raise problem(_("expected ayat (%(expected)d).", expected=expected))
            if any(c.kind != K.AYAT for c in pasal.children):
                raise problem(_("ayat cannot follow huruf or angka directly under the Pasal."))
            ayat = current = pasal.add(Item(K.AYAT, m.group(2)))
            continue
        if m := HURUF.match(line):
            owner = ayat or pasal
            if owner is None:
                raise problem(_("a huruf must be inside a Pasal."))
            expected = letter(sum(1 for c in owner.children if c.kind == K.HURUF) + 1)
            if m.group(1) != expected:
                raise problem(_("expected huruf %(expected)s.", expected=expected))
            current = owner.add(Item(K.HURUF, m.group(2)))
            continue
        if m := ANGKA.match(line):
            owner = ayat or pasal
            if owner is None:
                raise problem(_("a numbered item must be inside a Pasal."))
            if owner.children and owner.children[-1].kind == K.HURUF and int(m.group(1)) == 1 or (
                owner.children and owner.children[-1].kind == K.HURUF and owner.children[-1].children
            ):
                owner = owner.children[-1]  # 1., 2. inside the last huruf
            expected = sum(1 for c in owner.children if c.kind == K.ANGKA) + 1
            if int(m.group(1)) != expected:
                raise problem(_("expected number %(expected)d.", expected=expected))
            current = owner.add(Item(K.ANGKA, m.group(2)))
            continue
        if current is None:
            if not seen_structure and judul is None and not root.children:
                title_lines = [line]
                continue
            if not seen_structure:
                continue  # formula lines of the preamble ("DENGAN RAHMAT TUHAN YANG MAHA ESA", "WALI KOTA …,")
            raise problem(_("text outside any BAB or Pasal."))
        current.append_text(line)
    if awaiting_heading is not None:
        raise ImportProblem(len(lines), "", _("a heading is missing after %(marker)s.", marker=awaiting_heading.kind.label))
    if title_lines:
        root.children.insert(0, Item(K.JUDUL, " ".join(title_lines)))
    if counters["pasal"] == 0:
        raise ImportProblem(1, lines[0] if lines else "", _("no “Pasal 1” found: nothing to import."))
    return [child.spec() for child in root.children]


def _preamble_point(container: Item, line: str, problem) -> Item:
    pattern = HURUF if container.kind == K.MENIMBANG else ANGKA
    m = pattern.match(line)
    if m is None:
        raise problem(_("expected a point such as “a.” or “1.”."))
    n = len(container.children) + 1
    expected = letter(n) if container.kind == K.MENIMBANG else str(n)
    if m.group(1) != expected:
        raise problem(_("expected point %(expected)s.", expected=expected))
    return container.add(Item(K.POIN, m.group(2)))
