"""The concurrency rule over HTTP: many clients save the same unit from the same base revision.

Every save is applied, merged or returned as a conflict; history holds every accepted change;
no accepted text disappears. Run on SQLite (default) and PostgreSQL (SINERGI_TEST_BACKEND=postgresql).
"""
import re
import threading

import pytest
from flask.testing import FlaskClient

from app.drafts import service
from app.drafts.models import Unit, UnitRevision
from app.extensions import db as _db

from tests.drafts.conftest import pasals

WORDS = [f"kata{i:02d}" for i in range(60)]
BASE = " ".join(WORDS) + "."


def _outcome(response) -> str:
    if response.status_code == 409:
        return "conflict"
    assert response.status_code == 200, response.text[:500]
    return re.search(r"notice-(\w+)", response.text).group(1)


@pytest.fixture
def unit(draft, bob):
    target = pasals(draft.id)[-1]
    service.save_unit(target.id, bob, target.head_revision_id, BASE)
    return _db.session.get(Unit, target.id)


def _editors(member, n):
    return [member("editor", name=f"Editor {i}") for i in range(n)]


def _client_for(app, user):
    client = FlaskClient(app, app.response_class, use_cookies=True)
    with client.session_transaction() as sess:
        sess["_user_id"] = user.get_id()
        sess["_fresh"] = True
    return client


def _edit(i: int, overlapping: bool) -> str:
    # Disjoint edits touch word 2i; overlapping ones pair up on the same word.
    index = (i // 2) * 2 if overlapping else i * 2
    words = list(WORDS)
    words[index] = f"UBAH{i:02d}"
    return " ".join(words) + "."


def _post(client, url, draft, unit_id, base, text):
    address = url if isinstance(url, str) else url("save_unit", draft_id=draft.id, unit_id=unit_id)
    return client.post(address, headers={"HX-Request": "true"}, data={"text": text, "base_revision_id": base})


def _check_invariants(unit_id, base_revision_id, outcomes):
    _db.session.rollback()  # end the test's read transaction: a WAL snapshot would hide the threads' writes
    unit = _db.session.get(Unit, unit_id)
    accepted = [i for i, o in outcomes.items() if o in ("applied", "merged")]
    assert set(outcomes.values()) <= {"applied", "merged", "conflict"}
    assert sum(1 for o in outcomes.values() if o == "applied") == 1  # only the first on the base applies
    for i in accepted:
        assert f"UBAH{i:02d}" in unit.text, f"accepted change {i} disappeared"
    revisions = _db.session.query(UnitRevision).filter(UnitRevision.unit_id == unit_id,
                                                       UnitRevision.id > base_revision_id).all()
    assert len(revisions) == len(accepted)  # history holds every accepted change, and nothing else
    for i in accepted:
        assert any(f"UBAH{i:02d}" in r.text for r in revisions)
    return unit, accepted


@pytest.mark.parametrize("n", [2, 20])
def test_clients_editing_different_words_from_one_base_all_merge(app, draft, unit, member, url, n):
    base = unit.head_revision_id
    clients = [_client_for(app, user) for user in _editors(member, n)]
    outcomes = {i: _outcome(_post(c, url, draft, unit.id, base, _edit(i, False))) for i, c in enumerate(clients)}
    _unit, accepted = _check_invariants(unit.id, base, outcomes)
    assert len(accepted) == n


@pytest.mark.parametrize("n", [2, 20])
def test_clients_editing_the_same_words_get_conflicts_and_lose_nothing_accepted(app, draft, unit, member, url, n):
    base = unit.head_revision_id
    clients = [_client_for(app, user) for user in _editors(member, n)]
    outcomes = {i: _outcome(_post(c, url, draft, unit.id, base, _edit(i, True))) for i, c in enumerate(clients)}
    _unit, accepted = _check_invariants(unit.id, base, outcomes)
    assert len(accepted) == n // 2 and list(outcomes.values()).count("conflict") == n // 2


@pytest.mark.parametrize("overlapping", [False, True])
def test_twenty_threads_saving_at_once(app, draft, unit, member, url, overlapping):
    """Real concurrency: 20 threads, each its own client and database connection, released together."""
    base = unit.head_revision_id
    clients = [_client_for(app, user) for user in _editors(member, 20)]
    address = url("save_unit", draft_id=draft.id, unit_id=unit.id)  # url_for needs the app context: build it here
    barrier = threading.Barrier(len(clients))
    outcomes, errors = {}, []

    def run(i, client):
        try:
            barrier.wait()
            outcomes[i] = _outcome(_post(client, address, draft, unit.id, base, _edit(i, overlapping)))
        except BaseException as error:  # noqa: BLE001  reported below
            errors.append(repr(error))

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors and len(outcomes) == 20
    _unit, accepted = _check_invariants(unit.id, base, outcomes)
    if not overlapping:
        assert len(accepted) == 20
    else:
        assert len(accepted) == 10
