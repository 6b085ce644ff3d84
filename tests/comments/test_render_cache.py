"""A discussion is rendered from kept parts (app/comments/rendering.py): every persona gets exactly what
a fresh render gives them, with their own CSRF token, and any change of what a comment shows renders
it again."""
import re

import pytest
from itsdangerous import URLSafeTimedSerializer

from app.comments import rendering, service
from app.comments.models import Reaction
from app.drafts import service as drafts, threads as draft_threads
from app.drafts.models import DraftKind, DraftStatus
from app.extensions import db as _db
from app.permissions import can
from app.programmes.models import Visibility
from tests.collab import HX, post_comment

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def world(db, factories, programme, alice, bob, member, charlie):
    """A public programme's discussion with every state a comment can be in, and a draft in public
    consultation (where an outsider may reply) with a thread addressed in a named version."""
    programme.visibility = Visibility.PUBLIC
    db.session.commit()
    author = member("commenter", name="Ani <Author>")
    commenter = member("commenter", name="Citra Commenter", locale="en", timezone="Asia/Jakarta")
    other = member("commenter", name="Dodi Commenter", locale="en", timezone="Asia/Jakarta")
    viewer = member("viewer", name="Vina Viewer", timezone="Asia/Jayapura")
    first = post_comment(programme, author, "Usulan **satu** <script>alert(1)</script> @[Citra Commenter]")
    reply = post_comment(programme, alice, "Balasan", parent=first, files=[("bukti.png", PNG)])
    service.react(first, commenter, Reaction.AGREE)
    service.react(first, other, Reaction.DISAGREE)  # the same rights as `commenter`, another reaction
    service.react(reply, author, Reaction.DISAGREE)
    edited = post_comment(programme, commenter, "Sebelum")
    service.edit(edited, commenter, "Sesudah *disunting*")
    hidden = post_comment(programme, author, "Disembunyikan")
    service.report(hidden, commenter, "kasar")
    service.hide(hidden, bob, "Tidak pantas <b>")
    resolved = post_comment(programme, commenter, "Selesai")
    post_comment(programme, author, "Sebelum selesai", parent=resolved)
    service.resolve_thread(resolved, bob)
    gone = post_comment(programme, bob, "Satu balasan terhapus")
    service.delete(post_comment(programme, author, "Dihapus", parent=gone), author)
    draft = drafts.create_draft(programme, alice, "Raperda Uji", DraftKind.RAPERDA, "Kota Uji")
    version = drafts.create_version(draft, alice, "Versi <satu>")
    drafts.transition(draft, alice, DraftStatus.PEMBAHASAN)
    drafts.transition(draft, alice, DraftStatus.KONSULTASI)
    addressed = post_comment(draft, author, "Masukan konsultasi")
    post_comment(draft, charlie, "Masukan orang luar", parent=addressed)
    draft_threads.mark_addressed(draft, addressed, alice, version)
    people = {"owner": alice, "editor": bob, "author": author, "commenter": commenter, "other commenter": other,
              "viewer": viewer, "outsider": charlie, "anonymous": None}
    urls = [f"/t/programme/{programme.id}/comments/live", f"/t/draft/{draft.id}/comments/live",
            f"/t/programme/{programme.id}/comments/live?since={hidden.id}", f"/comments/{first.id}", f"/p/{programme.slug}/"]
    return people, urls, first


def _clients(app, people, auth_for):
    clients = {}
    for name, user in people.items():
        client = app.test_client()
        if user is not None:
            auth_for(client).login(user)
        clients[name] = client
    return clients


@pytest.fixture
def auth_for():
    from tests.conftest import Auth

    return Auth


def _get(client, url):
    response = client.get(url, headers=HX)
    assert response.status_code == 200, url
    return response.text


