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
    # Regulation drafts (app/drafts). A Unit answers for its draft.
    "draft.view": Role.VIEWER,
    "draft.comment": Role.COMMENTER,  # suggested amendments and inputs
    "draft.create": Role.EDITOR,
    "draft.edit": Role.EDITOR,  # text and structure, named versions, restore
    "draft.decide": Role.EDITOR,  # accept/decline suggestions, answer inputs
    "draft.status": Role.EDITOR,  # move along Konsep → … → Final and back for another round
    "draft.submit": Role.OWNER,  # Diajukan, Ditetapkan, Ditarik: the partnership's owners decide
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
    # Follow-up actions. Editors plan and change everything; the person an action is assigned to
    # may report on it (status, progress, checklist) as soon as they may take part at all, i.e.
    # from commenter up: a viewer is read-only even when named (see ASSIGNEE_MAY).
    "action.view": Role.VIEWER,
    "action.create": Role.EDITOR,
    "action.edit": Role.EDITOR,
    "action.update_status": Role.EDITOR,
    "action.import": Role.EDITOR,
    "action.delete": Role.OWNER,
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

# What anyone may read in a public programme, signed in or not.
PUBLIC_READ = frozenset({"programme.view", "draft.view", "action.view", "meeting.view", "activity.view"})

# Actions the assignee of an object may take with at least this role, below the rule's minimum.
ASSIGNEE_MAY: dict[str, Role] = {
    "action.update_status": Role.COMMENTER,
}

# Once final the text is frozen for everybody: changes go back through Perbaikan.
_NEEDS_EDITABLE_DRAFT = frozenset({"draft.edit"})
# During Konsultasi publik of a public programme, any signed-in user may be heard: suggest and record
# inputs (draft.comment) and comment or reply in the threads of the draft and its units (comment.create
# on a Draft or a Unit; on nothing else, see _consultation_draft).
_OPEN_DURING_CONSULTATION = frozenset({"draft.comment", "comment.create"})


def membership_in(user, programme: Programme):
    """The user's membership of the programme (or None), loaded once per request."""
    if user is None or not user.is_authenticated:
        return None
    cache = g.setdefault("_memberships", {})
    key = (user.id, programme.id)
    if key not in cache:
        cache[key] = programme.membership_of(user)
    return cache[key]


def remember_membership(user, programme: Programme, membership) -> None:
    """Prime membership_in() with a membership (or None) loaded together with the programme."""
    g.setdefault("_memberships", {})[(user.id, programme.id)] = membership


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
    if action == "agenda_item.view":
        # A confidential agenda item (and its discussion) is for those who may see confidential items.
        action = "meeting.confidential" if getattr(obj, "confidential", False) else "meeting.view"
    minimum = RULES[action]  # an unknown action is a programming error, not a "no"
    programme = programme_of(obj)
    if action == "comment.view":
        return _can_view_comment(user, role_in(user, programme), programme, obj)
    if action in PUBLIC_READ and programme.is_public:
        return True
    draft = getattr(obj, "draft", obj)
    if action in _NEEDS_EDITABLE_DRAFT and not getattr(draft, "is_editable", True):
        return False
    if action in _OPEN_DURING_CONSULTATION and _open_for_public_input(user, programme, obj):
        return True
    role = role_in(user, programme)
    if role is None:
        return False
    if action in AUTHOR_ONLY:
        if not role.at_least(minimum):
            return False
        if getattr(obj, "author_id", None) == user.id:
            return True
        moderator = AUTHOR_ONLY[action]
        return moderator is not None and role.at_least(moderator)
    if role.at_least(minimum):
        return True
    assignee_minimum = ASSIGNEE_MAY.get(action)
    return (
        assignee_minimum is not None
        and role.at_least(assignee_minimum)
        and getattr(obj, "assignee_id", None) == user.id
    )


def _consultation_draft(obj):
    """The draft a consultation rule applies to: the object itself or a unit's draft; None for anything
    else (a meeting, an action, a programme, a comment), so the rule opens nothing outside drafts."""
    from app.drafts.models import Draft, Unit

    if isinstance(obj, Draft):
        return obj
    if isinstance(obj, Unit):
        return obj.draft
    return None


def _open_for_public_input(user, programme: Programme, obj) -> bool:
    if user is None or not user.is_authenticated or not programme.is_public:
        return False
    draft = _consultation_draft(obj)
    return draft is not None and draft.open_for_public_input


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
