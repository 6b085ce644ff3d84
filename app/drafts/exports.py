"""A draft laid out like a regulation (Lampiran II UU 12/2011), rendered as DOCX, Markdown or print HTML.

`layout()` turns the tree into a flat list of blocks once; each format only decides how a
block looks. Texts go through `references.display`, so exports carry current numbers.
"""
import csv
import io
from dataclasses import dataclass

from app.drafts import references
from app.drafts.models import Draft, DraftStatus, UnitKind
from app.drafts.skeletons import head_of_region
from app.drafts.structure import Node, Tree

K = UnitKind


@dataclass
class Block:
    style: str  # "title", "center", "center-bold", "label-point", "heading", "pasal", "body", "item", "right", "gap"
    text: str = ""
    label: str = ""
    level: int = 0
    unit_id: int | None = None


def layout(draft: Draft, tree: Tree) -> list[Block]:
    blocks: list[Block] = []
    text = {n.id: references.display(n.unit.text, tree, n) for n in tree.order}
    region = (draft.region or "").upper()
    head = head_of_region(region)
    regulation = draft.kind.is_regulation
    if regulation:
        prefix = "" if draft.status == DraftStatus.DITETAPKAN else "RANCANGAN "
        blocks.append(Block("title", f"{prefix}{draft.kind.legal_name} {region}".strip()))
        blocks.append(Block("title", "NOMOR … TAHUN …"))
        blocks.append(Block("title", "TENTANG"))
        judul = next((n for n in tree.roots if n.kind == K.JUDUL), None)
        blocks.append(Block("title", text[judul.id] if judul else draft.title.upper(), unit_id=judul.id if judul else None))
        blocks.append(Block("gap"))
        blocks.append(Block("center-bold", "DENGAN RAHMAT TUHAN YANG MAHA ESA"))
        blocks.append(Block("gap"))
        if head:
            blocks.append(Block("center-bold", f"{head},"))
            blocks.append(Block("gap"))
    else:
        blocks.append(Block("title", draft.title.upper()))
        blocks.append(Block("gap"))
    for root in tree.roots:
        if root.kind == K.JUDUL and regulation:
            continue
        if root.kind == K.MENETAPKAN and regulation:
            if draft.kind.value == "raperda" and region:
                blocks.append(Block("center", "Dengan Persetujuan Bersama"))
                blocks.append(Block("center-bold", f"DEWAN PERWAKILAN RAKYAT DAERAH {region}"))
                blocks.append(Block("center", "dan"))
                blocks.append(Block("center-bold", head))
                blocks.append(Block("gap"))
            blocks.append(Block("center-bold", "MEMUTUSKAN:"))
            blocks.append(Block("label-point", text[root.id], label="Menetapkan", unit_id=root.id))
            blocks.append(Block("gap"))
            continue
        if root.kind == K.PENJELASAN:
            if regulation:
                _closing(blocks, draft, region, head)
            blocks.append(Block("center-bold", "PENJELASAN"))
            for paragraph in text[root.id].split("\n"):
                blocks.append(Block("body", paragraph, unit_id=root.id))
            continue
        _emit(root, blocks, text)
    if regulation and not any(n.kind == K.PENJELASAN for n in tree.roots):
        _closing(blocks, draft, region, head)
    return blocks


def _closing(blocks, draft, region, head):
    blocks.append(Block("body", f"Agar setiap orang mengetahuinya, memerintahkan pengundangan {draft.kind.legal_name.title()} "
                                f"ini dengan penempatannya dalam {'Lembaran' if draft.kind.value == 'raperda' else 'Berita'} "
                                f"Daerah {region.title()}."))
    blocks.append(Block("gap"))
    blocks.append(Block("right", "Ditetapkan di …"))
    blocks.append(Block("right", "pada tanggal …"))
    if head:
        blocks.append(Block("right", f"{head},"))
    blocks.append(Block("gap"))


def _emit(node: Node, blocks: list[Block], text: dict, level: int = 0) -> None:
    kind = node.kind
    if kind in (K.MENIMBANG, K.MENGINGAT):
        for i, child in enumerate(node.children):
            blocks.append(Block("label-point", text[child.id], label=(kind.label if i == 0 else ""),
                                level=0, unit_id=child.id))
            blocks[-1].text = f"{child.label} {text[child.id]}"
        blocks.append(Block("gap"))
        return
    if kind in (K.BAB, K.BAGIAN, K.PARAGRAF):
        blocks.append(Block("heading", node.label, unit_id=node.id))
        blocks.append(Block("heading", text[node.id], unit_id=node.id))
    elif kind == K.PASAL:
        blocks.append(Block("pasal", node.label, unit_id=node.id))
        if text[node.id]:
            blocks.append(Block("body", text[node.id], unit_id=node.id))
    elif kind in (K.AYAT, K.HURUF, K.ANGKA):
        blocks.append(Block("item", text[node.id], label=node.label, level=level, unit_id=node.id))
    else:
        if node.kind != K.JUDUL or text[node.id]:
            for paragraph in text[node.id].split("\n"):
                blocks.append(Block("body", paragraph, unit_id=node.id))
    child_level = level + 1 if kind in (K.AYAT, K.HURUF, K.ANGKA) else level
    for child in node.children:
        _emit(child, blocks, text, child_level)


