"""A worker killed in the middle of a save leaves the old revision or the new one, never half of it.

The app runs under gunicorn (one sync worker) on this test's database, SQLite or PostgreSQL as the
rest of the suite. tests/core/pausing_wsgi.py stops the worker at one point inside the save's
transaction — after the new revision row, after the head update, just before COMMIT — and the test
SIGKILLs it there (no cleanup, no rollback, no closing of the connection: what a crash or the OOM
killer does). Then, in the database: each head points at a complete revision of that unit, the
revision numbers run without a gap, each revision's base is an earlier one, and the text is the old
one. The master starts a new worker, and the same save then goes through: nothing stayed locked.
A second test kills the worker at random moments during a run of saves, where some land and some
do not: each time the text is the last one saved or the one being saved, and the chain holds.
"""
import os
import random
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import text

from app import ROOT
from app.drafts import service as drafts
from app.drafts.models import DraftKind
from tests.core.test_scale_out import Browser, _free_port
from tests.factories import PASSWORD

OLD = "Peraturan Daerah ini mulai berlaku pada tanggal diundangkan dalam Lembaran Daerah."


def _start_gunicorn(database_url: str, tmp_path: Path, **env_extra) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {
        **os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "killed-worker-test", "PYTHONPATH": str(ROOT),
        "RATELIMIT_ENABLED": "0", "GUNICORN_ACCESS_LOG": "", **env_extra,
    }
    env.pop("REDIS_URL", None)
    log = tmp_path / f"gunicorn-{port}.log"
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py"), "-w", "1",
         "--worker-class", "sync", "-b", f"127.0.0.1:{port}", "--log-level", "warning",
         "tests.core.pausing_wsgi:app"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=open(log, "w"),
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(f"{url}/healthz", timeout=2)
            return proc, url
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"gunicorn did not start: {log.read_text()}")


@pytest.fixture
def gunicorn(database_url, tmp_path):
    procs = []

    def start(**env):
        proc, url = _start_gunicorn(database_url, tmp_path, **env)
        procs.append(proc)
        return proc, url

    yield start
    for proc in procs:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture
def world(app, programme, alice):
    from tests.meetings.conftest import AgendaItemFactory, MeetingFactory

    draft = drafts.create_draft(programme, alice, "Penyelenggaraan Wisata Kota Industri", DraftKind.RAPERDA, "Kota Bontang")
    unit = drafts.load_tree(draft.id).pasals()[-1].unit
    drafts.save_unit(unit.id, alice, unit.head_revision_id, OLD)
    meeting = MeetingFactory(programme_id=programme.id, created_by_id=alice.id)
    item = AgendaItemFactory(meeting_id=meeting.id, title="Penambahan kata kota")
    base = f"/p/{programme.slug}"
    return {
        "alice": alice, "unit_id": unit.id, "item_id": item.id,
        "unit_url": f"{base}/drafts/{draft.id}/units/{unit.id}",
        "minutes_url": f"{base}/meetings/{meeting.id}/items/{item.id}/minutes",
        "page": f"{base}/meetings/{meeting.id}",
    }


def _signed_in(url, world) -> tuple[Browser, str]:
    browser = Browser()
    status, _ = browser.post(f"{url}/login", {"csrf_token": browser.csrf(f"{url}/login"), "email": world["alice"].email,
                                              "password": PASSWORD})
    assert status == 200
    return browser, browser.csrf(f"{url}{world['page']}")


# -- what the database must show after any kill -----------------------------------------------------

def unit_state(db, unit_id) -> str:
    """The unit's text, after checking its head and revision chain are whole."""
    db.session.rollback()
    unit = db.session.execute(text("SELECT text, head_revision_id, revision_count FROM draft_units WHERE id = :u"),
                              {"u": unit_id}).one()
    revisions = db.session.execute(text(
        "SELECT id, number, text, base_revision_id, unit_id FROM draft_unit_revisions WHERE unit_id = :u ORDER BY number"
    ), {"u": unit_id}).all()
    ids = [r.id for r in revisions]
    assert [r.number for r in revisions] == list(range(1, len(revisions) + 1)), "a gap or a duplicate in the numbers"
    assert unit.revision_count == len(revisions)
    head = next(r for r in revisions if r.id == unit.head_revision_id)  # the head is one of the unit's revisions
    assert head.number == len(revisions), "the head is not the newest revision"
    assert head.text == unit.text, "the unit's text and its head revision disagree"
    for r in revisions[1:]:
        assert r.base_revision_id in ids[:ids.index(r.id)], f"revision {r.number} starts from an unknown base"
    return unit.text


