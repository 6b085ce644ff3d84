"""Issue 7: the XSS corpus checked where it matters — in real Chromium.

A representative selection of tests/core/payloads.py (every family: script tags, event handlers,
javascript:/data: URLs, SVG and MathML, broken markup, Markdown link tricks, htmx attributes) is
stored in every text field that renders back: comment bodies, the programme description, each
Pasal's text, meeting titles, places and descriptions, agenda item titles and notes, minutes,
decisions, a guest's attendance, action titles and descriptions. Each page is opened with a
`dialog` listener (any alert/confirm/prompt fails the test), console errors, page errors and CSP
violations collected (a payload's inline script blocked by the CSP still got into the DOM), and the
live DOM is searched: no event-handler attribute anywhere (our templates have none, the CSP forbids
them), no <script> but our own external files in <head>, no javascript:/data:/vbscript: URL, no
active element or htmx attribute inside user content. Every link a payload produced is then
clicked: none may run script or leave for a javascript: address.

Data is written through the services (the HTTP corpus in tests/core/test_xss.py drives the forms);
what this file proves is how the browser treats what the server sends.
"""
from datetime import date, timedelta

import pytest

from app.pentahelix import Element
from app.programmes.models import Role
from tests.core.payloads import XSS_PAYLOADS

pytestmark = pytest.mark.browser


def _family(*needles, limit=4):
    found = [p for p in XSS_PAYLOADS if len(p) < 300 and any(n in p for n in needles)]
    return found[:limit]


SELECTION = list(dict.fromkeys(
    _family("<script", "<SCRIPT")
    + _family("onerror", "onload", "onfocus", "ontoggle", "onmouseover", limit=6)
    + _family('href="javascript', 'href="JaVaScRiPt', "&#106;", "java\\tscript", "data:text/html;base64", limit=5)
    + _family("<svg", "<math", limit=4)
    + _family("](", "]: javascript", "<javascript:", limit=8)
    + _family("hx-get", "hx-on", "data-hx", limit=3)
    + _family("<<img", "<div title='", "<noscript>", limit=3)
))

# Everything that would run script or drive htmx, found in the live DOM (after the browser's own
# parsing and after htmx and our scripts ran). Returns a list of descriptions; [] is safe.
LIVE_DOM = r"""() => {
  const problems = [];
  const bad = /^\s*(javascript|vbscript|data):/i;
  const urlAttrs = ['href', 'src', 'action', 'formaction', 'data', 'xlink:href', 'poster', 'srcdoc'];
  for (const el of document.querySelectorAll('*')) {
    const inUser = !!el.closest('[hx-disable]');
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith('on')) problems.push(`<${el.localName} ${name}>`);
      if (urlAttrs.includes(name) && (name === 'srcdoc' || bad.test(attr.value.replace(/[\t\n\r]/g, ''))))
        problems.push(`<${el.localName} ${name}="${attr.value.slice(0, 60)}">`);
      if (inUser && (name.startsWith('hx-') || name.startsWith('data-hx-')) && name !== 'hx-disable')
        problems.push(`<${el.localName} ${name}> in user content`);
    }
    if (el.localName === 'a' && el.protocol && bad.test(el.protocol)) problems.push(`<a> to ${el.protocol}`);
    if (el.localName === 'script' && (!el.src || !el.closest('head') || inUser || new URL(el.src).origin !== location.origin))
      problems.push(`<script> ${el.src || el.textContent.slice(0, 60)}`);
    if (inUser && ['iframe', 'frame', 'object', 'embed', 'svg', 'math', 'style', 'base', 'meta', 'link', 'form',
                   'input', 'button', 'textarea', 'select', 'video', 'audio', 'source', 'marquee'].includes(el.localName))
      problems.push(`<${el.localName}> in user content`);
  }
  return problems;
}"""

PAYLOAD_LINKS = "[hx-disable] a"


