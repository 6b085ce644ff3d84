"""Suggestions and status changes of a draft reach the right people and the activity feed."""
from flask import url_for

from app.activity.models import Activity
from app.drafts.models import SuggestedAmendment
from app.notifications.models import Kind, Notification


def _notified(db, kind):
    return sorted(n.user_id for n in db.session.query(Notification).filter_by(kind=kind))


def _url(endpoint, programme, **kwargs):
    return url_for(f"drafts.{endpoint}", slug=programme.slug, **kwargs)


def test_a_suggestion_tells_the_editors_and_its_decision_tells_the_proposer(client, login_as, alice, bob, member, programme, draft, unit, db):
    dewi = member("commenter", name="Dewi Lestari")
    login_as(dewi)
    response = client.post(_url("suggest", programme, draft_id=draft.id, unit_id=unit.id),
                           data={"text": unit.text + " Diubah.", "reason": "Lebih jelas."})
    assert response.status_code == 303
    assert _notified(db, Kind.COMMENT) == sorted([alice.id, bob.id])
    suggestion = db.session.query(SuggestedAmendment).one()
    login_as(bob)
    response = client.post(_url("decline_suggestion", programme, draft_id=draft.id, suggestion_id=suggestion.id),
                           data={"reason": "Sudah diatur di Pasal lain"})
    assert response.status_code == 303
    decided = db.session.query(Notification).filter_by(kind=Kind.DECISION).all()
    assert [n.user_id for n in decided] == [dewi.id]
    assert db.session.query(Activity).filter_by(verb="draft.suggestion_declined").count() == 1


def test_a_status_change_tells_the_other_members(client, login_as, alice, bob, member, programme, draft, db):
    viewer = member("viewer")
    login_as(bob)
    response = client.post(_url("change_status", programme, draft_id=draft.id), data={"to": "pembahasan", "note": ""})
    assert response.status_code == 303, response.text
    assert _notified(db, Kind.STATUS) == sorted([alice.id, viewer.id])
    assert db.session.query(Activity).filter_by(verb="draft.status_changed").count() == 1
