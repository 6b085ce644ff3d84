"""Language and time zone of the viewer: the user's choice, else the browser's, else Indonesian."""
from flask import current_app, request, session
from flask_login import current_user

from app.extensions import babel

TIMEZONES = {
    "Asia/Jakarta": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    # Indonesian first: an English browser gets Indonesian unless it asks for nothing else.
    best = request.accept_languages.best_match(languages)
    return best or current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    if current_user and current_user.is_authenticated and current_user.timezone in TIMEZONES:
        return current_user.timezone
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def init_app(app) -> None:
    babel.init_app(
        app,
        locale_selector=select_locale,
        timezone_selector=select_timezone,
        default_translation_directories=str(app.root_path + "/translations"),
    )