def to_markdown(draft: Draft, tree: Tree) -> str:
    out: list[str] = []
    for block in layout(draft, tree):
        if block.style == "gap":
            out.append("")
        elif block.style == "title":
            out.append(f"**{block.text}**  ")
        elif block.style in ("center-bold", "heading"):
            out.append(f"**{block.text}**" if block.text else "")
        elif block.style == "pasal":
            out.extend(["", f"**{block.text}**", ""])
        elif block.style == "label-point":
            out.append(f"{block.label + ' : ' if block.label else ''}{block.text}  ")
        elif block.style == "item":
            out.append(f"{'    ' * block.level}{block.label} {block.text}  ")
        else:
            out.append(block.text)
    return "\n".join(out).strip() + "\n"


def to_docx(draft: Draft, tree: Tree) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Bookman Old Style"  # the customary typeface of Indonesian regulations
    style.font.size = Pt(12)
    for section in document.sections:
        section.page_height, section.page_width = Cm(33), Cm(21.5)  # F4/folio, as Lampiran II prescribes
        section.left_margin, section.right_margin = Cm(3), Cm(2)
    document.core_properties.title = draft.title
    for block in layout(draft, tree):
        if block.style == "gap":
            document.add_paragraph()
            continue
        paragraph = document.add_paragraph()
        if block.style in ("title", "center-bold", "heading", "pasal"):
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = paragraph.add_run(block.text)
            run.bold = block.style in ("title", "center-bold", "heading")
        elif block.style == "center":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.add_run(block.text)
        elif block.style == "right":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            paragraph.add_run(block.text)
        elif block.style == "label-point":
            paragraph.paragraph_format.left_indent = Cm(3.5)
            paragraph.paragraph_format.first_line_indent = Cm(-3.5)
            paragraph.add_run(f"{block.label}\t: " if block.label else "\t  ")
            paragraph.add_run(block.text)
        elif block.style == "item":
            indent = Cm(1 + block.level)
            paragraph.paragraph_format.left_indent = indent
            paragraph.paragraph_format.first_line_indent = Cm(-1)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            paragraph.add_run(f"{block.label}\t{block.text}")
        else:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            paragraph.add_run(block.text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


REGISTER_HEADER = ["No", "Bagian yang ditanggapi", "Nama", "Unsur Pentahelix", "Masukan", "Tanggapan",
                   "Alasan", "Diputuskan oleh", "Tanggal", "Bentuk masukan"]


def _input_form(item) -> str:
    """How the input reached the register (content of the matrix, in Indonesian like its headers)."""
    if item.comment_id:
        return "Komentar"
    if item.suggestion_id:
        return "Usulan perubahan"
    if item.author_id is None:
        return "Dicatat oleh sekretariat"  # heard at a hearing or by letter
    return "Masukan tertulis"


WITHDRAWN = "(komentar disembunyikan atau dihapus)"


def register_rows(inputs, tree: Tree, element_label, reveal: bool = False) -> list[list[str]]:
    """`reveal`: the reader answers inputs and sees the words of withdrawn comments too."""
    rows = []
    for number, item in enumerate(inputs, start=1):
        node = tree.node(item.unit_id) if item.unit_id else None
        rows.append([
            str(number),
            (node.full_label or node.label) if node else "Umum",
            item.author_name,
            element_label(item.element) if item.element else "",
            WITHDRAWN if item.withdrawn and not reveal else item.text,
            item.disposition.legal_label if item.disposition else "Belum ditanggapi",
            item.disposition_reason,
            item.decided_by.name if item.decided_by else "",
            item.decided_at.date().isoformat() if item.decided_at else "",
            _input_form(item),
        ])
    return rows


def register_csv(rows) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(REGISTER_HEADER)
    writer.writerows(rows)
    return buffer.getvalue()


def register_docx(draft: Draft, rows) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm

    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(33), Cm(21.5)
    document.add_heading("MATRIKS MASUKAN DAN TANGGAPAN", level=1)
    document.add_paragraph(draft.title)
    table = document.add_table(rows=1, cols=len(REGISTER_HEADER))
    table.style = "Table Grid"
    for cell, title in zip(table.rows[0].cells, REGISTER_HEADER):
        cell.text = title
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row):
            cell.text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
