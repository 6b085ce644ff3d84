"""Helpers for the collaboration-layer tests: post through the real service, count queries, inspect HTML."""
import contextlib

import html5lib
from sqlalchemy import event

from app.extensions import db

HX = {"HX-Request": "true"}


def post_comment(target, author, body="Setuju dengan usulan ini.", parent=None, files=()):
    from app.comments import service

    return service.post(target, author, body, parent=parent, files=files)


def comments_url(programme):
    return f"/t/programme/{programme.id}/comments"


@contextlib.contextmanager
def count_queries():
    from app import pagecache

    pagecache.forget_all()  # count what rendering the page costs, not a cached answer
    counter = {"n": 0}

    def before(conn, cursor, statement, parameters, context, executemany):
        counter["n"] += 1

    engine = db.engine
    event.listen(engine, "before_cursor_execute", before)
    try:
        yield counter
    finally:
        event.remove(engine, "before_cursor_execute", before)


def parse(html: str):
    return html5lib.parse(html, namespaceHTMLElements=False)


ALLOWED = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i",
    "li", "ol", "p", "pre", "s", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
    "span", "mark",
}


def assert_inert(container) -> None:
    """Everything inside a container of user content is harmless: allowed tags, no handlers, no htmx,
    no data attributes, no script URLs."""
    for el in container.iter():
        if el is container:
            continue
        assert el.tag in ALLOWED, f"tag <{el.tag}> in user content"
        for name, value in el.attrib.items():
            lowered = name.lower()
            assert not lowered.startswith("on"), f"handler {name}"
            assert not lowered.startswith("hx-") and not lowered.startswith("data-"), f"attribute {name}"
            assert lowered in {"href", "title", "class", "rel", "align"}, f"attribute {name}"
            if lowered == "href":
                assert value.split(":")[0].lower() in {"http", "https", "mailto"} or value.startswith(("/", "#")), value
            if lowered == "class":
                assert value == "mention", value


def user_content(html: str, css_class: str):
    """Every element with `css_class` (e.g. comment-body) in the page."""
    tree = parse(html)
    return [el for el in tree.iter() if css_class in (el.get("class") or "").split()]