def _masked(html):
    """Without the CSRF tokens: signed with the time, they differ from one second to the next."""
    return re.sub(r'"X-CSRFToken": "[^"]+"', '"X-CSRFToken": "…"', TOKEN.sub('name="csrf_token" value="…"', html))


def test_every_persona_gets_from_kept_parts_what_a_fresh_render_gives(app, world, auth_for):
    people, urls, _ = world
    clients = _clients(app, people, auth_for)
    store = rendering.cache()
    fresh = {}
    for name, client in clients.items():
        for url in urls:
            store.clear()
            fresh[name, url] = _get(client, url)
    assert store.items, "the renders were kept"
    for name, client in clients.items():  # every part now kept, for every persona
        for url in urls:
            _get(client, url)
    hits = store.hits
    for name, client in reversed(list(clients.items())):
        for url in urls:
            assert _masked(_get(client, url)) == _masked(fresh[name, url]), (name, url)
    assert store.hits > hits


def test_the_personas_see_what_their_rights_allow(app, world, auth_for):
    people, urls, _ = world
    clients = _clients(app, people, auth_for)
    programme_live, draft_live = urls[0], urls[1]
    for name in ["owner", "editor", "author", "commenter", "viewer", "outsider", "anonymous"]:  # kept parts shared
        _get(clients[name], programme_live)
    seen = {name: _get(client, programme_live) for name, client in clients.items()}
    assert "Disembunyikan" in seen["owner"] and "Disembunyikan" in seen["author"]
    assert all("Disembunyikan" not in seen[name] for name in ["commenter", "viewer", "outsider", "anonymous"])
    assert "/hide\"" in seen["editor"] and "/hide\"" not in seen["commenter"]
    assert "/edit\"" in seen["author"] and "/edit\"" not in seen["viewer"]
    assert "reply-box" in seen["commenter"] and "reply-box" not in seen["viewer"] and "reply-box" not in seen["outsider"]
    assert 'aria-pressed="true"' in seen["commenter"] and 'aria-pressed="true"' not in seen["editor"]
    # During public consultation an outsider may reply to a draft's thread: the same kept thread for members
    # is not what the outsider gets.
    assert "reply-box" in _get(clients["outsider"], draft_live)
    assert "reply-box" not in _get(clients["anonymous"], draft_live)


def test_each_viewer_gets_their_own_csrf_token(app, world, auth_for, member):
    people, urls, _ = world
    # Two more commenters: their views are the same kept parts, their tokens are not.
    people = {**people, "first": member("commenter"), "second": member("commenter")}
    clients = _clients(app, people, auth_for)
    serializer = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="wtf-csrf-token")
    rendering.cache().clear()
    for name in ["first", "second", "owner", "commenter", "author", "first"]:
        html = _get(clients[name], urls[0])
        tokens = set(TOKEN.findall(html))
        with clients[name].session_transaction() as session:
            raw = session["csrf_token"]
        assert tokens and all(serializer.loads(token) == raw for token in tokens), name
    assert not TOKEN.findall(_get(clients["anonymous"], urls[0]))


def test_a_comment_cannot_make_the_token_placeholder(client, login_as, alice, programme):
    """Even someone who knew this process's placeholder could not write it: a tag the sanitiser drops,
    and text is escaped."""
    placeholder = str(rendering.PLACEHOLDER)
    post_comment(programme, alice, f"Tebakan {placeholder} `{placeholder}` {placeholder[1:-1]}")
    login_as(alice)
    for _ in range(2):  # fresh, then kept
        html = _get(client, f"/t/programme/{programme.id}/comments/live")
        body = html.split('comment-body" hx-disable>', 1)[1].split("</div>", 1)[0]
        assert placeholder[1:-1] in body and "&lt;csrf" in body  # the text is there, as text
        assert placeholder not in html and "csrf_token" not in body and not TOKEN.search(body)


