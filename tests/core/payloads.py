"""XSS payloads and an HTML checker, shared by every domain's tests.

    from tests.core.payloads import XSS_PAYLOADS, assert_no_live_markup

    for payload in XSS_PAYLOADS:
        ...post `payload` into a text field...
        assert_no_live_markup(client.get(page).get_data(as_text=True))

`assert_no_live_markup` parses the page the way a browser does (html5lib) and walks the tree:
no event-handler attribute, no <script> other than our own (see `_own_script`), no javascript:/data:/
vbscript: URL, no active element (iframe, object, svg, ...) beyond the baseline's (our charts), no htmx
attribute other than the ones our templates put on the page (pass the page rendered with harmless
text as `baseline`), and no
htmx attribute at all inside a `hx-disable` container of user content. The checker knows nothing
about the payloads, so it also catches a live element the corpus did not aim for.
"""
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

import html5lib

# Our own <script> tags are all external files from /static/ (the CSP forbids inline script), in
# the page's <head> (base.html), each once. A payload that gets a script element through lands in
# the body (or duplicates one of ours in the head), so it is caught even when its src is /static/.
OWN_SCRIPTS = ("/static/",)
STATIC_FOLDER = Path(__file__).resolve().parents[2] / "static"

XSS_PAYLOADS: list[str] = [
    # plain script tags
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<script src=data:text/javascript,alert(1)></script>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '"><script>alert(1)</script>',
    "'><script>alert(1)</script>",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "<!--<script>alert(1)</script>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    # event handlers
    "<img src=x onerror=alert(1)>",
    '<img src="x" onerror="alert(1)">',
    "<IMG SRC=x OnErRoR=alert(1)>",
    "<body onload=alert(1)>",
    "<div onmouseover=alert(1)>hover</div>",
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<marquee onstart=alert(1)>x</marquee>",
    '" onmouseover="alert(1)',
    "' onfocus='alert(1)' autofocus='",
    "<a href=x onclick=alert(1)>klik</a>",
    # javascript: and other schemes
    '<a href="javascript:alert(1)">klik</a>',
    '<a href="JaVaScRiPt:alert(1)">klik</a>',
    '<a href=" javascript:alert(1)">klik</a>',
    '<a href="java\tscript:alert(1)">klik</a>',
    '<a href="jav&#x09;ascript:alert(1)">klik</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">klik</a>',
    '<a href="vbscript:msgbox(1)">klik</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">klik</a>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<form action="javascript:alert(1)"><button>go</button></form>',
    '<button formaction="javascript:alert(1)">go</button>',
    '<object data="data:text/html,<script>alert(1)</script>"></object>',
    '<embed src="javascript:alert(1)">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    # SVG and MathML
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text y="20">x</text></a></svg>',
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>',
    # broken markup
    "<img src=x onerror=alert(1)",
    '<<img src=x onerror=alert(1)//<',
    "<a href='javascript:alert(1)'>x",
    "<div title='</div><img src=x onerror=alert(1)>'>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "<style><img src=x onerror=alert(1)></style>",
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    # Markdown link tricks
    "[x](javascript:alert(1))",
    "[x](JAVASCRIPT:alert(1))",
    "[x](javascript&#58;alert(1))",
    "[x]( javascript:alert(1) )",
    "[x](<javascript:alert(1)>)",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:alert(1))",
    "![x](x\" onerror=\"alert(1))",
    "[x][ref]\n\n[ref]: javascript:alert(1)",
    "<javascript:alert(1)>",
    "[x](vbscript:msgbox(1))",
    '[x](https://example.com "title\\" onmouseover=\\"alert(1)")',
    # htmx attributes: user markup must never drive htmx
    '<div hx-get="/logout" hx-trigger="load">x</div>',
    '<a hx-post="/logout" hx-trigger="mouseover">x</a>',
    '<div data-hx-get="/logout" data-hx-trigger="load">x</div>',
    '<span hx-on:click="alert(1)">x</span>',
    '<div hx-headers=\'{"X-CSRFToken": "x"}\' hx-boost="false">x</div>',
    '<img src=x hx-get=/logout hx-trigger=load hx-swap=outerHTML>',
    '"><div hx-get="/logout" hx-trigger="load">',
    # entity-encoded and escaping tricks
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "{{ 7*7 }}{% raw %}x{% endraw %}",
    "${alert(1)}",
    # text too costly for Markdown falls back to plain text: that path must escape too
    "[" * 600 + "<script>alert(1)</script><img src=x onerror=alert(1)>",
    "- " * 3000 + "<img src=x onerror=alert(1)>",
    # emoji and non-Latin text must survive intact
    "Program 🚀 <b>Bontang</b> & Co",
]

