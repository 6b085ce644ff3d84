import logging
import re

from tests.factories import PASSWORD


def test_it_changes_the_password_and_signs_out_other_sessions(app, client, login_as, factories, db):
    user = factories.UserFactory(email="rina@example.id")
    other_device = app.test_client()
    other_device.post("/login", data={"email": "rina@example.id", "password": PASSWORD})
    assert other_device.get("/profile").status_code == 200

    client.post("/login", data={"email": "rina@example.id", "password": PASSWORD})
    response = client.post(
        "/profile/password", data={"current": PASSWORD, "password": "kata-sandi-baru", "confirm": "kata-sandi-baru"}
    )
    assert response.status_code == 303
    db.session.refresh(user)
    assert user.check_password("kata-sandi-baru")
    assert client.get("/profile").status_code == 200  # this session goes on
    assert other_device.get("/profile").status_code in (302, 303)  # the other is signed out


def test_it_refuses_a_wrong_current_password(client, login_as, factories, db):
    user = login_as(factories.UserFactory())
    response = client.post("/profile/password", data={"current": "salah", "password": "kata-sandi-baru", "confirm": "kata-sandi-baru"})
    assert response.status_code == 422
    db.session.refresh(user)
    assert user.check_password(PASSWORD)


def _reset_link(caplog):
    match = re.search(r"http://localhost(/reset/[\w.\-]+)", caplog.text)
    assert match, caplog.text
    return match.group(1)


def test_it_resets_a_forgotten_password_through_the_logged_mail(client, factories, db, caplog):
    user = factories.UserFactory(email="rina@example.id")
    with caplog.at_level(logging.INFO):
        response = client.post("/reset", data={"email": "RINA@example.id"})
    assert response.status_code == 303
    link = _reset_link(caplog)
    assert client.get(link).status_code == 200
    response = client.post(link, data={"password": "sandi-baru-123", "confirm": "sandi-baru-123"})
    assert response.status_code == 303
    db.session.refresh(user)
    assert user.check_password("sandi-baru-123")
    # The link works once: the password it was made for is gone.
    response = client.post(link, data={"password": "lagi-lagi-123", "confirm": "lagi-lagi-123"})
    assert response.status_code == 303 and response.headers["Location"] == "/reset"
    db.session.refresh(user)
    assert user.check_password("sandi-baru-123")


def test_it_says_the_same_for_an_unknown_address(client, caplog):
    with caplog.at_level(logging.INFO):
        response = client.post("/reset", data={"email": "nobody@example.id"})
    assert response.status_code == 303
    assert "/reset/" not in caplog.text


def test_a_forged_or_expired_token_is_refused(app, client, factories, db):
    from app.accounts import service

    user = factories.UserFactory()
    token = service.reset_token(user)
    app.config["PASSWORD_RESET_MAX_AGE"] = -1
    assert client.post(f"/reset/{token}", data={"password": "x" * 10, "confirm": "x" * 10}).status_code == 303
    assert client.post("/reset/forged.token", data={"password": "x" * 10, "confirm": "x" * 10}).status_code == 303
    db.session.refresh(user)
    assert user.check_password(PASSWORD)