@pytest.fixture
def world(factories, db):
    from app.actions import service as actions
    from app.drafts import service as drafts
    from app.drafts.models import DraftKind
    from app.meetings import service as meetings
    from app.meetings.models import DecisionKind, Presence
    from tests.collab import post_comment
    from tests.meetings.conftest import MeetingFactory

    description = "\n\n".join(SELECTION)
    programme = factories.ProgrammeFactory(name="Program Wisata Kota Industri Bontang", description=description)
    owner = factories.UserFactory(name="Rina Pemkot", organisation__element=Element.PEMERINTAH)
    factories.MembershipFactory(programme=programme, user=owner, role=Role.OWNER)
    for payload in SELECTION:
        post_comment(programme, owner, payload)

    draft = drafts.create_draft(programme, owner, SELECTION[0][:300], DraftKind.RAPERDA, SELECTION[1][:120])
    units = [node.unit for node in drafts.load_tree(draft.id).order if node.unit.text]
    for unit, payload in zip(units, SELECTION * 3):
        drafts.save_unit(unit.id, owner, unit.head_revision_id, payload)

    meeting = MeetingFactory(programme_id=programme.id, created_by_id=owner.id, title=SELECTION[2][:200],
                             place=SELECTION[3][:300], description=description)
    for payload in SELECTION:
        item = meetings.add_item(meeting, owner, title=payload[:300], description=payload)
        db.session.commit()
        meetings.save_minutes(item.id, owner, 0, payload)
        meetings.add_decision(item, owner, DecisionKind.WORK, payload)
        meetings.record_attendance(meeting, guest_name=payload[:120], guest_element=Element.MEDIA,
                                   presence=Presence.REPRESENTED, represented_by=payload[:120], contact=payload[:200])

    action_ids = [
        actions.create(programme, owner, title=payload[:200], description=payload, assignee=owner,
                       due_date=date.today() + timedelta(days=3)).id
        for payload in SELECTION
    ]
    slug = programme.slug
    pages = [
        f"/p/{slug}/", f"/t/programme/{programme.id}/comments", f"/p/{slug}/activity", "/search?q=alert",
        f"/p/{slug}/drafts/", f"/p/{slug}/drafts/{draft.id}/", f"/p/{slug}/drafts/{draft.id}/print",
        f"/p/{slug}/meetings", f"/p/{slug}/meetings/{meeting.id}", f"/p/{slug}/meetings/{meeting.id}/notulen?contacts=1",
        f"/p/{slug}/actions/", f"/p/{slug}/actions/board", "/my/tasks",
    ] + [f"/p/{slug}/actions/{i}" for i in action_ids]
    # Where Markdown turns payloads into links: descriptions, comments, notes and minutes.
    link_pages = [f"/p/{slug}/", f"/p/{slug}/meetings/{meeting.id}", f"/p/{slug}/actions/{action_ids[0]}"]
    return {"owner": owner, "pages": pages, "link_pages": link_pages}


def signed_in(open_page, live_server, user, dialogs):
    app = live_server.app
    cookie = app.session_interface.get_signing_serializer(app).dumps({"_user_id": user.get_id(), "_fresh": True})
    page = open_page(name="xss")
    page.context.add_cookies([{"name": "session", "value": cookie, "url": live_server.url}])
    page.on("dialog", lambda dialog: (dialogs.append(f"{page.url}: {dialog.type} {dialog.message}"), dialog.dismiss()))
    return page


def test_the_selection_covers_every_family():
    assert len(SELECTION) >= 25
    for needle in ("<script", "onerror", "javascript:", "<svg", "](javascript", "hx-get"):
        assert any(needle in p for p in SELECTION), needle


def test_no_payload_runs_or_is_live_in_the_browser(open_page, live_server, page_problems, world):
    dialogs = []
    page = signed_in(open_page, live_server, world["owner"], dialogs)
    found = {}
    for path in world["pages"]:
        page.goto(path)
        # Hover what users would touch (a mouseover handler would fire now), and give autofocus,
        # onload and htmx's load triggers their moment.
        for box in page.locator("[hx-disable]").all()[:12]:
            if box.is_visible():
                box.hover()
        page.wait_for_timeout(150)
        problems = page.evaluate(LIVE_DOM)
        if problems:
            found[path] = problems
    assert found == {}
    assert dialogs == []
    assert page_problems == []


def test_links_made_from_payloads_never_run_script(open_page, live_server, page_problems, world):
    dialogs = []
    page = signed_in(open_page, live_server, world["owner"], dialogs)
    clicked = 0
    for path in world["link_pages"]:
        page.goto(path)
        count = page.locator(PAYLOAD_LINKS).count()
        for index in range(count):
            link = page.locator(PAYLOAD_LINKS).nth(index)
            href = link.get_attribute("href") or ""
            if href.startswith(("http://", "https://")) and not href.startswith(live_server.url):
                continue  # an ordinary outside link: the checks above prove it carries no script
            if not link.is_visible():
                continue
            link.click()
            clicked += 1
            page.wait_for_timeout(100)
            assert not page.url.lower().startswith(("javascript:", "data:", "vbscript:")), page.url
            if page.url != live_server(path):
                page.goto(path)
    assert clicked > 0, "no link made from a payload was found to click"
    assert dialogs == []
    assert [p for p in page_problems if "404" not in p and "Failed to load resource" not in p] == []


def test_the_dom_check_does_report_live_markup(open_page, live_server, world):
    """Guards the tests above against passing because the check looks at nothing."""
    page = signed_in(open_page, live_server, world["owner"], [])
    page.goto(world["link_pages"][0])
    assert page.evaluate(LIVE_DOM) == []
    page.evaluate("""document.querySelector('[hx-disable]').insertAdjacentHTML('beforeend',
        '<a href="javascript:void(0)">x</a><img alt="" data-x="1" onmouseover="void(0)">' +
        '<span hx-get="/logout">x</span><svg></svg>')""")
    problems = page.evaluate(LIVE_DOM)
    assert len(problems) >= 4, problems
