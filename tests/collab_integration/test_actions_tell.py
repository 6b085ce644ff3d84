"""An action's assignment and status changes reach the assignee and the followers, and the feed."""
from app.activity.models import Activity
from app.notifications.models import Kind, Notification


def _notified(db, kind):
    return sorted(n.user_id for n in db.session.query(Notification).filter_by(kind=kind))


def test_an_action_made_for_bob_notifies_bob(client, login_as, alice, bob, programme, db):
    login_as(alice)
    response = client.post(f"/p/{programme.slug}/actions/new",
                           data={"title": "Siapkan data kunjungan", "weight": "1", "priority": "normal", "assignee": bob.id})
    assert response.status_code == 303
    assert _notified(db, Kind.ASSIGNMENT) == [bob.id]
    assert db.session.query(Activity).filter_by(verb="action.created").count() == 1


def test_assigning_an_action_to_bob_notifies_bob_only(client, login_as, alice, bob, member, action, db):
    member("viewer", name="Dewi Lestari")
    login_as(alice)
    response = client.post(f"/p/{action.programme.slug}/actions/bulk",
                           data={"filter": "status=baru", "ids": [action.id], "status": "", "assignee": str(bob.id)})
    assert response.status_code in (200, 303)
    assert _notified(db, Kind.ASSIGNMENT) == [bob.id]


def test_a_status_change_notifies_the_assignee_and_the_followers_not_the_actor(client, login_as, alice, bob, member, factories, programme, db):
    dewi = member("viewer", name="Dewi Lestari")
    action = factories.ActionFactory(programme=programme, assignee_id=bob.id)
    login_as(dewi)
    assert client.post(f"/t/action/{action.id}/follow").status_code in (200, 303)
    login_as(alice)
    response = client.post(f"/p/{programme.slug}/actions/{action.id}/status", data={"status": "dikerjakan"})
    assert response.status_code in (200, 303)
    assert _notified(db, Kind.STATUS) == sorted([bob.id, dewi.id])
    assert db.session.query(Activity).filter_by(verb="action.status_changed").count() == 1


def test_the_activity_feed_reads_the_action_and_draft_entries(client, login_as, alice, bob, programme, draft, db):
    login_as(alice)
    client.post(f"/p/{programme.slug}/actions/new",
                data={"title": "Siapkan data kunjungan", "weight": "1", "priority": "normal", "assignee": bob.id})
    login_as(bob)
    page = client.get(f"/p/{programme.slug}/activity")
    assert page.status_code == 200
    assert "opened the action" in page.text and "Siapkan data kunjungan" in page.text
    assert "started the draft" in page.text and draft.title in page.text
