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
