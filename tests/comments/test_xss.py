"""Every place a comment's text (or a name) is shown comes out inert."""
import pytest

from app.comments.models import Comment
from tests.collab import HX, assert_inert, comments_url, post_comment, user_content

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[klik](javascript:alert(1))",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<a href=\"/logout\" hx-post=\"/logout\" hx-trigger=\"load\">x</a>",
    "<div data-hx-post=\"/logout\" data-hx-trigger=\"load\">x</div>",
    "<p hx-get=\"/\" hx-trigger=\"every 1s\" hx-swap=\"outerHTML\">x</p>",
    "<svg onload=alert(1)></svg>",
    "<iframe src=\"https://evil.example\"></iframe>",
    "<style>body{display:none}</style>",
    "<form action=\"/logout\" method=\"post\"><button>x</button></form>",
    "<span style=\"position:fixed\" class=\"mention\" onclick=\"x()\">x</span>",
    "@[<img src=x onerror=alert(1)>]",
    "@[Bob\" onmouseover=\"alert(1)]",
    "@[</span><script>alert(1)</script>]",
    "sinergimention00000000n0x and @[x]",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_comment_body_comes_out_inert_everywhere(client, login_as, alice, bob, programme, payload, db):
    login_as(alice)
    client.post(comments_url(programme), data={"body": payload})
    comment = db.session.query(Comment).one()
    pages = [
        client.get(f"/p/{programme.slug}/").text,
        client.get(comments_url(programme), headers=HX).text,
        client.get(f"/t/programme/{programme.id}/comments/live", headers=HX).text,
        client.get(f"/comments/{comment.id}").text,
    ]
    for page in pages:
        bodies = user_content(page, "comment-body")
        assert bodies, "the comment is shown"
        for body in bodies:
            assert body.get("hx-disable") is not None
            assert_inert(body)
        assert "<script>alert" not in page
    # Edited: the history shows both texts, inert.
    client.post(f"/comments/{comment.id}/edit", data={"body": payload + " (2)"})
    history = client.get(f"/comments/{comment.id}/history").text
    proses = user_content(history, "prose")
    assert len(proses) == 2
    for prose in proses:
        assert prose.get("hx-disable") is not None
        assert_inert(prose)


@pytest.mark.parametrize("payload", PAYLOADS[:4])
def test_mentions_notifications_activity_and_search_escape_the_text(client, login_as, alice, bob, programme, payload):
    post_comment(programme, alice, f"@[Bob Member] {payload} pelabuhan")
    login_as(bob)
    for url in ("/notifications", f"/p/{programme.slug}/activity", "/search?q=pelabuhan"):
        page = client.get(url).text
        assert "<script>alert" not in page and "<img src=x" not in page and "<a href=\"javascript" not in page, url
    snippets = user_content(client.get("/search?q=pelabuhan").text, "snippet")
    assert snippets
    for snippet in snippets:
        assert_inert(snippet)


def test_a_member_with_markup_in_their_name_is_mentioned_as_text(client, login_as, alice, member, programme):
    member("commenter", name="<b onmouseover=x>Eve</b>")
    login_as(alice)
    client.post(comments_url(programme), data={"body": "hai @[<b onmouseover=x>Eve</b>]"})
    page = client.get(comments_url(programme)).text
    assert "&lt;b onmouseover=x&gt;Eve&lt;/b&gt;" in page
    for body in user_content(page, "comment-body"):
        assert_inert(body)
    suggestions = client.get(f"/t/programme/{programme.id}/mentions?q=%3Cb").get_json()
    assert suggestions[0]["name"] == "<b onmouseover=x>Eve</b>"  # JSON; the script inserts it as text
