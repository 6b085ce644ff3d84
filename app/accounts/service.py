"""Accounts: registration, passwords and reset tokens. Each function owns its one commit."""
from flask import current_app, url_for
from flask_babel import force_locale, gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select

from app.accounts.models import User
from app.collab import live
from app.extensions import db
from app.mailer import send_mail
from app.organisations.models import Organisation
from app.pentahelix import Element


class EmailTaken(Exception):
    pass


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_by_email(email: str) -> User | None:
    return db.session.execute(select(User).where(User.email == normalise_email(email))).scalar_one_or_none()


def find_or_create_organisation(name: str, element: Element) -> Organisation:
    """Match an existing organisation by name (case-insensitive) before creating a duplicate."""
    existing = db.session.execute(
        select(Organisation).where(func.lower(Organisation.name) == name.strip().lower())
    ).scalar_one_or_none()
    if existing:
        return existing
    organisation = Organisation(name=name.strip(), element=element)
    db.session.add(organisation)
    return organisation


def register(name: str, email: str, password: str, organisation: Organisation, locale: str = "id") -> User:
    if find_by_email(email):
        raise EmailTaken(email)
    user = User(name=name, email=normalise_email(email), organisation=organisation, locale=locale)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user


def authenticate(email: str, password: str) -> User | None:
    user = find_by_email(email)
    if user is None:
        # Spend the same time as a real check so timing does not reveal which emails exist.
        User(password_hash="").set_password(password)
        return None
    if not user.active or not user.check_password(password):
        return None
    return user


def update_profile(user: User, name: str, organisation: Organisation, locale: str, timezone: str) -> None:
    if (user.locale, user.timezone) != (locale, timezone):
        rendered_anew(user)
    user.name = name
    user.organisation = organisation
    user.locale = locale
    user.timezone = timezone
    db.session.commit()


def set_locale(user: User, locale: str) -> None:
    """The language switch in the header, for someone signed in: it is their profile's language."""
    if user.locale != locale:
        rendered_anew(user)
        user.locale = locale
        db.session.commit()


def rendered_anew(user: User) -> None:
    """This person's open pages render their live parts again (a new language or time zone): their
    live ETags include their access key (app.collab.live)."""
    live.touch(live.access_key(user.id))


def change_password(user: User, new_password: str) -> None:
    user.set_password(new_password)
    user.session_version += 1  # other sessions and remember-me cookies stop working
    db.session.commit()


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset")


def reset_token(user: User) -> str:
    # The hash fragment makes a token single-use: it stops matching once the password changes.
    return _serializer().dumps({"uid": user.id, "h": user.password_hash[-16:]})


def user_from_reset_token(token: str) -> User | None:
    try:
        data = _serializer().loads(token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE"])
    except (BadSignature, SignatureExpired):
        return None
    if not isinstance(data, dict):
        return None
    user = db.session.get(User, data.get("uid"))
    if user is None or user.password_hash[-16:] != data.get("h"):
        return None
    return user


def send_reset_mail(email: str) -> None:
    """Mail a reset link if the address belongs to someone; say nothing either way to the requester."""
    user = find_by_email(email)
    if user is None:
        current_app.logger.info("password reset asked for an unknown address")
        return
    link = url_for("accounts.reset_password", token=reset_token(user), _external=True)
    with force_locale(user.locale):  # the account's language, not whoever typed the address
        send_mail(
            user.email,
            _("Reset your Sinergi password"),
            _("Hello %(name)s,\n\nOpen this link within one hour to choose a new password:\n%(link)s\n\n"
              "If you did not ask for this, ignore this message.", name=user.name, link=link),
        )
