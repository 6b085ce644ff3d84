"""CPU per live answer, in-process (not a test): what one delivery of `bench/live_updates.py` costs
the server in our code, without HTTP or the other engineers' load in the figure.

Builds a fresh SQLite database (migrations), a private programme with members of every role and a
discussion (default: 10 threads of 3 replies, some reactions, an edited and a hidden comment), then
asks for the discussion's live fragment (`comments.live_threads`) and the header bell
(`notifications.bell`) N times as a signed-in commenter through the test client, and prints
`time.process_time()` per request. `--database` measures an existing database instead (a copy:
SQLite writes its -shm next to it), e.g. the scale dataset's programme 31 and its 219 threads.

    .venv/bin/python bench/live_render.py                        # small discussion
    .venv/bin/python bench/live_render.py --threads 40 --replies 5
    .venv/bin/python bench/live_render.py --database /tmp/dev2.db --programme 31 --email u9@bench.id
    .venv/bin/python bench/live_render.py --profile              # pyinstrument of the live fragment
"""
import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def build(url: str, threads: int, replies: int) -> tuple[int, str]:
    from alembic import command
    from alembic.config import Config

    from app import create_app
    from app.accounts.models import User
    from app.comments import service
    from app.comments.models import Reaction
    from app.extensions import db
    from app.organisations.models import Organisation
    from app.pentahelix import Element
    from app.programmes.models import Programme, Role, Visibility

    cfg = Config(str(ROOT / "migrations" / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True, "RATELIMIT_ENABLED": False})
    with app.app_context(), app.test_request_context():
        command.upgrade(cfg, "head")
        orgs = [Organisation(name=f"Org {e.value}", element=e, description="") for e in Element]
        db.session.add_all(orgs)
        p = Programme(name="Bench", slug="bench", description="", visibility=Visibility.PRIVATE)
        db.session.add(p)
        roles = [Role.OWNER, Role.EDITOR, Role.COMMENTER, Role.COMMENTER, Role.VIEWER, Role.COMMENTER]
        users = []
        for i, role in enumerate(roles):
            u = User(name=f"Anggota {i}", email=f"bench{i}@example.id", organisation=orgs[i % 5], password_hash="x")
            db.session.add(u)
            users.append(u)
            p.add_member(u, role)
        db.session.commit()
        writers = [u for u, r in zip(users, roles) if r != Role.VIEWER]
        for t in range(threads):
            root = service.post(p, writers[t % len(writers)], f"Usulan **{t}**: jadwal [rapat](https://example.id/{t}) "
                                f"perlu @[Anggota 2] lihat.\n\n- satu\n- dua")
            for r in range(replies):
                reply = service.post(p, writers[(t + r + 1) % len(writers)], f"Balasan {t}.{r} _setuju_", parent=root)
                if r == 0:
                    service.react(reply, users[2], Reaction.AGREE)
                    service.react(reply, users[3], Reaction.DISAGREE)
            if t == 1:
                service.edit(root, root.author, "Usulan 1, disunting")
            if t == 2:
                service.hide(root, users[1], "Tidak pantas")
            if t == 3:
                service.resolve_thread(root, users[0])
        db.session.commit()
        return p.id, users[2].email


def measure(client, path: str, n: int) -> dict:
    headers = {"HX-Request": "true"}
    response = client.get(path, headers=headers)
    assert response.status_code == 200, (path, response.status_code)
    samples = []
    for _ in range(n):
        started = time.process_time()
        response = client.get(path, headers=headers)
        samples.append(time.process_time() - started)
    return {"path": path, "n": n, "bytes": len(response.data),
            "median_ms": round(statistics.median(samples) * 1000, 2),
            "mean_ms": round(statistics.fmean(samples) * 1000, 2),
            "min_ms": round(min(samples) * 1000, 2)}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=10)
    parser.add_argument("--replies", type=int, default=3)
    parser.add_argument("--database", help="an existing SQLite file (copied first)")
    parser.add_argument("--programme", type=int)
    parser.add_argument("--email", help="who signs in (default: a commenter of the built programme)")
    parser.add_argument("--query", default="", help="e.g. since=123 (the window a page asks for)")
    parser.add_argument("-n", type=int, default=100)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="sinergi-live-render-"))
    if args.database:
        import shutil

        shutil.copy(args.database, tmp / "db.sqlite")
        url, programme_id, email = f"sqlite:///{tmp / 'db.sqlite'}", args.programme, args.email
    else:
        url = f"sqlite:///{tmp / 'db.sqlite'}"
        programme_id, email = build(url, args.threads, args.replies)
        email = args.email or email

    from bench.profiles import signed_in_client
    from app import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
                      "SQL_QUERY_COUNT_HEADER": False, "PAGE_CACHE": "off", "SECRET_KEY": "bench"})
    client = signed_in_client(app, email)
    live = f"/t/programme/{programme_id}/comments/live" + (f"?{args.query}" if args.query else "")
    if args.profile:
        from bench.profiles import profile

        result = profile(client, "live-fragment", "GET", live, htmx=True)
        print("\n".join(result["top_self"] + [""] + result["tree"]))
        return
    for path in (live, "/notifications/bell"):
        print(measure(client, path, args.n))


if __name__ == "__main__":
    main()
