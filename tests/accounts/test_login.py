from tests.factories import PASSWORD


def test_it_signs_in_with_the_right_password(client, factories):
    user = factories.UserFactory(email="dewi@example.id")
    response = client.post("/login", data={"email": "Dewi@Example.id ", "password": PASSWORD})
    assert response.status_code == 303
    assert client.get("/profile").status_code == 200
    assert user.name in client.get("/profile").get_data(as_text=True)


def test_it_refuses_a_wrong_password(client, factories):
    factories.UserFactory(email="dewi@example.id")
    response = client.post("/login", data={"email": "dewi@example.id", "password": "salah"})
    assert response.status_code == 422
    assert client.get("/profile").status_code in (302, 303)


def test_it_refuses_an_unknown_email_the_same_way(client):
    response = client.post("/login", data={"email": "nobody@example.id", "password": "whatever"})
    assert response.status_code == 422


def test_it_refuses_a_deactivated_account(client, factories):
    factories.UserFactory(email="old@example.id", active=False)
    response = client.post("/login", data={"email": "old@example.id", "password": PASSWORD})
    assert response.status_code == 422


def test_it_returns_to_the_page_asked_for(client, factories, programme):
    factories.UserFactory(email="dewi@example.id")
    response = client.post(
        f"/login?next=/p/{programme.slug}/", data={"email": "dewi@example.id", "password": PASSWORD}
    )
    assert response.headers["Location"] == f"/p/{programme.slug}/"


def test_it_never_redirects_to_another_site(client, factories):
    factories.UserFactory(email="dewi@example.id")
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        response = client.post(f"/login?next={target}", data={"email": "dewi@example.id", "password": PASSWORD})
        assert response.headers["Location"] == "/"
        client.post("/logout")


def test_remember_me_sets_a_lasting_cookie(client, factories):
    factories.UserFactory(email="dewi@example.id")
    client.post("/login", data={"email": "dewi@example.id", "password": PASSWORD, "remember": "y"})
    cookie = client.get_cookie("remember_token")
    assert cookie is not None and cookie.expires is not None
    assert cookie.http_only


def test_without_remember_me_there_is_no_lasting_cookie(client, factories):
    factories.UserFactory(email="dewi@example.id")
    client.post("/login", data={"email": "dewi@example.id", "password": PASSWORD})
    assert client.get_cookie("remember_token") is None


def test_it_signs_out(client, factories):
    factories.UserFactory(email="dewi@example.id")
    client.post("/login", data={"email": "dewi@example.id", "password": PASSWORD})
    response = client.post("/logout")
    assert response.status_code == 303
    assert client.get("/profile").status_code in (302, 303)


def test_logout_refuses_get(client):
    assert client.get("/logout").status_code == 405


def test_anonymous_is_sent_to_login_with_next(client):
    response = client.get("/profile")
    assert response.status_code in (302, 303)
    assert response.headers["Location"].startswith("/login?next=/profile")
