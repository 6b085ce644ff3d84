"""A comment's Markdown is rendered once, when it is written; HTML made by another renderer is never
shown (it is rendered again), and `flask comments render` stores it afresh."""
from sqlalchemy import event, update

from app.comments import service
from app.comments.models import Comment
from app.markdown import RENDERER
from tests.collab import HX, comments_url, post_comment


def test_it_stores_the_sanitised_html_when_a_comment_is_written(db, alice, programme):
    comment = post_comment(programme, alice, "Usulan **tebal** <script>alert(1)</script> @[Nobody]")
    assert comment.html_renderer == RENDERER
    assert "<strong>tebal</strong>" in comment.body_html and "<script" not in comment.body_html
    service.edit(comment, alice, "Diganti *miring*")
    assert "<em>miring</em>" in comment.body_html and "tebal" not in comment.body_html
    service.delete(comment, alice)
    assert comment.body_html == ""


def test_bulk_inserts_render_too(db, alice, programme):
    from sqlalchemy import insert

    db.session.execute(insert(Comment), [dict(programme_id=programme.id, target_type="programme", target_id=programme.id,
                                              author_id=alice.id, body="Lewat **impor**")])
    db.session.commit()
    stored = db.session.query(Comment).one()
    assert stored.body_html == "<p>Lewat <strong>impor</strong></p>" and stored.html_renderer == RENDERER


def test_html_from_another_renderer_is_rendered_again_not_shown(client, db, login_as, alice, programme, runner):
    comment = post_comment(programme, alice, "Teks **asli**")
    db.session.execute(update(Comment).where(Comment.id == comment.id).values(
        body_html="<p>stale <img src=x onerror=alert(1)></p>", html_renderer="an-older-renderer"))
    db.session.commit()
    login_as(alice)
    page = client.get(f"/p/{programme.slug}/").text
    assert "<strong>asli</strong>" in page and "onerror" not in page
    result = runner.invoke(args=["comments", "render"])
    assert "Comments rendered: 1" in result.output
    db.session.expire_all()
    refreshed = db.session.get(Comment, comment.id)
    assert refreshed.html_renderer == RENDERER and "<strong>asli</strong>" in refreshed.body_html


def test_imported_html_goes_through_the_allow_list_again():
    from app.backup.service import EMBEDDED, SKIPPED_COLUMNS

    assert {"body_html", "html_renderer"} <= SKIPPED_COLUMNS["comments"]
    rewrite = EMBEDDED[("comments", "body_html")]
    clean = '<p>Hai <span class="mention">@Bob</span></p>'
    assert rewrite(clean, None) == clean
    assert rewrite('<p hx-get="/x" onclick="a()">x<script>alert(1)</script><span class="evil">y</span></p>', None) == "<p>x<span>y</span></p>"


def test_posting_costs_the_same_however_long_the_discussion(client, db, login_as, alice, bob, programme):
    """The answer is the new comment's thread and the followers' notifications one insert: no query
    per comment, per thread or per follower."""
    from app.accounts.models import User
    from app.programmes.models import Programme

    login_as(alice)
    url, root_id, ids = comments_url(programme), post_comment(programme, bob, "Utas pertama").id, (programme.id, alice.id, bob.id)

    def cost():
        seen = []

        def count(conn, cursor, statement, *args):
            if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")):
                seen.append(statement)

        db.session.remove()  # every measured request starts from an empty session, like a real one
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            response = client.post(url, data={"body": "Balasan", "parent_id": root_id}, headers=HX)
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        assert response.status_code == 200 and f'id="thread-{root_id}"' in response.text
        return len(seen)

    def grow(n):
        programme, author, other_author = db.session.get(Programme, ids[0]), db.session.get(User, ids[1]), db.session.get(User, ids[2])
        root = db.session.get(Comment, root_id)
        for i in range(n):
            other = post_comment(programme, other_author, f"Utas lain {i}")
            post_comment(programme, author, "Balasan lain", parent=other)
            post_comment(programme, other_author, "Balasan di utas pertama", parent=root)

    grow(1)
    cost()  # warm caches
    small = cost()
    grow(12)
    assert cost() == small
