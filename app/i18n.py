"""Language and time zone of the viewer: the user's choice, else the browser's, else Indonesian."""
from flask import current_app, g, has_app_context, has_request_context, request, session
from flask_babel import get_translations
from flask_babel import lazy_ngettext
from flask_babel.speaklater import LazyString
from flask_login import current_user
from jinja2 import pass_eval_context
from markupsafe import Markup

from app.extensions import babel

TIMEZONES = {
    "Asia/Jakarta": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}


def translations():
    """Flask-Babel's get_translations(), remembered for the request's current locale.

    Flask-Babel finds the catalogue through half a dozen context-local look-ups on every call
    (about 15 µs): a board of 250 cards calls it some 2,000 times. Here it is one `g` look-up
    while the locale object is the same one; force_locale() and refresh() replace or remove
    that object, so a changed locale is never answered from this memo.
    """
    if not has_app_context():
        return get_translations()
    state = g.get("_flask_babel")
    if state is not None:
        memo = state.__dict__.get("sinergi_translations")
        if memo is not None and memo[0] is state.__dict__.get("babel_locale"):
            return memo[1]
    result = get_translations()
    state = g.get("_flask_babel")
    locale = getattr(state, "babel_locale", None)
    if locale is not None:
        state.sinergi_translations = (locale, result)
    return result


def gettext(string: str, **variables) -> str:
    """flask_babel.gettext through the memo above."""
    text = translations().ugettext(string)
    return text % variables if variables else text


def lazy_gettext(string: str, **variables) -> LazyString:
    """flask_babel.lazy_gettext through the memo: for labels shown many times a page
    (statuses, priorities, Pentahelix elements)."""
    return LazyString(gettext, string, **variables)


_l = lazy_gettext


@pass_eval_context
def _template_gettext(eval_ctx, string: str, **variables) -> str:
    """Jinja's newstyle gettext (jinja2.ext._make_new_gettext): escaped variables, and always
    formatted, so "%%" reads "%" with or without variables."""
    text = translations().ugettext(string)
    if eval_ctx.autoescape:
        text = Markup(text)
    return text % variables


@pass_eval_context
def _template_ngettext(eval_ctx, singular: str, plural: str, num: int, **variables) -> str:
    variables.setdefault("num", num)
    text = translations().ungettext(singular, plural, num)
    if eval_ctx.autoescape:
        text = Markup(text)
    return text % variables


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
        return translations().ugettext(string)

    def ungettext(self, singular, plural, n):
        return translations().ungettext(singular, plural, n)


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
    # The template callables Flask-Babel installed, through the memo (same behaviour, newstyle).
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
    )
    # `_()` and `ngettext()` are called thousands of times on a long page; Jinja's alias goes
    # through two nested context calls per string. These do the same in one.
    app.jinja_env.globals.update(_=_template_gettext, gettext=_template_gettext, ngettext=_template_ngettext)
    wtforms_translations = WTFormsTranslations()

    @app.before_request
    def _wtforms_messages_from_our_catalogue():
        request.wtforms_translations = wtforms_translations
