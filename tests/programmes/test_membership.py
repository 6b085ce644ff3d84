from sqlalchemy import select

from app.programmes.models import Membership, Role


def _role(db, programme, user):
    m = db.session.execute(select(Membership).filter_by(programme_id=programme.id, user_id=user.id)).scalar_one_or_none()
    return m.role if m else None


def _mid(db, programme, user):
    return db.session.execute(select(Membership.id).filter_by(programme_id=programme.id, user_id=user.id)).scalar_one()


def test_the_owner_changes_a_role(client, login_as, alice, bob, programme, db):
    login_as(alice)
    response = client.post(f"/p/{programme.slug}/members/{_mid(db, programme, bob)}/role", data={"role": "viewer"})
    assert response.status_code == 303
    assert _role(db, programme, bob) == Role.VIEWER


def test_the_owner_removes_a_member(client, login_as, alice, bob, programme, db):
    login_as(alice)
    assert client.post(f"/p/{programme.slug}/members/{_mid(db, programme, bob)}/remove").status_code == 303
    assert _role(db, programme, bob) is None
    login_as(bob)
    assert client.get(f"/p/{programme.slug}/").status_code == 404


def test_an_editor_cannot_change_roles_or_remove(client, login_as, alice, bob, programme, db):
    login_as(bob)
    alice_id = _mid(db, programme, alice)
    assert client.post(f"/p/{programme.slug}/members/{alice_id}/role", data={"role": "viewer"}).status_code == 403
    assert client.post(f"/p/{programme.slug}/members/{alice_id}/remove").status_code == 403
    assert _role(db, programme, alice) == Role.OWNER


def test_a_member_leaves(client, login_as, alice, bob, programme, db):
    login_as(bob)
    assert client.post(f"/p/{programme.slug}/leave").status_code == 303
    assert _role(db, programme, bob) is None


def test_the_last_owner_cannot_leave_demote_or_remove_themselves(client, login_as, alice, bob, programme, db):
    login_as(alice)
    client.post(f"/p/{programme.slug}/leave")
    assert _role(db, programme, alice) == Role.OWNER
    client.post(f"/p/{programme.slug}/members/{_mid(db, programme, alice)}/role", data={"role": "editor"})
    assert _role(db, programme, alice) == Role.OWNER
    client.post(f"/p/{programme.slug}/members/{_mid(db, programme, alice)}/remove")
    assert _role(db, programme, alice) == Role.OWNER
    page = client.get(f"/p/{programme.slug}/members").get_data(as_text=True)
    assert "flash-error" in page


def test_an_owner_may_leave_once_there_is_another_owner(client, login_as, alice, bob, programme, db):
    login_as(alice)
    client.post(f"/p/{programme.slug}/members/{_mid(db, programme, bob)}/role", data={"role": "owner"})
    assert client.post(f"/p/{programme.slug}/leave").status_code == 303
    assert _role(db, programme, alice) is None
    assert _role(db, programme, bob) == Role.OWNER


def test_a_membership_of_another_programme_is_404(client, login_as, alice, factories, programme, db):
    other = factories.MembershipFactory(role=Role.EDITOR)
    login_as(alice)
    assert client.post(f"/p/{programme.slug}/members/{other.id}/role", data={"role": "viewer"}).status_code == 404
    assert client.post(f"/p/{programme.slug}/members/{other.id}/remove").status_code == 404
    db.session.refresh(other)
    assert other.role == Role.EDITOR


def test_an_unknown_role_is_refused(client, login_as, alice, bob, programme, db):
    login_as(alice)
    response = client.post(f"/p/{programme.slug}/members/{_mid(db, programme, bob)}/role", data={"role": "raja"})
    assert response.status_code == 400
    assert _role(db, programme, bob) == Role.EDITOR


def test_a_viewer_sees_members_without_controls(client, member, programme, login_as):
    login_as(member("viewer"))
    page = client.get(f"/p/{programme.slug}/members").get_data(as_text=True)
    assert "/remove" not in page and "invitations/link" not in page
