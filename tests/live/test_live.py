"""Conditional polling: 304 while nothing changed, the fresh fragment once something did."""
import os
import uuid

import pytest

from tests.collab import HX, post_comment

REDIS = os.environ.get("TEST_REDIS_URL")


@pytest.fixture(params=["database"] + (["redis"] if REDIS else []))
def app_config(request, app_config):
    if request.param == "redis":
        # A prefix of its own instead of FLUSHDB: other tests may be using the same Redis right now.
        return {**app_config, "REDIS_URL": REDIS, "RATELIMIT_KEY_PREFIX": f"live-{uuid.uuid4().hex}"}
    return app_config


def live_url(programme):
    return f"/t/programme/{programme.id}/comments/live"


def test_it_answers_304_until_someone_comments(client, login_as, alice, bob, programme):
    login_as(bob)
    first = client.get(live_url(programme), headers=HX)
    assert first.status_code == 200 and first.text.lstrip().startswith('<div class="threads"')
    etag = first.headers["ETag"]
    assert "no-cache" in first.headers["Cache-Control"] and "private" in first.headers["Cache-Control"]
    assert client.get(live_url(programme), headers={**HX, "If-None-Match": etag}).status_code == 304
    post_comment(programme, alice, "Kabar terbaru")
    changed = client.get(live_url(programme), headers={**HX, "If-None-Match": etag})
    assert changed.status_code == 200 and "Kabar terbaru" in changed.text
    assert changed.headers["ETag"] != etag
    assert f'data-live-etag="{changed.headers["ETag"].strip(chr(34))}"' in changed.text


def test_reactions_resolve_and_edits_move_the_version_too(client, login_as, alice, bob, programme):
    comment = post_comment(programme, alice, "Usul")
    login_as(bob)
    etag = client.get(live_url(programme), headers=HX).headers["ETag"]
    client.post(f"/comments/{comment.id}/react", data={"kind": "agree"})
    after_reaction = client.get(live_url(programme), headers={**HX, "If-None-Match": etag})
    assert after_reaction.status_code == 200
    etag = after_reaction.headers["ETag"]
    client.post(f"/comments/{comment.id}/resolve")
    assert client.get(live_url(programme), headers={**HX, "If-None-Match": etag}).status_code == 200


def test_the_version_is_per_viewer(client, login_as, alice, bob, programme):
    login_as(bob)
    bobs = client.get(live_url(programme), headers=HX).headers["ETag"]
    login_as(alice)
    assert client.get(live_url(programme), headers={**HX, "If-None-Match": bobs}).status_code == 200


def test_charlie_gets_404_from_the_live_fragment(client, login_as, alice, charlie, programme):
    post_comment(programme, alice, "Rahasia")
    login_as(charlie)
    response = client.get(live_url(programme), headers=HX)
    assert response.status_code == 404 and "Rahasia" not in response.text


def test_the_page_carries_what_the_poller_needs(client, login_as, alice, programme):
    login_as(alice)
    page = client.get(f"/p/{programme.slug}/").text
    assert f'data-live-url="{live_url(programme)}"' in page
    assert '<meta name="sinergi-live" content="1200">' in page
    assert "/static/js/live.js" in page and "/static/js/drafts.js" in page and "/static/js/mentions.js" in page
