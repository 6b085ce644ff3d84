"""Suggested amendments (accepted through the merge path or declined with a reason) and the public-input register."""
import csv
import io

from docx import Document

from app.drafts import service
from app.drafts.models import (
    Disposition,
    DraftStatus,
    PublicInput,
    RevisionAction,
    SuggestedAmendment,
    SuggestionStatus,
    UnitRevision,
)
from app.pentahelix import Element
from app.programmes.models import Visibility

from tests.drafts.conftest import pasals

CLOSING = "Peraturan Daerah ini mulai berlaku pada tanggal diundangkan."


def _suggest(client, url, draft, unit, text, reason="Lebih jelas.", **query):
    return client.post(url("suggest", draft_id=draft.id, unit_id=unit.id, **query),
                       data={"text": text, "reason": reason, **query})


def test_a_commenter_suggests_and_sees_it_as_a_diff(client, login_as, member, draft, url, db):
    commenter = member("commenter", organisation__element=Element.AKADEMISI)
    unit = pasals(draft.id)[-1]
    login_as(commenter)
    assert client.get(url("suggest", draft_id=draft.id, unit_id=unit.id)).status_code == 200
    response = _suggest(client, url, draft, unit, CLOSING.replace("tanggal diundangkan", "tanggal 1 Januari 2027"))
    assert response.status_code == 303
    suggestion = db.session.query(SuggestedAmendment).one()
    assert suggestion.element == Element.AKADEMISI and suggestion.status == SuggestionStatus.OPEN
    page = client.get(url("unit", draft_id=draft.id, unit_id=unit.id))
    assert "<del>diundangkan</del>" in page.text and "<ins>1 Januari 2027</ins>" in page.text


def test_a_suggestion_from_a_meeting_keeps_its_source(client, login_as, member, draft, url, db):
    login_as(member("commenter"))
    unit = pasals(draft.id)[-1]
    form = client.get(url("suggest", draft_id=draft.id, unit_id=unit.id, source_label="Rapat 12 Mei, keputusan 3",
                          source_url="/p/x/meetings/1#decision-3"))
    assert "Rapat 12 Mei, keputusan 3" in form.text
    _suggest(client, url, draft, unit, CLOSING + " Ubah.", source_label="Rapat 12 Mei, keputusan 3",
             source_url="javascript:alert(1)")
    suggestion = db.session.query(SuggestedAmendment).one()
    assert suggestion.source_label == "Rapat 12 Mei, keputusan 3" and suggestion.source_url == ""


def test_an_editor_accepts_through_the_merge_path(client, login_as, member, bob, draft, url, db):
    unit = pasals(draft.id)[-1]
    login_as(member("commenter"))
    _suggest(client, url, draft, unit, CLOSING.replace("mulai berlaku", "mulai berlaku secara resmi"))
    # Meanwhile someone edits another part of the same Pasal: the suggestion still merges.
    service.save_unit(unit.id, bob, unit.head_revision_id, CLOSING.replace("diundangkan.", "diundangkan di Bontang."))
    suggestion = db.session.query(SuggestedAmendment).one()
    login_as(bob)
    assert client.post(url("accept_suggestion", draft_id=draft.id, suggestion_id=suggestion.id), data={"reason": "Setuju"}).status_code == 303
    db.session.expire_all()
    unit = db.session.get(type(unit), unit.id)
    assert "secara resmi" in unit.text and "di Bontang" in unit.text
    assert db.session.get(SuggestedAmendment, suggestion.id).status == SuggestionStatus.ACCEPTED
    assert db.session.get(UnitRevision, unit.head_revision_id).action == RevisionAction.MERGED


