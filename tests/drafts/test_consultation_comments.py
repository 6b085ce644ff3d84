"""Comments on a draft and its units during Konsultasi publik: inputs of the register, open to any
signed-in user of a public programme, counted in the weigh-in map; threads addressed in a version."""
import csv
import io

from docx import Document
from sqlalchemy import event, func, select

from app.activity.models import Activity
from app.comments.models import Comment
from app.drafts import service
from app.drafts.models import AddressedThread, DraftStatus, PublicInput, UnitKind
from app.pentahelix import Element
from app.permissions import can
from app.programmes.models import Visibility
from tests.collab import HX, post_comment
from tests.drafts.conftest import pasals

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _consultation(draft, alice):
    service.transition(draft, alice, DraftStatus.PEMBAHASAN)
    service.transition(draft, alice, DraftStatus.KONSULTASI)


def _comments_url(kind, obj):
    return f"/t/{kind}/{obj.id}/comments"


def _inputs(db):
    db.session.expire_all()
    return list(db.session.scalars(select(PublicInput).order_by(PublicInput.id)))


# -- comments become inputs -------------------------------------------------------------------

def test_a_comment_and_a_reply_in_consultation_become_inputs(client, login_as, alice, member, draft, url, db):
    _consultation(draft, alice)
    unit = pasals(draft.id)[-1]
    academic = member("commenter", organisation__element=Element.AKADEMISI)
    login_as(academic)
    assert client.post(_comments_url("unit", unit), data={"body": "Tanggal berlaku **terlalu cepat**."}).status_code == 303
    root = db.session.scalars(select(Comment)).one()
    assert client.post(_comments_url("unit", unit), data={"body": "Juga perlu masa transisi.", "parent_id": root.id},
                       headers=HX).status_code == 200
    assert client.post(_comments_url("draft", draft), data={"body": "Judulnya sudah tepat."}).status_code == 303

    inputs = _inputs(db)
    assert [(i.unit_id, i.author_id, i.element, i.disposition) for i in inputs] == [
        (unit.id, academic.id, Element.AKADEMISI, None)] * 2 + [(None, academic.id, Element.AKADEMISI, None)]
    assert inputs[0].comment_id == root.id and inputs[0].text == "Tanggal berlaku terlalu cepat."
    assert inputs[1].comment_id != root.id  # the reply is an input of its own
    counts = service.register_counts(draft)
    assert (counts.total, counts.unanswered) == (3, 3)
    assert counts.by_element[Element.AKADEMISI] == {"total": 3, "unanswered": 3}

    page = client.get(url("register", draft_id=draft.id))
    assert f'href="/comments/{root.id}"' in page.text and "3 still unanswered" in page.text
    unit_page = client.get(url("unit", draft_id=draft.id, unit_id=unit.id))
    assert f'href="/comments/{root.id}"' in unit_page.text


def test_an_answered_comment_input_is_in_the_matrix(client, login_as, alice, bob, member, draft, url, db):
    _consultation(draft, alice)
    unit = pasals(draft.id)[-1]
    post_comment(unit, member("commenter", organisation__element=Element.MEDIA), "Perlu sosialisasi.")
    comment_input = _inputs(db)[0]
    login_as(bob)
    assert client.post(url("dispose", draft_id=draft.id, input_id=comment_input.id),
                       data={"disposition": "diterima", "reason": "Dimuat di Penjelasan."}).status_code == 303
    assert service.register_counts(draft).unanswered == 0
    rows = list(csv.reader(io.StringIO(client.get(url("register_csv", draft_id=draft.id)).text)))
    assert rows[0][-1] == "Bentuk masukan"
    assert rows[1][4:7] == ["Perlu sosialisasi.", "Diterima", "Dimuat di Penjelasan."] and rows[1][-1] == "Komentar"
    matrix = Document(io.BytesIO(client.get(url("register_docx", draft_id=draft.id)).data))
    cells = [c.text for c in matrix.tables[0].rows[1].cells]
    assert cells[4] == "Perlu sosialisasi." and cells[-1] == "Komentar"


def test_comments_outside_consultation_are_not_inputs(alice, bob, draft, db):
    unit = pasals(draft.id)[-1]
    post_comment(unit, bob, "Dibahas di rapat internal.")
    post_comment(draft, bob, "Catatan umum.")
    service.transition(draft, alice, DraftStatus.PEMBAHASAN)
    post_comment(unit, bob, "Masih pembahasan.")
    assert _inputs(db) == []


