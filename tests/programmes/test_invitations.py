import logging
import re
from datetime import timedelta

from sqlalchemy import select

from app.programmes.models import Invitation, Membership, Role
from app.types import utcnow


def _membership(db, programme, user):
    return db.session.execute(select(Membership).filter_by(programme_id=programme.id, user_id=user.id)).scalar_one_or_none()


def test_the_owner_creates_a_link_and_another_user_joins_with_its_role(client, login_as, alice, charlie, programme, db):
    login_as(alice)
    response = client.post(f"/p/{programme.slug}/invitations/link", data={"role": "commenter", "days": "7"})
    assert response.status_code == 303
    invitation = db.session.execute(select(Invitation)).scalar_one()
    assert invitation.is_link and invitation.role == Role.COMMENTER
    assert timedelta(days=6, hours=23) < invitation.expires_at - utcnow() <= timedelta(days=7)
    page = client.get(f"/p/{programme.slug}/members").get_data(as_text=True)
    assert f"/join/{invitation.token}" in page

    login_as(charlie)
    assert client.get(f"/join/{invitation.token}").status_code == 200
    assert client.post(f"/join/{invitation.token}").status_code == 303
    assert _membership(db, programme, charlie).role == Role.COMMENTER
    # Now charlie sees the private programme.
    assert client.get(f"/p/{programme.slug}/").status_code == 200


def test_a_link_serves_several_people_until_it_expires(client, login_as, factories, programme, db):
    invitation = factories.InvitationFactory(programme=programme, role=Role.VIEWER)
    for _ in range(2):
        login_as(factories.UserFactory())
        assert client.post(f"/join/{invitation.token}").status_code == 303
    db.session.refresh(invitation)
    assert invitation.use_count == 2

    invitation.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    late = login_as(factories.UserFactory())
    response = client.post(f"/join/{invitation.token}")
    assert response.status_code == 410
    assert _membership(db, programme, late) is None


def test_a_revoked_link_no_longer_works(client, login_as, alice, charlie, factories, programme, db):
    invitation = factories.InvitationFactory(programme=programme)
    login_as(alice)
    assert client.post(f"/p/{programme.slug}/invitations/{invitation.id}/revoke").status_code == 303
    login_as(charlie)
    assert client.post(f"/join/{invitation.token}").status_code == 410
    assert _membership(db, programme, charlie) is None


def test_an_unknown_token_is_404(client, login_as, charlie):
    login_as(charlie)
    assert client.get("/join/bukan-token").status_code == 404


def test_joining_needs_an_account(client, factories, programme):
    invitation = factories.InvitationFactory(programme=programme)
    response = client.get(f"/join/{invitation.token}")
    assert response.status_code in (302, 303)
    assert f"next=/join/{invitation.token}" in response.headers["Location"]


def test_an_invitation_never_lowers_a_role(client, login_as, bob, factories, programme, db):
    invitation = factories.InvitationFactory(programme=programme, role=Role.VIEWER)
    login_as(bob)
    client.post(f"/join/{invitation.token}")
    assert _membership(db, programme, bob).role == Role.EDITOR


def test_the_owner_invites_by_email_and_the_mail_is_logged_without_smtp(client, login_as, alice, programme, db, caplog):
    login_as(alice)
    with caplog.at_level(logging.INFO):
        response = client.post(f"/p/{programme.slug}/invitations/email", data={"email": "Rina@Example.id", "role": "editor"})
    assert response.status_code == 303
    invitation = db.session.execute(select(Invitation)).scalar_one()
    assert invitation.email == "rina@example.id" and invitation.role == Role.EDITOR
    assert f"/join/{invitation.token}" in caplog.text


def test_an_email_invitation_is_for_its_addressee_only_and_once(client, login_as, factories, programme, db):
    invitation = factories.InvitationFactory(programme=programme, email="rina@example.id", role=Role.EDITOR)
    intruder = login_as(factories.UserFactory(email="lain@example.id"))
    assert client.post(f"/join/{invitation.token}").status_code == 422
    assert _membership(db, programme, intruder) is None

    rina = login_as(factories.UserFactory(email="rina@example.id"))
    assert client.post(f"/join/{invitation.token}").status_code == 303
    assert _membership(db, programme, rina).role == Role.EDITOR
    again = login_as(factories.UserFactory(email="rina2@example.id"))
    assert client.post(f"/join/{invitation.token}").status_code == 410
    assert _membership(db, programme, again) is None


def test_inviting_an_existing_member_by_email_is_refused(client, login_as, alice, bob, programme, db):
    login_as(alice)
    response = client.post(f"/p/{programme.slug}/invitations/email", data={"email": bob.email, "role": "viewer"})
    assert response.status_code == 422
    assert db.session.execute(select(Invitation)).first() is None


def test_only_owners_invite(client, login_as, bob, programme, db):
    login_as(bob)
    assert client.post(f"/p/{programme.slug}/invitations/link", data={"role": "owner", "days": "7"}).status_code == 403
    assert client.post(f"/p/{programme.slug}/invitations/email", data={"email": "x@example.id", "role": "owner"}).status_code == 403
    assert db.session.execute(select(Invitation)).first() is None


def test_a_link_validity_outside_1_to_90_days_is_refused(client, login_as, alice, programme, db):
    login_as(alice)
    for days in ("0", "91", "abc", ""):
        response = client.post(f"/p/{programme.slug}/invitations/link", data={"role": "viewer", "days": days})
        assert response.status_code == 422
        assert re.search(r'class="errors"', response.get_data(as_text=True))
    assert db.session.execute(select(Invitation)).first() is None
