"""Benchmark (not a test): how long until a new comment reaches every open page.

200 clients follow one programme page the way static/js/live.js does: the discussion's threads
fragment and the header bell, each asked with If-None-Match and `Prefer: wait=25` on a kept-alive
connection (long polling: asked again at once after a 304 that waited or after a fresh fragment,
after the rest of LIVE_POLL_MS after a 304 that did not). `--mode poll` drives the former plain
conditional polling every LIVE_POLL_MS instead, for comparison. Another member posts comments; for
each post we record, per client, the time from sending the POST to receiving a fragment that
contains it. Meanwhile one more member reads an ordinary page (the programme page) in a loop, before
the pages open and while they wait: its latency says whether waiting pages starve other requests.
Runs against real gunicorn (gunicorn.conf.py: gthread workers; 2 workers, 256 threads each by
default) with Redis version counters.

    .venv/bin/python bench/live_updates.py                       # 200 clients, 10 posts, Redis db 14
    .venv/bin/python bench/live_updates.py --clients 50 --posts 5 --no-redis
    .venv/bin/python bench/live_updates.py --mode poll --worker-class sync   # the former polling
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
        self.waiting = 0  # requests in flight right now


class Connection:
    """One kept-alive connection, as a browser keeps one per origin and reuses it."""

    def __init__(self, port, timeout):
        self.port, self.timeout, self.conn = port, timeout, None

    def get(self, url, headers):
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            try:
                self.conn.request("GET", url, headers=headers)
                response = self.conn.getresponse()
                body = response.read().decode()
                if response.getheader("Connection", "").lower() == "close":
                    self.close()
                return response, body
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.close()  # the server closed an idle kept-alive connection: open another, once
                if attempt == 2:
                    raise
            except OSError:
                self.close()
                raise

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def kept_session(response, cookie: str) -> str:
    """The session cookie a browser would send next: the one the answer set, if it set one."""
    for header in response.headers.get_all("Set-Cookie") or ():
        name, _, rest = header.partition("=")
        if name.strip() == "session":
            return rest.split(";", 1)[0]
    return cookie


def follower(port, cookie, url, interval, stats: Stats, stop: threading.Event, mode: str, wait_s: int, record: bool):
    """One live part of one open page, asked the way static/js/live.js asks."""
    seen: set[int] = set()
    etag = None
    quick = 0
    polling_until = 0.0
    connection = Connection(port, wait_s + 15)
    time.sleep(random.uniform(0, interval))  # pages were opened at different moments
    while not stop.is_set():
        waiting = mode == "wait" and time.monotonic() >= polling_until
        headers = {"Cookie": f"session={cookie}", "HX-Request": "true"}
        if etag:
            headers["If-None-Match"] = etag
        if waiting:
            headers["Prefer"] = f"wait={wait_s}"
        started = time.monotonic()
        with stats.lock:
            stats.waiting += 1
        try:
            response, body = connection.get(url, headers)
        except OSError:
            with stats.lock:
                stats.errors += 1
                stats.waiting -= 1
            if waiting:
                polling_until = time.monotonic() + 30 * interval  # live.js falls back to polling
            time.sleep(interval)
            continue
        now = time.time()
        elapsed = time.monotonic() - started
        with stats.lock:
            stats.waiting -= 1
            stats.requests += 1
            stats.request_times.append(elapsed)
            if response.status == 304:
                stats.not_modified += 1
            elif response.status != 200:
                stats.errors += 1
        cookie = kept_session(response, cookie)
        if response.status == 200:
            etag = response.getheader("ETag")
            if record:
                for match in re.findall(r"bench-round-(\d+)-x", body):
                    k = int(match)
                    if k not in seen:
                        seen.add(k)
                        with stats.lock:
                            stats.arrivals.setdefault(k, []).append(now)
            quick = quick + 1 if elapsed < interval else 0
            delay = 0 if waiting and quick < 2 else interval
        elif response.status == 304:
            quick = 0
            delay = 0 if waiting and elapsed >= interval else interval - elapsed
        else:
            delay = interval
        if delay > 0:
            stop.wait(delay)
    connection.close()


def reader(port, cookie, url, stop: threading.Event, samples: list):
    """Someone using the app meanwhile: an ordinary page, one request after another with a short pause."""
    connection = Connection(port, 30)
    while not stop.is_set():
        started = time.monotonic()
        try:
            response, _ = connection.get(url, {"Cookie": f"session={cookie}"})
            if response.status == 200:
                samples.append(time.monotonic() - started)
        except OSError:
            samples.append(float("inf"))
        stop.wait(0.2)
    connection.close()


def server_cpu_s(master_pid: int) -> float:
    """CPU seconds used so far by gunicorn's master and workers (Linux /proc)."""
    tick, total = os.sysconf("SC_CLK_TCK"), 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(stat.parent.name), int(fields[1])
        if pid == master_pid or ppid == master_pid:
            total += int(fields[11]) + int(fields[12])
    return total / tick


