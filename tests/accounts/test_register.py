from sqlalchemy import func, select

from app.accounts.models import User
from app.organisations.models import Organisation


def _form(**overrides):
    data = {
        "name": "Nur Aisyah",
        "email": "Aisyah@Example.id",
        "password": "rahasia-sekali",
        "confirm": "rahasia-sekali",
        "organisation_id": "0",
        "new_organisation_name": "Komunitas Pecinta Bontang",
        "new_organisation_element": "komunitas",
    }
    data.update(overrides)
    return data


def test_it_registers_with_a_new_organisation_and_signs_in(client, db):
    response = client.post("/register", data=_form())
    assert response.status_code == 303
    user = db.session.execute(select(User)).scalar_one()
    assert user.email == "aisyah@example.id"  # normalised
    assert user.organisation.name == "Komunitas Pecinta Bontang"
    assert user.element.value == "komunitas"
    assert user.password_hash.startswith("scrypt:")
    assert user.check_password("rahasia-sekali")
    # Signed in: the profile page opens.
    assert client.get("/profile").status_code == 200


def test_it_registers_into_an_existing_organisation(client, db, factories):
    organisation = factories.OrganisationFactory(name="PT Badak NGL", element="bisnis")
    response = client.post("/register", data=_form(organisation_id=str(organisation.id), new_organisation_name=""))
    assert response.status_code == 303
    user = db.session.execute(select(User)).scalar_one()
    assert user.organisation_id == organisation.id


def test_it_reuses_an_organisation_named_the_same(client, db, factories):
    factories.OrganisationFactory(name="DPC MASATA Kota Bontang", element="komunitas")
    client.post("/register", data=_form(new_organisation_name="dpc masata kota bontang"))
    assert db.session.scalar(select(func.count()).select_from(Organisation)) == 1


def test_it_refuses_a_taken_email(client, db, factories):
    factories.UserFactory(email="aisyah@example.id")
    response = client.post("/register", data=_form())
    assert response.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(User)) == 1


def test_it_refuses_mismatched_passwords_and_writes_nothing(client, db):
    response = client.post("/register", data=_form(confirm="lain"))
    assert response.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(User)) == 0
    assert db.session.scalar(select(func.count()).select_from(Organisation)) == 0


def test_it_asks_for_an_organisation(client, db):
    response = client.post("/register", data=_form(new_organisation_name="", new_organisation_element=""))
    assert response.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_it_refuses_a_short_password(client, db):
    response = client.post("/register", data=_form(password="pendek", confirm="pendek"))
    assert response.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(User)) == 0
