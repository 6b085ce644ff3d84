"""Invitations and changes of time or place reach the invitees; decisions reach the feed."""
from app.activity.models import Activity
from app.meetings.models import MeetingInvitation
from app.notifications.models import Kind, Notification
from app.pentahelix import Element

EDIT = {
    "title": "Rakor Program Wisata Industri", "kind": "rakor", "day": "2025-06-10", "start": "09:00", "end": "11:00",
    "timezone": "Asia/Makassar", "place": "Auditorium Pemkot Bontang", "online_url": "", "organiser_id": "",
    "roadshow_id": "", "description": "",
}


def _notified(db):
    return sorted(n.user_id for n in db.session.query(Notification).filter_by(kind=Kind.MEETING))


def test_an_invitation_by_element_notifies_the_members_of_that_element(client, login_as, alice, bob, member, charlie, programme, meeting, db):
    media = member("viewer", organisation__element=Element.MEDIA)
    login_as(alice)
    assert client.post(f"/p/{programme.slug}/meetings/{meeting.id}/invitations", data={"target": "e:media"}).status_code == 303
    assert _notified(db) == [media.id]


def test_a_new_place_notifies_the_invitees_and_an_unchanged_save_does_not(client, login_as, alice, bob, member, programme, meeting, db):
    db.session.add(MeetingInvitation(meeting_id=meeting.id, user_id=bob.id))
    db.session.commit()
    login_as(alice)
    base = f"/p/{programme.slug}/meetings/{meeting.id}/edit"
    assert client.post(base, data=EDIT).status_code == 303
    assert _notified(db) == []
    assert client.post(base, data={**EDIT, "place": "Gedung Graha Pertamina"}).status_code == 303
    assert _notified(db) == [bob.id]


def test_a_decision_is_in_the_activity_feed_unless_its_item_is_confidential(client, login_as, bob, programme, meeting, agenda_item, db):
    login_as(bob)
    url = f"/p/{programme.slug}/meetings/{meeting.id}/items/{agenda_item.id}/decisions"
    assert client.post(url, data={"kind": "work", "text": "Susun kajian dampak"}).status_code == 303
    assert [a.summary for a in db.session.query(Activity).filter_by(verb="meeting.decision_recorded")] == ["Susun kajian dampak"]
    agenda_item.confidential = True
    db.session.commit()
    assert client.post(url, data={"kind": "work", "text": "Rahasia"}).status_code == 303
    assert db.session.query(Activity).filter_by(verb="meeting.decision_recorded").count() == 1
