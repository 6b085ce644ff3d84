"""Who may do what with meetings, per role: the rule-book in app/permissions.py."""
import pytest

from app.meetings.models import MeetingStatus
from app.permissions import can

MATRIX = {
    # action: roles that may
    "meeting.view": {"viewer", "commenter", "editor", "owner"},
    "meeting.rsvp": {"viewer", "commenter", "editor", "owner"},
    "meeting.confirm": {"viewer", "commenter", "editor", "owner"},
    "meeting.comment": {"commenter", "editor", "owner"},
    "meeting.edit": {"editor", "owner"},
    "meeting.confidential": {"editor", "owner"},
    "meeting.approve": {"owner"},
    "meeting.correct": {"owner"},
    "meeting.delete": {"owner"},
}


@pytest.mark.parametrize("role", ["viewer", "commenter", "editor", "owner"])
def test_the_rule_book_per_role(app, member, meeting, role):
    user = member(role)
    allowed = {action for action, roles in MATRIX.items() if role in roles}
    assert {action for action in MATRIX if can(user, action, meeting)} == allowed


def test_an_outsider_may_do_nothing(app, charlie, meeting):
    assert not any(can(charlie, action, meeting) for action in MATRIX)


@pytest.mark.parametrize("path", ["", "/live", "/invite.ics", "/notulen", "/notulen.docx"])
def test_every_read_is_404_for_an_outsider_and_for_anonymous(client, login_as, charlie, url, path):
    assert client.get(url(path)).status_code == 404
    login_as(charlie)
    assert client.get(url(path)).status_code == 404


@pytest.mark.parametrize("path", ["", "/live", "/invite.ics", "/notulen", "/notulen.docx"])
def test_every_read_works_for_a_viewer(client, login_as, member, url, path):
    login_as(member("viewer"))
    assert client.get(url(path)).status_code == 200


def test_the_meetings_list_and_calendar_follow_the_programme(client, login_as, member, charlie, programme):
    for path in ("/meetings", "/meetings/calendar"):
        login_as(charlie)
        assert client.get(f"/p/{programme.slug}{path}").status_code == 404
        login_as(member("viewer"))
        assert client.get(f"/p/{programme.slug}{path}").status_code == 200


def test_a_viewer_sees_no_editing_controls(client, login_as, member, url, items, db, meeting):
    meeting.status = MeetingStatus.IN_PROGRESS
    db.session.commit()
    login_as(member("viewer"))
    html = client.get(url()).get_data(as_text=True)
    for control in ("/status", "/items\"", "/attendance\"", "/invitations\"", "<textarea name=\"text\""):
        assert control not in html, control
    assert "/rsvp" in html  # but may answer the invitation


def test_anonymous_may_not_write_even_to_a_public_programme(client, db, programme, url, items):
    from app.programmes.models import Visibility

    programme.visibility = Visibility.PUBLIC
    db.session.commit()
    assert client.get(url()).status_code == 200
    response = client.post(url(f"/items/{items[0].id}/minutes"), data={"base_rev": 0, "text": "x"})
    assert response.status_code in (302, 303) and "/login" in response.headers["Location"]
