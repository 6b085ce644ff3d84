from app.notifications.models import Kind, Notification
from tests.collab import comments_url, post_comment


def _mentioned(db):
    return {n.user_id for n in db.session.query(Notification).filter_by(kind=Kind.MENTION)}


def test_mentions_notify_exactly_the_members_named(client, login_as, alice, bob, member, programme, db):
    dewi = member("viewer", name="Dewi Lestari")
    eko = member("commenter", name="Eko Prasetyo")
    login_as(alice)
    client.post(comments_url(programme), data={"body": "Mohon tanggapan @[Bob Member] dan @[dewi  lestari]."})
    assert _mentioned(db) == {bob.id, dewi.id}
    assert eko.id not in _mentioned(db)


def test_a_mention_of_someone_outside_the_programme_notifies_nobody(client, login_as, alice, charlie, programme, db):
    login_as(alice)
    client.post(comments_url(programme), data={"body": "Halo @[Charlie Outsider]"})
    assert db.session.query(Notification).filter_by(user_id=charlie.id).count() == 0
    assert _mentioned(db) == set()


def test_mentioning_yourself_notifies_nobody(alice, programme, db):
    post_comment(programme, alice, "catatan untuk @[Alice Owner]")
    assert _mentioned(db) == set()


def test_an_edit_notifies_only_the_people_newly_named(client, login_as, alice, bob, member, programme, db):
    dewi = member("viewer", name="Dewi Lestari")
    comment = post_comment(programme, alice, "Untuk @[Bob Member]")
    login_as(alice)
    client.post(f"/comments/{comment.id}/edit", data={"body": "Untuk @[Bob Member] dan @[Dewi Lestari]"})
    mentions = [n.user_id for n in db.session.query(Notification).filter_by(kind=Kind.MENTION)]
    assert sorted(mentions) == sorted([bob.id, dewi.id])  # bob once, from the first text


def test_a_mention_is_shown_as_a_mention(client, login_as, alice, bob, programme):
    post_comment(programme, alice, "Halo @[Bob Member]!")
    login_as(bob)
    assert '<span class="mention">@Bob Member</span>' in client.get(comments_url(programme)).text


def test_suggestions_list_the_programme_members_only(client, login_as, alice, bob, charlie, programme):
    login_as(alice)
    names = [s["name"] for s in client.get(f"/t/programme/{programme.id}/mentions?q=bo").get_json()]
    assert names == ["Bob Member"]
    everyone = [s["name"] for s in client.get(f"/t/programme/{programme.id}/mentions?q=").get_json()]
    assert "Charlie Outsider" not in everyone and set(everyone) == {"Alice Owner", "Bob Member"}
    suggestion = client.get(f"/t/programme/{programme.id}/mentions?q=mem").get_json()[0]
    assert suggestion["mention"] == "@[Bob Member]" and suggestion["element"] == "bisnis"


def test_suggestions_are_not_found_for_charlie(client, login_as, charlie, alice, programme):
    login_as(charlie)
    assert client.get(f"/t/programme/{programme.id}/mentions?q=a").status_code == 404
