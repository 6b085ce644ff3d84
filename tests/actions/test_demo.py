"""The demo's follow-up actions: every status in both programmes, histories, some overdue."""
from sqlalchemy import func, select

from app import demo
from app.actions import service
from app.actions.models import Action, ActionHistory, Status
from app.programmes.models import Programme


def test_the_demo_has_actions_in_every_status_with_history_and_its_pages_render(client, login_as, app, db, today):
    from app.accounts.models import User

    demo.load("demo-password")  # once: hashing a dozen demo passwords is slow on purpose
    for programme in db.session.execute(select(Programme)).scalars():
        statuses = set(db.session.execute(select(Action.status).where(Action.programme_id == programme.id)).scalars())
        assert statuses == set(Status), programme.slug
        assert service.summary(programme, today)["overdue"] >= 1
    changes = db.session.scalar(select(func.count()).select_from(ActionHistory).where(ActionHistory.field == "status"))
    assert changes >= 20
    blocked = db.session.execute(select(Action).where(Action.status == Status.TERHAMBAT)).scalars().all()
    assert all(a.status_note for a in blocked)
    names = set(db.session.execute(select(Action.title)).scalars())
    assert {"Usulkan nama “Program Wisata Kota Industri” ke DPP MASATA", "Hidupkan kembali Meninting Bike Park",
            "Sosialisasi Program Wisata Kota Industri di Job Fair 2025"} <= names
    parent = db.session.execute(select(Action).where(Action.title.like("Siapkan usulan regulasi%"))).scalar_one()
    assert 0 < parent.progress < 100
    login_as(db.session.execute(select(User).filter_by(email="komunitas@demo.sinergi.id")).scalar_one())
    for path in ["", "board", "timeline", "dashboard"]:
        assert client.get(f"/p/wisata-kota-industri-bontang/actions/{path}").status_code == 200
    assert client.get("/my/tasks").status_code == 200
