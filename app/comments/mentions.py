"""@mentions: `@[Full Name]` in a comment (what the autocomplete inserts) names a programme member."""
import re
import secrets

from markupsafe import Markup, escape
from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db
from app.markdown import ALLOWED_TAGS, render_markdown
from app.programmes.models import Membership

MENTION = re.compile(r"@\[([^\[\]\r\n]{1,120})\]")


def names_in(body: str) -> set[str]:
    return {" ".join(m.split()).casefold() for m in MENTION.findall(body or "")}


def members_named(programme, body: str) -> list[User]:
    """The members of `programme` the body mentions: exact names, case-insensitive. Anyone else named,
    however spelled, is nobody here."""
    names = names_in(body)
    if not names:
        return []
    members = db.session.execute(
        select(User).join(Membership, Membership.user_id == User.id).where(Membership.programme_id == programme.id)
    ).scalars()
    return [u for u in members if " ".join(u.name.split()).casefold() in names]


def suggestions(programme, prefix: str, limit: int = 8) -> list[User]:
    prefix = " ".join((prefix or "").split()).casefold()
    members = db.session.execute(
        select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.programme_id == programme.id, User.active.is_(True))
        .order_by(User.name)
    ).scalars()
    starts, contains = [], []
    for user in members:
        name = user.name.casefold()
        if not prefix or name.startswith(prefix) or any(part.startswith(prefix) for part in name.split()):
            starts.append(user)
        elif prefix in name:
            contains.append(user)
    return (starts + contains)[:limit]


def plain_text(body: str) -> str:
    """What a reader sees of a comment, without markup: for search, notification and activity excerpts."""
    return text_of(render_markdown(MENTION.sub(lambda m: "@" + m.group(1), body or "")))


def text_of(html_text: str) -> str:
    """The text of rendered HTML (a comment's stored HTML): the same as plain_text of its source,
    without running Markdown again."""
    import html

    import nh3

    return " ".join(html.unescape(nh3.clean(str(html_text or ""), tags=set())).split())


def sanitise_rendered(html_text: str) -> Markup:
    """HTML that claims to be render()'s output, from outside (an imported backup): passed through the
    same allow-list again, with the mention markup render() adds. Clean HTML comes out unchanged."""
    from app.markdown import sanitise

    return sanitise(html_text, tags=ALLOWED_TAGS | {"span"}, tag_attribute_values={"span": {"class": {"mention"}}})


def render(body: str) -> Markup:
    """Markdown, sanitised, with mentions shown as such. The mention is swapped for an inert
    alphanumeric token before Markdown and back after sanitising, escaped: a name can never carry markup."""
    if not body:
        return Markup("")
    nonce = secrets.token_hex(4)
    found: list[str] = []

    def hold(match):
        found.append(match.group(1))
        return f"sinergimention{nonce}n{len(found) - 1}x"

    html = str(render_markdown(MENTION.sub(hold, body)))
    for i, name in enumerate(found):
        html = html.replace(
            f"sinergimention{nonce}n{i}x", f'<span class="mention">@{escape(name)}</span>'
        )
    return Markup(html)