def summary_ms(samples):
    finite = [s for s in samples if s != float("inf")]
    return {
        "n": len(samples), "failed": len(samples) - len(finite),
        "median_ms": round(statistics.median(finite) * 1000, 1) if finite else None,
        "p90_ms": round(percentile(finite, 90) * 1000, 1), "p99_ms": round(percentile(finite, 99) * 1000, 1),
        "max_ms": round(max(finite) * 1000, 1) if finite else None,
    }


def poster(port, cookie, programme_id, rounds, clients, stats: Stats):
    jar = {"session": cookie}

    def request(method, url, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request(method, url, body=body, headers={"Cookie": f"session={jar['session']}", **(headers or {})})
        response = conn.getresponse()
        data = response.read().decode()
        conn.close()
        jar["session"] = kept_session(response, jar["session"])  # the CSRF token lives in the session
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
    parser.add_argument("--threads", type=int, default=256, help="gunicorn threads per worker (GUNICORN_THREADS)")
    parser.add_argument("--worker-class", default="gthread")
    parser.add_argument("--mode", choices=["wait", "poll"], default="wait",
                        help="wait: long polling as live.js does now; poll: the former conditional polling")
    parser.add_argument("--no-bell", action="store_true", help="follow only the discussion, not the header bell too")
    parser.add_argument("--interval-ms", type=int, default=1200)
    parser.add_argument("--wait-s", type=int, default=25)
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--no-redis", action="store_true", help="version counters in the database instead")
    parser.add_argument("--database", default=None, help="default: a fresh SQLite file; a PostgreSQL URL is WIPED")
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="sinergi-bench-")
    env = {**os.environ, "SECRET_KEY": "bench-secret", "FLASK_DEBUG": "0", "GUNICORN_ACCESS_LOG": "",
           "GUNICORN_THREADS": str(args.threads)}
    env.pop("LIVE_MAX_WAITS", None)  # gunicorn.conf.py derives it from the threads
    env["DATABASE_URL"] = args.database or f"sqlite:///{tmp}/bench.db"
    if args.no_redis:
        env.pop("REDIS_URL", None)
    else:
        env["REDIS_URL"] = args.redis
        import redis

        redis.Redis.from_url(args.redis).flushdb()
    data = seed(env, args.clients + 1)  # one more member: the reader of ordinary pages
    port = args.port or free_port()
    env["LIVE_POLL_MS"] = str(args.interval_ms)
    server = subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py"), "-w", str(args.workers), "-k", args.worker_class,
         "-b", f"127.0.0.1:{port}", "--log-level", "warning", "--backlog", "2048", "wsgi:app"],
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
        poster_cookie, reader_cookie, member_cookies = data["cookies"][0], data["cookies"][1], data["cookies"][2:]

        # Warm every worker up (first requests compile templates), then measure an ordinary page with
        # nobody waiting, and again with every page open.
        warm = Connection(port, 30)
        for _ in range(4 * args.workers):
            warm.get("/p/bench/", {"Cookie": f"session={reader_cookie}"})
            warm.get(f"/t/programme/{data['programme']}/comments/live", {"Cookie": f"session={reader_cookie}", "HX-Request": "true"})
            warm.close()
        idle_samples, busy_samples = [], []
        stop_idle = threading.Event()
        idle_reader = threading.Thread(target=reader, args=(port, reader_cookie, "/p/bench/", stop_idle, idle_samples), daemon=True)
        idle_reader.start()
        time.sleep(5)
        stop_idle.set()
        idle_reader.join()

        url = f"/t/programme/{data['programme']}/comments/live"
        parts = [(url, True)] + ([] if args.no_bell else [("/notifications/bell", False)])
        threads = [
            threading.Thread(target=follower, args=(port, cookie, part, interval, stats, stop, args.mode, args.wait_s, record),
                             daemon=True)
            for cookie in member_cookies for part, record in parts
        ]
        for t in threads:
            t.start()
        time.sleep(interval * 2)  # every page has loaded once
        busy_reader = threading.Thread(target=reader, args=(port, reader_cookie, "/p/bench/", stop, busy_samples), daemon=True)
        busy_reader.start()
        began = time.time()
        cpu_before = server_cpu_s(server.pid)
        requests_before = stats.requests
        poster(port, poster_cookie, data["programme"], args.posts, args.clients, stats)
        elapsed = time.time() - began
        cpu = server_cpu_s(server.pid) - cpu_before
        with stats.lock:
            waiting_at_end = stats.waiting
        stop.set()
        latencies = [arrival - stats.posted[k] for k, arrivals in stats.arrivals.items() if k in stats.posted for arrival in arrivals]
        delivered = len(latencies)
        expected = args.clients * args.posts
        result = {
            "clients": args.clients, "posts": args.posts, "workers": args.workers, "worker_class": args.worker_class,
            "threads": args.threads, "mode": args.mode, "parts_per_page": len(parts),
            "interval_ms": args.interval_ms, "versions": "database" if args.no_redis else "redis",
            "database": "postgresql" if env["DATABASE_URL"].startswith("postgres") else "sqlite",
            "delivered": f"{delivered}/{expected}",
            "median_s": round(statistics.median(latencies), 3) if latencies else None,
            "p90_s": round(percentile(latencies, 90), 3), "p99_s": round(percentile(latencies, 99), 3),
            "max_s": round(max(latencies), 3) if latencies else None,
            # The first page to get each post: the transport's own delay plus one render.
            "first_arrival_median_s": round(statistics.median(
                min(arrivals) - stats.posted[k] for k, arrivals in stats.arrivals.items() if k in stats.posted), 3)
            if stats.arrivals else None,
            "requests_per_s": round((stats.requests - requests_before) / elapsed, 1),
            "share_304": round(stats.not_modified / max(1, stats.requests), 3),
            "request_median_ms": round(statistics.median(stats.request_times) * 1000, 1),
            "request_p99_ms": round(percentile(stats.request_times, 99) * 1000, 1),
            "requests_open_at_end": waiting_at_end,
            # Server CPU per delivered fragment, 304s and the posts included: what the design costs.
            "server_cpu_s": round(cpu, 2), "server_cpu_ms_per_delivery": round(cpu * 1000 / max(1, delivered), 2),
            "ordinary_page_idle": summary_ms(idle_samples),
            "ordinary_page_while_live": summary_ms(busy_samples),
            "errors": stats.errors,
            "load_average": [round(x, 2) for x in os.getloadavg()],
        }
        print(json.dumps(result, indent=2))
        out = ROOT / "bench" / "results"
        out.mkdir(exist_ok=True)
        (out / f"live-{int(time.time())}.json").write_text(json.dumps(result, indent=2))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=40)


if __name__ == "__main__":
    main()
