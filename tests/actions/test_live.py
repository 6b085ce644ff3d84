"""An open action page follows the action: its details, status and history part is polled
(static/js/live.js) and answers 304 until someone changes the action, then the fresh part."""
import re

from app.actions import service
from app.actions.models import Status

HX = {"HX-Request": "true"}


def _live_part(client, programme, action):
    """The polled part as the page gives it: its URL and the version the page was rendered at."""
    html = client.get(f"/p/{programme.slug}/actions/{action.id}").get_data(as_text=True)
    url = re.search(r'<div id="live" data-live-url="([^"]+)"', html).group(1)
    etag = re.search(r'<div id="live"[^>]*data-live-etag="([^"]+)"', html).group(1)
    return url, etag


def _poll(client, url, etag):
    return client.get(url, headers={**HX, "If-None-Match": f'"{etag}"'})


def test_it_answers_304_while_nothing_changed(client, login_as, alice, programme, make_action):
    action = make_action()
    login_as(alice)
    url, etag = _live_part(client, programme, action)
    assert url == f"/p/{programme.slug}/actions/{action.id}/live"
    response = _poll(client, url, etag)
    assert response.status_code == 304 and response.get_data() == b""


def test_a_status_change_by_someone_else_reaches_the_open_page(client, login_as, alice, bob, programme, make_action):
    action = make_action(assignee=bob)
    login_as(alice)
    url, etag = _live_part(client, programme, action)
    login_as(bob)
    assert client.post(f"/p/{programme.slug}/actions/{action.id}/status",
                       data={"status": "terhambat", "note": "Menunggu anggaran DPRD"}).status_code == 303
    login_as(alice)
    response = _poll(client, url, etag)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="live"') and "<html" not in html
    assert "Menunggu anggaran DPRD" in html and "Bob Member" in html
    new_etag = response.headers["ETag"].strip('"')
    assert new_etag != etag
    assert _poll(client, url, new_etag).status_code == 304


def test_assignment_checklist_and_sub_action_changes_move_the_version(client, db, login_as, alice, bob, programme,
                                                                       make_action):
    parent = make_action(title="Induk")
    child = make_action(title="Anak", parent=parent)
    login_as(alice)
    url, etag = _live_part(client, programme, parent)

    service.change_status(child, Status.DIKERJAKAN, bob, "")  # the parent's progress follows its child
    assert _poll(client, url, etag).status_code == 200
    url, etag = _live_part(client, programme, parent)

    client.post(f"/p/{programme.slug}/actions/{parent.id}/checklist", data={"text": "Langkah pertama"})
    response = _poll(client, url, etag)
    assert response.status_code == 200
    url, etag = _live_part(client, programme, parent)

    other = make_action(title="Lain")  # another action's change leaves this page alone
    service.change_status(other, Status.DIKERJAKAN, bob, "")
    assert _poll(client, url, etag).status_code == 304


def test_the_version_is_per_viewer(client, login_as, alice, bob, programme, make_action):
    action = make_action()
    login_as(alice)
    url, etag = _live_part(client, programme, action)
    login_as(bob)
    # Bob's copy is rendered for Bob (his rights decide the forms): Alice's tag is not his.
    assert _poll(client, url, etag).status_code == 200


def test_outsiders_and_anonymous_get_nothing(client, login_as, alice, charlie, programme, make_action):
    action = make_action(title="Rahasia internal")
    login_as(alice)
    url, etag = _live_part(client, programme, action)
    login_as(charlie)
    for headers in (HX, {**HX, "If-None-Match": f'"{etag}"'}):
        response = client.get(url, headers=headers)
        assert response.status_code == 404 and "Rahasia internal" not in response.get_data(as_text=True)
    with client.session_transaction() as sess:
        sess.clear()
    assert client.get(url, headers=HX).status_code == 404
