"""Invitations (person, organisation, element), RSVP, attendance with guests, and "is every element at the table?"."""
from sqlalchemy import select

from app.meetings import service
from app.meetings.models import Attendance, MeetingInvitation, MeetingRsvp, Presence, Rsvp
from app.pentahelix import Element
from tests.meetings.conftest import text


def _summary(db, meeting, programme):
    meeting = service.load_page(meeting)
    invited = service.invitees(meeting, service.members_of(programme))
    return {row.element: row for row in service.element_summary(meeting, invited)}


def test_an_editor_invites_a_person_an_organisation_and_an_element(client, login_as, alice, bob, member, factories, url, meeting, programme, db):
    academic = member("viewer", organisation__element=Element.AKADEMISI)
    journalist = member("viewer", organisation__element=Element.MEDIA)
    login_as(bob)
    assert client.post(url("/invitations"), data={"target": f"u:{alice.id}"}).status_code == 303
    client.post(url("/invitations"), data={"target": f"o:{academic.organisation_id}"})
    response = client.post(url("/invitations"), data={"target": "e:media"}, headers={"HX-Request": "true"})
    assert response.status_code == 200 and 'id="attendance"' in response.get_data(as_text=True)
    invited = {u.id for u in service.invitees(service.load_page(meeting), service.members_of(programme))}
    assert invited == {alice.id, academic.id, journalist.id}
    client.post(url("/invitations"), data={"target": "e:media"})  # twice is once
    assert db.session.query(MeetingInvitation).count() == 3


def test_an_unknown_invitation_target_is_a_form_error(client, login_as, bob, url, db):
    login_as(bob)
    for target in ("u:99999", "e:army", "x"):
        assert client.post(url("/invitations"), data={"target": target}, headers={"HX-Request": "true"}).status_code == 422
    assert db.session.query(MeetingInvitation).count() == 0


def test_a_member_answers_the_invitation(client, login_as, member, url, meeting, db):
    viewer = member("viewer")
    login_as(viewer)
    response = client.post(url("/rsvp"), data={"response": "maybe"}, headers={"HX-Request": "true"})
    assert response.status_code == 200 and 'id="meeting-head"' in response.get_data(as_text=True)
    client.post(url("/rsvp"), data={"response": "yes"})
    rsvp = db.session.execute(select(MeetingRsvp)).scalar_one()
    assert (rsvp.user_id, rsvp.response) == (viewer.id, Rsvp.YES)


def test_an_outsider_cannot_answer(client, login_as, charlie, url, db):
    login_as(charlie)
    assert client.post(url("/rsvp"), data={"response": "yes"}).status_code == 404
    assert db.session.query(MeetingRsvp).count() == 0


def test_the_roll_call_records_members_and_guests_by_element(client, login_as, alice, bob, url, meeting, programme, factories, db):
    login_as(alice)
    client.post(url("/invitations"), data={"target": "e:pemerintah"})
    client.post(url("/invitations"), data={"target": "e:bisnis"})
    client.post(url("/attendance"), data={"user_id": alice.id, "presence": "present"})
    client.post(url("/attendance"), data={"user_id": bob.id, "presence": "represented", "represented_by": "Staf Badak LNG"})
    unijaya = factories.OrganisationFactory(name="Universitas Trunajaya", element=Element.AKADEMISI)
    client.post(url("/attendance"), data={"guest_name": "Dr. Tamu", "organisation_id": unijaya.id, "presence": "present",
                                          "contact": "0812-0000"})
    client.post(url("/attendance"), data={"guest_name": "Wartawan", "guest_element": "media", "presence": "absent"})
    rows = _summary(db, meeting, programme)
    assert (rows[Element.PEMERINTAH].invited, rows[Element.PEMERINTAH].present) == (1, 1)
    assert (rows[Element.BISNIS].represented, rows[Element.BISNIS].at_table) == (1, True)
    assert rows[Element.AKADEMISI].organisations == ["Universitas Trunajaya"]
    assert (rows[Element.MEDIA].absent, rows[Element.MEDIA].at_table) == (1, False)
    assert not rows[Element.KOMUNITAS].at_table
    html = text(client.get(url()).get_data(as_text=True))
    assert "Dr. Tamu" in html and "Staf Badak LNG" in html and "0812-0000" in html


def test_recording_a_member_twice_updates_the_row(client, login_as, alice, url, db):
    login_as(alice)
    client.post(url("/attendance"), data={"user_id": alice.id, "presence": "absent"})
    client.post(url("/attendance"), data={"user_id": alice.id, "presence": "present"})
    row = db.session.execute(select(Attendance)).scalar_one()
    assert row.presence == Presence.PRESENT


def test_every_element_at_the_table_is_said_so(client, login_as, alice, url, meeting, programme, db):
    for element in Element:
        service.record_attendance(meeting, guest_name=f"Wakil {element.value}", guest_element=element)
    assert all(row.at_table for row in _summary(db, meeting, programme).values())
    login_as(alice)
    html = client.get(url("?fragment=attendance"), headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "coverage-missing" not in html


def test_a_guest_needs_a_name_and_an_organisation_or_element(client, login_as, alice, url, db):
    login_as(alice)
    assert client.post(url("/attendance"), data={"guest_name": "", "presence": "present"}, headers={"HX-Request": "true"}).status_code == 422
    assert client.post(url("/attendance"), data={"guest_name": "Tamu", "presence": "present"}, headers={"HX-Request": "true"}).status_code == 422
    assert client.post(url("/attendance"), data={"guest_name": "Tamu", "organisation_id": "99999", "presence": "present"},
                       headers={"HX-Request": "true"}).status_code == 422
    assert db.session.query(Attendance).count() == 0


def test_a_non_member_cannot_be_recorded_by_user_id(client, login_as, alice, charlie, url, db):
    login_as(alice)
    assert client.post(url("/attendance"), data={"user_id": charlie.id, "presence": "present"}).status_code == 400
    assert db.session.query(Attendance).count() == 0


def test_contacts_are_shown_only_to_editors(client, login_as, member, url, meeting):
    service.record_attendance(meeting, guest_name="Tamu", guest_element=Element.MEDIA, contact="tamu@example.id")
    login_as(member("viewer"))
    html = client.get(url()).get_data(as_text=True)
    assert "Tamu" in html and "tamu@example.id" not in html


def test_a_viewer_cannot_take_attendance_or_invite(client, login_as, member, alice, url, db):
    login_as(member("viewer"))
    assert client.post(url("/attendance"), data={"user_id": alice.id, "presence": "present"}).status_code == 403
    assert client.post(url("/invitations"), data={"target": "e:media"}).status_code == 403
    assert db.session.query(Attendance).count() == 0


def test_an_attendance_row_is_removed(client, login_as, alice, url, meeting, db):
    row = service.record_attendance(meeting, guest_name="Tamu", guest_element=Element.MEDIA)
    login_as(alice)
    response = client.post(url(f"/attendance/{row.id}/remove"), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert db.session.query(Attendance).count() == 0
