"""The bell fragment comes from a kept render per unread count and language: the same bytes the page's
`bell` block gives, with each person's own ETag."""
import re

from app.notifications import service
from app.notifications.models import Kind
from tests.collab import HX

BELL = re.compile(r'<a class="bell.*?</a>', re.S)


def _notify(user, programme, actor, times):
    for _ in range(times):
        service.notify([user], Kind.MENTION, programme, actor, "Cek ini")
    from app.extensions import db

    db.session.commit()


def test_the_bell_fragment_is_what_the_page_renders(db, client, login_as, alice, bob, programme):
    login_as(bob)
    for total, locale in [(0, "id"), (1, "id"), (2, "en"), (2, "id"), (120, "en")]:
        bob.locale = locale
        db.session.commit()
        count = service.unread_count(bob)
        if count < total:
            _notify(bob, programme, alice, total - count)
        for _ in range(2):  # rendered, then kept
            fragment = client.get("/notifications/bell", headers=HX)
            page = client.get("/notifications/bell")
            assert fragment.headers["ETag"] == page.headers["ETag"]
            assert fragment.text.strip() == BELL.search(page.text).group(0), (total, locale)
    assert "99+" in fragment.text and 'aria-label="Notifications: 120 unread"' in fragment.text


def test_each_person_gets_their_own_etag(client, login_as, alice, bob, member, programme):
    carol = member("commenter")
    _notify(bob, programme, alice, 1)
    _notify(carol, programme, alice, 1)
    for user in (bob, carol, bob):
        login_as(user)
        response = client.get("/notifications/bell", headers=HX)
        tag = response.headers["ETag"].strip('"')
        assert re.findall(r'data-live-etag="([^"]*)"', response.text) == [tag]
        assert client.get("/notifications/bell", headers={**HX, "If-None-Match": f'"{tag}"'}).status_code == 304
