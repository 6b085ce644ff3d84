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
    # Follow-up actions. Editors plan and change everything; the person an action is assigned to
    # may report on it (status, progress, checklist) as soon as they may take part at all, i.e.
    # from commenter up: a viewer is read-only even when named (see ASSIGNEE_MAY).
    "action.view": Role.VIEWER,
    "action.create": Role.EDITOR,
    "action.edit": Role.EDITOR,
    "action.update_status": Role.EDITOR,
    "action.import": Role.EDITOR,
    "action.delete": Role.OWNER,
}

# What anyone may read in a public programme, signed in or not.
PUBLIC_READ = frozenset({"programme.view", "action.view"})

# Actions the assignee of an object may take with at least this role, below the rule's minimum.
ASSIGNEE_MAY: dict[str, Role] = {
    "action.update_status": Role.COMMENTER,
}


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
    if role is None:
        return False
    if role.at_least(minimum):
        return True
    assignee_minimum = ASSIGNEE_MAY.get(action)
    return (
        assignee_minimum is not None
        and role.at_least(assignee_minimum)
        and getattr(obj, "assignee_id", None) == user.id
    )


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
