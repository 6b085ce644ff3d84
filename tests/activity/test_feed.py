from app.activity.service import record_activity
from tests.collab import HX, post_comment


def test_the_feed_says_who_did_what(client, login_as, alice, bob, programme):
    post_comment(programme, bob, "Usulan rute wisata")
    login_as(alice)
    page = client.get(f"/p/{programme.slug}/activity")
    assert page.status_code == 200 and "Bob Member" in page.text and "Usulan rute wisata" in page.text
    fragment = client.get(f"/p/{programme.slug}/activity", headers=HX)
    assert fragment.text.lstrip().startswith('<section class="card" id="activity-feed">')


def test_the_feed_filters_by_kind_and_element(client, login_as, alice, bob, programme, db):
    post_comment(programme, alice, "Dari pemerintah")
    post_comment(programme, bob, "Dari bisnis")
    record_activity(programme, alice, "action.status_changed", programme, "Tindak lanjut selesai")
    db.session.commit()
    login_as(alice)
    business = client.get(f"/p/{programme.slug}/activity?element=bisnis", headers=HX).text
    assert "Dari bisnis" in business and "Dari pemerintah" not in business
    actions = client.get(f"/p/{programme.slug}/activity?kind=action", headers=HX).text
    assert "Tindak lanjut selesai" in actions and "Dari bisnis" not in actions
    assert client.get(f"/p/{programme.slug}/activity?element=nonsense").status_code == 200


def test_charlie_sees_no_feed(client, login_as, charlie, alice, programme):
    login_as(charlie)
    assert client.get(f"/p/{programme.slug}/activity").status_code == 404
    assert client.get(f"/p/{programme.slug}/activity", headers=HX).status_code == 404
