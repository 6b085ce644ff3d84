"""A thread costs the same number of queries whatever its size: no query per comment."""
from app.comments.models import Reaction
from tests.collab import count_queries, post_comment

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _grow(programme, people, threads):
    from app.comments import service

    for i in range(threads):
        root = post_comment(programme, people[i % len(people)], f"Akar {i} @[Bob Member]", files=[("a.png", PNG)])
        for j, person in enumerate(people):
            reply = post_comment(programme, person, f"Balasan {i}.{j}", parent=root)
            service.react(reply, people[0], Reaction.AGREE)
        service.edit(root, root_author(root, people), f"Akar {i} disunting")


def root_author(root, people):
    return next(p for p in people if p.id == root.author_id)


def _queries(client, url):
    client.get(url)  # warm caches (translations, templates)
    with count_queries() as counted:
        assert client.get(url).status_code == 200
    return counted["n"]


def test_the_programme_page_costs_the_same_with_one_thread_or_many(client, login_as, alice, bob, member, programme):
    people = [alice, bob, member("commenter")]
    login_as(alice)
    url = f"/p/{programme.slug}/"
    _grow(programme, people, 1)
    small = _queries(client, url)
    _grow(programme, people, 6)
    assert _queries(client, url) == small


def test_the_live_fragment_costs_the_same_with_one_thread_or_many(client, login_as, alice, bob, programme):
    login_as(bob)
    url = f"/t/programme/{programme.id}/comments/live"
    _grow(programme, [alice, bob], 1)
    small = _queries(client, url)
    _grow(programme, [alice, bob], 5)
    assert _queries(client, url) == small
