"""Live minutes: co-edited per agenda item, merged or refused, never overwritten; polled with an ETag."""
from sqlalchemy import select

from app.meetings.models import MeetingStatus, MinutesRevision

BASE = "MASATA memaparkan konsep Program Wisata Industri di hadapan seluruh unsur Pentahelix."


def _save(client, url, item, base_rev, text, htmx=True, **extra):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(url(f"/items/{item.id}/minutes"), data={"base_rev": base_rev, "text": text, **extra}, headers=headers)


def test_an_editor_saves_minutes_and_gets_the_fragment_back(client, login_as, bob, url, items, db):
    login_as(bob)
    response = _save(client, url, items[0], 0, BASE)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert 'data-rev="1"' in html and 'name="base_rev" value="1"' in html
    db.session.refresh(items[0])
    assert (items[0].minutes, items[0].minutes_rev, items[0].minutes_by_id) == (BASE, 1, bob.id)


def test_a_plain_form_save_redirects_to_the_item(client, login_as, bob, url, items):
    login_as(bob)
    response = _save(client, url, items[0], 0, BASE, htmx=False)
    assert response.status_code == 303 and response.headers["Location"].endswith(f"#item-{items[0].id}")


def test_two_people_writing_in_different_places_are_merged(client, login_as, alice, bob, url, items, db):
    item = items[0]
    login_as(alice)
    _save(client, url, item, 0, BASE)
    # Both start from revision 1.
    _save(client, url, item, 1, BASE.replace("MASATA", "DPC MASATA Kota Bontang"))
    login_as(bob)
    response = _save(client, url, item, 1, BASE.replace("Pentahelix.", "Pentahelix. Konsultan Badak LNG mengusulkan kata “kota”."))
    assert response.status_code == 200
    db.session.refresh(item)
    assert item.minutes == (
        "DPC MASATA Kota Bontang memaparkan konsep Program Wisata Industri di hadapan seluruh unsur Pentahelix. "
        "Konsultan Badak LNG mengusulkan kata “kota”."
    )
    assert item.minutes_rev == 3
    assert db.session.scalar(select(MinutesRevision.merged).filter_by(item_id=item.id, number=3)) is True


def test_overlapping_minutes_come_back_as_a_conflict_and_nothing_is_overwritten(client, login_as, alice, bob, url, items, db):
    item = items[0]
    login_as(alice)
    _save(client, url, item, 0, BASE)
    _save(client, url, item, 1, BASE.replace("konsep Program", "gagasan Program"))
    login_as(bob)
    response = _save(client, url, item, 1, BASE.replace("konsep Program", "rancangan Program"))
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "gagasan" in html and "rancangan" in html  # theirs and mine, and the proposal holds both
    assert 'name="base_rev" value="2"' in html  # resolving starts from the head
    assert "data-unsaved" in html  # the live poll must not refresh the proposal away
    db.session.refresh(item)
    assert item.minutes == BASE.replace("konsep Program", "gagasan Program") and item.minutes_rev == 2
    # Bob saves the resolved proposal: applied on top of the head.
    assert _save(client, url, item, 2, BASE.replace("konsep Program", "gagasan dan rancangan Program")).status_code == 200
    db.session.refresh(item)
    assert "gagasan dan rancangan" in item.minutes and item.minutes_rev == 3


def test_an_unknown_base_revision_is_a_bad_request(client, login_as, bob, url, items, db):
    login_as(bob)
    assert _save(client, url, items[0], 5, "x").status_code == 400
    assert _save(client, url, items[0], "abc", "x").status_code == 422


def test_a_commenter_cannot_write_minutes(client, login_as, member, url, items, db):
    login_as(member("commenter"))
    assert _save(client, url, items[0], 0, "x").status_code == 403
    html = client.get(url()).get_data(as_text=True)
    assert 'name="base_rev"' not in html
    db.session.refresh(items[0])
    assert items[0].minutes_rev == 0


