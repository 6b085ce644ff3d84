from sqlalchemy import func, select

from app.accounts.models import User
from app.extensions import db
from app.organisations.models import Organisation
from app.pentahelix import Element


class DuplicateName(Exception):
    pass


def directory(element: Element | None = None) -> list[tuple[Organisation, int]]:
    """Organisations with their number of people, optionally of one element."""
    query = (
        select(Organisation, func.count(User.id))
        .outerjoin(User, User.organisation_id == Organisation.id)
        .group_by(Organisation.id)
        .order_by(Organisation.element, Organisation.name)
    )
    if element:
        query = query.where(Organisation.element == element)
    return [(org, count) for org, count in db.session.execute(query).all()]


def people(organisation: Organisation) -> list[User]:
    return list(db.session.execute(select(User).where(User.organisation_id == organisation.id).order_by(User.name)).scalars())


def _name_taken(name: str, exclude_id: int | None = None) -> bool:
    query = select(Organisation.id).where(func.lower(Organisation.name) == name.lower())
    if exclude_id:
        query = query.where(Organisation.id != exclude_id)
    return db.session.execute(query).first() is not None


def save(organisation: Organisation | None, **fields) -> Organisation:
    if _name_taken(fields["name"], organisation.id if organisation else None):
        raise DuplicateName(fields["name"])
    if organisation is None:
        organisation = Organisation()
        db.session.add(organisation)
    for key, value in fields.items():
        setattr(organisation, key, value)
    db.session.commit()
    return organisation