assert len(XSS_PAYLOADS) >= 50

DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "poster", "background", "srcset", "codebase"}
ACTIVE_ELEMENTS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "svg", "math", "style", "noscript"}
# <link> and <meta> are ours in <head>; in the body they can only come from user content.
BODY_FORBIDDEN = ACTIVE_ELEMENTS | {"link", "meta"}


def _local(name: str) -> str:
    """html5lib's etree names carry a namespace: '{http://www.w3.org/1999/xhtml}a' -> 'a'."""
    return name.rsplit("}", 1)[-1].lower() if isinstance(name, str) else ""


def _attr_name(name) -> str:
    # Namespaced attributes (xlink:href) come as '{ns}href'.
    if name.startswith("{http://www.w3.org/1999/xlink}"):
        return "xlink:" + name.split("}", 1)[1]
    return _local(name)


def _normalise_url(value: str) -> str:
    # What a browser does before reading the scheme: strip leading C0 controls and spaces,
    # drop tabs and newlines anywhere.
    value = re.sub(r"[\t\n\r]", "", value)
    return value.lstrip("".join(chr(c) for c in range(0x21))).lower()


def is_htmx_attribute(name: str) -> bool:
    return name.startswith("hx-") or name.startswith("data-hx-")


def parse(html: str):
    return html5lib.parse(html, treebuilder="etree", namespaceHTMLElements=True)


def walk(html: str):
    """Yield (element, local tag name, {attr: value}, ancestors) for every element of the page."""
    return iter(_walked(html))


@lru_cache(maxsize=8)
def _walked(html: str) -> tuple:
    # One parse per page however many checks read it (html5lib is pure Python and the corpus long).
    return tuple(_walk(html))


def _walk(html: str):
    root = parse(html)
    stack = [(root, ())]
    while stack:
        element, ancestors = stack.pop()
        tag = _local(element.tag)
        attrs = {_attr_name(k): v for k, v in element.attrib.items()}
        yield element, tag, attrs, ancestors
        for child in reversed(list(element)):
            stack.append((child, ancestors + ((tag, attrs),)))


# The CSRF token in <body hx-headers> is signed afresh on every page: compare it as a placeholder.
_CSRF_VALUE = re.compile(r'("X-CSRFToken":\s*")[^"]*')
# Ids in our URLs differ between the baseline and the page when the content is a new object (a new
# checklist item has a new id): compared as a placeholder. A payload can still only ADD attributes,
# and every added one is counted.
_NUMBER = re.compile(r"\d+")
# Turns htmx off inside an element: more of them (user content shown more often, e.g. a history of
# notes) can only make less live, never more.
HARMLESS_HTMX = {"hx-disable", "data-hx-disable"}


def htmx_attributes(html: str) -> Counter:
    """The multiset of (tag, attribute, value) htmx attributes on a page (hx-disable aside)."""
    return Counter(
        (tag, name, _NUMBER.sub("0", _CSRF_VALUE.sub(r"\1…", value)))
        for _, tag, attrs, _ in walk(html)
        for name, value in attrs.items()
        if is_htmx_attribute(name) and name not in HARMLESS_HTMX
    )


def _own_script(src: str | None, in_head: bool, in_user_content: bool) -> bool:
    """An external file that exists in our static folder, loaded from <head>, outside user content."""
    if not src or not in_head or in_user_content or not src.startswith(OWN_SCRIPTS):
        return False
    path = src.split("?", 1)[0].split("#", 1)[0][len("/static/"):]
    file = (STATIC_FOLDER / path).resolve()
    return file.is_relative_to(STATIC_FOLDER.resolve()) and file.is_file()


def _own_stylesheet(tag: str, attrs: dict, in_user_content: bool) -> bool:
    """A page's own stylesheet from our static folder. Pages reached through hx-boost keep only the
    body, so a domain's stylesheet is linked at the top of its content (meetings): harmless there."""
    return tag == "link" and not in_user_content and attrs.get("rel") == "stylesheet" and _own_script(
        attrs.get("href"), True, False)


