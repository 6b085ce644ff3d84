"""The rules of an action's life, on the model methods and through the service."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.actions import service
from app.actions.models import NOTE_WEIGHTS, Action, ActionHistory, Status, TransitionError


def history(db, action):
    return db.session.execute(
        select(ActionHistory).where(ActionHistory.action_id == action.id).order_by(ActionHistory.id)
    ).scalars().all()


def test_a_new_action_starts_as_baru_with_a_created_entry(db, make_action, alice):
    action = make_action()
    assert action.status == Status.BARU
    entries = history(db, action)
    assert [(e.field, e.user_id) for e in entries] == [("created", alice.id)]


@pytest.mark.parametrize("target", [Status.DIKERJAKAN, Status.SELESAI, Status.DIBATALKAN])
def test_it_moves_from_baru_without_a_note(db, make_action, bob, target):
    action = make_action()
    assert service.change_status(action, target, bob) is True
    assert db.session.get(Action, action.id).status == target


def test_terhambat_needs_a_reason(db, make_action, bob):
    action = make_action(status=Status.DIKERJAKAN)
    with pytest.raises(TransitionError):
        service.change_status(action, Status.TERHAMBAT, bob, note="   ")
    db.session.expire_all()
    assert db.session.get(Action, action.id).status == Status.DIKERJAKAN
    assert [e.field for e in history(db, action)] == ["created", "status"]


def test_terhambat_with_a_reason_keeps_the_reason(db, make_action, bob):
    action = make_action()
    service.change_status(action, Status.TERHAMBAT, bob, note="Menunggu anggaran")
    entry = history(db, action)[-1]
    assert (entry.field, entry.old_value, entry.new_value, entry.note, entry.user_id) == (
        "status", "baru", "terhambat", "Menunggu anggaran", bob.id)
    assert action.status_note == "Menunggu anggaran"


@pytest.mark.parametrize("target", [Status.BARU, Status.DIKERJAKAN, Status.TERHAMBAT])
def test_reopening_a_finished_action_needs_a_note(db, make_action, bob, target):
    action = make_action(status=Status.SELESAI)
    with pytest.raises(TransitionError):
        service.change_status(action, target, bob)
    db.session.expire_all()
    assert db.session.get(Action, action.id).status == Status.SELESAI


def test_reopening_with_a_note_clears_the_completion(db, make_action, bob):
    action = make_action(status=Status.SELESAI)
    assert action.completed_at is not None
    service.change_status(action, Status.DIKERJAKAN, bob, note="DPRD minta data tambahan")
    assert action.completed_at is None
    assert history(db, action)[-1].note == "DPRD minta data tambahan"


def test_cancelling_a_finished_action_needs_no_note(db, make_action, bob):
    action = make_action(status=Status.SELESAI)
    assert service.change_status(action, Status.DIBATALKAN, bob)


def test_finishing_sets_progress_to_100_and_records_both(db, make_action, bob):
    action = make_action(status=Status.DIKERJAKAN, progress=40)
    service.change_status(action, Status.SELESAI, bob)
    assert action.progress == 100
    fields = [(e.field, e.old_value, e.new_value) for e in history(db, action)][-2:]
    assert fields == [("status", "dikerjakan", "selesai"), ("progress", "40", "100")]


def test_the_same_status_again_changes_nothing(db, make_action, bob):
    action = make_action()
    assert service.change_status(action, Status.BARU, bob) is False
    assert len(history(db, action)) == 1


def test_progress_changes_are_recorded_and_bounded(db, make_action, bob):
    action = make_action()
    service.change_progress(action, 35, bob, note="Draf bab I")
    entry = history(db, action)[-1]
    assert (entry.field, entry.old_value, entry.new_value, entry.note) == ("progress", "0", "35", "Draf bab I")
    with pytest.raises(TransitionError):
        service.change_progress(action, 101, bob)
    with pytest.raises(TransitionError):
        service.change_progress(action, -1, bob)
    db.session.expire_all()
    assert db.session.get(Action, action.id).progress == 35


def test_assignee_and_due_date_changes_are_recorded(db, programme, make_action, alice, bob, today):
    action = make_action(assignee=alice, due_date=today)
    action = service.detail(programme, action.id)
    service.update(action, programme, alice, title=action.title, description="", priority=action.priority,
                   assignee=bob, organisation=None, due_date=today + timedelta(days=7), labels=[], parent=None,
                   weight=1, blocked_by=[], note="Dialihkan")
    entries = [(e.field, e.old_value, e.new_value, e.note) for e in history(db, action)][1:]
    assert entries == [
        ("assignee", alice.name, bob.name, "Dialihkan"),
        ("due_date", today.isoformat(), (today + timedelta(days=7)).isoformat(), "Dialihkan"),
    ]


def test_saving_without_changes_records_nothing(db, programme, make_action, alice, today):
    action = make_action(assignee=alice, due_date=today)
    action = service.detail(programme, action.id)
    service.update(action, programme, alice, title="Judul baru", description="", priority=action.priority,
                   assignee=alice, organisation=action.organisation, due_date=today, labels=[], parent=None,
                   weight=1, blocked_by=[])
    assert [e.field for e in history(db, action)] == ["created"]


def test_a_parent_shows_the_weighted_progress_of_its_children(db, programme, make_action, bob):
    parent = make_action(title="Usulan regulasi")
    a = make_action(title="Naskah akademik", parent=parent, weight=3)
    b = make_action(title="Kajian anggaran", parent=parent, weight=1)
    service.change_progress(a, 50, bob)
    assert db.session.get(Action, parent.id).progress == 38  # (50*3 + 0*1) / 4 = 37.5
    service.change_status(b, Status.SELESAI, bob)
    assert db.session.get(Action, parent.id).progress == 62  # (150 + 100) / 4 = 62.5 → 62 (banker's rounding)
    service.set_weights(parent, {a.id: 1, b.id: 1}, bob)
    assert db.session.get(Action, parent.id).progress == 75
    entry = history(db, parent)[-1]
    assert (entry.field, entry.note) == ("progress", NOTE_WEIGHTS)


def test_cancelled_children_do_not_count(db, make_action, bob):
    parent = make_action()
    a = make_action(parent=parent)
    b = make_action(parent=parent)
    service.change_progress(a, 80, bob)
    service.change_status(b, Status.DIBATALKAN, bob)
    assert db.session.get(Action, parent.id).progress == 80


def test_progress_rolls_up_through_every_level(db, make_action, bob):
    goal = make_action(title="Tujuan")
    middle = make_action(parent=goal)
    leaf = make_action(parent=middle)
    service.change_status(leaf, Status.SELESAI, bob)
    assert db.session.get(Action, middle.id).progress == 100
    assert db.session.get(Action, goal.id).progress == 100


def test_a_parent_progress_cannot_be_set_by_hand(db, make_action, bob):
    parent = make_action()
    make_action(parent=parent)
    with pytest.raises(service.ActionError):
        service.change_progress(parent, 50, bob)


def test_an_action_cannot_become_its_own_ancestor(db, programme, make_action, alice):
    parent = make_action()
    child = make_action(parent=parent)
    parent = service.detail(programme, parent.id)
    with pytest.raises(service.ActionError):
        service.update(parent, programme, alice, title=parent.title, description="", priority=parent.priority,
                       assignee=None, organisation=None, due_date=None, labels=[], parent=child, weight=1, blocked_by=[])
    db.session.expire_all()
    assert db.session.get(Action, parent.id).parent_id is None


def test_blocking_links_cannot_go_round_in_a_circle(db, programme, make_action, alice):
    first = make_action()
    second = make_action(blocked_by=[first])
    first = service.detail(programme, first.id)
    with pytest.raises(service.ActionError):
        service.update(first, programme, alice, title=first.title, description="", priority=first.priority,
                       assignee=None, organisation=None, due_date=None, labels=[], parent=None, weight=1,
                       blocked_by=[db.session.get(Action, second.id)])
    with pytest.raises(service.ActionError):
        service.update(first, programme, alice, title=first.title, description="", priority=first.priority,
                       assignee=None, organisation=None, due_date=None, labels=[], parent=None, weight=1,
                       blocked_by=[first])


def test_moving_a_child_to_another_parent_recalculates_both(db, programme, make_action, alice, bob):
    old, new = make_action(title="Lama"), make_action(title="Baru")
    done = make_action(parent=old, status=Status.SELESAI)
    make_action(parent=old)
    assert db.session.get(Action, old.id).progress == 50
    done = service.detail(programme, done.id)
    service.update(done, programme, alice, title=done.title, description="", priority=done.priority, assignee=None,
                   organisation=None, due_date=done.due_date, labels=[], parent=db.session.get(Action, new.id),
                   weight=1, blocked_by=[])
    assert db.session.get(Action, old.id).progress == 0
    assert db.session.get(Action, new.id).progress == 100


def test_the_assignee_organisation_answers_for_the_action_by_default(make_action, bob):
    action = make_action(assignee=bob)
    assert action.organisation_id == bob.organisation_id
