from app.programmes.models import Visibility


def test_a_member_sees_the_programme(client, login_as, alice, programme):
    login_as(alice)
    response = client.get(f"/p/{programme.slug}/")
    assert response.status_code == 200
    assert programme.name in response.get_data(as_text=True)


def test_an_outsider_gets_404_on_a_private_programme(client, login_as, charlie, programme):
    login_as(charlie)
    assert client.get(f"/p/{programme.slug}/").status_code == 404


def test_anonymous_gets_404_on_a_private_programme(client, programme):
    assert client.get(f"/p/{programme.slug}/").status_code == 404


def test_anyone_reads_a_public_programme_but_cannot_manage_it(client, login_as, charlie, programme, db):
    programme.visibility = Visibility.PUBLIC
    db.session.commit()
    assert client.get(f"/p/{programme.slug}/").status_code == 200
    login_as(charlie)
    assert client.get(f"/p/{programme.slug}/").status_code == 200
    assert client.get(f"/p/{programme.slug}/settings").status_code == 403


def test_an_unknown_programme_is_404(client, login_as, alice):
    login_as(alice)
    assert client.get("/p/tidak-ada/").status_code == 404


def test_a_viewer_cannot_change_settings(client, member, programme, login_as):
    login_as(member("viewer"))
    assert client.get(f"/p/{programme.slug}/settings").status_code == 403
    response = client.post(f"/p/{programme.slug}/settings", data={"name": "Diubah", "visibility": "public"})
    assert response.status_code == 403


def test_the_owner_changes_settings(client, login_as, alice, programme, db):
    login_as(alice)
    response = client.post(
        f"/p/{programme.slug}/settings", data={"name": "Nama Baru", "description": "Baru", "visibility": "public"}
    )
    assert response.status_code == 303
    db.session.refresh(programme)
    assert (programme.name, programme.visibility) == ("Nama Baru", Visibility.PUBLIC)


def test_the_coverage_fragment_is_served_to_htmx(client, login_as, alice, programme):
    login_as(alice)
    response = client.get(f"/p/{programme.slug}/?fragment=coverage", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="coverage"' in html
    assert "<html" not in html
    assert "HX-Request" in response.headers["Vary"]


def test_a_boosted_navigation_gets_the_whole_page(client, login_as, alice, programme):
    login_as(alice)
    response = client.get(
        f"/p/{programme.slug}/?fragment=coverage", headers={"HX-Request": "true", "HX-Boosted": "true"}
    )
    assert "<html" in response.get_data(as_text=True)


def test_a_history_restore_gets_the_whole_page(client, login_as, alice, programme):
    login_as(alice)
    response = client.get(
        f"/p/{programme.slug}/?fragment=coverage",
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert "<html" in response.get_data(as_text=True)
