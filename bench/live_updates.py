"""Benchmark (not a test): how long until a new comment reaches every open page.

200 clients follow one programme page the way static/js/live.js does (conditional GET of the
threads fragment every LIVE_POLL_MS with If-None-Match) while another member posts comments.
For each post we record, per client, the time from sending the POST to receiving a fragment that
contains it. Runs against real gunicorn (2 sync workers by default) with Redis version counters.

    .venv/bin/python bench/live_updates.py                       # 200 clients, 10 posts, Redis db 14
    .venv/bin/python bench/live_updates.py --clients 50 --posts 5 --no-redis
    .venv/bin/python bench/live_updates.py --database postgresql://postgres@127.0.0.1:5432/bench

Results are printed and written to bench/results/ (git-ignored). See docs/live-updates.md.
"""
import argparse
import http.client
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def seed(env: dict, clients: int) -> dict:
    """Migrate a fresh database and create a programme, a poster and `clients` members; return
    signed session cookies so no password hashing is needed. A PostgreSQL --database is wiped first."""
    if env["DATABASE_URL"].startswith("postgres"):
        subprocess.run(["psql", env["DATABASE_URL"], "-q", "-c", "DROP SCHEMA public CASCADE; CREATE SCHEMA public;"],
                       check=True, stdout=subprocess.DEVNULL)
    subprocess.run([str(VENV_BIN / "flask"), "--app", "wsgi", "db", "upgrade"], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    code = f"""
import json
from app import create_app
from app.extensions import db
from app.accounts.models import User
from app.organisations.models import Organisation
from app.pentahelix import Element
from app.programmes.models import Programme, Role, Visibility
app = create_app()
with app.app_context():
    orgs = [Organisation(name=f"Org {{e.value}}", element=e, description="") for e in Element]
    db.session.add_all(orgs)
    p = Programme(name="Bench", slug="bench", description="", visibility=Visibility.PRIVATE)
    db.session.add(p)
    users = []
    for i in range({clients} + 1):
        u = User(name=f"Anggota {{i}}", email=f"bench{{i}}@example.id", organisation=orgs[i % 5], password_hash="x")
        db.session.add(u)
        users.append(u)
    db.session.flush()
    for i, u in enumerate(users):
        p.add_member(u, Role.OWNER if i == 0 else Role.COMMENTER)
    db.session.commit()
    s = app.session_interface.get_signing_serializer(app)
    print(json.dumps({{"programme": p.id, "cookies": [s.dumps({{"_user_id": u.get_id(), "_fresh": True}}) for u in users]}}))
"""
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.posted: dict[int, float] = {}
        self.arrivals: dict[int, list[float]] = {}
        self.requests = 0
        self.not_modified = 0
        self.errors = 0
        self.request_times: list[float] = []


def follower(port, cookie, url, interval, stats: Stats, stop: threading.Event, rounds: int):
    seen: set[int] = set()
    etag = None
    time.sleep(random.uniform(0, interval))  # pages were opened at different moments
    next_at = time.monotonic()
    while not stop.is_set():
        headers = {"Cookie": f"session={cookie}", "HX-Request": "true"}
        if etag:
            headers["If-None-Match"] = etag
        started = time.monotonic()
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            conn.request("GET", url, headers=headers)
            response = conn.getresponse()
            body = response.read().decode()
            conn.close()
        except OSError:
            with stats.lock:
                stats.errors += 1
            time.sleep(interval)
            continue
        now = time.time()
        with stats.lock:
            stats.requests += 1
            stats.request_times.append(time.monotonic() - started)
            if response.status == 304:
                stats.not_modified += 1
            elif response.status != 200:
                stats.errors += 1
        if response.status == 200:
            etag = response.getheader("ETag")
            for match in re.findall(r"bench-round-(\d+)-x", body):
                k = int(match)
                if k not in seen:
                    seen.add(k)
                    with stats.lock:
                        stats.arrivals.setdefault(k, []).append(now)
        next_at += interval
        delay = next_at - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        else:
            next_at = time.monotonic()


def poster(port, cookie, programme_id, rounds, clients, stats: Stats):
    jar = {"session": cookie}

    def request(method, url, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request(method, url, body=body, headers={"Cookie": f"session={jar['session']}", **(headers or {})})
        response = conn.getresponse()
        data = response.read().decode()
        conn.close()
        for value in response.headers.get_all("Set-Cookie") or []:
            match = re.match(r"session=([^;]+)", value)
            if match:
                jar["session"] = match.group(1)  # the CSRF token lives in the session
        return response, data

    _, page = request("GET", "/p/bench/")
    token = re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)
    from urllib.parse import urlencode

    for k in range(rounds):
        time.sleep(random.uniform(1.0, 2.0))
        body = urlencode({"body": f"Komentar bench-round-{k}-x untuk semua", "csrf_token": token})
        sent = time.time()
        with stats.lock:
            stats.posted[k] = sent
        response, _ = request("POST", f"/t/programme/{programme_id}/comments", body,
                              {"Content-Type": "application/x-www-form-urlencoded", "HX-Request": "true", "X-CSRFToken": token})
        if response.status != 200:
            raise SystemExit(f"post failed: {response.status}")
        deadline = time.time() + 15
        while time.time() < deadline:
            with stats.lock:
                if len(stats.arrivals.get(k, [])) >= clients:
                    break
            time.sleep(0.05)


def percentile(values, p):
    values = sorted(values)
    if not values:
        return float("nan")
    index = min(len(values) - 1, max(0, round(p / 100 * (len(values) - 1))))
    return values[index]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--posts", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--worker-class", default="sync")
    parser.add_argument("--interval-ms", type=int, default=1200)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--no-redis", action="store_true", help="version counters in the database instead")
    parser.add_argument("--database", default=None, help="default: a fresh SQLite file; a PostgreSQL URL is WIPED")
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="sinergi-bench-")
    env = {**os.environ, "SECRET_KEY": "bench-secret", "FLASK_DEBUG": "0"}
    env["DATABASE_URL"] = args.database or f"sqlite:///{tmp}/bench.db"
    if args.no_redis:
        env.pop("REDIS_URL", None)
    else:
        env["REDIS_URL"] = args.redis
        import redis

        redis.Redis.from_url(args.redis).flushdb()
    data = seed(env, args.clients)
    port = free_port()
    env["LIVE_POLL_MS"] = str(args.interval_ms)
    server = subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), "-w", str(args.workers), "-k", args.worker_class, "-b", f"127.0.0.1:{port}",
         "--log-level", "warning", "--backlog", "2048", "wsgi:app"],
        cwd=ROOT, env=env,
    )
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/healthz")
                break
            except OSError:
                time.sleep(0.1)
        stats = Stats()
        stop = threading.Event()
        interval = args.interval_ms / 1000
        url = f"/t/programme/{data['programme']}/comments/live"
        threads = [
            threading.Thread(target=follower, args=(port, cookie, url, interval, stats, stop, args.posts), daemon=True)
            for cookie in data["cookies"][1:]
        ]
        for t in threads:
            t.start()
        time.sleep(interval * 2)  # every page has loaded once
        began = time.time()
        requests_before = stats.requests
        poster(port, data["cookies"][0], data["programme"], args.posts, args.clients, stats)
        elapsed = time.time() - began
        stop.set()
        latencies = [arrival - stats.posted[k] for k, arrivals in stats.arrivals.items() if k in stats.posted for arrival in arrivals]
        delivered = len(latencies)
        expected = args.clients * args.posts
        result = {
            "clients": args.clients, "posts": args.posts, "workers": args.workers, "worker_class": args.worker_class,
            "interval_ms": args.interval_ms, "versions": "database" if args.no_redis else "redis",
            "database": "postgresql" if env["DATABASE_URL"].startswith("postgres") else "sqlite",
            "delivered": f"{delivered}/{expected}",
            "median_s": round(statistics.median(latencies), 3) if latencies else None,
            "p90_s": round(percentile(latencies, 90), 3), "p99_s": round(percentile(latencies, 99), 3),
            "max_s": round(max(latencies), 3) if latencies else None,
            "requests_per_s": round((stats.requests - requests_before) / elapsed, 1),
            "share_304": round(stats.not_modified / max(1, stats.requests), 3),
            "request_median_ms": round(statistics.median(stats.request_times) * 1000, 1),
            "request_p99_ms": round(percentile(stats.request_times, 99) * 1000, 1),
            "errors": stats.errors,
        }
        print(json.dumps(result, indent=2))
        out = ROOT / "bench" / "results"
        out.mkdir(exist_ok=True)
        (out / f"live-{int(time.time())}.json").write_text(json.dumps(result, indent=2))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
