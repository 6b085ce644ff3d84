from sqlalchemy import func, select

from app.organisations.models import Organisation


def test_the_directory_lists_organisations_with_their_element(client, factories):
    factories.OrganisationFactory(name="PT Pupuk Kalimantan Timur", element="bisnis")
    factories.OrganisationFactory(name="Bontang Post", element="media")
    html = client.get("/organisations/").get_data(as_text=True)
    assert "PT Pupuk Kalimantan Timur" in html and "badge-bisnis" in html and "Bontang Post" in html


def test_it_filters_by_element_as_a_fragment_for_htmx(client, factories):
    factories.OrganisationFactory(name="PT Pupuk Kalimantan Timur", element="bisnis")
    factories.OrganisationFactory(name="Bontang Post", element="media")
    response = client.get("/organisations/?element=media", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert "Bontang Post" in html and "Pupuk" not in html and "<html" not in html
    full = client.get("/organisations/?element=media").get_data(as_text=True)
    assert "<html" in full and "Pupuk" not in full


def test_an_unknown_element_is_400(client):
    assert client.get("/organisations/?element=raja").status_code == 400


def test_a_signed_in_user_adds_an_organisation(client, login_as, factories, db):
    login_as(factories.UserFactory())
    response = client.post("/organisations/new", data={"name": "Universitas Mulawarman", "element": "akademisi"})
    assert response.status_code == 303
    assert db.session.execute(select(Organisation).filter_by(name="Universitas Mulawarman")).scalar_one().element.value == "akademisi"


def test_a_duplicate_name_is_refused(client, login_as, factories, db):
    factories.OrganisationFactory(name="Bontang Post")
    login_as(factories.UserFactory())
    response = client.post("/organisations/new", data={"name": "bontang post", "element": "media"})
    assert response.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(Organisation).where(Organisation.name.ilike("bontang post"))) == 1


def test_only_its_own_people_edit_an_organisation(client, login_as, factories, db):
    organisation = factories.OrganisationFactory(name="Bontang Post", element="media")
    login_as(factories.UserFactory())  # from another organisation
    assert client.get(f"/organisations/{organisation.id}/edit").status_code == 403
    login_as(factories.UserFactory(organisation=organisation))
    response = client.post(f"/organisations/{organisation.id}/edit", data={"name": "Bontang Post Online", "element": "media"})
    assert response.status_code == 303
    db.session.refresh(organisation)
    assert organisation.name == "Bontang Post Online"


def test_an_unknown_organisation_is_404(client):
    assert client.get("/organisations/424242").status_code == 404
