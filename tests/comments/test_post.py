from app.comments.models import Comment
from app.notifications.models import Kind, Notification
from tests.collab import HX, comments_url, post_comment


def test_it_posts_a_comment_with_a_plain_form_and_redirects_to_it(client, login_as, alice, programme, db):
    login_as(alice)
    response = client.post(comments_url(programme), data={"body": "Usulan **nama** baru"})
    assert response.status_code == 303
    comment = db.session.query(Comment).one()
    # The link asks the page for the comment's thread, which may be older than the threads it shows at first.
    assert response.headers["Location"].endswith(f"/p/{programme.slug}/?comment={comment.id}#comment-{comment.id}")
    page = client.get(f"/p/{programme.slug}/").text
    assert "<strong>nama</strong>" in page
    assert 'id="discussion-programme-' in page


def test_it_answers_htmx_with_the_new_thread_only(client, login_as, alice, programme):
    login_as(alice)
    response = client.post(comments_url(programme), data={"body": "Lewat htmx"}, headers=HX)
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<article class="thread"')
    assert "Lewat htmx" in response.text
    assert "<html" not in response.text


def test_the_discussion_page_is_a_full_page_and_a_fragment(client, login_as, alice, bob, programme):
    post_comment(programme, bob, "Komentar pertama")
    login_as(alice)
    full = client.get(comments_url(programme))
    assert full.status_code == 200 and "<html" in full.text and "Komentar pertama" in full.text
    fragment = client.get(comments_url(programme), headers=HX)
    assert fragment.status_code == 200 and "<html" not in fragment.text and "Komentar pertama" in fragment.text


def test_charlie_can_neither_read_nor_post(client, login_as, alice, charlie, programme, db):
    post_comment(programme, alice, "Rahasia internal")
    login_as(charlie)
    assert client.get(comments_url(programme)).status_code == 404
    assert client.get(comments_url(programme), headers=HX).status_code == 404
    assert client.post(comments_url(programme), data={"body": "halo"}).status_code == 404
    assert client.post(comments_url(programme), data={"body": "halo"}, headers=HX).status_code == 404
    assert db.session.query(Comment).count() == 1


def test_it_refuses_a_viewer(client, login_as, member, programme, db):
    viewer = login_as(member("viewer"))
    assert viewer
    assert client.post(comments_url(programme), data={"body": "halo"}).status_code == 403
    assert db.session.query(Comment).count() == 0


def test_a_commenter_may_comment(client, login_as, member, programme):
    login_as(member("commenter"))
    assert client.post(comments_url(programme), data={"body": "halo"}).status_code == 303


def test_an_unknown_target_type_is_not_found(client, login_as, alice):
    login_as(alice)
    assert client.get("/t/nothing/1/comments").status_code == 404
    assert client.post("/t/nothing/1/comments", data={"body": "x"}).status_code == 404


def test_an_empty_comment_is_refused_with_the_form_again(client, login_as, alice, programme, db):
    login_as(alice)
    response = client.post(comments_url(programme), data={"body": "   "})
    assert response.status_code == 422
    assert 'class="errors"' in response.text
    fragment = client.post(comments_url(programme), data={"body": ""}, headers=HX)
    assert fragment.status_code == 422
    assert fragment.headers["HX-Retarget"] == f"#comment-form-programme-{programme.id}"
    assert 'id="comment-form-programme-' in fragment.text
    assert db.session.query(Comment).count() == 0


def test_control_characters_are_refused(client, login_as, alice, programme, db):
    login_as(alice)
    assert client.post(comments_url(programme), data={"body": "bad \x07 bell"}).status_code == 422
    assert db.session.query(Comment).count() == 0


