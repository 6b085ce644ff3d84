"""Live presence and updates (conditional polling), named versions and comparisons, query counts."""
import pytest
from sqlalchemy import event

from app.drafts import service
from app.drafts.models import UnitKind
from app.pentahelix import Element

from tests.drafts.conftest import pasals

HX = {"HX-Request": "true"}


def test_an_open_editor_announces_who_is_editing_which_pasal(client, login_as, alice, bob, draft, url):
    unit = pasals(draft.id)[-1]
    login_as(bob)
    assert client.post(url("presence", draft_id=draft.id, unit_id=unit.id), headers=HX).status_code == 204
    login_as(alice)
    since = service.last_revision_id(draft)
    response = client.get(url("live", draft_id=draft.id, since=since), headers=HX)
    assert response.status_code == 200 and "Bob Member is editing Pasal 2" in response.text
    # Bob does not see himself.
    login_as(bob)
    assert "is editing" not in client.get(url("live", draft_id=draft.id, since=since), headers=HX).text
    client.post(url("presence", draft_id=draft.id, unit_id=unit.id), data={"leave": "1"}, headers=HX)
    login_as(alice)
    assert "is editing" not in client.get(url("live", draft_id=draft.id, since=since), headers=HX).text


def test_the_poll_sends_saved_units_out_of_band_and_answers_304_when_nothing_changed(client, login_as, alice, bob, draft, url):
    login_as(alice)
    since = service.last_revision_id(draft)
    idle = client.get(url("live", draft_id=draft.id, since=since), headers=HX)
    assert idle.status_code == 200 and "hx-swap-oob" not in idle.text
    again = client.get(url("live", draft_id=draft.id, since=since), headers={**HX, "If-None-Match": idle.headers["ETag"]})
    assert again.status_code == 304
    unit = pasals(draft.id)[-1]
    service.save_unit(unit.id, bob, unit.head_revision_id, "Peraturan Daerah ini mulai berlaku pada tanggal 1 Januari 2027.")
    changed = client.get(url("live", draft_id=draft.id, since=since), headers={**HX, "If-None-Match": idle.headers["ETag"]})
    assert changed.status_code == 200
    assert f'id="unit-{unit.id}"' in changed.text and 'hx-swap-oob="true"' in changed.text and "1 Januari 2027" in changed.text
    assert f"since={service.last_revision_id(draft)}" in changed.text  # the next poll asks from the new head


def test_the_poll_says_when_the_outline_changed(client, login_as, alice, bob, draft, url):
    login_as(alice)
    version = draft.structure_version
    service.add_unit(draft, bob, UnitKind.PASAL, after=pasals(draft.id)[0])
    response = client.get(url("live", draft_id=draft.id, since=0, v=version), headers=HX)
    assert "Reload the draft" in response.text


def test_charlie_cannot_poll_or_announce(client, login_as, charlie, draft, url):
    login_as(charlie)
    unit = pasals(draft.id)[-1]
    assert client.get(url("live", draft_id=draft.id, since=0), headers=HX).status_code == 404
    assert client.post(url("presence", draft_id=draft.id, unit_id=unit.id), headers=HX).status_code == 404


def test_a_named_version_freezes_the_draft_and_compares_with_the_current_text(client, login_as, bob, draft, url):
    login_as(bob)
    response = client.post(url("versions", draft_id=draft.id), data={"name": "Versi untuk RDP 12 Mei"}, headers=HX)
    assert response.status_code == 204 and response.headers["HX-Redirect"].endswith("/versions")
    version = service.versions(draft)[0]
    unit = pasals(draft.id)[-1]
    service.save_unit(unit.id, bob, unit.head_revision_id, "Peraturan Daerah ini mulai berlaku pada tanggal 1 Januari 2027.")
    service.add_unit(draft, bob, UnitKind.PASAL, after=pasals(draft.id)[0], text="Pasal sisipan.")
    frozen = client.get(url("version", draft_id=draft.id, version_id=version.id))
    assert "tanggal diundangkan" in frozen.text and "1 Januari 2027" not in frozen.text
    compare = client.get(url("compare", draft_id=draft.id, a=version.id))
    assert compare.status_code == 200
    assert "<ins>1 Januari 2027</ins>" in compare.text and "Pasal sisipan." in compare.text
    assert "was Pasal 2" in compare.text  # renumbered by the insertion
    second = service.create_version(draft, bob, "Versi 2")
    between = client.get(url("compare", draft_id=draft.id, a=version.id, b=second.id))
    assert "<ins>1 Januari 2027</ins>" in between.text


