"""Import from text (good and malformed) and exports (DOCX opened with python-docx, Markdown, print)."""
import io

from docx import Document

from app.drafts import service
from app.drafts.models import Draft, UnitKind

GOOD = """PERATURAN DAERAH KOTA BONTANG
NOMOR ... TAHUN ...

TENTANG
PENYELENGGARAAN WISATA KOTA INDUSTRI

Menimbang : a. bahwa Kota Bontang adalah kota industri;
b. bahwa berdasarkan pertimbangan sebagaimana dimaksud dalam huruf a, perlu menetapkan Peraturan Daerah;
Mengingat : 1. Pasal 18 ayat (6) Undang-Undang Dasar Negara Republik Indonesia Tahun 1945;
2. Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah;

Dengan Persetujuan Bersama
DEWAN PERWAKILAN RAKYAT DAERAH KOTA BONTANG
dan
WALI KOTA BONTANG

MEMUTUSKAN:
Menetapkan : PERATURAN DAERAH TENTANG PENYELENGGARAAN WISATA KOTA INDUSTRI.

# BAB I
KETENTUAN UMUM

**Pasal 1**
Dalam Peraturan Daerah ini yang dimaksud dengan:
1. Daerah adalah Kota Bontang.
2. Wisata Industri adalah kegiatan wisata yang memanfaatkan kawasan industri.

BAB II
PENYELENGGARAAN

Pasal 2
(1) Pemerintah Daerah menyelenggarakan Wisata Industri.
(2) Penyelenggaraan sebagaimana dimaksud pada ayat (1) meliputi:
a. perencanaan;
b. pelaksanaan.

Pasal 3
Peraturan Daerah ini mulai berlaku pada tanggal diundangkan.
"""


def _import(client, url, text):
    return client.post(url("import_text"), data={"title": "Penyelenggaraan Wisata Kota Industri", "kind": "raperda",
                                                 "region": "Kota Bontang", "text": text})


def test_it_imports_a_regulation_into_the_structure(client, login_as, alice, url, db):
    login_as(alice)
    response = _import(client, url, GOOD)
    assert response.status_code == 303
    draft = db.session.query(Draft).one()
    tree = service.load_tree(draft.id)
    assert [n.full_label for n in tree.order if n.kind == UnitKind.AYAT] == ["Pasal 2 ayat (1)", "Pasal 2 ayat (2)"]
    assert [n.unit.text for n in tree.order if n.kind == UnitKind.HURUF] == ["perencanaan;", "pelaksanaan."]
    assert next(n for n in tree.order if n.kind == UnitKind.JUDUL).unit.text == "PENYELENGGARAAN WISATA KOTA INDUSTRI"
    assert len([n for n in tree.order if n.kind == UnitKind.POIN]) == 4
    ayat2 = [n for n in tree.order if n.kind == UnitKind.AYAT][1]
    assert "⟦" in ayat2.unit.text  # the relative reference became a link


def test_malformed_text_names_the_line_and_imports_nothing(client, login_as, alice, url, db):
    login_as(alice)
    bad = GOOD.replace("(2) Penyelenggaraan", "(3) Penyelenggaraan")
    response = _import(client, url, bad)
    assert response.status_code == 422
    line = bad.split("\n").index("(3) Penyelenggaraan sebagaimana dimaksud pada ayat (1) meliputi:") + 1
    assert f"Line {line}" in response.text and "expected ayat (2)" in response.text
    assert db.session.query(Draft).count() == 0


def test_an_ayat_outside_a_pasal_is_malformed(client, login_as, alice, url, db):
    login_as(alice)
    response = _import(client, url, "BAB I\nUMUM\n(1) Tanpa pasal.")
    assert response.status_code == 422 and "Line 3" in response.text and db.session.query(Draft).count() == 0


def test_the_import_form_is_a_fragment_for_htmx(client, login_as, alice, url):
    login_as(alice)
    response = client.post(url("import_text"), data={"title": "x", "kind": "raperda", "text": "apa saja"},
                           headers={"HX-Request": "true"})
    assert response.status_code == 422 and "<html" not in response.text and "nothing to import" in response.text


def test_a_commenter_cannot_import(client, login_as, member, url):
    login_as(member("commenter"))
    assert _import(client, url, GOOD).status_code == 403


def test_the_docx_export_is_laid_out_like_a_regulation(client, login_as, alice, url, db):
    login_as(alice)
    _import(client, url, GOOD)
    draft = db.session.query(Draft).one()
    response = client.get(url("export_docx", draft_id=draft.id))
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    document = Document(io.BytesIO(response.data))
    texts = [p.text for p in document.paragraphs if p.text]
    assert texts[0] == "RANCANGAN PERATURAN DAERAH KOTA BONTANG"
    assert "PENYELENGGARAAN WISATA KOTA INDUSTRI" in texts
    assert "DENGAN RAHMAT TUHAN YANG MAHA ESA" in texts and "WALI KOTA BONTANG," in texts
    assert texts.index("BAB I") < texts.index("KETENTUAN UMUM") < texts.index("Pasal 1") < texts.index("BAB II")
    assert "(2)\tPenyelenggaraan sebagaimana dimaksud pada ayat (1) meliputi:" in texts
    assert any(t.startswith("Menimbang\t: a. bahwa") for t in texts)
    assert document.paragraphs[texts.index("Pasal 1")].alignment == 1  # centred
    assert "MEMUTUSKAN:" in texts and any(t.startswith("Agar setiap orang mengetahuinya") for t in texts)


def test_markdown_and_print_exports(client, login_as, alice, draft, url):
    login_as(alice)
    markdown = client.get(url("export_markdown", draft_id=draft.id))
    assert markdown.status_code == 200 and "**Pasal 1**" in markdown.text and "**BAB I**" in markdown.text
    printed = client.get(url("print_view", draft_id=draft.id))
    assert printed.status_code == 200 and 'class="pasal">Pasal 2<' in printed.text and "print.css" in printed.text


def test_exports_are_hidden_from_charlie(client, login_as, charlie, draft, url):
    login_as(charlie)
    for endpoint in ("export_docx", "export_markdown", "print_view", "register_csv", "register_docx"):
        assert client.get(url(endpoint, draft_id=draft.id)).status_code == 404


def test_a_markdown_export_imports_back_into_the_same_structure(app, runner, db):
    from app.drafts import exports, importer

    runner.invoke(args=["demo"])
    draft = db.session.query(Draft).one()
    tree = service.load_tree(draft.id)
    spec = importer.parse(exports.to_markdown(draft, tree))

    def flatten(items, out):
        for kind, text, children in items:
            out.append((kind, text))
            flatten(children, out)
        return out

    from app.drafts import references

    original = [(n.kind, references.display(n.unit.text, tree, n).strip()) for n in tree.order]
    imported = flatten(spec, [])
    assert [k for k, _ in imported] == [k for k, _ in original]
    assert [t for k, t in imported if k != UnitKind.PENJELASAN] == [t for k, t in original if k != UnitKind.PENJELASAN]
