"""Direncanakan → Berlangsung → Selesai → Notulen disahkan; confirmations per attendee and element."""
from sqlalchemy import select

from app.meetings import service
from app.meetings.models import MeetingStatus, MinutesConfirmation, Presence, Verdict
from app.pentahelix import Element


def _status(client, url, status):
    return client.post(url("/status"), data={"status": status})


def test_an_editor_runs_the_meeting_and_the_owner_approves(client, login_as, alice, bob, url, meeting, db):
    login_as(bob)
    assert _status(client, url, "in_progress").status_code == 303
    assert _status(client, url, "finished").status_code == 303
    assert _status(client, url, "approved").status_code == 403  # an editor cannot approve
    login_as(alice)
    assert _status(client, url, "approved").status_code == 303
    db.session.refresh(meeting)
    assert (meeting.status, meeting.approved_by_id) == (MeetingStatus.APPROVED, alice.id)
    assert meeting.approved_at is not None


def test_the_lifecycle_does_not_skip_steps(client, login_as, alice, url, meeting, db):
    login_as(alice)
    _status(client, url, "approved")
    _status(client, url, "finished")
    db.session.refresh(meeting)
    assert meeting.status == MeetingStatus.PLANNED
    assert _status(client, url, "party").status_code == 400


def test_a_finished_meeting_can_be_reopened_but_approved_minutes_cannot(client, login_as, alice, url, meeting, db):
    meeting.status = MeetingStatus.FINISHED
    db.session.commit()
    login_as(alice)
    _status(client, url, "in_progress")
    db.session.refresh(meeting)
    assert meeting.status == MeetingStatus.IN_PROGRESS
    meeting.status = MeetingStatus.APPROVED
    db.session.commit()
    _status(client, url, "in_progress")
    db.session.refresh(meeting)
    assert meeting.status == MeetingStatus.APPROVED


def test_a_viewer_cannot_change_the_status(client, login_as, member, url, meeting, db):
    login_as(member("viewer"))
    assert _status(client, url, "in_progress").status_code == 403


def test_approved_minutes_lock_the_agenda_and_decisions(client, login_as, alice, url, meeting, items, db):
    meeting.status = MeetingStatus.APPROVED
    db.session.commit()
    login_as(alice)
    assert client.post(url(f"/items/{items[0].id}/decisions"), data={"kind": "agreement", "text": "Baru"}).status_code == 409
    assert client.post(url(f"/items/{items[0].id}/remove")).status_code == 409
    html = client.get(url()).get_data(as_text=True)
    assert "data-sortable" not in html and "locked" in html


def _finished_with(meeting, db, *users):
    for user in users:
        service.record_attendance(meeting, user_id=user.id, presence=Presence.PRESENT)
    meeting.status = MeetingStatus.FINISHED
    db.session.commit()


def test_attendees_confirm_or_object_and_the_page_counts_per_element(client, login_as, alice, bob, member, url, meeting, db):
    viewer = member("viewer", organisation__element=Element.AKADEMISI)
    _finished_with(meeting, db, alice, bob, viewer)
    login_as(bob)
    response = client.post(url("/confirmation"), data={"verdict": "object", "note": "Nama Badak LNG salah tulis"},
                           headers={"HX-Request": "true"})
    assert response.status_code == 200 and 'id="confirmations"' in response.get_data(as_text=True)
    login_as(viewer)  # a viewer who attended also confirms
    assert client.post(url("/confirmation"), data={"verdict": "confirm"}).status_code == 303
    rows = {r["element"]: r for r in service.confirmation_summary(service.load_page(meeting))}
    assert (rows[Element.BISNIS]["objected"], rows[Element.AKADEMISI]["confirmed"], rows[Element.PEMERINTAH]["pending"]) == (1, 1, 1)
    login_as(alice)
    assert "Nama Badak LNG salah tulis" in client.get(url()).get_data(as_text=True)


def test_an_objection_needs_a_note(client, login_as, bob, url, meeting, db):
    _finished_with(meeting, db, bob)
    login_as(bob)
    assert client.post(url("/confirmation"), data={"verdict": "object", "note": ""}, headers={"HX-Request": "true"}).status_code == 422
    assert db.session.query(MinutesConfirmation).count() == 0


def test_only_attendees_confirm_and_only_after_the_meeting(client, login_as, alice, bob, url, meeting, db):
    service.record_attendance(meeting, user_id=bob.id, presence=Presence.PRESENT)
    login_as(bob)
    assert client.post(url("/confirmation"), data={"verdict": "confirm"}).status_code == 422  # still planned
    meeting.status = MeetingStatus.FINISHED
    db.session.commit()
    login_as(alice)  # did not attend
    assert client.post(url("/confirmation"), data={"verdict": "confirm"}).status_code == 422
    assert db.session.query(MinutesConfirmation).count() == 0


def test_answering_again_replaces_the_answer(client, login_as, bob, url, meeting, db):
    _finished_with(meeting, db, bob)
    login_as(bob)
    client.post(url("/confirmation"), data={"verdict": "object", "note": "Kurang lengkap"})
    client.post(url("/confirmation"), data={"verdict": "confirm"})
    row = db.session.execute(select(MinutesConfirmation)).scalar_one()
    assert row.verdict == Verdict.CONFIRM
