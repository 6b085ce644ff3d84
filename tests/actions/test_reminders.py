"""`flask send-reminders`: one digest per person with overdue and due-soon actions."""
import logging
from datetime import timedelta

from app.actions import service
from app.actions.models import Status


def test_reminders_due_groups_each_persons_actions(app, programme, alice, bob, member, make_action, today):
    viewer = member("viewer")
    late = make_action(title="Terlambat", assignee=bob, due_date=today - timedelta(days=2))
    soon = make_action(title="Segera", assignee=bob, due_date=today + timedelta(days=2))
    make_action(title="Nanti", assignee=bob, due_date=today + timedelta(days=10))
    make_action(title="Selesai", assignee=bob, due_date=today - timedelta(days=2), status=Status.SELESAI)
    make_action(title="Batal", assignee=bob, due_date=today, status=Status.DIBATALKAN)
    make_action(title="Tanpa orang", due_date=today)
    blocked = make_action(title="Macet", assignee=alice, due_date=today, status=Status.TERHAMBAT, note="x")
    make_action(title="Untuk viewer", assignee=viewer, due_date=today + timedelta(days=1))
    reminders = {r.user.id: r for r in service.reminders_due(today, soon_days=3)}
    assert set(reminders) == {alice.id, bob.id, viewer.id}
    assert [a.id for a in reminders[bob.id].overdue] == [late.id]
    assert [a.id for a in reminders[bob.id].due_soon] == [soon.id]
    assert [a.id for a in reminders[alice.id].due_soon] == [blocked.id]


def test_people_who_left_the_programme_are_not_reminded(db, programme, bob, make_action, today):
    from app.programmes.models import Membership

    make_action(assignee=bob, due_date=today)
    db.session.query(Membership).filter_by(user_id=bob.id).delete()
    db.session.commit()
    assert service.reminders_due(today) == []


def test_the_command_sends_one_email_per_person(runner, caplog, programme, alice, bob, make_action, today):
    make_action(title="Usulan Perwali", assignee=bob, due_date=today - timedelta(days=1))
    make_action(title="Job Fair", assignee=bob, due_date=today + timedelta(days=1))
    make_action(title="Bike Park", assignee=alice, due_date=today)
    with caplog.at_level(logging.INFO):
        result = runner.invoke(args=["send-reminders", "--base-url", "https://sinergi.example"])
    assert result.exit_code == 0, result.output
    assert "Reminders sent: 2" in result.output
    mails = [r.getMessage() for r in caplog.records if r.getMessage().startswith("mail")]
    assert len(mails) == 2
    bobs = next(m for m in mails if bob.email in m)
    # Bob's language is Indonesian; the subject counts, and each action links to its page.
    assert "Usulan Perwali" in bobs and "Job Fair" in bobs and "Bike Park" not in bobs
    assert f"/p/{programme.slug}/actions/" in bobs and "://" in bobs  # absolute links (SERVER_NAME wins over --base-url)


def test_the_command_with_nothing_due(runner, programme, make_action, bob, today):
    make_action(assignee=bob, due_date=today + timedelta(days=30))
    result = runner.invoke(args=["send-reminders", "--days", "7"])
    assert result.exit_code == 0 and "Reminders sent: 0" in result.output


def test_reminders_also_arrive_in_the_bell(app, runner, db, factories, programme, alice, bob):
    from datetime import timedelta

    from sqlalchemy import select

    from app.actions import service
    from app.notifications.models import Kind, Notification

    service.create(programme, alice, title="Usulan nama ke DPP", assignee=bob, due_date=service.today() - timedelta(days=2))
    service.create(programme, alice, title="Dukungan Job Fair", assignee=bob, due_date=service.today() + timedelta(days=1))
    result = runner.invoke(args=["send-reminders"])
    assert result.exit_code == 0, result.output
    notes = db.session.execute(select(Notification).where(Notification.user_id == bob.id)).scalars().all()
    reminders = [n for n in notes if n.kind == Kind.REMINDER]
    assert len(reminders) == 2


def test_reminders_read_as_a_sentence_on_the_notifications_page(runner, client, login_as, db, programme, alice, bob):
    """The bell's list names each reminder (it answered 500 before: no sentence for the kind)."""
    from datetime import timedelta

    from app.actions import service

    service.create(programme, alice, title="Usulan nama ke DPP", assignee=bob, due_date=service.today() - timedelta(days=2))
    assert runner.invoke(args=["send-reminders"]).exit_code == 0
    login_as(bob)
    response = client.get("/notifications")
    assert response.status_code == 200
    assert "Reminder: Usulan nama ke DPP" in response.get_data(as_text=True)
