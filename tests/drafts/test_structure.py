"""Numbers are computed from the tree; references follow their target when numbers change."""
from app.drafts import checks, service
from app.drafts.models import CrossReference, UnitKind, UnitRevision
from app.drafts.structure import ordinal

from tests.drafts.conftest import first, labels, pasals

HX = {"HX-Request": "true"}


def test_bagian_ordinals_follow_lampiran_ii():
    assert [ordinal(n) for n in (1, 2, 3, 11, 12, 21)] == [
        "Kesatu", "Kedua", "Ketiga", "Kesebelas", "Kedua Belas", "Kedua Puluh Satu"]


def test_inserting_a_pasal_renumbers_the_rest_and_references_follow(client, login_as, bob, draft, url, db):
    closing = pasals(draft.id)[-1]  # Pasal 2, the closing Pasal
    bab1_pasal = pasals(draft.id)[0]
    # A new Pasal 2 in BAB I that refers to the closing Pasal (now Pasal 3 once inserted).
    login_as(bob)
    response = client.post(url("add_unit", draft_id=draft.id), data={"kind": "pasal", "after_id": bab1_pasal.id})
    assert response.status_code == 303
    new = pasals(draft.id)[1]
    assert [p.id for p in pasals(draft.id)] == [bab1_pasal.id, new.id, closing.id]
    service.save_unit(new.id, bob, new.head_revision_id, "Ketentuan sebagaimana dimaksud dalam Pasal 3 berlaku.")
    assert db.session.query(CrossReference).filter_by(source_unit_id=new.id, target_unit_id=closing.id).count() == 1
    # Another Pasal inserted before it: the closing Pasal becomes Pasal 4, and the reference says so.
    service.add_unit(draft, bob, UnitKind.PASAL, after=bab1_pasal)
    page = client.get(url("show", draft_id=draft.id))
    assert f'<a class="xref" href="#unit-{closing.id}">Pasal 4</a>' in page.text
    assert "Pasal 3 berlaku" not in page.text


def test_ayat_and_huruf_number_within_their_parent_and_relative_references_resolve(bob, draft, db):
    pasal = pasals(draft.id)[-1]
    ayat1 = service.add_unit(draft, bob, UnitKind.AYAT, parent=pasal, text="Wisata industri diselenggarakan.")
    ayat2 = service.add_unit(draft, bob, UnitKind.AYAT, parent=pasal, text="Penyelenggaraan sebagaimana dimaksud pada ayat (1) meliputi:")
    service.add_unit(draft, bob, UnitKind.HURUF, parent=ayat2, text="perencanaan;")
    service.add_unit(draft, bob, UnitKind.HURUF, parent=ayat2, text="pelaksanaan.")
    tree = service.load_tree(draft.id)
    assert [c.label for c in tree.node(pasal.id).children] == ["(1)", "(2)"]
    assert [c.full_label for c in tree.node(ayat2.id).children] == ["Pasal 2 ayat (2) huruf a", "Pasal 2 ayat (2) huruf b"]
    db.session.refresh(ayat2)
    assert f"⟦{ayat1.id}|" in ayat2.text  # "ayat (1)" resolved within its own Pasal


def test_moving_a_unit_renumbers(client, login_as, bob, draft, url):
    pasal = pasals(draft.id)[-1]
    a = service.add_unit(draft, bob, UnitKind.AYAT, parent=pasal, text="Satu.")
    b = service.add_unit(draft, bob, UnitKind.AYAT, parent=pasal, text="Dua.")
    login_as(bob)
    assert client.post(url("move_unit", draft_id=draft.id, unit_id=b.id), data={"direction": "up"}).status_code == 303
    tree = service.load_tree(draft.id)
    assert [c.id for c in tree.node(pasal.id).children] == [b.id, a.id]
    assert tree.node(b.id).label == "(1)"


def test_a_reference_to_a_deleted_unit_is_flagged_where_it_stands(app, client, login_as, bob, draft, url, db):
    closing = pasals(draft.id)[-1]
    extra = service.add_unit(draft, bob, UnitKind.PASAL, after=pasals(draft.id)[0], text="Isi pasal.")
    service.save_unit(closing.id, bob, closing.head_revision_id,
                      "Selain sebagaimana dimaksud dalam Pasal 2, Peraturan Daerah ini mulai berlaku pada tanggal diundangkan.")
    login_as(bob)
    assert client.post(url("delete_unit", draft_id=draft.id, unit_id=extra.id)).status_code == 303
    page = client.get(url("show", draft_id=draft.id))
    assert 'class="xref-broken"' in page.text and "Pasal 2</mark>" in page.text
    with app.test_request_context():
        findings = checks.run(draft, service.load_tree(draft.id))
    assert any(f.category == "reference" and f.unit_id == closing.id for f in findings)
    # The deleted unit's history is kept, its deletion the last revision.
    actions = [r.action.value for r in db.session.query(UnitRevision).filter_by(unit_id=extra.id).order_by(UnitRevision.number)]
    assert actions == ["created", "deleted"]


