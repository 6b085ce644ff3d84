from app.comments.models import Comment, CommentRevision
from tests.collab import HX, post_comment


def test_the_author_edits_in_place_and_the_earlier_text_is_kept(client, login_as, alice, programme, db):
    comment = post_comment(programme, alice, "Versi pertama")
    login_as(alice)
    form = client.get(f"/comments/{comment.id}/edit", headers=HX)
    assert form.status_code == 200 and "<html" not in form.text and "Versi pertama" in form.text
    assert 'hx-post="/comments/' in form.text
    response = client.post(f"/comments/{comment.id}/edit", data={"body": "Versi kedua"}, headers=HX)
    assert response.status_code == 200 and f'id="thread-{comment.id}"' in response.text
    assert "Versi kedua" in response.text
    assert "(edited)" in response.text or "(disunting)" in response.text
    assert [r.body for r in db.session.query(CommentRevision)] == ["Versi pertama"]
    history = client.get(f"/comments/{comment.id}/history")
    assert "Versi pertama" in history.text and "Versi kedua" in history.text
    assert client.get(f"/comments/{comment.id}/history", headers=HX).text.lstrip().startswith("<section")


def test_the_edit_page_works_without_javascript(client, login_as, alice, programme):
    comment = post_comment(programme, alice, "Teks")
    login_as(alice)
    page = client.get(f"/comments/{comment.id}/edit")
    assert page.status_code == 200 and "<html" in page.text and "hx-post" not in page.text.split('id="comment-')[1].split(">")[0]
    response = client.post(f"/comments/{comment.id}/edit", data={"body": "Teks baru"})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"#comment-{comment.id}")


def test_an_empty_edit_is_refused_in_place(client, login_as, alice, programme, db):
    comment = post_comment(programme, alice, "Teks")
    login_as(alice)
    response = client.post(f"/comments/{comment.id}/edit", data={"body": ""}, headers=HX)
    assert response.status_code == 422 and response.headers["HX-Retarget"] == f"#comment-{comment.id}"
    assert db.session.get(Comment, comment.id).body == "Teks"


def test_nobody_else_edits_a_comment(client, login_as, alice, bob, charlie, programme, db):
    comment = post_comment(programme, alice, "Milik Alice")
    login_as(bob)
    assert client.get(f"/comments/{comment.id}/edit").status_code == 403
    assert client.post(f"/comments/{comment.id}/edit", data={"body": "ubah"}, headers=HX).status_code == 403
    login_as(charlie)
    assert client.get(f"/comments/{comment.id}/edit").status_code == 404
    assert client.post(f"/comments/{comment.id}/edit", data={"body": "ubah"}).status_code == 404
    assert db.session.get(Comment, comment.id).body == "Milik Alice"


def test_deleting_leaves_a_marker_and_removes_the_text(client, login_as, alice, bob, programme, db):
    root = post_comment(programme, alice, "Akar")
    reply = post_comment(programme, bob, "Balasan rahasia", parent=root)
    login_as(bob)
    response = client.post(f"/comments/{reply.id}/delete", headers=HX)
    assert response.status_code == 200
    assert "Comment deleted" in response.text or "Komentar dihapus" in response.text
    assert "Balasan rahasia" not in response.text
    assert db.session.get(Comment, reply.id).body == ""
    assert "Balasan rahasia" not in client.get(f"/p/{programme.slug}/").text


def test_a_moderator_may_delete_but_a_commenter_may_not(client, login_as, alice, member, programme, db):
    commenter = member("commenter")
    mine = post_comment(programme, alice, "Dari owner")
    login_as(commenter)
    assert client.post(f"/comments/{mine.id}/delete").status_code == 403
    theirs = post_comment(programme, commenter, "Dari commenter")
    login_as(alice)
    assert client.post(f"/comments/{theirs.id}/delete").status_code == 303
    assert db.session.get(Comment, theirs.id).is_deleted


def test_charlie_cannot_delete_or_see_a_comment(client, login_as, alice, charlie, programme, db):
    comment = post_comment(programme, alice, "x")
    login_as(charlie)
    assert client.post(f"/comments/{comment.id}/delete", headers=HX).status_code == 404
    assert client.get(f"/comments/{comment.id}").status_code == 404
    assert client.get(f"/comments/{comment.id}/history").status_code == 404
    assert not db.session.get(Comment, comment.id).is_deleted


def test_a_single_thread_is_a_page_and_a_fragment(client, login_as, alice, bob, programme):
    root = post_comment(programme, alice, "Akar")
    post_comment(programme, bob, "Balasan", parent=root)
    login_as(bob)
    page = client.get(f"/comments/{root.id}")
    assert page.status_code == 200 and "<html" in page.text and "Balasan" in page.text
    fragment = client.get(f"/comments/{root.id}", headers=HX)
    assert fragment.text.lstrip().startswith('<article class="thread"')


def test_a_boosted_save_from_the_edit_page_gets_the_page_not_a_fragment(client, login_as, alice, programme):
    comment = post_comment(programme, alice, "Teks")
    login_as(alice)
    boosted = {"HX-Request": "true", "HX-Boosted": "true"}
    response = client.post(f"/comments/{comment.id}/edit", data={"body": "Teks baru"}, headers=boosted)
    assert response.status_code == 303 and response.headers["Location"].endswith(f"#comment-{comment.id}")
