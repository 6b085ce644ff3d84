import json

from sqlalchemy import select

from app.meetings.models import AgendaItem, AgendaTemplate, Meeting, MeetingKind, MeetingStatus

FORM = {
    "title": "Rakor Program Wisata Industri", "kind": "rakor", "day": "2025-06-10", "start": "09:00", "end": "12:00",
    "timezone": "Asia/Makassar", "place": "Auditorium", "online_url": "", "organiser_id": "", "roadshow_id": "",
    "template_id": "", "description": "Rapat *koordinasi*",
}


def _meeting(db, title=FORM["title"]):
    return db.session.execute(select(Meeting).filter_by(title=title)).scalar_one_or_none()


def test_the_owner_creates_a_meeting(client, login_as, alice, programme, db):
    login_as(alice)
    response = client.post(f"/p/{programme.slug}/meetings/new", data=FORM)
    assert response.status_code == 303
    meeting = _meeting(db)
    assert (meeting.kind, meeting.status, meeting.created_by_id) == (MeetingKind.RAKOR, MeetingStatus.PLANNED, alice.id)
    assert response.headers["Location"].endswith(f"/meetings/{meeting.id}")


def test_an_editor_creates_a_meeting(client, login_as, bob, programme, db):
    login_as(bob)
    assert client.post(f"/p/{programme.slug}/meetings/new", data=FORM).status_code == 303
    assert _meeting(db) is not None


def test_the_form_is_a_page_and_a_fragment(client, login_as, alice, programme):
    login_as(alice)
    page = client.get(f"/p/{programme.slug}/meetings/new")
    assert page.status_code == 200 and "<html" in page.get_data(as_text=True)
    bad = client.post(f"/p/{programme.slug}/meetings/new", data={**FORM, "title": ""}, headers={"HX-Request": "true"})
    assert bad.status_code == 422
    assert 'id="meeting-form"' in bad.get_data(as_text=True) and "<html" not in bad.get_data(as_text=True)


def test_a_viewer_and_a_commenter_cannot_create_meetings(client, login_as, member, programme, db):
    for role in ("viewer", "commenter"):
        login_as(member(role))
        assert client.get(f"/p/{programme.slug}/meetings/new").status_code == 403
        assert client.post(f"/p/{programme.slug}/meetings/new", data=FORM).status_code == 403
    assert _meeting(db) is None


def test_an_outsider_gets_404(client, login_as, charlie, programme, db):
    login_as(charlie)
    assert client.post(f"/p/{programme.slug}/meetings/new", data=FORM).status_code == 404
    assert _meeting(db) is None


def test_a_meeting_must_end_after_it_starts(client, login_as, alice, programme, db):
    login_as(alice)
    response = client.post(f"/p/{programme.slug}/meetings/new", data={**FORM, "end": "08:00"})
    assert response.status_code == 422
    assert _meeting(db) is None


def test_bad_choices_are_form_errors_not_crashes(client, login_as, alice, programme, db):
    login_as(alice)
    for bad in ({"kind": "party"}, {"timezone": "Europe/Paris"}, {"organiser_id": "x"}, {"organiser_id": "99999"}, {"online_url": "javascript:alert(1)"},
                {"day": "kemarin"}):
        assert client.post(f"/p/{programme.slug}/meetings/new", data={**FORM, **bad}).status_code == 422, bad
    assert _meeting(db) is None


def test_a_roadshow_of_another_programme_is_refused(client, login_as, alice, programme, factories, db):
    from app.meetings.models import Roadshow

    other = factories.ProgrammeFactory()
    roadshow = Roadshow(programme_id=other.id, title="Lain")
    db.session.add(roadshow)
    db.session.commit()
    login_as(alice)
    assert client.post(f"/p/{programme.slug}/meetings/new", data={**FORM, "roadshow_id": roadshow.id}).status_code == 422
    assert _meeting(db) is None


def test_a_meeting_starts_from_an_agenda_template(client, login_as, alice, programme, db):
    template = AgendaTemplate(programme_id=programme.id, name="Rakor standar", items=json.dumps([
        {"title": "Pembukaan", "planned_minutes": 10, "presenter": "MC"},
        {"title": "Paparan", "planned_minutes": 30},
    ]))
    db.session.add(template)
    db.session.commit()
    login_as(alice)
    client.post(f"/p/{programme.slug}/meetings/new", data={**FORM, "template_id": template.id})
    meeting = _meeting(db)
    items = db.session.execute(select(AgendaItem).filter_by(meeting_id=meeting.id).order_by(AgendaItem.position)).scalars().all()
    assert [(i.title, i.planned_minutes, i.presenter) for i in items] == [("Pembukaan", 10, "MC"), ("Paparan", 30, "")]


def test_the_agenda_is_saved_as_a_template_and_reused(client, login_as, alice, programme, url, items, db):
    login_as(alice)
    assert client.post(url("/template"), data={"name": "Rakor Bontang"}).status_code == 303
    template = db.session.execute(select(AgendaTemplate)).scalar_one()
    assert [e["title"] for e in json.loads(template.items)] == [i.title for i in items]
    html = client.get(f"/p/{programme.slug}/meetings/new").get_data(as_text=True)
    assert "Rakor Bontang" in html


def test_the_owner_edits_and_deletes_a_meeting(client, login_as, alice, url, meeting, db):
    login_as(alice)
    assert client.get(url("/edit")).status_code == 200
    response = client.post(url("/edit"), data={**FORM, "title": "Rakor diubah", "timezone": "Asia/Jakarta", "start": "09:00"})
    assert response.status_code == 303
    db.session.refresh(meeting)
    assert meeting.title == "Rakor diubah" and meeting.starts_at.hour == 2
    meeting_id = meeting.id
    assert client.post(url("/delete")).status_code == 303
    db.session.expunge_all()
    assert db.session.get(Meeting, meeting_id) is None


def test_an_editor_may_not_delete_a_meeting(client, login_as, bob, url, meeting, db):
    login_as(bob)
    assert client.post(url("/delete")).status_code == 403
    assert db.session.get(Meeting, meeting.id) is not None
