"""The collaboration pages and fragments parse as valid HTML (html5lib strict), like the main pages."""
import io

from tests.collab import HX, comments_url, post_comment
from tests.core.test_html_valid import _assert_valid

PDF = b"%PDF-1.4\n%%EOF\n"


def _fragment(html: str) -> str:
    return f"<!doctype html><html lang=id><head><title>x</title></head><body>{html}</body></html>"


def test_collaboration_pages_and_fragments_parse_as_valid_html(client, login_as, alice, bob, programme, db):
    root = post_comment(programme, alice, "Halo @[Bob Member] **tebal**\n\n- a\n- b", files=[("a.pdf", PDF)])
    reply = post_comment(programme, bob, "Balasan", parent=root)
    login_as(bob)
    client.post(f"/comments/{reply.id}/edit", data={"body": "Balasan disunting"})
    client.post(f"/comments/{root.id}/react", data={"kind": "agree"})
    login_as(alice)
    client.post(f"/comments/{reply.id}/hide", data={"reason": "uji"})
    pages = [
        f"/p/{programme.slug}/", comments_url(programme), f"/comments/{root.id}", f"/comments/{reply.id}/history",
        f"/comments/{root.id}/edit", "/notifications", "/notifications/settings", f"/p/{programme.slug}/activity",
        "/search?q=halo", "/search?q=tidakada",
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        _assert_valid(response.get_data(as_text=True), path)
    fragments = [
        comments_url(programme), f"/t/programme/{programme.id}/comments/live", f"/comments/{root.id}",
        f"/comments/{root.id}/edit", "/notifications", "/notifications/bell", "/search?q=halo",
        f"/p/{programme.slug}/activity",
    ]
    for path in fragments:
        response = client.get(path, headers=HX)
        assert response.status_code == 200, path
        _assert_valid(_fragment(response.get_data(as_text=True)), f"{path} (fragment)")
    refused = client.post(
        comments_url(programme), data={"body": "", "files": (io.BytesIO(b"x"), "x.exe")}, content_type="multipart/form-data"
    )
    _assert_valid(refused.get_data(as_text=True), "comment form with errors")
