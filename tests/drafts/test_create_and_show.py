from app.drafts import service
from app.drafts.models import Draft, DraftKind, UnitKind

from tests.drafts.conftest import labels


def test_it_creates_a_raperda_from_the_skeleton(client, login_as, alice, programme, url, db):
    login_as(alice)
    response = client.post(url("new"), data={"title": "Penyelenggaraan Wisata Kota Industri", "kind": "raperda",
                                             "region": "Kota Bontang"})
    assert response.status_code == 303
    draft = db.session.query(Draft).one()
    assert labels(draft.id) == ["Judul", "Menimbang", "a.", "b.", "Mengingat", "1.", "2.", "Menetapkan",
                                "BAB I", "Pasal 1", "1.", "2.", "BAB II", "Pasal 2", "Penjelasan"]
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    assert "KETENTUAN UMUM" in page.text and "mulai berlaku pada tanggal diundangkan" in page.text


def test_a_naskah_akademik_starts_with_free_chapters(programme, alice):
    draft = service.create_draft(programme, alice, "Kajian Wisata Industri", DraftKind.NASKAH_AKADEMIK)
    tree = service.load_tree(draft.id)
    babs = [n for n in tree.order if n.kind == UnitKind.BAB]
    assert [n.label for n in babs][:2] == ["BAB I", "BAB II"] and babs[0].unit.text == "PENDAHULUAN"
    assert not tree.pasals()


def test_the_draft_page_is_a_full_page_and_the_list_links_it(client, login_as, alice, draft, url):
    login_as(alice)
    index = client.get(url("index"))
    assert url("show", draft_id=draft.id) in index.text
    page = client.get(url("show", draft_id=draft.id))
    assert page.status_code == 200 and "<html" in page.text and 'id="live"' in page.text


def test_charlie_sees_nothing(client, login_as, charlie, draft, url):
    login_as(charlie)
    assert client.get(url("show", draft_id=draft.id)).status_code == 404
    assert client.get(url("index")).status_code == 404


def test_a_draft_of_another_programme_is_not_found(client, login_as, alice, draft, factories, url):
    other = factories.ProgrammeFactory()
    login_as(alice)
    from flask import url_for

    assert client.get(url_for("drafts.show", slug=other.slug, draft_id=draft.id, _external=False)).status_code == 404