def test_a_refused_comment_leaves_no_input(client, login_as, alice, member, draft, db):
    """The input is written in the comment's transaction: a comment that fails writes neither."""
    _consultation(draft, alice)
    unit = pasals(draft.id)[-1]
    login_as(member("commenter"))
    response = client.post(_comments_url("unit", unit), content_type="multipart/form-data",
                           data={"body": "Dengan lampiran.", "files": [(io.BytesIO(b"MZ\x90\x00" * 8), "virus.exe")]})
    assert response.status_code == 422
    assert _inputs(db) == [] and db.session.scalar(select(func.count()).select_from(Comment)) == 0
    client.post(_comments_url("unit", unit), content_type="multipart/form-data",
                data={"body": "Dengan lampiran.", "files": [(io.BytesIO(PNG), "peta.png")]})
    assert len(_inputs(db)) == 1


# -- who may comment during consultation ------------------------------------------------------

def test_an_outsider_comments_only_during_consultation_of_a_public_programme(client, login_as, alice, charlie, programme, draft, url, db):
    unit = pasals(draft.id)[-1]
    login_as(charlie)
    for kind, obj in (("unit", unit), ("draft", draft)):
        assert client.post(_comments_url(kind, obj), data={"body": "Halo"}).status_code == 404  # private programme
    programme.visibility = Visibility.PUBLIC
    db.session.commit()
    for kind, obj in (("unit", unit), ("draft", draft)):
        assert client.post(_comments_url(kind, obj), data={"body": "Halo"}).status_code == 403  # not in consultation
    assert "Add a comment" not in client.get(url("unit", draft_id=draft.id, unit_id=unit.id)).text

    _consultation(draft, alice)
    assert "Add a comment" in client.get(url("unit", draft_id=draft.id, unit_id=unit.id)).text
    assert client.post(_comments_url("unit", unit), data={"body": "Warga setuju."}).status_code == 303
    root = db.session.scalars(select(Comment)).one()
    reply = client.post(_comments_url("unit", unit), data={"body": "Tambahan.", "parent_id": root.id}, headers=HX)
    assert reply.status_code == 200 and "Tambahan." in reply.text
    assert client.post(_comments_url("draft", draft), data={"body": "Umum."}, headers=HX).status_code == 200
    assert [i.author_id for i in _inputs(db)] == [charlie.id] * 3
    # Still only a reader elsewhere: the programme's own discussion, reactions, resolving.
    assert client.post(_comments_url("programme", programme), data={"body": "Halo"}).status_code == 403
    assert client.post(f"/comments/{root.id}/resolve").status_code == 403

    service.transition(draft, alice, DraftStatus.PERBAIKAN)
    assert client.post(_comments_url("unit", unit), data={"body": "Terlambat."}).status_code == 403


def test_signed_out_visitors_cannot_comment_even_in_consultation(client, alice, programme, draft, db):
    programme.visibility = Visibility.PUBLIC
    db.session.commit()
    _consultation(draft, alice)
    response = client.post(_comments_url("draft", draft), data={"body": "Anonim"})
    assert response.status_code in (302, 303, 401) and _inputs(db) == []


def test_the_rule_opens_only_draft_targets(alice, charlie, programme, draft, factories, db):
    """Meetings, actions and the programme stay closed to outsiders while a draft is in consultation."""
    programme.visibility = Visibility.PUBLIC
    db.session.commit()
    _consultation(draft, alice)
    unit = pasals(draft.id)[-1]
    action = factories.ActionFactory(programme=programme)
    assert can(charlie, "comment.create", draft) and can(charlie, "comment.create", unit)
    assert not can(charlie, "comment.create", programme)
    assert not can(charlie, "comment.create", action)
    comment = post_comment(unit, alice, "x")
    assert not can(charlie, "comment.create", comment) and not can(charlie, "comment.react", comment)


# -- "ditangani di versi N" -------------------------------------------------------------------

def _thread_on(unit, author, body="Pasal ini perlu diperjelas."):
    return post_comment(unit, author, body)


def test_an_editor_marks_a_thread_addressed_in_a_version_with_a_plain_form(client, login_as, alice, bob, member, draft, url, db):
    unit = pasals(draft.id)[-1]
    root = _thread_on(unit, member("commenter"))
    version = service.create_version(draft, alice, "Versi untuk RDP 12 Mei")
    login_as(bob)
    page = client.get(url("unit", draft_id=draft.id, unit_id=unit.id))
    assert url("address_thread", draft_id=draft.id, thread_id=root.id) in page.text
    response = client.post(url("address_thread", draft_id=draft.id, thread_id=root.id), data={"version_id": version.id})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"#comment-{root.id}")
    assert db.session.get(AddressedThread, root.id).version_id == version.id
    page = client.get(url("unit", draft_id=draft.id, unit_id=unit.id))
    version_url = url("version", draft_id=draft.id, version_id=version.id)
    assert f'href="{version_url}">Addressed in version 1</a>' in page.text
    activity = db.session.scalars(select(Activity).where(Activity.verb == "draft.thread_addressed")).one()
    assert activity.summary == "Versi 1: Versi untuk RDP 12 Mei" and activity.target_type == "unit"

    # Cleared with the empty choice.
    assert client.post(url("address_thread", draft_id=draft.id, thread_id=root.id), data={"version_id": ""}).status_code == 303
    db.session.expire_all()
    assert db.session.get(AddressedThread, root.id) is None
    assert "Addressed in version 1" not in client.get(url("unit", draft_id=draft.id, unit_id=unit.id)).text
    assert db.session.scalar(select(func.count()).select_from(Activity).where(Activity.verb == "draft.thread_unaddressed")) == 1


