"""One Markdown → HTML filter for every user-written text: render, then sanitise with an allow-list."""
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
        html = md.markdown(text, extensions=["tables", "sane_lists"], output_format="html")
    except RecursionError:
        # Hundreds of nested lists or quotes exhaust Python's stack: a 500 on every view otherwise.
        return render_plain(text)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow ugc",
    )
    return Markup(clean)