def live_markup(html: str, baseline: str | None = None) -> list[str]:
    """Everything on the page that would run script or drive htmx; [] when the page is safe."""
    problems = []
    scripts = []
    active = []  # active elements in the body outside user content: only ours (a chart's <svg>) may be
    for _, tag, attrs, ancestors in walk(html):
        in_body = any(a[0] == "body" for a in ancestors)
        in_head = any(a[0] == "head" for a in ancestors)
        in_user_content = any("hx-disable" in a[1] for a in ancestors)
        for name, value in attrs.items():
            if name.startswith("on"):
                problems.append(f"<{tag} {name}={value!r}>: event handler")
            if name in URL_ATTRIBUTES and _normalise_url(value).startswith(DANGEROUS_SCHEMES):
                problems.append(f"<{tag} {name}={value!r}>: dangerous URL")
            if name == "srcdoc":
                problems.append(f"<{tag} srcdoc>: inline document")
            if name == "http-equiv" and value.strip().lower() == "refresh":
                problems.append(f"<{tag} http-equiv=refresh>")
            if is_htmx_attribute(name) and in_user_content:
                problems.append(f"<{tag} {name}={value!r}>: htmx attribute inside user content")
        if tag == "script":
            src = attrs.get("src")
            scripts.append(src or "<inline>")
            if not _own_script(src, in_head, in_user_content):
                where = "in the body" if in_body else "in the head"
                problems.append(f"<script src={src!r}> {where}: not one of ours")
        if in_body and tag in BODY_FORBIDDEN and not _own_stylesheet(tag, attrs, in_user_content):
            if in_user_content:
                problems.append(f"<{tag}> in user content")
            else:
                active.append((tag, attrs.get("class", "")))
    for src, count in Counter(scripts).items():
        if count > 1:
            problems.append(f"<script src={src!r}> {count} times: ours load once")
    # Our charts are <svg> drawn by the templates: allowed as often as the baseline page has them
    # (same tag and class); without a baseline, every active element in the body is reported.
    extra_active = Counter(active) - (_baseline(baseline)[0] if baseline is not None else Counter())
    problems.extend(f"<{tag} class={cls!r}> in the page body" for tag, cls in extra_active.elements())
    if baseline is not None:
        _active, ours, htmx = _baseline(baseline)
        extra_scripts = Counter(scripts) - ours
        if extra_scripts:
            problems.append(f"script elements not on the page without user content: {sorted(extra_scripts)}")
        extra = htmx_attributes(html) - htmx
        problems.extend(f"<{tag} {name}={value!r}>: htmx attribute not in our templates" for tag, name, value in extra)
    return problems


@lru_cache(maxsize=64)
def _baseline(html: str) -> tuple[Counter, Counter, Counter]:
    """A baseline page's active elements, scripts and htmx attributes: parsed once, however many
    payloads are compared with it (html5lib is pure Python, and the corpus is long)."""
    scripts = Counter(src for _, tag, attrs, _ in walk(html) if tag == "script" for src in [attrs.get("src")])
    return _active_elements(html), scripts, htmx_attributes(html)


def _active_elements(html: str) -> Counter:
    return Counter(
        (tag, attrs.get("class", ""))
        for _, tag, attrs, ancestors in walk(html)
        if tag in BODY_FORBIDDEN and any(a[0] == "body" for a in ancestors)
        and not any("hx-disable" in a[1] for a in ancestors)
    )


def assert_no_live_markup(html: str, baseline: str | None = None, where: str = "") -> None:
    problems = live_markup(html, baseline)
    assert not problems, f"live markup {where}: " + "; ".join(problems)


# -- bad input ---------------------------------------------------------------------------------

LONG_NAME = "N" * 10_000
# NUL is not here: every request carrying one is refused with 400 before any form sees it.
CONTROL_CHARACTERS = ["Nama\x07Bel", "Nama\x1b[31mMerah", "Nama\x08Mundur", "Nama\x7fHapus"]
INVALID_EMAILS = ["bukan-email", "a@", "@example.id", "a b@example.id", "<script>@example.id", "a@example..id", "x" * 300 + "@example.id"]
HTML_AND_EMOJI_NAME = "<b>Bontang</b> 🚀 <img src=x onerror=alert(1)> & Co"


def database_snapshot(db) -> dict:
    """Every row of every table, to prove a refused request wrote nothing."""
    from sqlalchemy import select

    db.session.rollback()
    snapshot = {}
    for table in db.metadata.sorted_tables:
        rows = db.session.execute(select(table)).all()
        snapshot[table.name] = sorted((tuple(map(repr, row)) for row in rows))
    db.session.rollback()
    return snapshot
