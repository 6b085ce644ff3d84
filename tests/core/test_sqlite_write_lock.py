"""When a request holds SQLite's write lock (app/database.py).

A POST's first transaction (the service's: read, decide, write) holds the lock from BEGIN; once it
has committed, the request's later transactions (the fragment it renders) read without it, so
writers do not queue behind each other's rendering; a later transaction that writes after all
takes the lock before its first write, so it never fails with "database is locked".

Each test registers a small view on a fresh app; the views use `live_versions`, a table of
(key, version) rows that nothing else in these tests touches.
"""
import os
import sqlite3
import threading

import pytest
from flask import jsonify
from sqlalchemy import select, text

from app import create_app
from app.collab.live_models import LiveVersion
from app.extensions import db

pytestmark = pytest.mark.skipif(os.environ.get("SINERGI_TEST_BACKEND") == "postgresql",
                                reason="SQLite's locking; PostgreSQL locks rows (FOR UPDATE)")


def _in_transaction() -> bool:
    """Whether SQLite itself is inside a transaction on the session's connection (a BEGIN was sent)."""
    return db.session.connection().connection.dbapi_connection.in_transaction


def _holds_write_lock(path) -> bool:
    return _in_transaction() and not _can_write_elsewhere(path)


def _bump(key: str) -> None:
    db.session.execute(text("INSERT INTO live_versions (key, version) VALUES (:k, 1) "
                            "ON CONFLICT (key) DO UPDATE SET version = live_versions.version + 1"), {"k": key})


def _version(key: str) -> int:
    return db.session.execute(select(LiveVersion.version).where(LiveVersion.key == key)).scalar() or 0


def _can_write_elsewhere(path) -> bool:
    """Whether another connection gets the write lock at once (no waiting)."""
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError as error:
        assert "locked" in str(error)
        return False
    finally:
        other.close()


@pytest.fixture
def path(database_url):
    return database_url.removeprefix("sqlite:///")


@pytest.fixture
def lock_app(app_config):
    app = create_app(app_config)
    yield app
    with app.app_context():
        db.engine.dispose()


def test_a_posts_first_transaction_holds_the_write_lock_from_its_start(lock_app, path):
    @lock_app.post("/_t/first")
    def first():
        _version("a")
        held = _holds_write_lock(path)
        db.session.rollback()
        return jsonify(held=held)

    assert lock_app.test_client().post("/_t/first").get_json() == {"held": True}


def test_after_its_commit_a_post_renders_without_the_write_lock(lock_app, path):
    @lock_app.post("/_t/render")
    def render():
        _bump("a")
        db.session.commit()
        seen = _version("a")  # what the fragment reads after the service's commit
        return jsonify(seen=seen, in_transaction=_in_transaction(), others_can_write=_can_write_elsewhere(path))

    assert lock_app.test_client().post("/_t/render").get_json() == {
        "seen": 1, "in_transaction": False, "others_can_write": True}


def test_a_later_transaction_that_writes_takes_the_lock_before_its_first_write(lock_app, path):
    @lock_app.post("/_t/second-write")
    def second_write():
        _bump("a")
        db.session.commit()
        before = _version("a")
        reading = _in_transaction()
        _bump("a")
        writing = _holds_write_lock(path)
        db.session.commit()
        return jsonify(before=before, reading=reading, writing=writing, after=_version("a"))

    assert lock_app.test_client().post("/_t/second-write").get_json() == {
        "before": 1, "reading": False, "writing": True, "after": 2}


def test_a_later_select_for_update_takes_the_lock(lock_app, path):
    @lock_app.post("/_t/for-update")
    def for_update():
        _bump("a")
        db.session.commit()
        db.session.execute(select(LiveVersion).where(LiveVersion.key == "a").with_for_update()).scalar_one()
        held = _holds_write_lock(path)
        db.session.rollback()
        return jsonify(held=held)

    assert lock_app.test_client().post("/_t/for-update").get_json() == {"held": True}


def test_a_later_flush_of_pending_changes_takes_the_lock(lock_app, path):
    @lock_app.post("/_t/flush")
    def flush():
        _bump("a")
        db.session.commit()
        db.session.add(LiveVersion(key="b", version=7))
        db.session.flush()
        held = _holds_write_lock(path)
        db.session.commit()
        return jsonify(held=held, b=_version("b"))

    assert lock_app.test_client().post("/_t/flush").get_json() == {"held": True, "b": 7}


def test_a_writer_in_an_app_context_of_its_own_after_the_commit_holds_the_lock_from_its_start(lock_app, path):
    """What the notification writers do (app/collab/domains.py): a new app context, a new session."""

    @lock_app.post("/_t/after-commit-writer")
    def after_commit_writer():
        _bump("a")
        db.session.commit()
        with lock_app.app_context():
            _version("a")
            held = _holds_write_lock(path)
            _bump("b")
            db.session.commit()
        return jsonify(held=held)

    assert lock_app.test_client().post("/_t/after-commit-writer").get_json() == {"held": True}


def test_get_requests_read_in_a_deferred_transaction(lock_app, path):
    @lock_app.get("/_t/page")
    def page():
        _version("a")
        return jsonify(in_transaction=_in_transaction(), others_can_write=_can_write_elsewhere(path))

    assert lock_app.test_client().get("/_t/page").get_json() == {"in_transaction": True, "others_can_write": True}


def test_twenty_writers_that_write_again_after_their_commit_never_meet_a_locked_database(lock_app, path):
    """Read, write, commit; then read, write again, commit: under 20 concurrent requests a second
    transaction begun deferred would fail its upgrade from read to write with "database is locked"
    (503); each one must wait its turn instead, and no increment may be lost."""

    @lock_app.post("/_t/twice")
    def twice():
        _version("first")
        _bump("first")
        db.session.commit()
        _version("second")
        _bump("second")
        db.session.commit()
        return jsonify(ok=True)

    statuses, errors = [], []
    barrier = threading.Barrier(20)

    def writer():
        client = lock_app.test_client()
        try:
            barrier.wait()
            for _ in range(5):
                statuses.append(client.post("/_t/twice").status_code)
        except Exception as error:  # noqa: BLE001 - any error is the failure we look for
            errors.append(repr(error))

    threads = [threading.Thread(target=writer) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert statuses == [200] * 100
    check = sqlite3.connect(path)
    assert dict(check.execute("SELECT key, version FROM live_versions")) == {"first": 100, "second": 100}
    check.close()
