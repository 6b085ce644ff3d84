"""One Markdown → HTML filter for every user-written text: render, then sanitise with an allow-list."""
import hashlib
from importlib.metadata import version

import markdown as md
import nh3
from markupsafe import Markup, escape

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "li", "ol", "p", "pre", "s", "strong", "sub", "sup", "table", "tbody",
    "td", "th", "thead", "tr", "ul",
}
# No hx-*, data-*, style or event attributes: user HTML must never drive htmx or scripts.
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "td": {"align"},
    "th": {"align"},
}


EXTENSIONS = ["tables", "sane_lists"]

# Python-Markdown finds the end of a link by scanning forward from every "[" (and every "(") to its
# partner, or to the end of the text when there is none: quadratic. 4,000 unmatched "[" took 7 s
# per render, 20,000 took 80 s, on pages anyone may open. Text whose scans would exceed this many
# characters is shown as plain text instead (no real document comes near it).
SCAN_BUDGET = 200_000


def bracket_scan_cost(text: str) -> int:
    """Characters Python-Markdown's bracket matching would walk over, computed in one pass."""
    cost = 0
    for opening, closing in (("[", "]"), ("(", ")")):
        open_at: list[int] = []
        for i, ch in enumerate(text):
            if ch == opening:
                open_at.append(i)
            elif ch == closing and open_at:
                cost += i - open_at.pop()
        cost += sum(len(text) - i for i in open_at)
    return cost


def render_plain(text: str) -> Markup:
    """Escaped paragraphs with line breaks: the fallback for text Markdown cannot safely render."""
    paragraphs = [p for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    return Markup("").join(Markup("<p>{}</p>").format(Markup("<br>").join(escape(p).split("\n"))) for p in paragraphs)


def render_markdown(text: str | None) -> Markup:
    if not text:
        return Markup("")
    if bracket_scan_cost(text) > SCAN_BUDGET:
        return render_plain(text)
    try:
        html = md.markdown(text, extensions=EXTENSIONS, output_format="html")
    except RecursionError:
        # Hundreds of nested lists or quotes exhaust Python's stack: a 500 on every view otherwise.
        return render_plain(text)
    return Markup(nh3.clean(html, **_SANITISER))


_SANITISER = dict(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes={"http", "https", "mailto"},
    link_rel="noopener noreferrer nofollow ugc",
)

# Bump when the rendering changes in a way the fingerprint below cannot see (an extension added, a
# post-processing step such as comments' mention markup): HTML stored with another fingerprint is
# rendered again from its source (see app/comments/models.py, `flask comments render`).
RENDERER_REVISION = 1
# What stored HTML was made with: the allow-list, the Markdown options and both libraries' versions.
# A stricter sanitiser or an upgraded library changes it, and every stored text counts as stale.
RENDERER = hashlib.sha1(
    repr((RENDERER_REVISION, sorted(ALLOWED_TAGS), sorted((k, sorted(v)) for k, v in ALLOWED_ATTRIBUTES.items()),
          EXTENSIONS, sorted(_SANITISER["url_schemes"]), _SANITISER["link_rel"], SCAN_BUDGET,
          version("markdown"), version("nh3"))).encode()
).hexdigest()[:16]


def sanitise(html: str, **extra) -> Markup:
    """The same allow-list over HTML from elsewhere (stored HTML read back from an import)."""
    return Markup(nh3.clean(html or "", **{**_SANITISER, **extra}))
