from app.programmes.models import Visibility


def test_a_member_sees_the_meeting_page(client, login_as, alice, url, items):
    login_as(alice)
    response = client.get(url())
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Paparan konsep program" in html and "Auditorium Pemkot Bontang" in html
    assert 'data-minutes-live-url' in html


def test_a_section_is_served_as_a_fragment_to_htmx(client, login_as, alice, url, items):
    login_as(alice)
    response = client.get(url("?fragment=agenda"), headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="agenda"' in html and "<html" not in html
    assert "HX-Request" in response.headers["Vary"]


def test_an_unknown_fragment_is_a_bad_request(client, login_as, alice, url):
    login_as(alice)
    assert client.get(url("?fragment=nope"), headers={"HX-Request": "true"}).status_code == 400


def test_an_outsider_gets_404(client, login_as, charlie, url):
    login_as(charlie)
    assert client.get(url()).status_code == 404
    assert client.get(url("?fragment=agenda"), headers={"HX-Request": "true"}).status_code == 404


def test_anyone_reads_a_meeting_of_a_public_programme_but_not_its_confidential_items(
    client, db, programme, url, items
):
    programme.visibility = Visibility.PUBLIC
    items[1].confidential = True
    db.session.commit()
    html = client.get(url()).get_data(as_text=True)
    assert "Paparan konsep program" in html
    assert "Penambahan kata kota" not in html


def test_a_meeting_of_another_programme_is_404(client, login_as, alice, factories, meeting):
    other = factories.ProgrammeFactory()
    login_as(alice)
    assert client.get(f"/p/{other.slug}/meetings/{meeting.id}").status_code == 404


def test_the_meeting_page_costs_the_same_queries_however_big_the_meeting(
    client, login_as, alice, url, meeting, programme, factories, count_queries
):
    from tests.collab import post_comment
    from tests.meetings.conftest import AgendaItemFactory
    from app.meetings import service

    login_as(alice)
    # The addresses first: reading them from expired fixture objects would be counted too.
    page, agenda, hx = url(), url("?fragment=agenda"), {"HX-Request": "true"}
    first = AgendaItemFactory(meeting_id=meeting.id)
    service.add_decision(first, alice, service.DecisionKind.AGREEMENT, "Sepakat")
    client.get(page)
    with count_queries() as small:
        assert client.get(page).status_code == 200
    with count_queries() as small_agenda:
        assert client.get(agenda, headers=hx).status_code == 200
    for n in range(6):
        item = AgendaItemFactory(meeting_id=meeting.id)
        user = factories.UserFactory()
        factories.MembershipFactory(programme=programme, user=user)
        service.invite(meeting, user_id=user.id)
        service.record_attendance(meeting, user_id=user.id)
        service.record_attendance(meeting, guest_name=f"Tamu {n}", guest_element=__import__("app.pentahelix", fromlist=["Element"]).Element.MEDIA)
        service.add_decision(item, alice, service.DecisionKind.AGREEMENT, f"Sepakat {n}")
        service.save_minutes(item.id, alice, 0, f"Catatan {n}")
        service.set_rsvp(meeting, user, service.Rsvp.YES)
        post_comment(meeting, user, f"Komentar {n}")
        post_comment(item, user, f"Komentar agenda {n}")
    with count_queries() as big:
        assert client.get(page).status_code == 200
    with count_queries() as big_agenda:
        assert client.get(agenda, headers=hx).status_code == 200
    assert big.count == small.count
    assert big_agenda.count == small_agenda.count
    # Issue 7: at most 10 statements for the page (its BEGIN included, as X-Query-Count counts),
    # and the agenda fragment reads no more than the meeting with its agenda.
    assert big.count <= 10, "\n".join(big.statements)
    assert big_agenda.count <= 4, big_agenda.count


def test_the_programme_page_lists_upcoming_meetings(client, login_as, alice, programme, factories):
    from datetime import timedelta

    from app.types import utcnow
    from tests.meetings.conftest import MeetingFactory

    start = utcnow() + timedelta(days=3)
    MeetingFactory(programme_id=programme.id, title="RDP Komisi Gabungan", starts_at=start, ends_at=start + timedelta(hours=2))
    login_as(alice)
    html = client.get(f"/p/{programme.slug}/").get_data(as_text=True)
    assert "RDP Komisi Gabungan" in html and 'id="upcoming-meetings"' in html
