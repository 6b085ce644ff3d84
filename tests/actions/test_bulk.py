"""Bulk change of status / assignee for the selected rows: all or nothing."""
from app.actions.models import Action, Status


def post(client, programme, **data):
    return client.post(f"/p/{programme.slug}/actions/bulk", data={"filter": "status=baru", **data})


def test_it_changes_the_status_of_the_selected_rows(client, db, login_as, bob, programme, make_action):
    a, b, untouched = make_action(), make_action(), make_action()
    login_as(bob)
    response = post(client, programme, ids=[a.id, b.id], status="dikerjakan", assignee="")
    assert response.status_code == 303 and response.headers["Location"].endswith("/actions/?status=baru")
    db.session.expire_all()
    assert [db.session.get(Action, i).status for i in (a.id, b.id, untouched.id)] == [
        Status.DIKERJAKAN, Status.DIKERJAKAN, Status.BARU]


def test_it_assigns_and_unassigns(client, db, login_as, alice, bob, programme, make_action):
    a, b = make_action(assignee=alice), make_action()
    login_as(bob)
    post(client, programme, ids=[a.id, b.id], status="", assignee=str(bob.id))
    db.session.expire_all()
    assert {db.session.get(Action, i).assignee_id for i in (a.id, b.id)} == {bob.id}
    post(client, programme, ids=[a.id], status="", assignee="none")
    db.session.expire_all()
    assert db.session.get(Action, a.id).assignee_id is None


def test_one_refusal_changes_nothing(client, db, login_as, bob, programme, make_action):
    fine = make_action(title="Bisa dipindah")
    finished = make_action(title="Sudah selesai", status=Status.SELESAI)
    login_as(bob)
    response = post(client, programme, ids=[fine.id, finished.id], status="dikerjakan", assignee="")
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Nothing was changed." in page and "Sudah selesai" in page
    db.session.expire_all()
    assert db.session.get(Action, fine.id).status == Status.BARU


def test_blocking_in_bulk_needs_the_reason_once(client, db, login_as, bob, programme, make_action):
    a, b = make_action(), make_action()
    login_as(bob)
    post(client, programme, ids=[a.id, b.id], status="terhambat", assignee="", note="Anggaran dibekukan")
    db.session.expire_all()
    assert {db.session.get(Action, i).status_note for i in (a.id, b.id)} == {"Anggaran dibekukan"}


def test_ids_of_another_programme_are_ignored(client, db, login_as, alice, bob, factories, programme, make_action):
    from app.actions import service

    other = service.create(factories.ProgrammeFactory(), alice, title="Lain")
    login_as(bob)
    post(client, programme, ids=[other.id], status="selesai", assignee="")
    assert db.session.get(Action, other.id).status == Status.BARU


def test_nothing_chosen_or_nothing_selected_is_explained(client, login_as, bob, programme, make_action):
    a = make_action()
    login_as(bob)
    page = client.get(post(client, programme, ids=[a.id], status="", assignee="").headers["Location"])
    assert "Choose a new status or assignee" in page.get_data(as_text=True)
    page = client.get(post(client, programme, status="selesai", assignee="").headers["Location"])
    assert "Select at least one action." in page.get_data(as_text=True)
    page = client.get(post(client, programme, ids=[a.id], status="x", assignee="").headers["Location"])
    assert "Choose a status or an assignee from the lists." in page.get_data(as_text=True)


def test_commenters_and_charlie_may_not(client, login_as, member, charlie, programme, make_action):
    a = make_action()
    login_as(member("commenter"))
    assert post(client, programme, ids=[a.id], status="selesai", assignee="").status_code == 403
    login_as(charlie)
    assert post(client, programme, ids=[a.id], status="selesai", assignee="").status_code == 404
