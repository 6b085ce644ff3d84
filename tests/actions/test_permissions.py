"""Who may do what with actions, asked through HTTP as each persona and role."""
import pytest

from app.actions.models import Action, Status
from app.programmes.models import Visibility

PAGES = ["", "board", "timeline", "dashboard", "export.csv", "summary"]


@pytest.fixture
def action(make_action):
    return make_action(title="Dukungan Disnaker di Job Fair 2025")


@pytest.mark.parametrize("page", PAGES)
def test_charlie_sees_nothing_of_a_private_programme(client, login_as, charlie, programme, action, page):
    login_as(charlie)
    assert client.get(f"/p/{programme.slug}/actions/{page}").status_code == 404


def test_charlie_gets_404_for_an_action_and_its_changes(client, login_as, charlie, programme, action):
    login_as(charlie)
    base = f"/p/{programme.slug}/actions/{action.id}"
    assert client.get(base).status_code == 404
    assert client.post(f"{base}/status", data={"status": "selesai"}).status_code == 404
    assert client.post(f"{base}/progress", data={"progress": "50"}).status_code == 404
    assert client.get(f"{base}/edit").status_code == 404


def test_an_anonymous_visitor_is_sent_to_sign_in_for_changes(client, programme, action):
    response = client.post(f"/p/{programme.slug}/actions/{action.id}/status", data={"status": "selesai"})
    assert response.status_code in (302, 303) and "/login" in response.headers["Location"]


def test_a_public_programme_shows_its_actions_to_anyone_but_not_the_forms(client, db, programme, action):
    programme.visibility = Visibility.PUBLIC
    db.session.commit()
    page = client.get(f"/p/{programme.slug}/actions/")
    assert page.status_code == 200 and "Dukungan Disnaker" in page.get_data(as_text=True)
    detail = client.get(f"/p/{programme.slug}/actions/{action.id}").get_data(as_text=True)
    assert 'id="status-form"' not in detail


@pytest.mark.parametrize("role", ["viewer", "commenter", "editor", "owner"])
@pytest.mark.parametrize("page", PAGES + ["{id}"])
def test_every_member_can_read(client, login_as, member, programme, action, role, page):
    login_as(member(role))
    assert client.get(f"/p/{programme.slug}/actions/{page.format(id=action.id)}").status_code == 200


@pytest.mark.parametrize("role, allowed", [("viewer", False), ("commenter", False), ("editor", True), ("owner", True)])
def test_only_editors_and_owners_create_and_edit(client, login_as, member, programme, action, role, allowed):
    login_as(member(role))
    expected = 200 if allowed else 403
    assert client.get(f"/p/{programme.slug}/actions/new").status_code == expected
    assert client.get(f"/p/{programme.slug}/actions/{action.id}/edit").status_code == expected
    assert client.get(f"/p/{programme.slug}/actions/import").status_code == expected
    created = client.post(f"/p/{programme.slug}/actions/new", data={"title": "Baru", "weight": "1", "priority": "normal"})
    assert created.status_code == (303 if allowed else 403)


@pytest.mark.parametrize("role, allowed", [("viewer", False), ("commenter", False), ("editor", True), ("owner", True)])
def test_status_changes_need_an_editor(client, db, login_as, member, programme, action, role, allowed):
    login_as(member(role))
    response = client.post(f"/p/{programme.slug}/actions/{action.id}/status", data={"status": "dikerjakan"})
    assert response.status_code == (303 if allowed else 403)
    db.session.expire_all()
    assert db.session.get(Action, action.id).status == (Status.DIKERJAKAN if allowed else Status.BARU)


@pytest.mark.parametrize("role, allowed", [("viewer", False), ("commenter", True)])
def test_the_assignee_reports_on_their_own_action_from_commenter_up(client, db, login_as, member, programme,
                                                                      make_action, role, allowed):
    person = member(role)
    action = make_action(assignee=person)
    login_as(person)
    base = f"/p/{programme.slug}/actions/{action.id}"
    assert client.post(f"{base}/status", data={"status": "dikerjakan"}).status_code == (303 if allowed else 403)
    assert client.post(f"{base}/progress", data={"progress": "40"}).status_code == (303 if allowed else 403)
    assert client.post(f"{base}/checklist", data={"text": "Hubungi Disnaker"}).status_code == (303 if allowed else 403)
    # Reporting is not editing: the assignee still may not change the plan.
    assert client.get(f"{base}/edit").status_code == 403
    db.session.expire_all()
    assert db.session.get(Action, action.id).progress == (40 if allowed else 0)


def test_only_owners_delete(client, db, login_as, alice, bob, programme, action):
    action_id = action.id  # the object expires with each request; once deleted it cannot reload
    login_as(bob)
    assert client.post(f"/p/{programme.slug}/actions/{action_id}/delete").status_code == 403
    login_as(alice)
    assert client.post(f"/p/{programme.slug}/actions/{action_id}/delete").status_code == 303
    assert db.session.get(Action, action_id) is None


def test_an_action_of_another_programme_is_not_found_here(client, login_as, alice, factories, programme):
    from app.actions import service

    other = factories.ProgrammeFactory()
    foreign = service.create(other, alice, title="Milik program lain")
    login_as(alice)
    assert client.get(f"/p/{programme.slug}/actions/{foreign.id}").status_code == 404
    assert client.post(f"/p/{programme.slug}/actions/{foreign.id}/status", data={"status": "selesai"}).status_code == 404