def test_with_htmx_the_thread_comes_back_in_place_with_its_badge(client, login_as, alice, bob, draft, url, db):
    root = _thread_on(draft, alice, "Judul perlu disesuaikan.")
    service.create_version(draft, alice, "Versi 1")
    second = service.create_version(draft, alice, "Versi sesudah RDP")
    login_as(bob)
    response = client.post(url("address_thread", draft_id=draft.id, thread_id=root.id), data={"version_id": second.id},
                           headers=HX)
    assert response.status_code == 200
    assert response.text.lstrip().startswith(f'<article class="thread" id="thread-{root.id}"')
    assert "Addressed in version 2" in response.text and "<html" not in response.text
    assert f'<option value="{second.id}" selected>' in response.text
    show = client.get(url("show", draft_id=draft.id))
    assert "Addressed in version 2" in show.text


def test_only_editors_mark_threads_and_only_with_this_drafts_versions(client, login_as, alice, member, charlie, programme, draft, url, db):
    unit = pasals(draft.id)[-1]
    commenter = member("commenter")
    root = _thread_on(unit, commenter)
    version = service.create_version(draft, alice, "Versi 1")
    target = url("address_thread", draft_id=draft.id, thread_id=root.id)
    login_as(commenter)
    assert "address_thread" not in client.get(url("unit", draft_id=draft.id, unit_id=unit.id)).text
    assert client.post(target, data={"version_id": version.id}).status_code == 403
    login_as(charlie)
    assert client.post(target, data={"version_id": version.id}).status_code == 404

    other = service.create_draft(programme, alice, "Perwali pelaksanaan", service.DraftKind.PERWALI)
    other_version = service.create_version(other, alice, "Versi lain")
    login_as(alice)
    assert client.post(target, data={"version_id": other_version.id}).status_code == 404
    # The thread must be on this draft, and a reply is not a thread.
    assert client.post(url("address_thread", draft_id=other.id, thread_id=root.id),
                       data={"version_id": other_version.id}).status_code == 404
    reply = post_comment(unit, alice, "Balasan", parent=root)
    assert client.post(url("address_thread", draft_id=draft.id, thread_id=reply.id),
                       data={"version_id": version.id}).status_code == 400
    programme_thread = post_comment(programme, alice, "Bukan draf")
    assert client.post(url("address_thread", draft_id=draft.id, thread_id=programme_thread.id),
                       data={"version_id": version.id}).status_code == 404
    assert db.session.scalar(select(func.count()).select_from(AddressedThread)) == 0


# -- comments stay with their unit ------------------------------------------------------------

def test_comments_stay_attached_to_their_unit_across_revisions_renumbering_and_versions(client, login_as, alice, draft, url, db):
    first_pasal, closing = pasals(draft.id)
    post_comment(closing, alice, "Komentar pada pasal penutup.")
    version = service.create_version(draft, alice, "Versi 1")
    service.save_unit(closing.id, alice, closing.head_revision_id, closing.text + " Diubah.")
    # A new Pasal before it: the closing Pasal is renumbered, its thread follows it.
    service.add_unit(draft, alice, UnitKind.PASAL, after=first_pasal, text="Pasal sisipan.")
    service.create_version(draft, alice, "Versi 2")
    tree = service.load_tree(draft.id)
    assert tree.node(closing.id).label == "Pasal 3"

    login_as(alice)
    unit_page = client.get(url("unit", draft_id=draft.id, unit_id=closing.id))
    assert "Komentar pada pasal penutup." in unit_page.text
    show = client.get(url("show", draft_id=draft.id))
    assert f'href="{url("unit", draft_id=draft.id, unit_id=closing.id)}#discussion-unit-{closing.id}">1 comment</a>' in show.text
    for v in service.versions(draft):
        page = client.get(url("version", draft_id=draft.id, version_id=v.id))
        assert f'#discussion-unit-{closing.id}">1 comment</a>' in page.text
    assert version.number == 1


