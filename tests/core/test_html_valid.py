"""Pages parse as valid HTML: html5lib in strict mode raises on the first parse error."""
import html5lib
import pytest

from app.programmes.models import Visibility


def _assert_valid(html: str, where: str):
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    try:
        parser.parse(html)
    except html5lib.html5parser.ParseError as error:
        raise AssertionError(f"{where}: {error}") from None


def test_main_pages_and_fragments_parse_as_valid_html(client, login_as, alice, bob, factories, programme, db):
    programme.visibility = Visibility.PUBLIC
    programme.description = "**Tebal** dan [tautan](https://example.id)\n\n| a | b |\n|---|---|\n| 1 | 2 |"
    db.session.commit()
    factories.InvitationFactory(programme=programme)
    anonymous = ["/login", "/register", "/reset", "/organisations/", "/nope"]
    for path in anonymous:
        _assert_valid(client.get(path).get_data(as_text=True), path)
    login_as(alice)
    pages = [
        "/", "/profile", "/profile/password", "/p/new", f"/p/{programme.slug}/", f"/p/{programme.slug}/members",
        f"/p/{programme.slug}/settings", f"/organisations/{alice.organisation_id}", "/organisations/new",
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        _assert_valid(response.get_data(as_text=True), path)
    # Form errors re-rendered with 422.
    response = client.post("/p/new", data={"name": "", "visibility": "private"})
    _assert_valid(response.get_data(as_text=True), "/p/new with errors")


def test_the_check_rejects_broken_markup():
    with pytest.raises(AssertionError):
        _assert_valid("<!doctype html><html><head><title>x</title></head><body><p>a</span></body></html>", "broken")
