from app.notifications.models import Delivery, Notification, NotificationPreference
from tests.collab import HX, post_comment


def _mention_bob(programme, alice):
    return post_comment(programme, alice, "Tolong cek @[Bob Member]")


def test_the_bell_counts_unread_notifications(client, login_as, alice, bob, programme):
    _mention_bob(programme, alice)
    login_as(bob)
    page = client.get("/").text
    assert 'class="bell bell-unread"' in page and '<span class="bell-count">1</span>' in page


def test_the_bell_fragment_is_conditional(client, login_as, alice, bob, programme):
    login_as(bob)
    first = client.get("/notifications/bell", headers=HX)
    assert first.status_code == 200 and first.text.lstrip().startswith('<a class="bell')
    etag = first.headers["ETag"]
    assert client.get("/notifications/bell", headers={**HX, "If-None-Match": etag}).status_code == 304
    _mention_bob(programme, alice)
    changed = client.get("/notifications/bell", headers={**HX, "If-None-Match": etag})
    assert changed.status_code == 200 and 'bell-count">1<' in changed.text
    full = client.get("/notifications/bell")
    assert "<html" in full.text


def test_the_bell_needs_a_login(client):
    assert client.get("/notifications/bell", headers=HX).status_code in (204, 302, 303)


def test_the_list_shows_mine_only_as_page_and_fragment(client, login_as, alice, bob, charlie, programme):
    _mention_bob(programme, alice)
    login_as(bob)
    page = client.get("/notifications")
    assert page.status_code == 200 and "Alice Owner" in page.text and "<html" in page.text
    fragment = client.get("/notifications", headers=HX)
    assert fragment.text.lstrip().startswith('<section class="card" id="notifications">')
    login_as(charlie)
    assert "Alice Owner" not in client.get("/notifications").text


def test_marking_read(client, login_as, alice, bob, charlie, programme, db):
    _mention_bob(programme, alice)
    note = db.session.query(Notification).one()
    login_as(charlie)
    client.post(f"/notifications/{note.id}/read")  # someone else's id marks nothing
    db.session.refresh(note)
    assert note.read_at is None
    login_as(bob)
    response = client.post(f"/notifications/{note.id}/read", headers=HX)
    assert response.status_code == 200 and "<html" not in response.text
    db.session.refresh(note)
    assert note.read_at is not None
    _mention_bob(programme, alice)
    assert client.post("/notifications/read-all").status_code == 303
    assert db.session.query(Notification).filter(Notification.read_at.is_(None)).count() == 0


def test_delivery_preference_is_saved(client, login_as, bob, db):
    login_as(bob)
    assert client.get("/notifications/settings").status_code == 200
    assert client.post("/notifications/settings", data={"delivery": "digest"}).status_code == 303
    assert db.session.get(NotificationPreference, bob.id).delivery == Delivery.DIGEST
    assert client.post("/notifications/settings", data={"delivery": "pigeon"}).status_code == 422


def test_follow_and_unfollow_in_place_and_with_a_plain_form(client, login_as, alice, bob, charlie, programme):
    login_as(bob)
    response = client.post(f"/t/programme/{programme.id}/follow", headers=HX)
    assert response.status_code == 200 and 'aria-pressed="true"' in response.text and "<html" not in response.text
    assert client.post(f"/t/programme/{programme.id}/unfollow").status_code == 303
    page = client.get(f"/p/{programme.slug}/").text
    assert f'action="/t/programme/{programme.id}/follow"' in page
    login_as(charlie)
    assert client.post(f"/t/programme/{programme.id}/follow").status_code == 404
    assert client.post(f"/t/programme/{programme.id}/follow", headers=HX).status_code == 404