def test_a_viewer_sees_versions_but_cannot_make_one(client, login_as, member, draft, url):
    login_as(member("viewer"))
    assert client.get(url("versions", draft_id=draft.id)).status_code == 200
    assert client.post(url("versions", draft_id=draft.id), data={"name": "x"}).status_code == 403


# -- query counts -----------------------------------------------------------------------------

class QueryCounter:
    def __init__(self, engine):
        self.engine, self.count = engine, 0

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._count)

    def _count(self, *args):
        self.count += 1


def grow(draft, user, member, pasal_count: int):
    """Add Pasal with ayat and huruf, suggestions and inputs from several elements, and revisions."""
    bab = next(n.unit for n in service.load_tree(draft.id).order if n.kind == UnitKind.BAB)
    voices = [member("commenter", organisation__element=e) for e in (Element.BISNIS, Element.AKADEMISI)]
    for i in range(pasal_count):
        pasal = service.add_unit(draft, user, UnitKind.PASAL, parent=bab)
        ayat = service.add_unit(draft, user, UnitKind.AYAT, parent=pasal, text=f"Ayat satu pasal {i}.")
        service.add_unit(draft, user, UnitKind.AYAT, parent=pasal, text=f"Sebagaimana dimaksud pada ayat (1) {i}.")
        service.add_unit(draft, user, UnitKind.HURUF, parent=ayat, text="huruf;")
        service.save_unit(ayat.id, user, ayat.head_revision_id, f"Ayat satu pasal {i} diubah.")
        service.suggest(ayat, voices[i % 2], f"Ayat satu pasal {i} usul.", "Alasan.")
        service.add_input(draft, voices[(i + 1) % 2], "Masukan.", unit=pasal)


def _count(client, db, path, **kwargs):
    from app import pagecache

    pagecache.forget_all()  # count what rendering the page costs, not a cached answer
    with QueryCounter(db.engine) as counter:
        response = client.get(path, **kwargs)
    assert response.status_code == 200
    return counter.count


@pytest.mark.parametrize("endpoint", ["show", "history", "register", "check", "versions", "print_view"])
def test_queries_per_page_stay_constant_as_the_draft_grows(client, login_as, alice, member, draft, url, db, endpoint):
    login_as(alice)
    grow(draft, alice, member, 2)
    small = _count(client, db, url(endpoint, draft_id=draft.id))
    grow(draft, alice, member, 12)
    large = _count(client, db, url(endpoint, draft_id=draft.id))
    assert large == small, (endpoint, small, large)


def test_queries_for_a_unit_history_and_a_save_stay_constant(client, login_as, alice, member, draft, url, db):
    login_as(alice)
    unit = pasals(draft.id)[-1]

    def history_and_save():
        head = db.session.get(type(unit), unit.id)
        history = _count(client, db, url("unit_history", draft_id=draft.id, unit_id=unit.id))
        with QueryCounter(db.engine) as counter:
            response = client.post(url("save_unit", draft_id=draft.id, unit_id=unit.id), headers=HX,
                                   data={"text": f"{head.text} x", "base_revision_id": head.head_revision_id})
        assert response.status_code == 200
        return history, counter.count

    grow(draft, alice, member, 1)
    small = history_and_save()
    grow(draft, alice, member, 10)
    for _ in range(10):
        history_and_save()
    assert history_and_save() == small
