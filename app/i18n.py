"""Language and time zone of the viewer: the user's choice, else the browser's, else Indonesian."""
from flask import current_app, has_request_context, request, session
from flask_babel import get_translations
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from flask_login import current_user

from app.extensions import babel

TIMEZONES = {
    "Asia/Jakarta": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        # Outside a request (CLI, demo, search indexing on commit) there is no viewer or session:
        # touching current_user or session would raise RuntimeError.
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    # Indonesian unless the visitor chose English (the switch in the header or their profile):
    # our users share office computers whose browsers are often set to English.
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_TIMEZONE"]
    if current_user and current_user.is_authenticated and current_user.timezone in TIMEZONES:
        return current_user.timezone
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


class WTFormsTranslations:
    """WTForms' own messages ("This field is required.") from OUR catalogue, in the viewer's language.

    WTForms ships no Indonesian catalogue, so Flask-WTF would show its built-in messages in English.
    Flask-WTF looks for the translations of a request in `request.wtforms_translations` before loading
    WTForms' catalogue (flask_wtf/i18n.py); we put this object there. No formatting here: WTForms
    fills in %(min)d and friends itself after translating.
    """

    def ugettext(self, string):
        return get_translations().ugettext(string)

    def ungettext(self, singular, plural, n):
        return get_translations().ungettext(singular, plural, n)


# The built-in WTForms and Flask-WTF messages our validators and fields can show, exactly as their
# sources spell them: listed here only so `make extract-messages` keeps them in messages.pot.
WTFORMS_MESSAGES = (
    _l("This field is required."),
    _l("Invalid input."),
    _l("Invalid email address."),
    _l("Invalid URL."),
    _l("Invalid UUID."),
    _l("Invalid IP address."),
    _l("Invalid Mac address."),
    _l("Field must be equal to %(other_name)s."),
    lazy_ngettext("Field must be at least %(min)d character long.", "Field must be at least %(min)d characters long.", 1),
    lazy_ngettext("Field cannot be longer than %(max)d character.", "Field cannot be longer than %(max)d characters.", 1),
    lazy_ngettext("Field must be exactly %(max)d character long.", "Field must be exactly %(max)d characters long.", 1),
    _l("Field must be between %(min)d and %(max)d characters long."),
    _l("Number must be at least %(min)s."),
    _l("Number must be at most %(max)s."),
    _l("Number must be between %(min)s and %(max)s."),
    _l("Date must be at least %(min)s."),
    _l("Date must be at most %(max)s."),
    _l("Date must be between %(min)s and %(max)s."),
    _l("Invalid value, must be one of: %(values)s."),
    _l("Invalid value, can't be any of: %(values)s."),
    _l("This field cannot be edited."),
    _l("This field is disabled and cannot have a value."),
    _l("Not a valid choice."),
    _l("Invalid Choice: could not coerce."),
    _l("Invalid choice(s): one or more data inputs could not be coerced."),
    lazy_ngettext(
        "'%(value)s' is not a valid choice for this field.", "'%(value)s' are not valid choices for this field.", 1
    ),
    _l("Not a valid datetime value."),
    _l("Not a valid date value."),
    _l("Not a valid time value."),
    _l("Not a valid week value."),
    _l("Not a valid integer value."),
    _l("Not a valid decimal value."),
    _l("Not a valid float value."),
    _l("File does not have an approved extension."),
    _l("File does not have an approved extension: {extensions}"),
)


def init_app(app) -> None:
    babel.init_app(
        app,
        locale_selector=select_locale,
        timezone_selector=select_timezone,
        default_translation_directories=str(app.root_path + "/translations"),
    )
    wtforms_translations = WTFormsTranslations()

    @app.before_request
    def _wtforms_messages_from_our_catalogue():
        request.wtforms_translations = wtforms_translations
