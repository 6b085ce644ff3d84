"""Imports every domain's tables so that Alembic and create_app see the whole schema."""
from app.accounts.models import User  # noqa: F401
from app.organisations.models import Organisation  # noqa: F401
from app.programmes.models import Invitation, Membership, Programme  # noqa: F401
from app.meetings.models import (  # noqa: F401
    AgendaItem,
    AgendaRevision,
    AgendaTemplate,
    Attendance,
    CalendarFeed,
    Decision,
    Meeting,
    MeetingInvitation,
    MeetingRsvp,
    MinutesConfirmation,
    MinutesRevision,
    Roadshow,
)
from app.actions.models import Action, ActionHistory, CalendarToken, ChecklistItem, Label  # noqa: F401
from app.drafts.models import (  # noqa: F401
    CrossReference,
    Draft,
    DraftTransition,
    NamedVersion,
    Presence,
    PublicInput,
    SuggestedAmendment,
    Unit,
    UnitRevision,
)
from app.activity.models import Activity  # noqa: F401
from app.attachments.models import Attachment  # noqa: F401
from app.collab.live_models import LiveVersion  # noqa: F401
from app.comments.models import Comment, CommentReaction, CommentReport, CommentRevision  # noqa: F401
from app.notifications.models import Follow, Notification, NotificationPreference  # noqa: F401
from app.search.models import SearchDocument  # noqa: F401

# Ids kept inside texts, rewritten by the programme export (app/backup).
import app.drafts.backup  # noqa: E402,F401
