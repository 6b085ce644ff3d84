"""Tugas saya: what is assigned to me, in every programme I belong to."""
from datetime import timedelta

from app.actions import service
from app.actions.models import Status
from app.programmes.models import Role

HX = {"HX-Request": "true"}


def test_it_groups_my_open_tasks_across_programmes(client, login_as, alice, bob, factories, programme, make_action, today):
    other = factories.ProgrammeFactory(name="Disperin NTB")
    factories.MembershipFactory(programme=other, user=bob, role=Role.COMMENTER)
    make_action(title="Terlambat", assignee=bob, due_date=today - timedelta(days=1))
    service.create(other, alice, title="Meninting Bike Park", assignee=bob, due_date=today + timedelta(days=2))
    make_action(title="Tanpa tenggat", assignee=bob, due_date=None)
    make_action(title="Sudah selesai", assignee=bob, status=Status.SELESAI)
    make_action(title="Punya Alice", assignee=alice)
    login_as(bob)
    html = client.get("/my/tasks").get_data(as_text=True)
    assert html.index("Terlambat") < html.index("Meninting Bike Park") < html.index("Tanpa tenggat")
    assert "Disperin NTB" in html and "Sudah selesai" not in html and "Punya Alice" not in html
    assert "Sudah selesai" in client.get("/my/tasks?closed=1").get_data(as_text=True)


def test_a_programme_i_left_drops_out(client, db, login_as, bob, programme, make_action):
    from app.programmes.models import Membership

    make_action(title="Tugas lama", assignee=bob)
    db.session.query(Membership).filter_by(user_id=bob.id).delete()
    db.session.commit()
    login_as(bob)
    assert "Tugas lama" not in client.get("/my/tasks").get_data(as_text=True)


def test_fragment_and_sign_in(client, auth, login_as, bob, make_action):
    make_action(title="Tugas Bob", assignee=bob)
    login_as(bob)
    fragment = client.get("/my/tasks", headers=HX).get_data(as_text=True)
    assert fragment.lstrip().startswith('<div id="tasks">') and "Tugas Bob" in fragment
    auth.logout()
    assert client.get("/my/tasks").status_code in (302, 303)
