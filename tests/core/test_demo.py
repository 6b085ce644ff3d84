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


def test_the_demo_has_the_meetings_of_both_reports(runner, db):
    from app.meetings.models import Decision, Meeting, MeetingKind

    assert runner.invoke(args=["demo"]).exit_code == 0
    meetings = {m.title: m for m in db.session.execute(select(Meeting)).scalars()}
    kinds = {m.kind for m in meetings.values()}
    assert {MeetingKind.RAKOR, MeetingKind.RDP, MeetingKind.ROADSHOW, MeetingKind.NGOPI} <= kinds
    decisions = set(db.session.execute(select(Decision.text)).scalars())
    assert 'Nama program menjadi "Program Wisata Kota Industri".' in decisions
    assert any("DPP MASATA" in d for d in decisions) and any("Meninting Bike Park" in d for d in decisions)


def test_the_demo_meeting_pages_render(runner, client, db):
    from app.meetings.models import Meeting

    runner.invoke(args=["demo"])
    client.post("/login", data={"email": "komunitas@demo.sinergi.id", "password": "pentahelix-demo"})
    for meeting in db.session.execute(select(Meeting)).scalars():
        path = f"/p/{meeting.programme.slug}/meetings/{meeting.id}"
        assert client.get(path).status_code == 200, meeting.title
        assert client.get(path + "/notulen.docx").status_code == 200
