"""/search finds the words of a Pasal, an action's title, minutes and decisions, for members only."""
from app.drafts import service as drafts


def test_a_member_finds_a_pasals_words_and_charlie_nothing(client, login_as, bob, charlie, draft, unit):
    drafts.save_unit(unit.id, bob, unit.head_revision_id, "Retribusi kunjungan kawasan industri ditetapkan walikota.")
    login_as(bob)
    page = client.get("/search?q=retribusi")
    assert page.status_code == 200
    assert f"/drafts/{draft.id}/units/{unit.id}" in page.text
    login_as(charlie)
    assert f"/units/{unit.id}" not in client.get("/search?q=retribusi").text


def test_a_member_finds_an_actions_title_and_charlie_nothing(client, login_as, bob, charlie, programme, action):
    login_as(bob)
    page = client.get("/search?q=peta jalan")
    assert f"/p/{programme.slug}/actions/{action.id}" in page.text
    login_as(charlie)
    assert f"/actions/{action.id}" not in client.get("/search?q=peta jalan").text


def test_minutes_and_decisions_are_found_but_not_a_confidential_items(client, login_as, alice, bob, programme, meeting, agenda_item, db):
    from app.meetings import service as meetings
    from app.meetings.models import DecisionKind

    meetings.save_minutes(agenda_item.id, alice, agenda_item.minutes_rev, "Peserta membahas dermaga wisata.")
    meetings.add_decision(agenda_item, alice, DecisionKind.WORK, "Bangun gerbang kawasan")
    login_as(bob)
    assert f"#item-{agenda_item.id}" in client.get("/search?q=dermaga").text
    assert f"#item-{agenda_item.id}" in client.get("/search?q=gerbang").text
    agenda_item.confidential = True
    db.session.commit()
    meetings.save_minutes(agenda_item.id, alice, agenda_item.minutes_rev, "Peserta membahas dermaga rahasia.")
    assert f"#item-{agenda_item.id}" not in client.get("/search?q=dermaga").text
