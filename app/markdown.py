"""One Markdown → HTML filter for every user-written text: render, then sanitise with an allow-list."""
import markdown as md
import nh3
from markupsafe import Markup

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


def render_markdown(text: str | None) -> Markup:
    if not text:
        return Markup("")
    html = md.markdown(text, extensions=["tables", "sane_lists"], output_format="html")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow ugc",
    )
    return Markup(clean)
