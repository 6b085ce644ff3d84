def test_it_shows_the_profile_with_the_element_badge(client, login_as, factories):
    user = login_as(factories.UserFactory(name="Rina", organisation__element="media"))
    html = client.get("/profile").get_data(as_text=True)
    assert "Rina" in html and "badge-media" in html


def test_it_saves_name_organisation_language_and_time_zone(client, login_as, factories, db):
    user = login_as(factories.UserFactory())
    organisation = factories.OrganisationFactory(element="akademisi")
    response = client.post(
        "/profile",
        data={"name": "Rina Baru", "organisation_id": str(organisation.id), "locale": "en", "timezone": "Asia/Jakarta"},
    )
    assert response.status_code == 303
    db.session.refresh(user)
    assert (user.name, user.organisation_id, user.locale, user.timezone) == (
        "Rina Baru", organisation.id, "en", "Asia/Jakarta"
    )


def test_it_refuses_an_unknown_organisation_or_time_zone(client, login_as, factories, db):
    user = login_as(factories.UserFactory(name="Tetap"))
    for data in (
        {"name": "X", "organisation_id": "999999", "locale": "id", "timezone": "Asia/Makassar"},
        {"name": "X", "organisation_id": str(user.organisation_id), "locale": "id", "timezone": "Europe/Paris"},
        {"name": "X", "organisation_id": str(user.organisation_id), "locale": "fr", "timezone": "Asia/Makassar"},
    ):
        assert client.post("/profile", data=data).status_code == 422
    db.session.refresh(user)
    assert user.name == "Tetap"
