"""Jinja filters and globals shared by every template."""
from datetime import date

from flask import g
from flask_babel import format_date, format_datetime, format_decimal, get_locale
from flask_login import current_user
from markupsafe import Markup

from app.i18n import TIMEZONES
from app.markdown import render_markdown
from app.pentahelix import Element
from app.permissions import can


def badge(element) -> Markup:
    """The element badge. Built once per element per request: pages list many people, and
    every lazy translation costs a gettext lookup."""
    cache = g.setdefault("_badges", {})
    html = cache.get(element)
    if html is None:
        html = cache[element] = Markup('<span class="badge badge-{0}" title="{1}">{2}</span>').format(
            element.value, str(element.description), str(element.label)
        )
    return html


_PERSON = Markup('<span class="person"><span class="person-name">%s</span> %s</span>')


def person(user) -> Markup:
    """A person's name with their organisation's element badge (the organisation must be loaded).
    Built once per person per request: a board or a task list names the same people again and again."""
    element = user.organisation.element
    key = (user.id, user.name, element)
    cache = g.setdefault("_people", {})
    html = cache.get(key)
    if html is None:
        html = cache[key] = _PERSON % (user.name, badge(element))
    return html


_STATUS = Markup('<span class="status status-%s">%s</span>')


def status_badge(status) -> Markup:
    """An action's status badge (what actions/_status.html shows), built once per status per request."""
    cache = g.setdefault("_status_badges", {})
    html = cache.get(status)
    if html is None:
        html = cache[status] = _STATUS % (status.value, str(status.label))
    return html


def _date(value, fmt="medium"):
    """The `date` filter: a list of 500 actions formats the same few dozen dates again and again,
    and Babel parses the pattern and looks up the locale's symbols each time."""
    if not value:
        return ""
    if type(value) is not date:  # a datetime is shown in the viewer's time zone: not remembered
        return format_date(value, fmt)
    locale = get_locale()
    cache = g.setdefault("_dates", {})
    key = (value, fmt, locale)
    text = cache.get(key)
    if text is None:
        text = cache[key] = format_date(value, fmt)
    return text


def _forms_macro(app, name: str):
    """A macro of components/_forms.html as a global. A block rendered on its own (the htmx
    fragment, through jinja2-fragments) skips its template's top-level `{% from ... import %}`,
    so without this every form fragment failed with "'form_errors' is undefined" (a 500)."""

    def call(*args, **kwargs):
        return getattr(app.jinja_env.get_template("components/_forms.html").module, name)(*args, **kwargs)

    return call


def init_app(app) -> None:
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["datetime"] = lambda value, fmt="medium": format_datetime(value, fmt) if value else ""
    app.jinja_env.filters["date"] = _date
    app.jinja_env.filters["number"] = format_decimal
    app.jinja_env.globals.update(
        ELEMENTS=list(Element),
        get_locale=get_locale,
        badge=badge,
        person=person,
        # The same, under a name `{% with person = user %}{% include "components/_person.html" %}`
        # cannot shadow.
        person_html=person,
        status_badge=status_badge,
        TIMEZONES=TIMEZONES,
        can=lambda action, obj: can(current_user, action, obj),
        field=_forms_macro(app, "field"),
        form_errors=_forms_macro(app, "form_errors"),
    )
