"""Saving a unit in place: applied, merged, or a conflict view — never a silent overwrite."""
from app.drafts import service
from app.drafts.models import RevisionAction, UnitKind, UnitRevision

from tests.drafts.conftest import pasals

HX = {"HX-Request": "true"}


def _save(client, url, draft, unit, base, text, headers=None):
    return client.post(url("save_unit", draft_id=draft.id, unit_id=unit.id),
                       data={"text": text, "base_revision_id": base, "note": ""}, headers=headers or {})


def test_the_editor_is_a_fragment_for_htmx_and_a_page_otherwise(client, login_as, bob, draft, url):
    login_as(bob)
    unit = pasals(draft.id)[-1]
    fragment = client.get(url("edit_unit", draft_id=draft.id, unit_id=unit.id), headers=HX)
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert f'id="edit-{unit.id}"' in fragment.text and f'value="{unit.head_revision_id}"' in fragment.text
    page = client.get(url("edit_unit", draft_id=draft.id, unit_id=unit.id))
    assert page.status_code == 200 and "<html" in page.text and f'id="edit-{unit.id}"' in page.text


def test_a_save_on_the_head_is_applied_and_returns_the_unit(client, login_as, bob, draft, url, db):
    login_as(bob)
    unit = pasals(draft.id)[-1]
    response = _save(client, url, draft, unit, unit.head_revision_id, "Peraturan Daerah ini mulai berlaku pada tanggal diundangkan. Baru.", HX)
    assert response.status_code == 200 and f'id="unit-{unit.id}"' in response.text and "<html" not in response.text
    assert "draft:unit-saved" in response.headers["HX-Trigger"]
    db.session.refresh(unit)
    assert unit.text.endswith("Baru.") and unit.revision_count == 2


def test_a_plain_form_save_redirects_to_the_unit(client, login_as, bob, draft, url):
    login_as(bob)
    unit = pasals(draft.id)[-1]
    response = _save(client, url, draft, unit, unit.head_revision_id, "Teks baru.")
    assert response.status_code == 303 and response.headers["Location"].endswith(f"#unit-{unit.id}")


def test_edits_in_different_places_merge_and_the_user_is_told(client, login_as, bob, alice, draft, url, db):
    unit = pasals(draft.id)[-1]
    base = unit.head_revision_id
    text = unit.text
    service.save_unit(unit.id, alice, base, text.replace("mulai berlaku", "mulai berlaku secara resmi"))
    login_as(bob)
    response = _save(client, url, draft, unit, base, text.replace("diundangkan.", "diundangkan dalam Lembaran Daerah."), HX)
    assert response.status_code == 200 and "merged" in response.text
    db.session.refresh(unit)
    assert "secara resmi" in unit.text and "dalam Lembaran Daerah" in unit.text
    assert db.session.get(UnitRevision, unit.head_revision_id).action == RevisionAction.MERGED


def test_overlapping_edits_come_back_as_a_conflict_view_and_nothing_is_written(client, login_as, bob, alice, draft, url, db):
    unit = pasals(draft.id)[-1]
    base, text = unit.head_revision_id, unit.text
    service.save_unit(unit.id, alice, base, text.replace("tanggal diundangkan", "1 Januari 2027"))
    head = db.session.get(type(unit), unit.id).head_revision_id
    login_as(bob)
    response = _save(client, url, draft, unit, base, text.replace("tanggal diundangkan", "tanggal ditetapkan"), HX)
    assert response.status_code == 409
    assert "1 Januari 2027" in response.text and "tanggal ditetapkan" in response.text
    assert f'value="{head}"' in response.text  # saving again starts from the current head
    db.session.expire_all()
    assert db.session.get(type(unit), unit.id).revision_count == 2


def test_a_stale_base_from_another_unit_is_refused(client, login_as, bob, draft, url):
    login_as(bob)
    first, last = pasals(draft.id)[0], pasals(draft.id)[-1]
    response = _save(client, url, draft, last, first.head_revision_id, "x", HX)
    assert response.status_code == 409 and "Reload" in response.text


def test_a_viewer_and_a_commenter_cannot_edit(client, login_as, member, draft, url):
    unit = pasals(draft.id)[-1]
    for role in ("viewer", "commenter"):
        login_as(member(role))
        assert client.get(url("edit_unit", draft_id=draft.id, unit_id=unit.id), headers=HX).status_code == 403
        assert _save(client, url, draft, unit, unit.head_revision_id, "x").status_code == 403


def test_charlie_cannot_edit(client, login_as, charlie, draft, url):
    login_as(charlie)
    unit = pasals(draft.id)[-1]
    assert _save(client, url, draft, unit, unit.head_revision_id, "x", HX).status_code == 404


def test_restore_brings_an_old_text_back_as_a_new_revision(client, login_as, bob, draft, url, db):
    unit = pasals(draft.id)[-1]
    original = unit.text
    first_revision = unit.head_revision_id
    service.save_unit(unit.id, bob, first_revision, "Teks lain.")
    login_as(bob)
    response = client.post(url("restore", draft_id=draft.id, unit_id=unit.id, revision_id=first_revision))
    assert response.status_code == 303
    db.session.expire_all()
    unit = db.session.get(type(unit), unit.id)
    assert unit.text == original and unit.revision_count == 3
    history = client.get(url("unit_history", draft_id=draft.id, unit_id=unit.id, a=1, b=2), headers=HX)
    assert "<del>" in history.text and "<html" not in history.text


def test_the_unit_history_page_and_the_draft_history(client, login_as, alice, draft, url):
    login_as(alice)
    unit = pasals(draft.id)[0]
    assert client.get(url("unit_history", draft_id=draft.id, unit_id=unit.id)).status_code == 200
    page = client.get(url("history", draft_id=draft.id))
    assert page.status_code == 200 and "Pasal 1" in page.text
