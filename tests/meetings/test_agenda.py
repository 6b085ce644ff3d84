from sqlalchemy import select

from app.meetings.models import AgendaItem, AgendaRevision


def _titles(db, meeting):
    return [i.title for i in db.session.execute(
        select(AgendaItem).filter_by(meeting_id=meeting.id).order_by(AgendaItem.position)).scalars()]


def _edit(item, **changes):
    data = {"base_version": item.version, "title": item.title, "presenter": item.presenter or "",
            "planned_minutes": item.planned_minutes, "description": item.description or "", "link_url": "", "link_label": ""}
    data.update(changes)
    return data


def test_an_editor_adds_agenda_items_and_sees_the_total_time(client, login_as, bob, url, meeting, db):
    login_as(bob)
    client.post(url("/items"), data={"title": "Dukungan Disnaker di Job Fair 2025", "planned_minutes": 20, "presenter": "Disnaker"})
    response = client.post(url("/items"), data={"title": "Kebutuhan produk regulasi", "planned_minutes": 25},
                           headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="agenda"' in html and "<html" not in html
    assert "45" in html  # total planned minutes
    assert _titles(db, meeting) == ["Dukungan Disnaker di Job Fair 2025", "Kebutuhan produk regulasi"]


def test_an_empty_title_is_a_form_error(client, login_as, bob, url, meeting, db):
    login_as(bob)
    assert client.post(url("/items"), data={"title": ""}, headers={"HX-Request": "true"}).status_code == 422
    assert _titles(db, meeting) == []


def test_a_javascript_link_is_refused(client, login_as, bob, url, meeting, db):
    login_as(bob)
    assert client.post(url("/items"), data={"title": "X", "link_url": "javascript:alert(1)"}).status_code == 422


def test_drag_and_drop_posts_the_new_order(client, login_as, alice, url, meeting, items, db):
    login_as(alice)
    response = client.post(url("/agenda/order"), data={"order": [items[1].id, items[0].id]}, headers={"HX-Request": "true"})
    assert response.status_code == 200 and 'id="agenda"' in response.get_data(as_text=True)
    assert _titles(db, meeting) == [items[1].title, items[0].title]


def test_a_stale_drag_keeps_items_added_meanwhile(client, login_as, alice, url, meeting, items, db):
    from tests.meetings.conftest import AgendaItemFactory

    AgendaItemFactory(meeting_id=meeting.id, title="Ditambah kemudian", position=2)
    login_as(alice)
    client.post(url("/agenda/order"), data={"order": [items[1].id, items[0].id]})
    assert _titles(db, meeting) == [items[1].title, items[0].title, "Ditambah kemudian"]


def test_the_keyboard_buttons_move_an_item(client, login_as, alice, url, meeting, items, db):
    login_as(alice)
    assert client.post(url("/agenda/order"), data={"move": f"{items[1].id}:up"}).status_code == 303
    assert _titles(db, meeting) == [items[1].title, items[0].title]
    client.post(url("/agenda/order"), data={"move": f"{items[1].id}:up"})  # already first: nothing moves
    assert _titles(db, meeting) == [items[1].title, items[0].title]
    assert client.post(url("/agenda/order"), data={"move": "x:sideways"}).status_code == 400


def test_the_page_offers_drag_and_drop_and_buttons(client, login_as, alice, url, items):
    login_as(alice)
    html = client.get(url()).get_data(as_text=True)
    assert "data-sortable" in html and "sortable-1.15.7.min.js" in html
    assert f'value="{items[0].id}:down"' in html


def test_a_viewer_cannot_change_the_agenda(client, login_as, member, url, meeting, items, db):
    login_as(member("viewer"))
    assert client.post(url("/items"), data={"title": "X"}).status_code == 403
    assert client.post(url("/agenda/order"), data={"order": [items[1].id, items[0].id]}).status_code == 403
    assert client.get(url(f"/items/{items[0].id}/edit")).status_code == 403
    assert "data-sortable" not in client.get(url()).get_data(as_text=True)
    assert _titles(db, meeting) == [items[0].title, items[1].title]


def test_an_item_is_edited_from_its_version(client, login_as, alice, url, items, db):
    login_as(alice)
    item = items[0]
    assert client.get(url(f"/items/{item.id}/edit")).status_code == 200
    response = client.post(url(f"/items/{item.id}/edit"), data=_edit(item, title="Paparan konsep Program Wisata Industri"))
    assert response.status_code == 303
    db.session.refresh(item)
    assert (item.title, item.version) == ("Paparan konsep Program Wisata Industri", 2)
    assert db.session.scalar(select(AgendaRevision.title).filter_by(item_id=item.id, number=2)) == item.title


def test_concurrent_agenda_edits_in_different_places_merge(client, login_as, alice, bob, url, items, db):
    item = items[0]
    item.description = "Paparan oleh MASATA tentang konsep program."
    db.session.commit()
    db.session.execute(AgendaRevision.__table__.update().where(AgendaRevision.item_id == item.id)
                       .values(description=item.description))
    db.session.commit()
    bob_form = _edit(item, description="Paparan oleh DPC MASATA tentang konsep program.")
    login_as(alice)
    client.post(url(f"/items/{item.id}/edit"), data=_edit(item, description="Paparan oleh MASATA tentang konsep program wisata industri.", planned_minutes=30))
    login_as(bob)
    response = client.post(url(f"/items/{item.id}/edit"), data=bob_form)  # bob started from version 1
    assert response.status_code == 303
    db.session.refresh(item)
    assert item.description == "Paparan oleh DPC MASATA tentang konsep program wisata industri."
    assert item.planned_minutes == 30  # alice's change kept: bob did not touch it
    assert item.version == 3


def test_overlapping_agenda_edits_come_back_as_a_conflict(client, login_as, alice, bob, url, items, db):
    item = items[0]
    bob_form = _edit(item, title="Paparan konsep oleh MASATA")
    login_as(alice)
    client.post(url(f"/items/{item.id}/edit"), data=_edit(item, title="Paparan konsep oleh Pemkot"))
    login_as(bob)
    response = client.post(url(f"/items/{item.id}/edit"), data=bob_form)
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "oleh Pemkot" in html and "oleh MASATA" in html  # theirs, mine, and the proposal
    db.session.refresh(item)
    assert item.title == "Paparan konsep oleh Pemkot" and item.version == 2  # nothing overwritten


def test_an_item_is_removed_with_its_decisions(client, login_as, alice, url, meeting, items, db):
    from app.meetings import service
    from app.meetings.models import Decision, DecisionKind

    service.add_decision(items[0], alice, DecisionKind.WORK, "Ikut terhapus")
    service.save_minutes(items[0].id, alice, 0, "Notulen ikut terhapus")
    login_as(alice)
    assert client.post(url(f"/items/{items[0].id}/remove")).status_code == 303
    assert _titles(db, meeting) == [items[1].title]
    assert db.session.query(Decision).count() == 0


def test_an_item_of_another_meeting_is_404(client, login_as, alice, programme, url, items, factories):
    from tests.meetings.conftest import MeetingFactory

    other = MeetingFactory(programme_id=programme.id)
    login_as(alice)
    assert client.get(f"/p/{programme.slug}/meetings/{other.id}/items/{items[0].id}/edit").status_code == 404