def test_an_overlapping_suggestion_comes_back_as_a_conflict_and_stays_open(client, login_as, member, bob, draft, url, db):
    unit = pasals(draft.id)[-1]
    login_as(member("commenter"))
    _suggest(client, url, draft, unit, CLOSING.replace("tanggal diundangkan", "tanggal 1 Januari 2027"))
    service.save_unit(unit.id, bob, unit.head_revision_id, CLOSING.replace("tanggal diundangkan", "tanggal ditetapkan"))
    suggestion = db.session.query(SuggestedAmendment).one()
    login_as(bob)
    response = client.post(url("accept_suggestion", draft_id=draft.id, suggestion_id=suggestion.id), data={"reason": ""})
    assert response.status_code == 409 and "1 Januari 2027" in response.text
    assert f'name="suggestion_id" value="{suggestion.id}"' in response.text
    db.session.expire_all()
    assert db.session.get(SuggestedAmendment, suggestion.id).status == SuggestionStatus.OPEN
    # Saving the resolution accepts the suggestion in the same transaction.
    head = db.session.get(type(unit), unit.id).head_revision_id
    resolved = CLOSING.replace("tanggal diundangkan", "tanggal 1 Januari 2027 setelah ditetapkan")
    response = client.post(url("save_unit", draft_id=draft.id, unit_id=unit.id),
                           data={"text": resolved, "base_revision_id": head, "suggestion_id": suggestion.id})
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(SuggestedAmendment, suggestion.id).status == SuggestionStatus.ACCEPTED
    assert db.session.get(type(unit), unit.id).text == resolved


def test_declining_needs_a_reason_and_a_commenter_cannot_decide(client, login_as, member, bob, draft, url, db):
    unit = pasals(draft.id)[-1]
    commenter = member("commenter")
    login_as(commenter)
    _suggest(client, url, draft, unit, CLOSING + " Tambahan.")
    suggestion = db.session.query(SuggestedAmendment).one()
    assert client.post(url("decline_suggestion", draft_id=draft.id, suggestion_id=suggestion.id), data={"reason": "x"}).status_code == 403
    login_as(bob)
    client.post(url("decline_suggestion", draft_id=draft.id, suggestion_id=suggestion.id), data={"reason": ""})
    db.session.expire_all()
    assert db.session.get(SuggestedAmendment, suggestion.id).status == SuggestionStatus.OPEN
    client.post(url("decline_suggestion", draft_id=draft.id, suggestion_id=suggestion.id), data={"reason": "Di luar kewenangan."})
    db.session.expire_all()
    declined = db.session.get(SuggestedAmendment, suggestion.id)
    assert declined.status == SuggestionStatus.DECLINED and declined.decision_reason == "Di luar kewenangan."


def test_a_viewer_cannot_suggest(client, login_as, member, draft, url):
    login_as(member("viewer"))
    unit = pasals(draft.id)[-1]
    assert _suggest(client, url, draft, unit, "x").status_code == 403


def _consultation(draft, alice):
    service.transition(draft, alice, DraftStatus.PEMBAHASAN)
    service.transition(draft, alice, DraftStatus.KONSULTASI)


def test_during_consultation_of_a_public_programme_any_signed_in_user_may_be_heard(client, login_as, alice, charlie, programme, draft, url, db):
    unit = pasals(draft.id)[-1]
    login_as(charlie)
    assert _suggest(client, url, draft, unit, "x").status_code == 404  # private programme
    programme.visibility = Visibility.PUBLIC
    db.session.commit()
    assert _suggest(client, url, draft, unit, "x").status_code == 403  # public, but not in consultation
    _consultation(draft, alice)
    assert _suggest(client, url, draft, unit, CLOSING + " Usul.").status_code == 303
    public_input = db.session.query(PublicInput).one()  # a suggestion in consultation is an input
    assert public_input.author_id == charlie.id and public_input.disposition is None


