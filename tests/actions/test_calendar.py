"""The personal .ics feed of due dates behind a secret address."""
from datetime import timedelta

from icalendar import Calendar

from app.actions.models import Status


def make_link(client, login_as, user):
    login_as(user)
    assert client.post("/my/calendar").status_code == 303
    html = client.get("/my/tasks").get_data(as_text=True)
    return html.split('data-copy="', 1)[1].split('"', 1)[0]


def test_the_feed_lists_my_open_due_dates(client, auth, login_as, bob, programme, make_action, today):
    make_action(title="Job Fair", assignee=bob, due_date=today + timedelta(days=3))
    make_action(title="Selesai", assignee=bob, due_date=today, status=Status.SELESAI)
    make_action(title="Tanpa tanggal", assignee=bob, due_date=None)
    make_action(title="Orang lain", due_date=today)
    link = make_link(client, login_as, bob)
    auth.logout()  # calendar apps do not sign in
    response = client.get(link.replace("http://localhost", ""))
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    events = Calendar.from_ical(response.data).walk("VEVENT")
    assert [str(e["summary"]) for e in events] == [f"Job Fair · {programme.name}"]
    assert events[0].decoded("dtstart") == today + timedelta(days=3)


def test_a_new_address_retires_the_old_one(client, login_as, bob, programme):
    old = make_link(client, login_as, bob)
    new = make_link(client, login_as, bob)
    assert old != new
    assert client.get(old.replace("http://localhost", "")).status_code == 404
    assert client.get(new.replace("http://localhost", "")).status_code == 200


def test_an_unknown_token_is_not_found(client):
    assert client.get("/calendar/not-a-token.ics").status_code == 404


def test_the_address_needs_a_signed_in_user(client):
    assert client.post("/my/calendar").status_code in (302, 303)
