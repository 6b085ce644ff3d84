"""Jinja filters and globals shared by every template."""
from flask_babel import format_date, format_datetime, format_decimal, get_locale
from flask_login import current_user

from app.i18n import TIMEZONES
from app.markdown import render_markdown
from app.pentahelix import Element
from app.permissions import can


def init_app(app) -> None:
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["datetime"] = lambda value, fmt="medium": format_datetime(value, fmt) if value else ""
    app.jinja_env.filters["date"] = lambda value, fmt="medium": format_date(value, fmt) if value else ""
    app.jinja_env.filters["number"] = format_decimal
    app.jinja_env.globals.update(
        ELEMENTS=list(Element),
        get_locale=get_locale,
        TIMEZONES=TIMEZONES,
        can=lambda action, obj: can(current_user, action, obj),
    )