def minutes_state(db, item_id) -> str:
    db.session.rollback()
    item = db.session.execute(text("SELECT minutes, minutes_rev FROM agenda_items WHERE id = :i"), {"i": item_id}).one()
    revisions = db.session.execute(text(
        "SELECT number, text FROM minutes_revisions WHERE item_id = :i ORDER BY number"), {"i": item_id}).all()
    assert [r.number for r in revisions] == list(range(1, len(revisions) + 1))
    assert item.minutes_rev == len(revisions)
    assert item.minutes == (revisions[-1].text if revisions else "")
    return item.minutes


def _head_revision(db, unit_id) -> int:
    db.session.rollback()
    return db.session.execute(text("SELECT head_revision_id FROM draft_units WHERE id = :u"), {"u": unit_id}).scalar()


def _minutes_rev(db, item_id) -> int:
    db.session.rollback()
    return db.session.execute(text("SELECT minutes_rev FROM agenda_items WHERE id = :i"), {"i": item_id}).scalar()


def _post_in_background(browser, url, data) -> threading.Thread:
    def post():
        try:
            browser.post(url, data)
        except OSError:  # the worker died under the request: connection reset or closed
            pass

    thread = threading.Thread(target=post, daemon=True)
    thread.start()
    return thread


def _kill_when_paused(marker: Path, thread: threading.Thread) -> None:
    for _ in range(300):
        if marker.exists() and marker.read_text().strip():
            break
        time.sleep(0.05)
    else:
        raise AssertionError("the save never reached the pause point")
    os.kill(int(marker.read_text()), signal.SIGKILL)
    thread.join(timeout=30)
    assert not thread.is_alive()


@pytest.mark.parametrize("stage", ["revision", "head", "commit"])
def test_a_worker_killed_inside_a_save_leaves_the_old_revision_and_the_next_save_works(
        db, gunicorn, world, tmp_path, stage):
    marker = tmp_path / "paused"
    _proc, url = gunicorn(SINERGI_TEST_PAUSE_AT=stage, SINERGI_TEST_PAUSE_MARKER=str(marker))
    browser, token = _signed_in(url, world)
    new_text = "Peraturan Daerah ini mulai berlaku pada tanggal 1 Januari 2027."

    # A draft unit.
    base = _head_revision(db, world["unit_id"])
    save = {"csrf_token": token, "text": new_text, "base_revision_id": str(base), "note": ""}
    _kill_when_paused(marker, _post_in_background(browser, url + world["unit_url"], save))
    assert unit_state(db, world["unit_id"]) == OLD
    # The marker stays, so the new worker does not pause: the same save now lands.
    status, _ = browser.post(url + world["unit_url"], save)
    assert status == 200
    assert unit_state(db, world["unit_id"]) == new_text

    # The minutes of an agenda item.
    marker.unlink()
    minutes = {"csrf_token": token, "text": "Forum menyepakati penambahan kata kota.", "base_rev": "0"}
    _kill_when_paused(marker, _post_in_background(browser, url + world["minutes_url"], minutes))
    assert minutes_state(db, world["item_id"]) == ""
    status, _ = browser.post(url + world["minutes_url"], minutes)
    assert status == 200
    assert minutes_state(db, world["item_id"]) == minutes["text"]


def _worker_pids(master: subprocess.Popen) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(master.pid)], capture_output=True, text=True).stdout
    return [int(pid) for pid in out.split()]


def test_workers_killed_at_random_moments_of_many_saves_leave_whole_revisions(db, gunicorn, world):
    proc, url = gunicorn()
    browser, token = _signed_in(url, world)
    rng = random.Random(7)
    current, current_minutes = OLD, ""
    for round_ in range(10):
        new_text = f"Peraturan Daerah ini mulai berlaku pada tanggal {round_ + 1} Januari 2027."
        new_minutes = f"{current_minutes} Butir {round_ + 1} disepakati.".strip()
        saves = [
            (world["unit_url"], {"csrf_token": token, "text": new_text, "note": "",
                                 "base_revision_id": str(_head_revision(db, world["unit_id"]))}),
            (world["minutes_url"], {"csrf_token": token, "text": new_minutes,
                                    "base_rev": str(_minutes_rev(db, world["item_id"]))}),
        ]
        browser.get(f"{url}/healthz")  # a worker is up and warm: the kill lands in a save, not in its boot
        threads = [_post_in_background(browser, url + path, data) for path, data in saves]
        time.sleep(rng.uniform(0.0, 0.2))
        for pid in _worker_pids(proc):
            os.kill(pid, signal.SIGKILL)
        for thread in threads:
            thread.join(timeout=30)
        stored = unit_state(db, world["unit_id"])
        assert stored in (current, new_text)
        current = stored
        stored_minutes = minutes_state(db, world["item_id"])
        assert stored_minutes in (current_minutes, new_minutes)
        current_minutes = stored_minutes
