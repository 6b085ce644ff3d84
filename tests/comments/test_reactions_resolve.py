from app.comments.models import CommentReaction, Reaction
from tests.collab import HX, post_comment


def test_agree_toggles_and_disagree_replaces_it(client, login_as, alice, bob, programme, db):
    comment = post_comment(programme, alice, "Usul")
    login_as(bob)
    response = client.post(f"/comments/{comment.id}/react", data={"kind": "agree"}, headers=HX)
    assert response.status_code == 200 and 'aria-pressed="true"' in response.text
    assert [r.kind for r in db.session.query(CommentReaction)] == [Reaction.AGREE]
    client.post(f"/comments/{comment.id}/react", data={"kind": "disagree"}, headers=HX)
    assert [r.kind for r in db.session.query(CommentReaction)] == [Reaction.DISAGREE]
    client.post(f"/comments/{comment.id}/react", data={"kind": "disagree"})
    assert db.session.query(CommentReaction).count() == 0


def test_reacting_with_a_plain_form_redirects(client, login_as, alice, bob, programme):
    comment = post_comment(programme, alice, "Usul")
    login_as(bob)
    response = client.post(f"/comments/{comment.id}/react", data={"kind": "agree"})
    assert response.status_code == 303


def test_an_unknown_reaction_is_a_bad_request(client, login_as, alice, programme):
    comment = post_comment(programme, alice, "Usul")
    login_as(alice)
    assert client.post(f"/comments/{comment.id}/react", data={"kind": "love"}).status_code == 400


def test_viewers_and_charlie_cannot_react(client, login_as, alice, charlie, member, programme, db):
    comment = post_comment(programme, alice, "Usul")
    login_as(member("viewer"))
    assert client.post(f"/comments/{comment.id}/react", data={"kind": "agree"}).status_code == 403
    login_as(charlie)
    assert client.post(f"/comments/{comment.id}/react", data={"kind": "agree"}, headers=HX).status_code == 404
    assert db.session.query(CommentReaction).count() == 0


def test_a_thread_is_resolved_and_reopened_in_place(client, login_as, alice, bob, programme, db):
    root = post_comment(programme, alice, "Pertanyaan")
    login_as(bob)
    response = client.post(f"/comments/{root.id}/resolve", headers=HX)
    assert response.status_code == 200 and "thread-resolved" in response.text
    assert "resolved-note" in response.text and "Bob Member" in response.text
    db.session.refresh(root)
    assert root.is_resolved
    response = client.post(f"/comments/{root.id}/reopen")
    assert response.status_code == 303
    db.session.refresh(root)
    assert not root.is_resolved


def test_only_a_thread_root_is_resolved(client, login_as, alice, bob, programme):
    root = post_comment(programme, alice, "Pertanyaan")
    reply = post_comment(programme, bob, "Jawaban", parent=root)
    login_as(alice)
    assert client.post(f"/comments/{reply.id}/resolve").status_code == 400


def test_viewers_and_charlie_cannot_resolve(client, login_as, alice, charlie, member, programme):
    root = post_comment(programme, alice, "Pertanyaan")
    login_as(member("viewer"))
    assert client.post(f"/comments/{root.id}/resolve").status_code == 403
    login_as(charlie)
    assert client.post(f"/comments/{root.id}/resolve", headers=HX).status_code == 404
