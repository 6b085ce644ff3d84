"""Programmes, memberships and invitations. Each function owns its one commit."""
import re
import unicodedata
from datetime import timedelta

from flask import url_for
from flask_babel import force_locale, gettext as _
from sqlalchemy import and_, func, select
from sqlalchemy.orm import contains_eager

from app.accounts.models import User
from app.collab import live
from app.extensions import db
from app.mailer import send_mail
from app.organisations.models import Organisation
from app.pentahelix import Element
from app.permissions import remember_membership
from app.programmes.models import Invitation, Membership, Programme, Role, Visibility
from app.types import utcnow


class MembershipError(Exception):
    """A membership change the rules refuse; the message is shown to the user."""


def slugify(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug[:60].strip("-") or "program"


def unique_slug(name: str) -> str:
    base = slugify(name)
    taken = set(
        db.session.execute(select(Programme.slug).where(Programme.slug.like(f"{base}%"))).scalars()
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def programmes_of(user) -> list[Programme]:
    return list(
        db.session.execute(
            select(Programme).join(Membership).where(Membership.user_id == user.id).order_by(Programme.name)
        ).scalars()
    )


def public_programmes(exclude=()) -> list[Programme]:
    query = select(Programme).where(Programme.visibility == Visibility.PUBLIC).order_by(Programme.name)
    if exclude:
        query = query.where(Programme.id.not_in(exclude))
    return list(db.session.execute(query).scalars())


def get_by_slug(slug: str, viewer=None) -> Programme | None:
    """The programme `slug`. With a signed-in `viewer`, their membership (or its absence) comes in the
    same query and is remembered for the request's permission checks: every programme page asks."""
    if viewer is None or not viewer.is_authenticated:
        return db.session.execute(select(Programme).where(Programme.slug == slug)).scalar_one_or_none()
    row = db.session.execute(
        select(Programme, Membership)
        .outerjoin(Membership, and_(Membership.programme_id == Programme.id, Membership.user_id == viewer.id))
        .where(Programme.slug == slug)
    ).one_or_none()
    if row is None:
        return None
    programme, membership = row
    remember_membership(viewer, programme, membership)
    return programme


def create(owner: User, name: str, description: str, visibility: Visibility) -> Programme:
    programme = Programme(
        name=name, slug=unique_slug(name), description=description or "", visibility=visibility, created_by_id=owner.id
    )
    db.session.add(programme)
    programme.add_member(owner, Role.OWNER)
    db.session.commit()
    return programme


def update(programme: Programme, name: str, description: str, visibility: Visibility) -> None:
    programme.name = name
    programme.description = description or ""
    programme.visibility = visibility
    db.session.commit()


def members(programme: Programme) -> list[Membership]:
    return list(
        db.session.execute(
            select(Membership)
            .where(Membership.programme_id == programme.id)
            .join(Membership.user)
            .join(User.organisation)
            .options(contains_eager(Membership.user).contains_eager(User.organisation))
            .order_by(User.name)
        ).unique().scalars()
    )


def coverage(programme: Programme) -> list[dict]:
    """Members and organisations per Pentahelix element, every element listed, empty ones flagged."""
    # One query: each member's organisation with its number of members (a person belongs to one
    # organisation, so an element's members are the sum over its organisations).
    rows = db.session.execute(
        select(Organisation, func.count(Membership.id))
        .join(User, User.organisation_id == Organisation.id)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.programme_id == programme.id)
        .group_by(Organisation.id)
        .order_by(Organisation.name)
    ).all()
    by_element: dict[Element, list[Organisation]] = {e: [] for e in Element}
    counts: dict[Element, tuple[int, int]] = {}
    for organisation, people in rows:
        by_element[organisation.element].append(organisation)
        members_so_far, organisations_so_far = counts.get(organisation.element, (0, 0))
        counts[organisation.element] = (members_so_far + people, organisations_so_far + 1)
    return [
        {
            "element": element,
            "members": counts.get(element, (0, 0))[0],
            "organisations": by_element[element],
            "missing": element not in counts,
        }
        for element in Element
    ]


# -- invitations ------------------------------------------------------------------------

def invitations(programme: Programme) -> list[Invitation]:
    now = utcnow()
    return list(
        db.session.execute(
            select(Invitation)
            .where(
                Invitation.programme_id == programme.id,
                Invitation.revoked_at.is_(None),
                Invitation.expires_at > now,
            )
            .order_by(Invitation.created_at.desc())
        ).scalars()
    )


def invite_by_email(programme: Programme, inviter: User, email: str, role: Role, days: int) -> Invitation:
    email = email.strip().lower()
    existing = db.session.execute(
        select(Membership).join(User).where(Membership.programme_id == programme.id, User.email == email)
    ).scalar_one_or_none()
    if existing:
        raise MembershipError(_("%(email)s is already a member of this programme.", email=email))
    invitation = Invitation(
        programme=programme, email=email, role=role, created_by_id=inviter.id, expires_at=utcnow() + timedelta(days=days)
    )
    db.session.add(invitation)
    db.session.flush()
    link = url_for("programmes.join", token=invitation.token, _external=True)
    db.session.commit()
    # In the invitee's language when they have an account, else Indonesian, not the inviter's.
    invitee = db.session.execute(select(User.locale).where(User.email == email)).scalar()
    with force_locale(invitee or "id"):
        send_mail(
            email,
            _("Invitation to %(programme)s on Sinergi", programme=programme.name),
            _("%(inviter)s invites you to join %(programme)s as %(role)s.\n\nOpen this link to accept:\n%(link)s",
              inviter=inviter.name, programme=programme.name, role=role.label, link=link),
        )
    return invitation


def create_link(programme: Programme, creator: User, role: Role, days: int) -> Invitation:
    invitation = Invitation(
        programme=programme, email=None, role=role, created_by_id=creator.id, expires_at=utcnow() + timedelta(days=days)
    )
    db.session.add(invitation)
    db.session.commit()
    return invitation


def revoke(invitation: Invitation) -> None:
    invitation.revoked_at = utcnow()
    db.session.commit()


def find_invitation(token: str) -> Invitation | None:
    return db.session.execute(select(Invitation).where(Invitation.token == token)).scalar_one_or_none()


def accept(invitation: Invitation, user: User) -> Membership:
    if not invitation.is_usable():
        raise MembershipError(_("This invitation is no longer valid."))
    if invitation.email and invitation.email != user.email:
        raise MembershipError(_("This invitation was sent to another email address."))
    programme = invitation.programme
    membership = programme.membership_of(user)
    if membership is None:
        membership = programme.add_member(user, invitation.role)
    elif invitation.role.rank > membership.role.rank:
        # An invitation never lowers a role someone already has.
        membership.role = invitation.role
    invitation.use_count += 1
    invitation.accepted_at = invitation.accepted_at or utcnow()
    invitation.accepted_by_id = invitation.accepted_by_id or user.id
    db.session.commit()
    return membership


# -- membership changes -----------------------------------------------------------------

def _ensure_owner_remains(membership: Membership, new_role: Role | None) -> None:
    # Lock the programme row (PostgreSQL; SQLite's write transaction already serialises) so
    # two owners leaving at once cannot both pass the count.
    db.session.execute(select(Programme.id).where(Programme.id == membership.programme_id).with_for_update())
    if membership.role == Role.OWNER and new_role != Role.OWNER and membership.programme.owner_count() <= 1:
        raise MembershipError(_("A programme needs at least one owner. Make someone else owner first."))


def change_role(membership: Membership, role: Role) -> None:
    _ensure_owner_remains(membership, role)
    membership.role = role
    live.touch(live.access_key(membership.user_id))  # their open pages re-render with the new rights
    db.session.commit()


def remove(membership: Membership) -> None:
    _ensure_owner_remains(membership, None)
    db.session.delete(membership)
    live.touch(live.access_key(membership.user_id))  # their open pages stop (404)
    db.session.commit()


def leave(programme: Programme, user: User) -> None:
    membership = programme.membership_of(user)
    if membership is None:
        raise MembershipError(_("You are not a member of this programme."))
    remove(membership)
