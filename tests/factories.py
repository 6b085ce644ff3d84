"""factory_boy factories writing through the app's real session (no mocks)."""
from datetime import timedelta
from functools import lru_cache

import factory
from factory.alchemy import SQLAlchemyModelFactory
from werkzeug.security import generate_password_hash

from app.accounts.models import User
from app.actions.models import Action, Status
from app.extensions import db
from app.organisations.models import Organisation
from app.pentahelix import Element
from app.programmes.models import Invitation, Membership, Programme, Role, Visibility
from app.types import utcnow

PASSWORD = "correct horse battery"


@lru_cache(maxsize=1)
def password_hash() -> str:
    # Hash once: scrypt is deliberately slow, and the suite creates many users.
    return generate_password_hash(PASSWORD, method="scrypt")


class Base(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "commit"


class OrganisationFactory(Base):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisasi {n}")
    element = Element.KOMUNITAS
    description = ""


class UserFactory(Base):
    class Meta:
        model = User

    name = factory.Sequence(lambda n: f"Pengguna {n}")
    email = factory.Sequence(lambda n: f"user{n}@example.id")
    organisation = factory.SubFactory(OrganisationFactory)
    password_hash = factory.LazyFunction(password_hash)
    locale = "id"
    timezone = "Asia/Makassar"


class ProgrammeFactory(Base):
    class Meta:
        model = Programme

    name = factory.Sequence(lambda n: f"Program {n}")
    slug = factory.Sequence(lambda n: f"program-{n}")
    description = "Program *uji*."
    visibility = Visibility.PRIVATE


class MembershipFactory(Base):
    class Meta:
        model = Membership

    programme = factory.SubFactory(ProgrammeFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.VIEWER


class InvitationFactory(Base):
    class Meta:
        model = Invitation

    programme = factory.SubFactory(ProgrammeFactory)
    role = Role.COMMENTER
    email = None
    expires_at = factory.LazyFunction(lambda: utcnow() + timedelta(days=7))


class ActionFactory(Base):
    """A follow-up action, status Baru. Use app.actions.service / model methods to change state."""

    class Meta:
        model = Action

    programme = factory.SubFactory(ProgrammeFactory)
    title = factory.Sequence(lambda n: f"Tindak lanjut {n}")
    description = ""
    status = Status.BARU
    progress = 0
    weight = 1
