"""Rendering and responses. The only module that reads or writes HX-* headers."""
import json

from flask import make_response, redirect, render_template, request
from jinja2_fragments.flask import render_block


def is_htmx() -> bool:
    return bool(request.htmx) and not request.htmx.history_restore_request


def is_inline() -> bool:
    """An htmx request aimed at part of a page (hx-get/hx-post), not a boosted navigation or form."""
    return is_htmx() and not request.htmx.boosted


def wants_fragment(block: str | None) -> bool:
    """A fragment for htmx requests aimed at part of a page; boosted navigation gets the page body."""
    return block is not None and is_htmx() and not request.htmx.boosted


def render_page(template: str, block: str | None = None, status: int = 200, trigger: dict | str | None = None, **ctx):
    """Render `block` of `template` for an htmx request, the whole page otherwise.

    A boosted navigation (hx-boost) and a history restore get the whole page: htmx
    takes the <body> from it. `trigger` becomes an HX-Trigger event for other widgets.
    """
    if wants_fragment(block):
        body = render_block(template, block, **ctx)
    else:
        body = render_template(template, **ctx)
    response = make_response(body, status)
    response.vary.add("HX-Request")
    if trigger:
        set_trigger(response, trigger)
    return response


def set_trigger(response, trigger: dict | str):
    response.headers["HX-Trigger"] = trigger if isinstance(trigger, str) else json.dumps(trigger)
    return response


def redirect_to(url: str, trigger: dict | str | None = None):
    """After a mutation: htmx follows HX-Redirect (keeps history right); a plain form gets a 303."""
    if is_htmx() and not request.htmx.boosted:
        response = make_response("", 204)
        response.headers["HX-Redirect"] = url
    else:
        response = redirect(url, code=303)
    if trigger:
        set_trigger(response, trigger)
    return response


def is_safe_path(target: str | None) -> bool:
    r"""True for a path on this site, safe to redirect to after a form (`?next=`).

    Browsers drop tabs and newlines from a URL and read a backslash as a slash, so "/\t/evil.example"
    or "/\evil.example" would leave the site like "//evil.example"; and a newline in a Location
    header is refused by Werkzeug with an exception (a 500). Any control character or backslash
    therefore disqualifies the target.
    """
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    return not any(ch == "\\" or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in target)


def retarget(response, selector: str, swap: str = "outerHTML"):
    """Send an htmx response somewhere other than the element's target (e.g. a form's errors back to the form)."""
    if is_htmx():
        response.headers["HX-Retarget"] = selector
        response.headers["HX-Reswap"] = swap
    return response


def current_page_path() -> str | None:
    """The same-site path of the page a request was made from (htmx tells us; otherwise the Referer)."""
    from urllib.parse import urlsplit

    url = (request.htmx.current_url if request.htmx else None) or request.referrer
    if not url:
        return None
    parts = urlsplit(url)
    if parts.netloc and parts.netloc != request.host:
        return None
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return path if is_safe_path(path) else None
