"""The rule-book: who may do what. Routes and templates both ask `can(user, action, obj)`.

Roles rank viewer < commenter < editor < owner. A public programme can be read by
anyone, signed in or not, but only members act in it. Later domains add their
actions to RULES; nothing else in the code decides access.
"""
from flask import abort, g

from app.programmes.models import Programme, Role

# action -> minimum role in the programme the object belongs to
RULES: dict[str, Role] = {
    "programme.view": Role.VIEWER,
    "programme.comment": Role.COMMENTER,
    "programme.edit": Role.EDITOR,
    "programme.manage": Role.OWNER,
    "programme.leave": Role.VIEWER,
    # meetings: members read, RSVP and confirm the minutes they attended; editors run meetings;
    # owners approve the minutes and correct approved ones (with a reason, kept in history).
    "meeting.view": Role.VIEWER,
    "meeting.rsvp": Role.VIEWER,
    "meeting.confirm": Role.VIEWER,
    "meeting.comment": Role.COMMENTER,
    "meeting.edit": Role.EDITOR,
    "meeting.confidential": Role.EDITOR,
    "meeting.approve": Role.OWNER,
    "meeting.correct": Role.OWNER,
    "meeting.delete": Role.OWNER,
}

# Reading actions a public programme grants to anyone, signed in or not.
PUBLIC_READ = {"programme.view", "meeting.view"}


def role_in(user, programme: Programme) -> Role | None:
    """The user's role in the programme, cached for the request."""
    if user is None or not user.is_authenticated:
        return None
    cache = g.setdefault("_roles", {})
    key = (user.id, programme.id)
    if key not in cache:
        membership = programme.membership_of(user)
        cache[key] = membership.role if membership else None
    return cache[key]


def programme_of(obj) -> Programme:
    if isinstance(obj, Programme):
        return obj
    return obj.programme


def can(user, action: str, obj) -> bool:
    if action.startswith("organisation."):
        return _can_organisation(user, action, obj)
    minimum = RULES[action]  # an unknown action is a programming error, not a "no"
    programme = programme_of(obj)
    role = role_in(user, programme)
    if action in PUBLIC_READ and programme.is_public:
        return True
    return role is not None and role.at_least(minimum)


def _can_organisation(user, action: str, organisation) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if action == "organisation.create":
        return True
    if action == "organisation.edit":
        return user.organisation_id == organisation.id
    raise KeyError(action)


def require(user, action: str, obj) -> None:
    """Abort unless allowed: 404 when the user may not even see the programme, 403 otherwise."""
    if can(user, action, obj):
        return
    if not can(user, "programme.view", programme_of(obj)):
        abort(404)
    abort(403)