def test_a_change_of_what_a_comment_shows_renders_it_again(db, client, login_as, alice, bob, programme):
    comment = post_comment(programme, bob, "Pertama")
    login_as(alice)
    url = f"/t/programme/{programme.id}/comments/live"
    assert "Bob Member" in _get(client, url)
    service.edit(comment, bob, "Kedua")
    assert "Kedua" in _get(client, url) and "Pertama" not in _get(client, url)
    login_as(bob)
    assert '<span class="count">1</span>' not in _get(client, url)
    service.react(comment, alice, Reaction.AGREE)
    assert '<span class="count">1</span>' in _get(client, url)  # the counts changed, not bob's own reaction
    login_as(alice)
    assert 'aria-pressed="true"' in _get(client, url)
    # Nothing in the discussion moved: the author's new name still shows (it is part of the key).
    bob.name = "Robert Baru"
    db.session.commit()
    html = _get(client, url)
    assert "Robert Baru" in html and "Bob Member" not in html
    from app.pentahelix import Element

    bob.organisation.element = Element.MEDIA
    db.session.commit()
    assert "badge-media" in _get(client, url)


def test_a_language_or_time_zone_of_its_own_is_never_served_from_another_viewers_render(
    db, client, login_as, alice, bob, programme
):
    post_comment(programme, alice, "Jam berapa?")
    url = f"/t/programme/{programme.id}/comments/live"
    alice.locale, alice.timezone = "en", "Asia/Jakarta"
    bob.locale, bob.timezone = "id", "Asia/Jayapura"
    db.session.commit()
    login_as(alice)
    english = _get(client, url)
    login_as(bob)
    indonesian = _get(client, url)
    assert "Agree" in english and "Setuju" in indonesian
    times = [re.search(r'<time datetime="[^"]+">([^<]+)</time>', html).group(1) for html in (english, indonesian)]
    assert times[0] != times[1]


def test_the_rights_asked_once_per_kind_are_the_rule_books(app, world):
    people, _, _ = world
    from app.collab.targets import target_of
    from app.programmes.models import Programme

    programme = _db.session.query(Programme).one()
    actions = ["comment.view", "comment.react", "comment.edit", "comment.delete", "comment.report", "comment.moderate"]
    for name, user in people.items():
        from flask_login import AnonymousUserMixin

        viewer = user or AnonymousUserMixin()
        with app.test_request_context():
            discussion = service.load(programme, viewer, last=None)
            rights = rendering.Rights(viewer, target_of(programme))
            comments = [c for thread in discussion.threads for c in thread.comments]
            assert len(comments) == 8
            for c in comments:
                expected = [can(viewer, action, c) for action in actions]
                expected[4] = expected[4] and user is not None and c.author_id != user.id
                assert list(rights.of(c)) == expected, (name, c)


def test_the_kept_html_has_a_budget():
    store = rendering.RenderCache(1000)
    for i in range(30):
        store.put(("k", i), "x" * 40, 50)
    assert store.size <= 1000 and len(store.items) == 20
    assert store.get(("k", 0)) is None and store.get(("k", 29))[0] == "x" * 40
    store.put(("huge",), "y" * 500, 500)  # larger than a sixteenth of the budget: not kept
    assert store.get(("huge",)) is None
    off = rendering.RenderCache(0)
    off.put(("k",), "x", 1)
    assert off.get(("k",)) is None


def test_the_stored_html_itself_is_part_of_the_key(db, client, login_as, alice, programme):
    """`flask comments render` (or a migration) may store new HTML without an edit: it shows at once."""
    from sqlalchemy import update

    from app.comments.models import Comment

    comment = post_comment(programme, alice, "Asli")
    login_as(alice)
    url = f"/t/programme/{programme.id}/comments/live"
    assert "<p>Asli</p>" in _get(client, url)
    db.session.execute(update(Comment).where(Comment.id == comment.id).values(body_html="<p>Dirender ulang</p>"))
    db.session.commit()
    assert "<p>Dirender ulang</p>" in _get(client, url)
