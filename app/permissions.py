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
    # Collaboration layer (comments, attachments, follows): generic over any commentable object.
    "comment.view": Role.VIEWER,
    "comment.create": Role.COMMENTER,
    "comment.react": Role.COMMENTER,
    "comment.resolve": Role.COMMENTER,
    "comment.report": Role.VIEWER,
    "comment.moderate": Role.EDITOR,
    "comment.edit": Role.COMMENTER,
    "comment.delete": Role.COMMENTER,
    "attachment.upload": Role.COMMENTER,
    "activity.view": Role.VIEWER,
    "notification.follow": Role.VIEWER,
}

# Actions on a comment that only its author may take (with the role above), unless the user
# moderates (editor or owner): a moderator may delete, nobody but the author may edit.
AUTHOR_ONLY = {"comment.edit": None, "comment.delete": Role.EDITOR}


def membership_in(user, programme: Programme):
    """The user's membership of the programme (or None), loaded once per request."""
    if user is None or not user.is_authenticated:
        return None
    cache = g.setdefault("_memberships", {})
    key = (user.id, programme.id)
    if key not in cache:
        cache[key] = programme.membership_of(user)
    return cache[key]


def role_in(user, programme: Programme) -> Role | None:
    membership = membership_in(user, programme)
    return membership.role if membership else None


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
    if action == "comment.view":
        return _can_view_comment(user, role, programme, obj)
    if action in ("programme.view", "activity.view") and programme.is_public:
        return True
    if role is None or not role.at_least(minimum):
        return False
    if action in AUTHOR_ONLY:
        if getattr(obj, "author_id", None) == user.id:
            return True
        moderator = AUTHOR_ONLY[action]
        return moderator is not None and role.at_least(moderator)
    return True


def _can_view_comment(user, role, programme, comment) -> bool:
    """A comment is seen by whoever sees its programme, except a hidden one: only its author and moderators."""
    if role is None and not programme.is_public:
        return False
    if getattr(comment, "deleted_at", None) is not None:
        return False
    if getattr(comment, "hidden_at", None) is None:
        return True
    if user is None or not user.is_authenticated:
        return False
    return comment.author_id == user.id or (role is not None and role.at_least(Role.EDITOR))


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
