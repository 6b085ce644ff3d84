from sqlalchemy import func, select

from app.accounts.models import User
from app.pentahelix import Element
from app.programmes.models import Programme


def test_it_loads_both_programmes_with_a_user_per_element(runner, db):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "pentahelix-demo" in result.output  # the password is printed
    names = set(db.session.execute(select(Programme.name)).scalars())
    assert "Program Wisata Kota Industri Bontang" in names
    assert any("KOIN" in n for n in names)
    elements = {user.element for user in db.session.execute(select(User)).scalars()}
    assert elements == set(Element)


def test_it_loads_only_into_an_empty_database(runner, db):
    runner.invoke(args=["demo"])
    count = db.session.scalar(select(func.count()).select_from(User))
    again = runner.invoke(args=["demo", "--if-empty"])
    assert again.exit_code == 0
    assert db.session.scalar(select(func.count()).select_from(User)) == count
    refused = runner.invoke(args=["demo"])
    assert refused.exit_code != 0


def test_a_demo_user_signs_in_with_the_printed_password(runner, client):
    runner.invoke(args=["demo"])
    response = client.post("/login", data={"email": "komunitas@demo.sinergi.id", "password": "pentahelix-demo"})
    assert response.status_code == 303
    assert "Program Wisata Kota Industri Bontang" in client.get("/").get_data(as_text=True)