def test_the_register_counts_inputs_by_element_and_answers(client, login_as, alice, bob, member, draft, url, db):
    _consultation(draft, alice)
    unit = pasals(draft.id)[-1]
    academic = member("commenter", organisation__element=Element.AKADEMISI)
    community = member("commenter", organisation__element=Element.KOMUNITAS)
    login_as(academic)
    _suggest(client, url, draft, unit, CLOSING + " Satu.")
    client.post(url("add_input", draft_id=draft.id), data={"text": "Perlu kajian dampak.", "unit_id": unit.id})
    login_as(community)
    client.post(url("add_input", draft_id=draft.id), data={"text": "Libatkan warga sekitar kawasan industri."})
    # A commenter may not record someone else's words…
    assert client.post(url("add_input", draft_id=draft.id), data={"text": "x", "author_name": "Orang lain"}).status_code == 403
    # …the secretariat may, for a hearing.
    login_as(bob)
    client.post(url("add_input", draft_id=draft.id),
                data={"text": "Pelaku usaha minta insentif.", "author_name": "Kadin Bontang", "element": "bisnis"})
    counts = service.register_counts(draft)
    assert (counts.total, counts.unanswered) == (4, 4)
    assert counts.by_element[Element.AKADEMISI] == {"total": 2, "unanswered": 2}
    assert counts.by_element[Element.BISNIS]["total"] == 1 and counts.by_element[Element.MEDIA]["total"] == 0

    inputs = service.inputs_for(draft)
    response = client.post(url("dispose", draft_id=draft.id, input_id=inputs[1].id),
                           data={"disposition": "ditampung", "reason": "Dimuat dalam Perwali."})
    assert response.status_code == 303
    client.post(url("dispose", draft_id=draft.id, input_id=inputs[2].id), data={"disposition": "diterima", "reason": ""})
    suggestion = db.session.query(SuggestedAmendment).one()
    client.post(url("decline_suggestion", draft_id=draft.id, suggestion_id=suggestion.id), data={"reason": "Tidak perlu."})
    counts = service.register_counts(draft)
    assert counts.unanswered == 2  # the answer without a reason was refused; the declined suggestion answered its input
    assert counts.by_disposition[Disposition.DITAMPUNG] == 1 and counts.by_disposition[Disposition.TIDAK_DITERIMA] == 1
    answered = db.session.get(PublicInput, inputs[1].id)
    assert answered.decided_by_id == bob.id and answered.decided_at is not None

    page = client.get(url("register", draft_id=draft.id))
    assert page.status_code == 200 and "2 still unanswered" in page.text
    fragment = client.get(url("register", draft_id=draft.id), headers={"HX-Request": "true"})
    assert "<html" not in fragment.text and 'id="register"' in fragment.text
    rows = list(csv.reader(io.StringIO(client.get(url("register_csv", draft_id=draft.id)).text)))
    assert rows[0][0] == "No" and len(rows) == 5 and rows[2][5] == "Ditampung"
    matrix = Document(io.BytesIO(client.get(url("register_docx", draft_id=draft.id)).data))
    assert len(matrix.tables[0].rows) == 5 and matrix.paragraphs[0].text == "MATRIKS MASUKAN DAN TANGGAPAN"


def test_the_weigh_in_map_counts_per_pasal_by_element(client, login_as, member, bob, draft, url):
    pasal1, closing = pasals(draft.id)
    business = member("commenter", organisation__element=Element.BISNIS)
    login_as(business)
    tree = service.load_tree(draft.id)
    angka = tree.node(pasal1.id).children[0].unit
    _suggest(client, url, draft, angka, "Daerah adalah Kota Bontang, Kalimantan Timur.")
    client.post(url("add_input", draft_id=draft.id), data={"text": "Setuju.", "unit_id": closing.id})
    weigh = service.weigh_in(draft, service.load_tree(draft.id))
    assert weigh[pasal1.id] == {Element.BISNIS: 1} and weigh[closing.id] == {Element.BISNIS: 1}
    page = client.get(url("show", draft_id=draft.id))
    assert 'class="weigh weigh-bisnis" title="Business: 1"' in page.text
