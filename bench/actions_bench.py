"""Benchmark (not a test): the actions pages with 20,000 actions in one programme.

    cd <repo> && .venv/bin/python bench/actions_bench.py [--actions 20000] [--repeat 5]
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench .venv/bin/python bench/actions_bench.py

It migrates a throw-away database (a temporary SQLite file unless DATABASE_URL is given; the
PostgreSQL database is emptied first, so never point it at real data), inserts the actions in
bulk, then requests each page (and, indented, its htmx fragments) with Flask's test client as the
programme owner and prints, per page, the median and worst time of `--repeat` requests (and the
median CPU time of this process), the number of SQL queries of one request and its size (plain and
gzip). It also changes the status of an action with 600 changes in its history (htmx, as the action
page does). Everything runs at a tenth of the size first, to show the query count does not grow with
the data.
"""
import argparse
import gzip
import itertools
import os
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HX = {"HX-Request": "true"}
BOOSTED = {"HX-Request": "true", "HX-Boosted": "true"}

PAGES = [
    ("table", "/p/{slug}/actions/", {}),
    ("table, filtered", "/p/{slug}/actions/?status=dikerjakan&status=terhambat&overdue=1&element=bisnis&label={label}&sort=priority", {}),
    ("table, 2 statuses (make bench)", "/p/{slug}/actions/?status=dikerjakan&status=terhambat&sort=due", {}),
    ("  the same, htmx fragment", "/p/{slug}/actions/?status=dikerjakan&status=terhambat&sort=due", HX),
    ("table, page 200", "/p/{slug}/actions/?page=200", {}),
    ("board", "/p/{slug}/actions/board", {}),
    ("  board, boosted navigation", "/p/{slug}/actions/board", BOOSTED),
    ("  board, htmx fragment", "/p/{slug}/actions/board", HX),
    ("  board, show more (htmx)", "/p/{slug}/actions/board/baru?page=2", HX),
    ("board, one assignee", "/p/{slug}/actions/board?assignee={user}", {}),
    ("timeline", "/p/{slug}/actions/timeline", {}),
    ("dashboard", "/p/{slug}/actions/dashboard", {}),
    ("  summary card (htmx)", "/p/{slug}/actions/summary", HX),
    ("detail (parent of 500)", "/p/{slug}/actions/{parent}", {}),
    ("detail (600 changes)", "/p/{slug}/actions/{busy}", {}),
    ("  its history page", "/p/{slug}/actions/{busy}/history", {}),
    ("my tasks", "/my/tasks", {}),
    ("CSV export, filtered", "/p/{slug}/actions/export.csv?status=baru", {}),
]
# POSTed with htmx, as the action page does: the answer is the action's live part.
WRITES = [
    ("status change (600 changes)", "/p/{slug}/actions/{busy}/status"),
]
BUSY_HISTORY = 600


def build(app, n: int, busy_history: int = 0):
    from sqlalchemy import insert

    from app.actions.models import Action, ActionHistory, Label, Priority, Status, action_labels
    from app.extensions import db
    from app.organisations.models import Organisation
    from app.pentahelix import Element
    from app.programmes.models import Membership, Programme, Role
    from app.accounts.models import User
    from werkzeug.security import generate_password_hash

    with app.app_context():
        orgs = [Organisation(name=f"Organisasi {e.value} {i}", element=e) for i in range(4) for e in Element]
        db.session.add_all(orgs)
        programme = Programme(slug="bench", name="Benchmark", description="")
        db.session.add(programme)
        password = generate_password_hash("x", method="pbkdf2:sha256:1000")
        users = [User(name=f"Anggota {i}", email=f"u{i}@bench.id", organisation=orgs[i % len(orgs)],
                      password_hash=password) for i in range(40)]
        db.session.add_all(users)
        db.session.flush()
        for i, user in enumerate(users):
            db.session.add(Membership(programme_id=programme.id, user_id=user.id, role=Role.OWNER if i == 0 else Role.EDITOR))
        labels = [Label(programme_id=programme.id, name=f"label-{i}") for i in range(12)]
        db.session.add_all(labels)
        db.session.flush()
        parent = Action(programme_id=programme.id, title="Tujuan program", description="", created_by_id=users[0].id)
        db.session.add(parent)
        db.session.flush()
        statuses, priorities = list(Status), list(Priority)
        today = date.today()
        now = datetime.now(timezone.utc)
        rows = []
        for i in range(n):
            status = statuses[i % 5]
            rows.append(dict(
                programme_id=programme.id, title=f"Tindak lanjut nomor {i}", description="Uraian **singkat**.",
                status=status, status_note="alasan" if status == Status.TERHAMBAT else "",
                priority=priorities[i % 4], progress=100 if status == Status.SELESAI else (i * 7) % 100,
                due_date=today + timedelta(days=(i % 240) - 120) if i % 11 else None,
                assignee_id=users[i % len(users)].id, organisation_id=orgs[i % len(orgs)].id,
                meeting_id=i % 30 + 1, meeting_label=f"Rapat {i % 30 + 1}", source_label="", weight=1 + i % 3,
                parent_id=parent.id if i < 500 else None, created_by_id=users[0].id,
                created_at=now - timedelta(days=i % 90), updated_at=now - timedelta(days=i % 30),
                completed_at=now - timedelta(days=i % 60) if status == Status.SELESAI else None,
            ))
        for start in range(0, n, 5000):
            db.session.execute(insert(Action), rows[start:start + 5000])
        db.session.flush()
        from sqlalchemy import select

        ids = db.session.execute(select(Action.id).where(Action.programme_id == programme.id, Action.id != parent.id)).scalars().all()
        db.session.execute(insert(action_labels), [{"action_id": a, "label_id": labels[a % 12].id} for a in ids])
        db.session.execute(insert(ActionHistory), [
            dict(action_id=a, user_id=users[0].id, at=now, field="created", old_value="", new_value="", note="")
            for a in ids])
        # One action that has changed often (`busy_history` times; bench/dataset.py asks for none).
        busy = ids[-1]
        if busy_history:
            db.session.execute(insert(ActionHistory), [
                dict(action_id=busy, user_id=users[i % len(users)].id, at=now + timedelta(seconds=i + 1),
                     field="progress", old_value=str(i % 100), new_value=str((i + 1) % 100), note=f"catatan {i}")
                for i in range(busy_history)])
        db.session.commit()
        return {"slug": programme.slug, "label": labels[3].id, "user": users[5].id, "parent": parent.id,
                "owner": users[0].get_id(), "busy": busy}


