"""The hook for notifications: one signal per commit that recorded history, none after a refusal."""
import pytest

from app.actions import service
from app.actions.models import Status, TransitionError
from app.actions.signals import history_recorded


@pytest.fixture
def received(app):
    calls = []

    def receiver(sender, changes):
        calls.append(changes)

    history_recorded.connect(receiver)
    yield calls
    history_recorded.disconnect(receiver)


def test_a_committed_change_is_announced_once_with_its_entries(received, programme, make_action, alice, bob):
    action = make_action(assignee=alice)
    received.clear()
    service.change_status(action, Status.SELESAI, bob)
    assert len(received) == 1
    assert [(c["field"], c["new_value"], c["user_id"], c["action_id"]) for c in received[0]] == [
        ("status", "selesai", bob.id, action.id), ("progress", "100", bob.id, action.id)]
    assert received[0][0]["programme_id"] == programme.id


def test_a_refused_change_is_not_announced(received, make_action, bob):
    action = make_action()
    received.clear()
    with pytest.raises(TransitionError):
        service.change_status(action, Status.TERHAMBAT, bob)
    assert received == []


def test_an_assignment_names_the_new_assignee(received, programme, make_action, alice, bob, today):
    action = service.detail(programme, make_action().id)
    received.clear()
    service.update(action, programme, alice, title=action.title, description="", priority=action.priority,
                   assignee=bob, organisation=None, due_date=action.due_date, labels=[], parent=None, weight=1,
                   blocked_by=[])
    assert [(c["field"], c["new_value"], c["assignee_id"]) for c in received[0]] == [("assignee", bob.name, bob.id)]
