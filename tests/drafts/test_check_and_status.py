"""The drafting check (Lampiran II) and the status workflow it guards."""
from app.drafts import checks, service
from app.drafts.models import DraftStatus, DraftTransition, UnitKind

from tests.drafts.conftest import first, pasals

HX = {"HX-Request": "true"}


def _findings(app, draft):
    with app.test_request_context():
        return checks.run(draft, service.load_tree(draft.id))


def test_the_skeleton_is_flagged_only_for_what_a_drafter_must_still_write(app, draft):
    messages = [(f.category, f.label) for f in _findings(app, draft) if f.blocking]
    assert messages == []  # skeleton placeholders are text, the closing formula is there


def test_it_finds_empty_units_missing_closing_formula_and_numbering_problems(app, bob, draft):
    closing = pasals(draft.id)[-1]
    service.save_unit(closing.id, bob, closing.head_revision_id, "Ketentuan lain.")
    lone = service.add_unit(draft, bob, UnitKind.AYAT, parent=pasals(draft.id)[0])
    typed = service.add_unit(draft, bob, UnitKind.PASAL, after=pasals(draft.id)[0],
                             text="Pemerintah Daerah:\n(1) menyusun;\n(3) melaksanakan sebagaimana dimaksud dalam Pasal 99.")
    findings = _findings(app, draft)
    by_category = {}
    for f in findings:
        by_category.setdefault(f.category, []).append(f)
    assert any(f.unit_id == lone.id for f in by_category["empty"])
    assert any(f.unit_id == closing.id for f in by_category["closing"])
    assert any(f.unit_id == typed.id and "(1), (3)" in f.message for f in by_category["numbering"])
    assert any("single ayat" in f.message for f in by_category["numbering"])
    assert any(f.unit_id == typed.id and "Pasal 99" in f.message for f in by_category["reference"])


def test_terms_defined_but_unused_and_used_but_undefined_are_warnings(app, bob, draft):
    pasal1 = pasals(draft.id)[0]
    service.add_unit(draft, bob, UnitKind.ANGKA, parent=pasal1, text="Forum Pentahelix adalah wadah koordinasi.")
    service.add_unit(draft, bob, UnitKind.PASAL, after=pasal1,
                     text="Pemerintah Daerah menyusun Rencana Induk Wisata Industri bersama Daerah tetangga.")
    warnings = [f for f in _findings(app, draft) if not f.blocking]
    assert any("Forum Pentahelix" in f.message and "never used" in f.message for f in warnings)
    assert any("Rencana Induk Wisata Industri" in f.message and "not defined" in f.message for f in warnings)
    assert not any("Pemerintah Daerah" in f.message for f in warnings)


def test_the_check_page_links_each_finding_to_its_unit(client, login_as, bob, draft, url):
    closing = pasals(draft.id)[-1]
    service.save_unit(closing.id, bob, closing.head_revision_id, "")
    login_as(bob)
    page = client.get(url("check", draft_id=draft.id))
    assert page.status_code == 200
    assert url("unit", draft_id=draft.id, unit_id=closing.id) in page.text


def _move(client, url, draft, to, note=""):
    return client.post(url("change_status", draft_id=draft.id), data={"to": to, "note": note})


def test_editors_move_a_draft_along_and_every_transition_is_recorded(client, login_as, bob, draft, url, db):
    login_as(bob)
    for status in ("pembahasan", "konsultasi_publik", "perbaikan", "final"):
        assert _move(client, url, draft, status, note=f"ke {status}").status_code == 303
    db.session.refresh(draft)
    assert draft.status == DraftStatus.FINAL
    records = db.session.query(DraftTransition).order_by(DraftTransition.id).all()
    assert [(r.to_status.value, r.by_id, r.note) for r in records][-1] == ("final", bob.id, "ke final")
    assert len(records) == 4
    # Diajukan is the owners' decision.
    assert _move(client, url, draft, "diajukan").status_code == 403


def test_final_is_refused_while_the_check_finds_errors(client, login_as, bob, alice, draft, url, db):
    closing = pasals(draft.id)[-1]
    service.save_unit(closing.id, bob, closing.head_revision_id, "Tanpa rumusan.")
    for status in (DraftStatus.PEMBAHASAN, DraftStatus.KONSULTASI, DraftStatus.PERBAIKAN):
        service.transition(draft, alice, status)
    login_as(bob)
    response = _move(client, url, draft, "final")
    assert response.status_code == 303 and response.headers["Location"].endswith("/check")
    db.session.refresh(draft)
    assert draft.status == DraftStatus.PERBAIKAN


def test_a_final_text_is_frozen_and_an_impossible_move_is_refused(client, login_as, alice, draft, url, db):
    for status in (DraftStatus.PEMBAHASAN, DraftStatus.KONSULTASI, DraftStatus.PERBAIKAN, DraftStatus.FINAL):
        service.transition(draft, alice, status)
    login_as(alice)
    unit = pasals(draft.id)[-1]
    assert client.get(url("edit_unit", draft_id=draft.id, unit_id=unit.id), headers=HX).status_code == 403
    _move(client, url, draft, "konsep")
    db.session.refresh(draft)
    assert draft.status == DraftStatus.FINAL
    assert _move(client, url, draft, "diajukan").status_code == 303
    db.session.refresh(draft)
    assert draft.status == DraftStatus.DIAJUKAN


def test_viewers_and_commenters_cannot_move_a_draft(client, login_as, member, draft, url, db):
    for role in ("viewer", "commenter"):
        login_as(member(role))
        assert _move(client, url, draft, "pembahasan").status_code == 403
    db.session.refresh(draft)
    assert draft.status == DraftStatus.KONSEP
