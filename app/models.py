"""Imports every domain's tables so that Alembic and create_app see the whole schema."""
from app.accounts.models import User  # noqa: F401
from app.organisations.models import Organisation  # noqa: F401
from app.programmes.models import Invitation, Membership, Programme  # noqa: F401
from app.actions.models import Action, ActionHistory, CalendarToken, ChecklistItem, Label  # noqa: F401