def test_references_to_other_laws_are_not_links(bob, draft, db):
    point = first(draft.id, UnitKind.POIN)
    pasal = pasals(draft.id)[-1]
    service.save_unit(pasal.id, bob, pasal.head_revision_id,
                      "Sesuai Pasal 18 ayat (6) Undang-Undang Dasar, Peraturan Daerah ini mulai berlaku pada tanggal diundangkan.")
    db.session.refresh(pasal)
    assert "⟦" not in pasal.text
    assert "⟦" not in point.text


def test_a_unit_kind_that_does_not_fit_is_refused(client, login_as, bob, draft, url):
    login_as(bob)
    bab = first(draft.id, UnitKind.BAB)
    response = client.post(url("add_unit", draft_id=draft.id), data={"kind": "ayat", "parent_id": bab.id})
    assert response.status_code == 303
    assert labels(draft.id).count("(1)") == 0


def test_the_unit_page_is_the_address_a_meeting_links_to(client, login_as, alice, draft, url):
    login_as(alice)
    pasal = pasals(draft.id)[0]
    page = client.get(url("unit", draft_id=draft.id, unit_id=pasal.id))
    assert page.status_code == 200 and "Pasal 1" in page.text and 'id="suggestions"' in page.text
    fragment = client.get(url("unit", draft_id=draft.id, unit_id=pasal.id), headers=HX)
    assert fragment.status_code == 200 and "<html" not in fragment.text and 'id="suggestions"' not in fragment.text


def test_a_unit_offers_its_title_and_address_to_meetings_and_comments(app, bob, draft):
    pasal = pasals(draft.id)[-1]
    ayat = service.add_unit(draft, bob, UnitKind.AYAT, parent=pasal, text="Satu.")
    with app.test_request_context():
        assert ayat.title == "Pasal 2 ayat (1)"
        assert ayat.url.endswith(f"/drafts/{draft.id}/units/{ayat.id}")
        assert ayat.programme.id == draft.programme_id
        linkable = [(d.id, n.full_label) for d, n in service.units_for_linking(draft.programme)]
        assert (draft.id, "Pasal 2") in linkable and (draft.id, "BAB I") in linkable


def test_a_pasal_moves_into_another_bab_and_everything_renumbers(client, login_as, bob, draft, url):
    bab1, bab2 = [n.unit for n in service.load_tree(draft.id).order if n.kind == UnitKind.BAB]
    extra = service.add_unit(draft, bob, UnitKind.PASAL, parent=bab1, text="Pasal yang salah tempat.")
    login_as(bob)
    page = client.get(url("unit", draft_id=draft.id, unit_id=extra.id))
    assert f'<option value="{bab2.id}">BAB II' in page.text and f'<option value="{bab1.id}">' not in page.text
    response = client.post(url("move_unit", draft_id=draft.id, unit_id=extra.id), data={"direction": "into", "parent_id": bab2.id})
    assert response.status_code == 303
    tree = service.load_tree(draft.id)
    assert tree.node(extra.id).unit.parent_id == bab2.id and tree.node(extra.id).label == "Pasal 3"
    # A Pasal cannot go into an ayat, nor a BAB into itself.
    ayat = service.add_unit(draft, bob, UnitKind.AYAT, parent=extra, text="Ayat.")
    client.post(url("move_unit", draft_id=draft.id, unit_id=extra.id), data={"direction": "into", "parent_id": ayat.id})
    assert service.load_tree(draft.id).node(extra.id).unit.parent_id == bab2.id


def test_the_units_meetings_link_to_load_in_a_fixed_number_of_queries_whatever_the_number_of_drafts(app, db, alice, draft):
    from sqlalchemy import event

    from app.drafts.models import DraftKind

    def queries():
        seen = []
        listener = lambda *args: seen.append(1)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            db.session.expire_all()
            linkable = service.units_for_linking(draft.programme)
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(seen), {d.id for d, _n in linkable}

    queries()  # the first call also loads what the test's own objects lack
    one, drafts = queries()
    others = [service.create_draft(draft.programme, alice, f"Perwali {n}", DraftKind.PERWALI, "Kota Bontang").id
              for n in range(3)]
    queries()
    three, more = queries()
    assert drafts == {draft.id} and more == {draft.id, *others}
    assert one == three <= 4  # the programme (reloaded), its drafts, all their units: not one load per draft