def test_a_reply_joins_the_thread_and_tells_the_thread_author(client, login_as, alice, bob, programme, db):
    root = post_comment(programme, alice, "Bagaimana jadwalnya?")
    login_as(bob)
    response = client.post(comments_url(programme), data={"body": "Minggu depan", "parent_id": root.id}, headers=HX)
    assert response.status_code == 200
    assert f'id="thread-{root.id}"' in response.text and "Minggu depan" in response.text
    reply = db.session.query(Comment).filter_by(parent_id=root.id).one()
    assert reply.author_id == bob.id
    kinds = {(n.user_id, n.kind) for n in db.session.query(Notification)}
    assert (alice.id, Kind.REPLY) in kinds
    assert all(user_id != bob.id for user_id, _ in kinds)


def test_a_reply_to_a_reply_stays_in_the_same_thread(alice, bob, programme):
    root = post_comment(programme, alice, "A")
    reply = post_comment(programme, bob, "B", parent=root)
    again = post_comment(programme, alice, "C", parent=reply)
    assert again.parent_id == root.id


def test_a_parent_from_another_target_is_not_found(client, login_as, alice, factories, programme):
    other = factories.ProgrammeFactory()
    factories.MembershipFactory(programme=other, user=alice, role="owner")
    foreign = post_comment(other, alice, "di program lain")
    login_as(alice)
    response = client.post(comments_url(programme), data={"body": "x", "parent_id": foreign.id})
    assert response.status_code == 404


def test_commenting_makes_the_author_follow_and_followers_hear_of_it(alice, bob, member, programme, db):
    carol = member("commenter")
    post_comment(programme, carol, "Saya ikut")
    post_comment(programme, bob, "Komentar baru")
    notes = db.session.query(Notification).filter_by(user_id=carol.id).all()
    assert [n.kind for n in notes] == [Kind.COMMENT]


def test_a_saved_comment_confirms_the_browser_draft(client, login_as, alice, programme):
    login_as(alice)
    response = client.post(comments_url(programme), data={"body": "ok", "draft": "abc-123"}, headers=HX)
    assert "sinergi_saved_draft=abc-123" in response.headers["Set-Cookie"]
    refused = client.post(comments_url(programme), data={"body": "", "draft": "abc-124"}, headers=HX)
    assert "Set-Cookie" not in refused.headers or "sinergi_saved_draft" not in refused.headers["Set-Cookie"]


def test_an_expired_login_loses_nothing_and_returns_to_the_page(client, alice, programme, db):
    # Not signed in (the session expired): nothing is saved, no confirmation is sent, so the browser
    # keeps the text; after signing in the person is sent back to the page where it waits.
    response = client.post(
        comments_url(programme), data={"body": "teks panjang", "draft": "d-1"},
        headers={"Referer": f"http://localhost/p/{programme.slug}/"},
    )
    assert response.status_code in (302, 303)
    assert "/login?next=/p/" in response.headers["Location"]
    assert "sinergi_saved_draft" not in response.headers.get("Set-Cookie", "")
    assert db.session.query(Comment).count() == 0


def test_a_refused_plain_reply_comes_back_as_a_reply(client, login_as, alice, programme, db):
    root = post_comment(programme, alice, "Akar")
    login_as(alice)
    response = client.post(comments_url(programme), data={"body": "", "parent_id": root.id})
    assert response.status_code == 422
    assert f'<input type="hidden" name="parent_id" value="{root.id}">' in response.text
    assert db.session.query(Comment).count() == 1


def test_a_page_of_another_domain_with_its_own_form_does_not_leak_into_the_comment_form(app, alice, programme):
    from flask import render_template_string
    from flask_login import login_user

    from app.comments.forms import CommentForm

    with app.test_request_context():
        login_user(alice)
        with app.test_request_context(method="POST", data={"body": "not a comment"}):
            login_user(alice)
            other = CommentForm()
            other.validate()
            html = render_template_string(
                '{% with discussion = discussion_for(programme) %}{% include "components/_comments.html" %}{% endwith %}',
                programme=programme, form=other,
            )
    assert "not a comment" not in html