def measure(app, ctx: dict, repeat: int) -> list[tuple]:
    from sqlalchemy import event

    from app.extensions import db

    results = []
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = ctx["owner"]
        session["_fresh"] = True
    with app.app_context():
        engine = db.engine

    def counted(call):
        statements = []

        def count(conn, cursor, statement, *args):
            if not statement.lstrip().upper().startswith(("BEGIN", "PRAGMA", "COMMIT", "ROLLBACK")):
                statements.append(statement)

        event.listen(engine, "before_cursor_execute", count)
        try:
            response = call()
        finally:
            event.remove(engine, "before_cursor_execute", count)
        return response, len(statements)

    def timed(name, call, expected):
        response, queries = counted(call)
        assert response.status_code == expected, (name, response.status_code)
        times, cpu = [], []
        for _ in range(repeat):
            started, started_cpu = time.perf_counter(), time.process_time()
            call()
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        results.append((name, queries, statistics.median(times), max(times), len(response.data),
                        statistics.median(cpu), len(gzip.compress(response.data, 6))))

    for name, pattern, headers in PAGES:
        url = pattern.format(**ctx)
        timed(name, lambda: client.get(url, headers=headers), 200)
    for name, pattern in WRITES:
        url = pattern.format(**ctx)
        cycle = itertools.cycle(["dikerjakan", "terhambat", "baru"])
        timed(name, lambda: client.post(url, headers=HX, data={"status": next(cycle), "note": "catatan", "view": "detail"}),
              200)
    return results


def run(n: int, repeat: int, url: str | None):
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine, text

    from app import create_app

    tmp = tempfile.mkdtemp(prefix="sinergi-bench-")
    if url:
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://"):]
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    else:
        url = f"sqlite:///{tmp}/bench.db"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False,
                      "RATELIMIT_ENABLED": False, "SERVER_NAME": "localhost"})
    cfg = Config(str(ROOT / "migrations" / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    with app.app_context():
        command.upgrade(cfg, "head")
    started = time.perf_counter()
    ctx = build(app, n, busy_history=BUSY_HISTORY)
    print(f"{app.config['SQLALCHEMY_DATABASE_URI'].split(':')[0]}: {n} actions built in {time.perf_counter() - started:.1f} s")
    return measure(app, ctx, repeat)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--actions", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL")
    small = run(max(50, args.actions // 10), 1, url)
    big = run(args.actions, args.repeat, url)
    # CPU ms: this process's CPU time per request (Python, and SQLite's work, which runs in-process;
    # not PostgreSQL's). On a shared machine it moves far less than the wall-clock times.
    print(f"\n{'page':32} {'queries':>8} {'(at 1/10)':>9} {'median ms':>10} {'max ms':>8} {'CPU ms':>7} {'KB':>7} {'KB gz':>6}")
    for (name, q, median, worst, size, cpu, gz), (_, q_small, *_rest) in zip(big, small):
        flag = "" if q == q_small else "  <-- grows with data"
        print(f"{name:32} {q:8d} {q_small:9d} {median:10.1f} {worst:8.1f} {cpu:7.1f} {size / 1024:7.1f} {gz / 1024:6.1f}{flag}")


if __name__ == "__main__":
    main()