# -- who has weighed in -----------------------------------------------------------------------

def test_the_weigh_in_map_counts_comments_and_each_voice_once(alice, member, draft, db):
    first_pasal, closing = pasals(draft.id)
    business = member("commenter", organisation__element=Element.BISNIS)
    community = member("commenter", organisation__element=Element.KOMUNITAS)
    ayat = service.load_tree(draft.id).node(first_pasal.id).children[0].unit
    root = post_comment(ayat, business, "Definisi kurang jelas.")  # below the Pasal: counts for it
    post_comment(ayat, community, "Setuju.", parent=root)
    post_comment(draft, community, "Tentang draf umum.")  # not on a Pasal
    _consultation(draft, alice)
    post_comment(closing, community, "Dalam konsultasi: sekali di peta, meski juga masukan.")
    service.suggest(closing, business, closing.text + " Usul.", "Alasan.")  # a suggestion, also an input
    deleted = post_comment(closing, business, "Dihapus.")
    from app.comments import service as comments

    comments.delete(deleted, business)
    weigh = service.weigh_in(draft, service.load_tree(draft.id))
    assert weigh[first_pasal.id] == {Element.BISNIS: 1, Element.KOMUNITAS: 1}
    assert weigh[closing.id] == {Element.KOMUNITAS: 1, Element.BISNIS: 1}


def test_the_weigh_in_map_costs_the_same_queries_with_few_or_many_comments(alice, member, draft, db):
    voices = [member("commenter", organisation__element=e) for e in Element]

    def grow(n):
        bab = next(n.unit for n in service.load_tree(draft.id).order if n.kind == UnitKind.BAB)
        for i in range(n):
            pasal = service.add_unit(draft, alice, UnitKind.PASAL, parent=bab, text=f"Pasal {i}.")
            for j, voice in enumerate(voices):
                root = post_comment(pasal, voice, f"Komentar {i}.{j}")
                post_comment(pasal, voices[(j + 1) % len(voices)], "Balasan", parent=root)

    def queries():
        tree = service.load_tree(draft.id)
        counter = {"n": 0}

        def count(*args):
            counter["n"] += 1

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            weigh = service.weigh_in(draft, tree)
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        return counter["n"], weigh

    grow(1)
    small, weigh = queries()
    grow(8)
    large, weigh = queries()
    assert small == large == 1  # suggestions, inputs and comments in one UNION ALL (service.tally)
    assert sum(sum(c.values()) for c in weigh.values()) == 9 * len(voices) * 2


def test_the_draft_and_unit_pages_cost_the_same_with_few_or_many_threads(client, login_as, alice, bob, member, draft, url, db):
    from tests.drafts.test_live_and_versions import _count

    unit = pasals(draft.id)[-1]
    voices = [member("commenter", organisation__element=e) for e in (Element.BISNIS, Element.MEDIA)]
    version = service.create_version(draft, alice, "Versi 1")
    _consultation(draft, alice)

    def grow(n):
        from app.drafts import threads

        for i in range(n):
            for target in (unit, draft):
                root = post_comment(target, voices[i % 2], f"Komentar {i}")
                post_comment(target, voices[(i + 1) % 2], "Balasan", parent=root)
                threads.mark_addressed(draft, root, alice, version)

    login_as(bob)
    pages = [url("show", draft_id=draft.id), url("unit", draft_id=draft.id, unit_id=unit.id), url("register", draft_id=draft.id)]
    grow(1)
    for page in pages:
        client.get(page)
    small = [_count(client, db, page) for page in pages]
    grow(6)
    assert [_count(client, db, page) for page in pages] == small


def test_a_hidden_comment_stays_an_input_but_only_those_who_answer_read_it(client, login_as, alice, bob, member, draft, url, db):
    from app.comments import service as comments

    _consultation(draft, alice)
    unit = pasals(draft.id)[-1]
    rude = post_comment(unit, member("commenter"), "Kata-kata kasar di sini.")
    comments.hide(rude, bob, "Tidak pantas")
    viewer = member("viewer")
    login_as(viewer)
    page = client.get(url("register", draft_id=draft.id))
    assert "Kata-kata kasar" not in page.text and "1 still unanswered" in page.text
    assert "Kata-kata kasar" not in client.get(url("register_csv", draft_id=draft.id)).text
    assert "Kata-kata kasar" not in client.get(url("unit", draft_id=draft.id, unit_id=unit.id)).text
    login_as(bob)
    assert "Kata-kata kasar" in client.get(url("register", draft_id=draft.id)).text
    assert "Kata-kata kasar" in client.get(url("register_csv", draft_id=draft.id)).text
