"""The API other domains call: notify(users, kind, target, actor, text)."""
import pytest

from app.notifications import service
from app.notifications.models import Delivery, Kind, Notification
from app.extensions import db as _db, mail


@pytest.fixture
def app_config(app_config):
    # A configured server, with Flask-Mail's TESTING suppression: messages are recorded, not sent.
    return {**app_config, "MAIL_SERVER": "smtp.invalid"}


@pytest.fixture
def outbox(app):
    with mail.record_messages() as sent:
        yield sent


def test_notify_reaches_members_only_and_never_the_actor(alice, bob, charlie, programme, db):
    ids = service.notify([alice, bob, charlie], Kind.ASSIGNMENT, programme, alice, "Susun kerangka acuan")
    db.session.commit()
    assert ids == [bob.id]
    note = db.session.query(Notification).one()
    assert (note.user_id, note.kind, note.target_type, note.target_id) == (bob.id, Kind.ASSIGNMENT, "programme", programme.id)
    assert note.url == f"/p/{programme.slug}/"


def test_followers_hear_of_status_changes(alice, bob, member, programme, db):
    follower = member("viewer")
    service.follow(follower, programme)
    service.notify_followers(programme, Kind.STATUS, alice, "Selesai")
    db.session.commit()
    assert [n.user_id for n in db.session.query(Notification)] == [follower.id]


def test_immediate_delivery_mails_once_the_change_commits(alice, bob, programme, db, outbox):
    service.set_delivery(bob, Delivery.IMMEDIATE)
    service.notify([bob], Kind.MEETING, programme, alice, "Rakor Kamis")
    assert outbox == []
    db.session.commit()
    assert [m.recipients for m in outbox] == [[bob.email]]
    assert "Rakor Kamis" in outbox[0].body and f"/p/{programme.slug}/" in outbox[0].body


def test_nothing_is_mailed_for_a_change_that_rolled_back(alice, bob, programme, db, outbox):
    service.set_delivery(bob, Delivery.IMMEDIATE)
    service.notify([bob], Kind.MEETING, programme, alice, "Rakor Kamis")
    db.session.rollback()
    _db.session.commit()
    assert outbox == []
    assert db.session.query(Notification).count() == 0


def test_in_app_only_sends_no_mail(alice, bob, programme, db, outbox):
    service.notify([bob], Kind.DECISION, programme, alice, "Diterima")
    db.session.commit()
    assert outbox == []


def test_the_daily_digest_mails_unread_notifications_once(alice, bob, programme, db, runner, outbox):
    service.set_delivery(bob, Delivery.DIGEST)
    service.notify([bob], Kind.MENTION, programme, alice, "Halo")
    service.notify([bob], Kind.REPLY, programme, alice, "Balas")
    db.session.commit()
    assert outbox == []  # a digest reader is not mailed right away
    result = runner.invoke(args=["send-digests"])
    assert "Digests sent: 1" in result.output
    assert [m.recipients for m in outbox] == [[bob.email]]
    assert outbox[0].body.count(f"/p/{programme.slug}/") == 2
    assert all(n.emailed_at is not None for n in db.session.query(Notification))
    again = runner.invoke(args=["send-digests"])
    assert "Digests sent: 0" in again.output