def test_the_live_poll_answers_304_until_the_minutes_change(client, login_as, alice, bob, url, items):
    login_as(alice)
    first = client.get(url("/live"))
    assert first.status_code == 200 and first.json["items"][0] == {"id": items[0].id, "rev": 0, "by": ""}
    etag = first.headers["ETag"]
    assert client.get(url("/live"), headers={"If-None-Match": etag}).status_code == 304
    login_as(bob)
    _save(client, url, items[0], 0, BASE)
    login_as(alice)
    changed = client.get(url("/live"), headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.json["items"][0] == {"id": items[0].id, "rev": 1, "by": "Bob Member"}
    assert changed.json["status"] == "planned" and changed.json["agenda_version"] == 0


def test_the_live_poll_is_404_for_an_outsider_and_hides_confidential_items(client, login_as, charlie, member, url, items, db):
    login_as(charlie)
    assert client.get(url("/live")).status_code == 404
    items[1].confidential = True
    db.session.commit()
    login_as(member("viewer"))
    assert [i["id"] for i in client.get(url("/live")).json["items"]] == [items[0].id]


def test_the_minutes_fragment_refreshes_an_item_for_the_others(client, login_as, alice, member, url, items):
    login_as(alice)
    _save(client, url, items[0], 0, BASE)
    login_as(member("viewer"))
    response = client.get(url(f"/items/{items[0].id}/minutes"), headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html and "memaparkan konsep" in html
    assert 'data-rev="1"' in html and "<textarea" not in html
    # Without htmx it sends the reader to the item on the meeting page.
    assert client.get(url(f"/items/{items[0].id}/minutes")).status_code == 303


def test_the_history_shows_every_revision_with_a_word_diff(client, login_as, alice, url, items):
    login_as(alice)
    _save(client, url, items[0], 0, BASE)
    _save(client, url, items[0], 1, BASE.replace("konsep", "gagasan"))
    html = client.get(url(f"/items/{items[0].id}/history")).get_data(as_text=True)
    assert "<del>konsep</del>" in html and "<ins>gagasan</ins>" in html


def test_approved_minutes_are_locked(client, login_as, alice, bob, url, meeting, items, db):
    login_as(bob)
    _save(client, url, items[0], 0, BASE)
    meeting.status = MeetingStatus.APPROVED
    db.session.commit()
    assert _save(client, url, items[0], 1, "Diubah diam-diam").status_code == 403  # bob may not correct
    login_as(alice)
    assert _save(client, url, items[0], 1, "Diubah tanpa alasan").status_code == 422
    db.session.refresh(items[0])
    assert items[0].minutes == BASE


def test_a_correction_of_approved_minutes_is_a_new_revision_with_a_reason(client, login_as, alice, url, meeting, items, db):
    login_as(alice)
    _save(client, url, items[0], 0, BASE)
    meeting.status = MeetingStatus.APPROVED
    db.session.commit()
    response = _save(client, url, items[0], 1, BASE.replace("MASATA", "DPC MASATA"), reason="Nama organisasi dilengkapi")
    assert response.status_code == 200
    revisions = db.session.execute(select(MinutesRevision).filter_by(item_id=items[0].id).order_by(MinutesRevision.number)).scalars().all()
    assert [(r.number, r.reason) for r in revisions] == [(1, None), (2, "Nama organisasi dilengkapi")]
    assert revisions[0].text == BASE  # the approved text stays in history


def test_simultaneous_saves_from_two_browsers_are_serialised_and_merged(app, login_as, alice, bob, url, items, db):
    """Two requests at the same moment, each in its own thread and connection: the row lock
    (BEGIN IMMEDIATE on SQLite, FOR UPDATE on PostgreSQL) makes one wait, and it then merges."""
    import threading

    from flask.testing import FlaskClient

    from tests.conftest import Auth

    item = items[0]
    seed = app.test_client()
    Auth(seed).login(alice)
    _save(seed, url, item, 0, BASE)
    texts = {
        alice: BASE.replace("MASATA", "DPC MASATA"),
        bob: BASE.replace("Pentahelix.", "Pentahelix di Bontang."),
    }
    # Everything touching the ORM happens here, in the test's app context; threads only send requests.
    path = url(f"/items/{item.id}/minutes")
    clients = []
    for user in (alice, bob):
        # A plain FlaskClient: in its own thread each request pushes its own app context.
        client = FlaskClient(app, app.response_class, use_cookies=True)
        Auth(client).login(user)
        clients.append((client, {"base_rev": 1, "text": texts[user]}))
    barrier = threading.Barrier(2)
    statuses = []

    def write(client, data):
        barrier.wait()
        statuses.append(client.post(path, data=data, headers={"HX-Request": "true"}).status_code)

    threads = [threading.Thread(target=write, args=pair) for pair in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(statuses) == [200, 200]
    db.session.rollback()  # end the test's read snapshot to see what the threads wrote
    db.session.refresh(item)
    assert item.minutes == "DPC MASATA memaparkan konsep Program Wisata Industri di hadapan seluruh unsur Pentahelix di Bontang."
    assert item.minutes_rev == 3
