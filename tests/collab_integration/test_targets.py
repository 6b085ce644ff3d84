"""Drafts, their articles, meetings, agenda items and actions carry the shared discussion."""
import pytest

from app.comments.models import Comment
from app.notifications.models import Kind, Notification
from tests.collab import HX, post_comment

TYPES = ["action", "meeting", "agenda_item", "draft", "unit"]


@pytest.fixture
def target(request, action, meeting, agenda_item, draft, unit):
    return request.param, {"action": action, "meeting": meeting, "agenda_item": agenda_item, "draft": draft,
                           "unit": unit}[request.param]


@pytest.mark.parametrize("target", TYPES, indirect=True)
def test_a_member_comments_on_it_and_sees_the_comment(client, login_as, bob, target, db):
    kind, obj = target
    login_as(bob)
    response = client.post(f"/t/{kind}/{obj.id}/comments", data={"body": "Setuju, lanjutkan"})
    assert response.status_code == 303
    comment = db.session.query(Comment).one()
    assert (comment.target_type, comment.target_id) == (kind, obj.id)
    assert "Setuju, lanjutkan" in client.get(f"/t/{kind}/{obj.id}/comments").text
    assert "Setuju, lanjutkan" in client.get(f"/t/{kind}/{obj.id}/comments", headers=HX).text


@pytest.mark.parametrize("target", TYPES, indirect=True)
def test_charlie_gets_404_for_its_discussion(client, login_as, alice, charlie, target, db):
    kind, obj = target
    post_comment(obj, alice, "Internal")
    login_as(charlie)
    assert client.get(f"/t/{kind}/{obj.id}/comments").status_code == 404
    assert client.get(f"/t/{kind}/{obj.id}/comments", headers=HX).status_code == 404
    assert client.post(f"/t/{kind}/{obj.id}/comments", data={"body": "halo"}).status_code == 404
    assert client.post(f"/t/{kind}/{obj.id}/follow").status_code == 404
    assert db.session.query(Comment).count() == 1


@pytest.mark.parametrize("target", ["action", "meeting", "draft", "unit"], indirect=True)
def test_its_page_shows_the_discussion_and_the_follow_button(client, login_as, alice, bob, target, page_of):
    kind, obj = target
    post_comment(obj, alice, "Komentar di halaman")
    login_as(bob)
    page = client.get(page_of(obj)).text
    assert f'id="discussion-{kind}-{obj.id}"' in page
    assert "Komentar di halaman" in page
    assert f"/t/{kind}/{obj.id}/follow" in page


def test_a_confidential_agenda_items_discussion_is_for_editors_only(client, login_as, bob, member, agenda_item, db):
    agenda_item.confidential = True
    db.session.commit()
    login_as(member("viewer"))
    assert client.get(f"/t/agenda_item/{agenda_item.id}/comments").status_code == 404
    login_as(bob)
    assert client.get(f"/t/agenda_item/{agenda_item.id}/comments").status_code == 200


def test_a_mention_in_a_comment_on_an_action_notifies_exactly_that_member(client, login_as, alice, bob, member, action, db):
    member("viewer", name="Dewi Lestari")
    login_as(alice)
    client.post(f"/t/action/{action.id}/comments", data={"body": "Mohon dicek @[Bob Member]"})
    mentioned = db.session.query(Notification).filter_by(kind=Kind.MENTION).all()
    assert [n.user_id for n in mentioned] == [bob.id]


def _rendered_queries(client, url) -> int:
    """The queries of rendering the page (not of a cached answer: tests/core/test_page_cache.py)."""
    from app import pagecache

    pagecache.forget_all()
    return int(client.get(url).headers["X-Query-Count"])


@pytest.mark.parametrize("target", ["action", "meeting", "draft", "unit"], indirect=True)
def test_the_page_costs_the_same_with_one_comment_or_many(client, login_as, alice, bob, target, page_of):
    kind, obj = target
    login_as(alice)
    url = page_of(obj)
    post_comment(obj, bob, "Satu")
    client.get(url)
    small = _rendered_queries(client, url)
    for i in range(6):
        root = post_comment(obj, bob, f"Akar {i} @[Alice Owner]")
        post_comment(obj, alice, f"Balasan {i}", parent=root)
    assert _rendered_queries(client, url) == small


def test_the_meeting_page_links_each_agenda_items_discussion_with_its_count(client, login_as, alice, bob, programme, meeting, agenda_item, page_of):
    post_comment(agenda_item, alice, "Soal paparan")
    post_comment(agenda_item, alice, "Soal paparan lagi")
    login_as(bob)
    page = client.get(page_of(meeting)).text
    assert f'href="/t/agenda_item/{agenda_item.id}/comments">2 comments</a>' in page


def test_the_draft_page_shows_a_comment_count_per_article(client, login_as, alice, bob, draft, unit, page_of):
    post_comment(unit, alice, "Pasal ini perlu ayat baru")
    login_as(bob)
    page = client.get(page_of(draft)).text
    assert f'#discussion-unit-{unit.id}">1 comment</a>' in page


def test_the_meeting_and_draft_pages_cost_the_same_as_item_and_article_comments_grow(client, login_as, alice, bob, meeting, agenda_item, draft, unit, page_of):
    login_as(alice)
    counts = []
    for n in (1, 5):
        for i in range(n):
            post_comment(agenda_item, bob, f"Item {i}")
            post_comment(unit, bob, f"Pasal {i}")
        client.get(page_of(meeting))
        counts.append((_rendered_queries(client, page_of(meeting)), _rendered_queries(client, page_of(draft))))
    assert counts[0] == counts[1]
