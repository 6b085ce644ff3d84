from sqlalchemy import func, select

from app.programmes.models import Membership, Programme, Role


def test_it_creates_a_programme_with_its_creator_as_owner(client, login_as, charlie, db):
    login_as(charlie)
    response = client.post(
        "/p/new", data={"name": "Program Wisata Kota Industri", "description": "**Pilot** nasional", "visibility": "private"}
    )
    assert response.status_code == 303
    programme = db.session.execute(select(Programme)).scalar_one()
    assert response.headers["Location"] == f"/p/{programme.slug}/"
    assert programme.slug == "program-wisata-kota-industri"
    membership = db.session.execute(select(Membership)).scalar_one()
    assert (membership.user_id, membership.role) == (charlie.id, Role.OWNER)


def test_it_makes_slugs_unique(client, login_as, charlie, db):
    login_as(charlie)
    for _ in range(3):
        client.post("/p/new", data={"name": "Rakor Bontang", "visibility": "private"})
    slugs = sorted(db.session.execute(select(Programme.slug)).scalars())
    assert slugs == ["rakor-bontang", "rakor-bontang-2", "rakor-bontang-3"]


def test_it_renders_the_description_as_sanitised_markdown(client, login_as, charlie):
    login_as(charlie)
    client.post(
        "/p/new",
        data={"name": "P", "description": "**tebal** <script>alert(1)</script> [x](javascript:alert(2))", "visibility": "private"},
    )
    html = client.get("/p/p/").get_data(as_text=True)
    assert "<strong>tebal</strong>" in html
    assert "<script>alert(1)" not in html
    assert "javascript:alert" not in html


def test_it_requires_a_name_and_writes_nothing(client, login_as, charlie, db):
    login_as(charlie)
    response = client.post("/p/new", data={"name": "   ", "visibility": "private"})
    assert response.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(Programme)) == 0


def test_anonymous_cannot_create(client, db):
    response = client.post("/p/new", data={"name": "X", "visibility": "private"})
    assert response.status_code in (302, 303)
    assert db.session.scalar(select(func.count()).select_from(Programme)) == 0
