from app.comments.models import Comment, CommentReport
from app.notifications.models import Kind, Notification
from tests.collab import HX, comments_url, post_comment


def test_anyone_in_the_programme_reports_and_the_moderators_hear_of_it(client, login_as, alice, bob, member, programme, db):
    author = member("commenter", name="Penulis")
    comment = post_comment(programme, author, "Komentar kasar")
    reporter = member("viewer")
    login_as(reporter)
    response = client.post(f"/comments/{comment.id}/report", data={"reason": "kasar"}, headers=HX)
    assert response.status_code == 200
    assert db.session.query(CommentReport).count() == 1
    told = {n.user_id for n in db.session.query(Notification).filter_by(kind=Kind.MODERATION)}
    assert told == {alice.id, bob.id}
    # Reporting twice counts once.
    client.post(f"/comments/{comment.id}/report", data={"reason": "lagi"})
    assert db.session.query(CommentReport).count() == 1
    login_as(bob)
    assert "1 report" in client.get(comments_url(programme)).text or "1 laporan" in client.get(comments_url(programme)).text


def test_charlie_cannot_report(client, login_as, alice, charlie, programme, db):
    comment = post_comment(programme, alice, "x")
    login_as(charlie)
    assert client.post(f"/comments/{comment.id}/report", data={"reason": "x"}).status_code == 404
    assert db.session.query(CommentReport).count() == 0


def test_an_editor_hides_with_a_reason_and_only_author_and_moderators_still_see_it(client, login_as, alice, bob, member, programme, db):
    author = member("commenter", name="Penulis")
    other = member("viewer", name="Pembaca")
    comment = post_comment(programme, author, "Teks yang disembunyikan")
    login_as(bob)
    response = client.post(f"/comments/{comment.id}/hide", data={"reason": "Melanggar aturan"}, headers=HX)
    assert response.status_code == 200 and "Melanggar aturan" in response.text
    assert db.session.get(Comment, comment.id).is_hidden

    login_as(other)
    page = client.get(comments_url(programme)).text
    assert "Teks yang disembunyikan" not in page and "comment-gone" in page
    assert client.get(f"/comments/{comment.id}/history").status_code == 404

    login_as(author)
    page = client.get(comments_url(programme)).text
    assert "Teks yang disembunyikan" in page and "Melanggar aturan" in page and "comment-hidden" in page

    login_as(alice)
    assert "Teks yang disembunyikan" in client.get(comments_url(programme)).text


def test_a_hidden_comment_is_not_found_by_search_until_shown_again(client, login_as, alice, bob, programme):
    comment = post_comment(programme, alice, "Pelabuhan Loktuan")
    login_as(bob)
    client.post(f"/comments/{comment.id}/hide", data={"reason": "spam"})
    assert "Loktuan" not in client.get("/search?q=loktuan").text
    client.post(f"/comments/{comment.id}/unhide")
    assert "Loktuan" in client.get("/search?q=loktuan").text


def test_hiding_needs_a_reason_and_a_moderator(client, login_as, alice, member, programme, charlie, db):
    comment = post_comment(programme, alice, "x")
    login_as(alice)
    assert client.post(f"/comments/{comment.id}/hide", data={"reason": " "}).status_code == 400
    login_as(member("commenter"))
    assert client.post(f"/comments/{comment.id}/hide", data={"reason": "spam"}).status_code == 403
    login_as(charlie)
    assert client.post(f"/comments/{comment.id}/hide", data={"reason": "spam"}, headers=HX).status_code == 404
    assert not db.session.get(Comment, comment.id).is_hidden
