"""Nothing falls between meetings: a new meeting starts with the still-open actions of earlier ones,
and the notulen list the actions created from their decisions."""
from datetime import timedelta

from sqlalchemy import select

from app.actions.models import Action, SourceKind, Status
from app.meetings import followup, service
from app.meetings.models import AgendaItem, Decision, DecisionKind, Meeting
from app.types import utcnow


def _action(db, programme, title, status=Status.BARU, due_in=-3, kind=SourceKind.DECISION, source_id=1, organisation=None):
    action = Action(programme_id=programme.id, title=title, status=status, source_kind=kind, source_id=source_id,
                    source_label="Rakor", due_date=(utcnow() + timedelta(days=due_in)).date(),
                    organisation_id=organisation.id if organisation else None)
    db.session.add(action)
    db.session.commit()
    return action


def test_only_open_actions_from_meetings_are_listed_due_first(app, db, programme, factories):
    masata = factories.OrganisationFactory(name="DPC MASATA Kota Bontang", short_name="MASATA")
    _action(db, programme, "Usulkan nama baru ke DPP", due_in=-3, organisation=masata)
    _action(db, programme, "Sosialisasi di Job Fair", due_in=10, status=Status.DIKERJAKAN)
    _action(db, programme, "Sudah selesai", status=Status.SELESAI)
    _action(db, programme, "Dari rancangan", kind=SourceKind.DRAFT)
    listed = followup.open_actions(programme)
    assert [(a["title"], a["organisation"]) for a in listed] == [
        ("Usulkan nama baru ke DPP", "MASATA"), ("Sosialisasi di Job Fair", None)]


def test_a_new_meeting_begins_with_the_open_actions_of_earlier_meetings(client, login_as, alice, programme, db):
    _action(db, programme, "Usulkan nama baru ke DPP")
    login_as(alice)
    assert "Usulkan nama baru ke DPP" in client.get(f"/p/{programme.slug}/meetings/new").get_data(as_text=True)
    client.post(f"/p/{programme.slug}/meetings/new", data={
        "title": "Rakor lanjutan", "kind": "rakor", "day": "2025-08-01", "start": "09:00", "end": "11:00",
        "timezone": "Asia/Makassar", "follow_up": "y"})
    meeting = db.session.execute(select(Meeting).filter_by(title="Rakor lanjutan")).scalar_one()
    first = db.session.execute(select(AgendaItem).filter_by(meeting_id=meeting.id, position=0)).scalar_one()
    assert first.title == service.FOLLOW_UP_TITLE
    assert "Usulkan nama baru ke DPP" in first.description and "terlambat" in first.description


def test_unticking_the_follow_up_leaves_it_out(client, login_as, alice, programme, db):
    _action(db, programme, "Usulkan nama baru ke DPP")
    login_as(alice)
    client.post(f"/p/{programme.slug}/meetings/new", data={
        "title": "Rakor tanpa tindak lanjut", "kind": "rakor", "day": "2025-08-01", "start": "09:00", "end": "11:00",
        "timezone": "Asia/Makassar"})
    meeting = db.session.execute(select(Meeting).filter_by(title="Rakor tanpa tindak lanjut")).scalar_one()
    assert db.session.execute(select(AgendaItem).filter_by(meeting_id=meeting.id)).first() is None


def test_the_meeting_page_and_notulen_show_the_actions_of_a_decision(client, login_as, alice, programme, db, url, items):
    decision = Decision(meeting_id=items[0].meeting_id, item_id=items[0].id, kind=DecisionKind.WORK, text="Usulkan ke DPP")
    db.session.add(decision)
    db.session.commit()
    _action(db, programme, "Kirim surat ke DPP MASATA", source_id=decision.id)
    login_as(alice)
    assert "Kirim surat ke DPP MASATA" in client.get(url()).get_data(as_text=True)
    assert "Kirim surat ke DPP MASATA" in client.get(url("/notulen")).get_data(as_text=True)
