"""`make bench`: issue 7's "Performance, measured", in one run on this machine.

1. Builds the scale dataset (bench/dataset.py) into a fresh SQLite file, and the same shape at a
   tenth of the size into another (query counts must not differ between the two).
2. Serves the app and the floor app (bench/floor_app.py) with gunicorn, 2 workers each, and drives
   every main page and htmx fragment with wrk at 16 and 64 connections (the floor before and after).
3. Writes: 16 concurrent writers on one object (post a comment, save a unit through the merge check,
   change an action's status) with a Python driver (bench/writes.py), on SQLite and on PostgreSQL,
   against a bare single-row SQLite commit served and driven the same way.
4. Live updates with Redis: 200 pages polling, time from a save to its arrival (bench/live_updates.py).
5. Profiles every page or write that misses a target (pyinstrument, bench/profiles.py) and writes
   bench/results/report.md and report.json.

    .venv/bin/python -m bench.run                 # the full run (~15 minutes on 2 cores)
    .venv/bin/python -m bench.run --quick         # small data, short runs: a few minutes
    .venv/bin/python -m bench.run --no-postgres --no-live
"""
import argparse
import gzip
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from bench.writes import Session, bare_commit, comment_writer, drive, status_writer, unit_writer

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "work"
RESULTS = ROOT / "bench" / "results"
VENV_BIN = Path(sys.executable).parent
APP_PORT, FLOOR_PORT, SMALL_PORT, PG_PORT, UNCACHED_PORT = 8101, 8102, 8103, 8104, 8105
# wrk sends the same User-Agent as the urllib client that signed in: Flask-Login's session protection
# marks a session "not fresh" (and so rewrites the cookie) when the browser seems to change, which a
# real browser's constant User-Agent never does.
USER_AGENT = dict(urllib.request.build_opener().addheaders)["User-agent"]
# Seconds of load before each page's measured runs: the page cache (app/pagecache.py) starts empty in
# each worker, and the figures are of the steady state; the uncached server shows the cold cost.
WARM_UP_S = 1
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_DB = f"sinergi_bench_{os.getpid()}"  # of this run only: another run (or session) keeps its own

TARGETS = {
    "read_rps_ratio": 0.5,  # each main read page ≥ 0.5× the floor's requests/s
    "read_p99_ms": 50,  # at 16 connections
    "queries": 10,  # per page, and the same at 1× and 10× data
    "first_visit_kb": 150,  # compressed HTML + CSS + JS
    "htmx_navigation_kb": 15,  # a later navigation (boosted page) or fragment, compressed
    "write_ratio": 0.4,  # writes ≥ 0.4× a bare single-row SQLite commit
    "live_median_ms": 300,
    "live_p99_ms": 1000,
}


def pages(ctx: dict) -> list[dict]:
    """The pages measured, each main page with its htmx fragment where it has one (`of` names the page)."""
    a, d, m = ctx["actions"], ctx["drafts"], ctx["meetings"]
    draft = f"/p/{d['slug']}/drafts/{d['draft_id']}"
    unit = f"{draft}/units/{d['unit_id']}/history"
    table = f"/p/{a['slug']}/actions/?status=dikerjakan&status=terhambat&sort=due"
    meeting = f"/p/{m['slug']}/meetings/{m['meeting_id']}"
    search = "/search?q=penyusunan+anggaran"
    return [
        {"name": "programme dashboard", "path": f"/p/{a['slug']}/actions/dashboard"},
        {"name": "programme dashboard: actions card (fragment)", "path": f"/p/{a['slug']}/actions/summary", "htmx": True,
         "of": "programme dashboard"},
        {"name": "draft with outline (150 Pasal)", "path": f"{draft}/"},
        {"name": "unit history", "path": unit},
        {"name": "unit history: diff of two revisions (fragment)", "path": f"{unit}?a=1&b={d['revisions']}", "htmx": True,
         "of": "unit history"},
        {"name": "meeting page", "path": meeting},
        {"name": "meeting page: agenda (fragment)", "path": f"{meeting}?fragment=agenda", "htmx": True, "of": "meeting page"},
        {"name": "actions table, filtered", "path": table},
        {"name": "actions table, filtered (fragment)", "path": table, "htmx": True, "of": "actions table, filtered"},
        {"name": "actions board", "path": f"/p/{a['slug']}/actions/board"},
        {"name": "actions board (fragment)", "path": f"/p/{a['slug']}/actions/board", "htmx": True, "of": "actions board"},
        {"name": "search", "path": search},
        {"name": "search: results (fragment)", "path": search, "htmx": True, "of": "search"},
        {"name": "notifications", "path": "/notifications"},
        {"name": "notifications: list (fragment)", "path": "/notifications", "htmx": True, "of": "notifications"},
    ]


# -- processes ------------------------------------------------------------------------------------

def _gunicorn_threads() -> int:
    """The threads per worker that gunicorn.conf.py gives the servers of this run."""
    out = subprocess.run([str(VENV_BIN / "python"), "-c", "import runpy; print(runpy.run_path('gunicorn.conf.py')['threads'])"],
                         cwd=ROOT, env=os.environ.copy(), capture_output=True, text=True)
    return int(out.stdout.strip() or 0)


def _env(database_url: str, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL",)}
    # gunicorn.conf.py (the production settings: gthread workers) with 2 workers and no access log.
    env.update(DATABASE_URL=database_url, SECRET_KEY="bench-secret", SQL_QUERY_COUNT_HEADER="1",
               RATELIMIT_ENABLED="0", PYTHONPATH=str(ROOT), GUNICORN_ACCESS_LOG="", FLASK_DEBUG="0")
    env.update(extra)
    return env


def run(cmd, env, **kw):
    return subprocess.run(cmd, env=env, cwd=ROOT, check=True, **kw)


def build_dataset(url: str, scale: float) -> dict:
    env = _env(url)
    run([str(VENV_BIN / "flask"), "--app", "wsgi", "db", "upgrade"], env, capture_output=True)
    started = time.perf_counter()
    out = run([str(VENV_BIN / "python"), "-m", "bench.dataset", "--scale", str(scale)], env, capture_output=True, text=True)
    built = json.loads(out.stdout.strip().splitlines()[-1])
    built["seconds"] = round(time.perf_counter() - started, 1)
    print(f"dataset at scale {scale} in {built['seconds']} s:", {k: {x: y for x, y in v.items() if x != "programme"}
                                                              for k, v in built["counts"].items()}, flush=True)
    return built


def sqlite_dataset(name: str, scale: float) -> tuple[str, dict]:
    WORK.mkdir(parents=True, exist_ok=True)
    for f in WORK.glob(f"{name}.db*"):
        f.unlink()
    url = f"sqlite:///{WORK / f'{name}.db'}"
    return url, build_dataset(url, scale)


def reachable(*cmd: str) -> bool:
    try:
        return subprocess.run(cmd, capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def psql(sql: str) -> None:
    run(["psql", PG_ADMIN, "-q", "-c", sql], os.environ.copy(), stdout=subprocess.DEVNULL)


def serve(app: str, port: int, env: dict, workers: int = 2) -> subprocess.Popen:
    proc = subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{port}", "--log-level", "warning", app],
        env=env, cwd=ROOT, start_new_session=True,
    )
    probe = "/healthz" if app == "wsgi:app" else "/floor"
    for _ in range(150):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}{probe}", timeout=1)
            return proc
        except Exception:
            time.sleep(0.2)
    stop(proc)
    raise SystemExit(f"{app} did not start on port {port}")


def stop(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
    except Exception:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


# -- reads ----------------------------------------------------------------------------------------

def fetch(port: int, path: str, cookie: str, htmx: bool = False, boosted: bool = False) -> tuple[bytes, dict, int]:
    headers = {"Cookie": cookie}
    if htmx or boosted:
        headers["HX-Request"] = "true"
    if boosted:
        headers["HX-Boosted"] = "true"
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)
    with urllib.request.urlopen(request) as response:
        return response.read(), dict(response.headers), response.status


def wrk(url: str, connections: int, duration: int, cookie: str = "", htmx: bool = False) -> dict:
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "5s", "-s", str(ROOT / "bench" / "wrk_report.lua"),
           "-H", f"User-Agent: {USER_AGENT}"]
    if cookie:
        cmd += ["-H", f"Cookie: {cookie}"]
    if htmx:
        cmd += ["-H", "HX-Request: true"]
    out = subprocess.run(cmd + [url], capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def gz(data: bytes) -> int:
    return len(gzip.compress(data, 6))


def query_counts(port: int, ctx: dict, cookie: str) -> dict[str, int]:
    return {p["name"]: int(fetch(port, p["path"], cookie, p.get("htmx", False))[1].get("X-Query-Count", -1))
            for p in pages(ctx)}


def assets_of(port: int, html: bytes, cookie: str, cache: dict) -> int:
    """Compressed bytes of the CSS and JS a page loads (each fetched once)."""
    total = 0
    for asset in dict.fromkeys(re.findall(rb'(?:src|href)="(/static/[^"?]+\.(?:js|css))[^"]*"', html)):
        path = asset.decode()
        if path not in cache:
            cache[path] = gz(fetch(port, path, cookie)[0])
        total += cache[path]
    return total


def measure_reads(ctx, cookie, floor_rps, duration, connections, uncached_cookie) -> list[dict]:
    """Each page on the app as served (page cache on, warmed up), and at 16 connections on a second
    server with the page cache off: what rendering it costs every time."""
    results, asset_cache = [], {}
    for page in pages(ctx):
        htmx = page.get("htmx", False)
        body, headers, status = fetch(UNCACHED_PORT, page["path"], uncached_cookie, htmx)
        for _ in range(6):  # until a worker answers from its cache (two workers: either may take a request)
            _cached_body, cached_headers, _s = fetch(APP_PORT, page["path"], cookie, htmx)
            if cached_headers.get("X-Page-Cache") == "hit":
                break
        row = {"name": page["name"], "path": page["path"], "fragment": htmx, "of": page.get("of"), "status": status,
               "queries": int(headers.get("X-Query-Count", -1)), "bytes": len(body), "bytes_gzip": gz(body),
               "cached_queries": int(cached_headers.get("X-Query-Count", -1)),
               "page_cache": cached_headers.get("X-Page-Cache", "off")}
        if not htmx:
            boosted, _h, _s = fetch(APP_PORT, page["path"], cookie, boosted=True)
            row["navigation_gzip"] = gz(boosted)  # hx-boost: a later navigation fetches the page, not the assets
            row["assets_gzip"] = assets_of(APP_PORT, body, cookie, asset_cache)
            row["first_visit_gzip"] = row["bytes_gzip"] + row["assets_gzip"]
        uncached = wrk(f"http://127.0.0.1:{UNCACHED_PORT}{page['path']}", 16, max(2, duration // 2), uncached_cookie, htmx)
        uncached["rps_ratio"] = round(uncached["rps"] / floor_rps[16], 2)
        row["uncached_c16"] = uncached
        wrk(f"http://127.0.0.1:{APP_PORT}{page['path']}", 16, WARM_UP_S, cookie, htmx)
        for c in connections:
            figures = wrk(f"http://127.0.0.1:{APP_PORT}{page['path']}", c, duration, cookie, htmx)
            figures["rps_ratio"] = round(figures["rps"] / floor_rps[c], 2)
            row[f"c{c}"] = figures
        results.append(row)
        print(f"  {page['name']}: " + ", ".join(
            f"c{c} {row[f'c{c}']['rps']:.0f} rps ({row[f'c{c}']['rps_ratio']}×) p99 {row[f'c{c}']['p99_ms']:.1f} ms"
            for c in connections) + f"; uncached c16 {uncached['rps']:.0f} rps p99 {uncached['p99_ms']:.1f} ms"
            f", {row['queries']} queries ({row['cached_queries']} cached), {row['bytes_gzip'] / 1024:.1f} KB gz", flush=True)
    return results


# -- writes ---------------------------------------------------------------------------------------

def sessions(port: int, n: int, page: str) -> list[Session]:
    """n different people (editors), each signed in with a session of their own."""
    from bench.dataset import BENCH_PASSWORD, WRITERS

    return [Session.login(port, WRITERS[i % len(WRITERS)], BENCH_PASSWORD, page) for i in range(n)]


def measure_writes(port: int, ctx: dict, writers: int, duration: float) -> dict:
    a, d = ctx["actions"], ctx["drafts"]
    people = sessions(port, writers, f"/p/{a['slug']}/actions/")
    unit = f"/p/{d['slug']}/drafts/{d['draft_id']}/units/{d['unit_id']}"
    jobs = {
        "post a comment": comment_writer(f"/t/action/{a['action_id'] - 1}/comments"),
        "save a unit (merge check)": unit_writer(unit),
        "change an action's status": status_writer(f"/p/{a['slug']}/actions/{a['action_id']}/status"),
    }
    results = {}
    for name, step in jobs.items():
        results[name] = drive(people, duration, step)
        print(f"    {name}: {results[name]['rps']} rps, p99 {results[name]['p99_ms']} ms, {results[name]['outcomes']}", flush=True)
    return results


def postgres_writes(scale: float, writers: int, duration: float) -> dict:
    """A database of our own on 127.0.0.1:5432, the same dataset, the same writes; dropped afterwards."""
    psql(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
    psql(f"CREATE DATABASE {PG_DB}")
    url = f"postgresql://postgres@127.0.0.1:5432/{PG_DB}"
    try:
        built = build_dataset(url, scale)
        server = serve("wsgi:app", PG_PORT, _env(url))
        try:
            return {"dataset_seconds": built["seconds"], "scale": scale,
                    "writes": measure_writes(PG_PORT, built["pages"], writers, duration)}
        finally:
            stop(server)
    finally:
        psql(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")


# -- live updates ---------------------------------------------------------------------------------

def live_updates(clients: int, posts: int) -> dict:
    """bench/live_updates.py against its own gunicorn and SQLite, version counters in Redis db 14."""
    out = subprocess.run([str(VENV_BIN / "python"), str(ROOT / "bench" / "live_updates.py"), "--clients", str(clients),
                          "--posts", str(posts)], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out[out.index("{"):out.rindex("}") + 1])


# -- verdicts and profiles --------------------------------------------------------------------------

def read_verdicts(row: dict, small_queries: int | None) -> dict:
    t, c16 = TARGETS, row.get("c16")
    checks = {
        "requests/s ≥ 0.5× floor (c16)": c16 is not None and c16["rps_ratio"] >= t["read_rps_ratio"],
        "p99 ≤ 50 ms (c16)": c16 is not None and c16["p99_ms"] <= t["read_p99_ms"],
        "no errors": row["status"] == 200 and all(not row[k]["errors"] and not row[k]["non2xx"] for k in row if k[:1] == "c" and k[1:].isdigit()),
        "≤ 10 queries": 0 <= row["queries"] <= t["queries"],
        "queries same at 1× and 10×": small_queries is not None and small_queries == row["queries"],
    }
    if row["fragment"]:
        checks["fragment ≤ 15 KB gz"] = row["bytes_gzip"] <= t["htmx_navigation_kb"] * 1024
    else:
        checks["first visit ≤ 150 KB gz"] = row["first_visit_gzip"] <= t["first_visit_kb"] * 1024
        checks["htmx navigation ≤ 15 KB gz"] = row["navigation_gzip"] <= t["htmx_navigation_kb"] * 1024
    return checks


def profile_missed(url: str, data: dict) -> list[dict]:
    """pyinstrument in a child process (its own app, the benchmark's SQLite database) for each miss."""
    todo = []
    for row in data["reads"]:
        missed = [k for k, ok in row["checks"].items() if not ok]
        if any("requests/s" in k or "p99" in k for k in missed):
            todo.append({"name": row["name"], "method": "GET", "path": row["path"], "htmx": row["fragment"]})
    ctx = data["context"]
    a, d = ctx["actions"], ctx["drafts"]
    unit = f"/p/{d['slug']}/drafts/{d['draft_id']}/units/{d['unit_id']}"
    write_requests = {
        "post a comment": {"path": f"/t/action/{a['action_id'] - 1}/comments", "data": {"body": "Komentar profil."}},
        "save a unit (merge check)": {"path": unit, "data": "unit"},
        "change an action's status": {"path": f"/p/{a['slug']}/actions/{a['action_id']}/status",
                                      "data": {"status": "cycle", "note": "profil"}},
    }
    for name, w in data["writes"]["sqlite"].items():
        if not w["meets"]:
            todo.append({"name": f"write: {name}", "method": "POST", "htmx": True, **write_requests[name]})
    if not todo:
        return []
    print(f"profiling {len(todo)} misses", flush=True)
    code = "import json,sys; from bench.run import _profile_child; print(json.dumps(_profile_child(json.loads(sys.stdin.read()))))"
    out = subprocess.run([str(VENV_BIN / "python"), "-c", code], input=json.dumps(todo), env=_env(url, SQL_QUERY_COUNT_HEADER="0", PAGE_CACHE="off"),
                         cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def _profile_child(todo: list[dict]) -> list[dict]:
    import io
    from contextlib import redirect_stdout

    from bench import profiles
    from bench.dataset import BENCH_USER

    app = profiles.make_app()
    client = profiles.signed_in_client(app, BENCH_USER)
    results = []
    with redirect_stdout(io.StringIO()):
        for job in todo:
            data = job.get("data")
            if data == "unit":
                data = _unit_save_data(app, job["path"])
            elif data and data.get("status") == "cycle":
                data = {**data, "status": "dikerjakan"}
            results.append(profiles.profile(client, job["name"], job["method"], job["path"], data, job.get("htmx", False)))
    return results


def _unit_save_data(app, path: str):
    """A save that always applies: the current head as base and a changed last word, read afresh for
    each repetition."""
    from app.drafts.models import Unit
    from app.extensions import db

    unit_id = int(path.rsplit("/", 1)[1])
    counter = iter(range(10**9))

    def form():
        with app.app_context():
            unit = db.session.get(Unit, unit_id)
            text, head = unit.text, unit.head_revision_id
        return {"text": f"{text.rsplit(' ', 1)[0]} profil{next(counter)}", "base_revision_id": str(head), "note": ""}

    return form


# -- report ---------------------------------------------------------------------------------------

def mark(ok: bool) -> str:
    return "met" if ok else "**MISSED**"


def report(data: dict) -> str:
    t = TARGETS
    floor = data["floor"]
    lines = [
        "# Sinergi benchmark (`make bench`)", "",
        f"Run {data['started']} – {data['finished']} on {data['machine']} (shared with other work), mode: {data['mode']}."
        + (f" Load average at the start {data['load_average']['start']}, at the end {data['load_average']['end']} (1, 5, 15 min)."
           if data.get("load_average") else ""),
        f"Dataset (scale {data['scale']}, built in {data['dataset_seconds']} s): "
        + ", ".join(f"{k} {v}" for k, v in data["dataset_totals"].items()) + ".",
        f"Query counts compared with the same shape at scale {data['small_scale']}.", "",
        f"Server: gunicorn, 2 workers (gunicorn.conf.py: gthread, {data.get('threads', '?')} threads), 127.0.0.1; load: wrk (2 threads) for reads, "
        "a Python driver (16 threads, keep-alive, one signed-in session each) for writes.", "",
        "## Floor", "",
        "Bare Flask + SQLAlchemy + Jinja, 50-row table from the same database, same gunicorn settings; measured before and "
        "after the pages (ratios use the mean).", "",
        "| connections | rps before | rps after | mean rps | p50 ms | p99 ms |", "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for c, f in floor["before"].items():
        after = floor["after"].get(c, f)
        lines.append(f"| {c} | {f['rps']:.0f} | {after['rps']:.0f} | {floor['mean_rps'][c]:.0f} | {f['p50_ms']:.1f} | {f['p99_ms']:.1f} |")
    lines += ["", "(Issue 7 quotes about 1,800 rps at p50 ≈ 8 ms for the floor on an idle machine.)", "",
              "## Reads", "",
              "As served: the page cache on (app/pagecache.py, each worker warmed up for "
              f"{WARM_UP_S} s before the measured runs). Uncached: a second server with PAGE_CACHE=off, i.e. what "
              "rendering the page costs on every request (the first visit after any change in the programme). "
              "Queries: of a render (1× / small data), and of an answer from the cache.", "",
              "| page | queries (1× / small; cached) | KB | KB gz | c16 rps (× floor) | c16 p50 / p95 / p99 ms | c64 rps (× floor) | c64 p50 / p95 / p99 ms | uncached c16 rps (× floor) | uncached c16 p50 / p99 ms |",
              "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in data["reads"]:
        cells = []
        for c in ("c16", "c64"):
            f = r.get(c)
            cells += [f"{f['rps']:.0f} ({f['rps_ratio']}×)", f"{f['p50_ms']:.1f} / {f['p95_ms']:.1f} / {f['p99_ms']:.1f}"] if f else ["–", "–"]
        u = r.get("uncached_c16")
        cells += [f"{u['rps']:.0f} ({u['rps_ratio']}×)", f"{u['p50_ms']:.1f} / {u['p99_ms']:.1f}"] if u else ["–", "–"]
        lines.append(f"| {r['name']} | {r['queries']} / {r.get('small_queries')}; {r.get('cached_queries', '–')} | {r['bytes'] / 1024:.1f} | "
                     f"{r['bytes_gzip'] / 1024:.1f} | " + " | ".join(cells) + " |")
    lines += ["", "## Page weight (gzip -6, as a compressing proxy would send it)", "",
              "| page | HTML KB gz | + CSS/JS KB gz | first visit KB gz (≤ 150) | htmx navigation KB gz (≤ 15) | fragment KB gz (≤ 15) |",
              "| --- | ---: | ---: | ---: | ---: | ---: |"]
    fragments = {r["of"]: r for r in data["reads"] if r["fragment"]}
    for r in data["reads"]:
        if r["fragment"]:
            continue
        frag = fragments.get(r["name"])
        lines.append(f"| {r['name']} | {r['bytes_gzip'] / 1024:.1f} | {r['assets_gzip'] / 1024:.1f} | "
                     f"{r['first_visit_gzip'] / 1024:.1f} | {r['navigation_gzip'] / 1024:.1f} | "
                     + (f"{frag['bytes_gzip'] / 1024:.1f} ({frag['bytes'] / 1024:.1f} uncompressed)" if frag else "no fragment") + " |")
    lines += ["", "A boosted navigation (hx-boost on `<body>`) fetches the whole page again but not the CSS/JS, so its "
              "weight is the page's compressed HTML.", "",
              "## Writes: 16 writers on one object", "",
              f"Bare single-row SQLite commit (floor app `POST /commit`: one INSERT + COMMIT, WAL, BEGIN IMMEDIATE, same "
              f"gunicorn and driver): **{data['writes']['bare']['rps']} rps**, p50 {data['writes']['bare']['p50_ms']} ms, "
              f"p99 {data['writes']['bare']['p99_ms']} ms. Target: each write ≥ {t['write_ratio']}× that.", "",
              "| write | database | rps | × bare commit | p50 ms | p99 ms | outcomes | target |",
              "| --- | --- | ---: | ---: | ---: | ---: | --- | --- |"]
    for backend in ("sqlite", "postgresql"):
        for name, w in (data["writes"].get(backend) or {}).items():
            outcomes = ", ".join(f"{k} {v}" for k, v in sorted(w["outcomes"].items()))
            lines.append(f"| {name} | {backend} | {w['rps']} | {w['ratio']}× | {w['p50_ms']} | {w['p99_ms']} | {outcomes} | {mark(w['meets'])} |")
    if data["writes"].get("postgresql_note"):
        lines += ["", data["writes"]["postgresql_note"]]
    lines += ["", "A unit writer opens the unit's editor (text and base revision), changes one word of its own and saves "
              "with that base; only the save is timed. `merged`: someone saved in between and both edits were merged; "
              "`conflict`: overlapping words, 409, nothing written.", ""]
    live = data.get("live")
    lines += ["## Live updates", ""]
    if live:
        if live.get("mode", "poll") == "poll":
            how = f"polling every {live['interval_ms']} ms (conditional GET)"
        else:
            how = (f"each holding a waiting live request (long polling, `Prefer: wait`) for {live.get('parts_per_page', 1)} "
                   f"live part(s) (static/js/live.js), {live.get('workers', 2)} gthread workers × {live.get('threads', '?')} threads")
        lines += [f"{live['clients']} open pages {how}, version counters in Redis, {live['posts']} comments posted: "
                  f"delivered {live['delivered']}, median **{live['median_s'] * 1000:.0f} ms**, p90 {live['p90_s'] * 1000:.0f} ms, "
                  f"p99 **{live['p99_s'] * 1000:.0f} ms**, max {live['max_s'] * 1000:.0f} ms"
                  + (f"; the first page had it after {live['first_arrival_median_s'] * 1000:.0f} ms (median over posts)"
                     if live.get("first_arrival_median_s") is not None else "")
                  + (f"; server CPU {live['server_cpu_ms_per_delivery']} ms per delivered page"
                     if live.get("server_cpu_ms_per_delivery") is not None else "") + ".", ""]
        ordinary = live.get("ordinary_page_while_live")
        if ordinary:
            idle = live.get("ordinary_page_idle") or {}
            lines += [f"An ordinary page read in a loop meanwhile: median {ordinary['median_ms']} ms, p99 {ordinary['p99_ms']} ms "
                      f"(before the pages opened: median {idle.get('median_ms')} ms, p99 {idle.get('p99_ms')} ms).", ""]
    else:
        lines += ["Not measured (--no-live, or Redis unreachable).", ""]
    lines += ["## Targets", "", "| target | verdict | where |", "| --- | --- | --- |"]
    for target in data["targets"]:
        lines.append(f"| {target['target']} | {mark(target['met'])} | {target['detail']} |")
    if data.get("findings"):
        lines += ["", "## What the profiles show", ""] + [f"- {f}" for f in data["findings"]]
    if data["profiles"]:
        lines += ["", "## Profiles of the misses", "",
                  "pyinstrument (0.5 ms interval) over repeated in-process requests as the signed-in owner on the benchmark "
                  "database (the HTTP server's own time is not in it). Full HTML profiles in `bench/results/profiles/` "
                  "(gzip-compressed: `gunzip -k` and open in a browser).", ""]
        for p in data["profiles"]:
            lines += [f"### {p['name']}", "", f"`{p['path']}`: {p['requests']} requests, {p['ms_per_request']} ms each "
                      f"in-process (HTTP {p['status']}); [{p['html']}]({Path(p['html']).relative_to('bench/results')})", "",
                      "Heaviest frames (self time, s):", "", "```", *p["top_self"], "```", "", "Call tree (app code):", "",
                      "```", *p["tree"], "```", ""]
    return "\n".join(lines) + "\n"


def targets(data: dict) -> list[dict]:
    t, reads = TARGETS, data["reads"]
    out = []

    def add(target, rows, key):
        missed = [r["name"] for r in rows if not r["checks"].get(key, True)]
        out.append({"target": target, "met": not missed,
                    "detail": ("missed by: " + "; ".join(missed)) if missed else f"all {len(rows)} pages/fragments"})

    add(f"each read ≥ {t['read_rps_ratio']}× the floor's requests/s at 16 connections", reads, "requests/s ≥ 0.5× floor (c16)")
    add(f"each read p99 ≤ {t['read_p99_ms']} ms at 16 connections", reads, "p99 ≤ 50 ms (c16)")
    add(f"≤ {t['queries']} SQL queries per page", reads, "≤ 10 queries")
    add(f"query count the same at 1× and 10× data (scale {data['small_scale']} vs {data['scale']})", reads, "queries same at 1× and 10×")
    add("no errors under load", reads, "no errors")
    add(f"first visit ≤ {t['first_visit_kb']} KB compressed (HTML + CSS + JS)", [r for r in reads if not r["fragment"]], "first visit ≤ 150 KB gz")
    add(f"htmx navigation ≤ {t['htmx_navigation_kb']} KB compressed (boosted page)", [r for r in reads if not r["fragment"]], "htmx navigation ≤ 15 KB gz")
    add(f"htmx fragment ≤ {t['htmx_navigation_kb']} KB compressed", [r for r in reads if r["fragment"]], "fragment ≤ 15 KB gz")
    for backend in ("sqlite", "postgresql"):
        writes = data["writes"].get(backend)
        if writes:
            missed = [f"{n} ({w['ratio']}×)" for n, w in writes.items() if not w["meets"]]
            out.append({"target": f"writes ≥ {t['write_ratio']}× a bare SQLite commit, {backend}", "met": not missed,
                        "detail": ("missed by: " + "; ".join(missed)) if missed else
                        ", ".join(f"{n} {w['ratio']}×" for n, w in writes.items())})
    live = data.get("live")
    if live:
        out.append({"target": f"live updates median ≤ {t['live_median_ms']} ms", "met": live["median_s"] * 1000 <= t["live_median_ms"],
                    "detail": f"median {live['median_s'] * 1000:.0f} ms"})
        out.append({"target": f"live updates p99 ≤ {t['live_p99_ms']} ms", "met": live["p99_s"] * 1000 <= t["live_p99_ms"],
                    "detail": f"p99 {live['p99_s'] * 1000:.0f} ms"})
    return out


# -- main -----------------------------------------------------------------------------------------

def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=8, help="seconds per wrk run")
    parser.add_argument("--write-duration", type=float, default=8, help="seconds per write run")
    parser.add_argument("--scale", type=float, default=1)
    parser.add_argument("--writers", type=int, default=16)
    parser.add_argument("--quick", action="store_true",
                        help="scale 0.1 (query counts against 0.01), 2-second runs at 16 connections, 50 live pages")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-live", action="store_true")
    parser.add_argument("--no-profiles", action="store_true")
    parser.add_argument("--render", action="store_true", help="only rewrite report.md from report.json")
    args = parser.parse_args()
    if args.render:
        (RESULTS / "report.md").write_text(report(json.loads((RESULTS / "report.json").read_text())))
        return
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: `apt-get install wrk` (make bench does it)")
    scale = 0.1 if args.quick else args.scale
    small_scale = round(scale / 10, 4)
    duration = 2 if args.quick else args.duration
    write_duration = 3 if args.quick else args.write_duration
    connections = [16] if args.quick else [16, 64]
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    load_before = os.getloadavg()
    for old in (RESULTS / "profiles").glob("*.html*"):
        old.unlink()

    url, built = sqlite_dataset("bench", scale)
    small_url, small = sqlite_dataset("small", small_scale)
    from bench.dataset import BENCH_PASSWORD, BENCH_USER

    # Query counts on the small dataset first (its own server, stopped before the load runs).
    small_proc = serve("wsgi:app", SMALL_PORT, _env(small_url, PAGE_CACHE="off"))
    try:
        small_cookie = Session.login(SMALL_PORT, BENCH_USER, BENCH_PASSWORD).cookie
        small_counts = query_counts(SMALL_PORT, small["pages"], small_cookie)
    finally:
        stop(small_proc)

    bare_db = WORK / "bare.db"
    for f in WORK.glob("bare.db*"):
        f.unlink()
    app_proc = serve("wsgi:app", APP_PORT, _env(url))
    uncached_proc = serve("wsgi:app", UNCACHED_PORT, _env(url, PAGE_CACHE="off"))
    floor_proc = serve("bench.floor_app:app", FLOOR_PORT, _env(url, BARE_DATABASE_URL=f"sqlite:///{bare_db}"))
    try:
        floor_before = {c: wrk(f"http://127.0.0.1:{FLOOR_PORT}/floor", c, duration) for c in connections}
        print("floor:", floor_before, flush=True)
        cookie = Session.login(APP_PORT, BENCH_USER, BENCH_PASSWORD).cookie
        floor_mean = {c: f["rps"] for c, f in floor_before.items()}
        uncached_cookie = Session.login(UNCACHED_PORT, BENCH_USER, BENCH_PASSWORD).cookie
        reads = measure_reads(built["pages"], cookie, floor_mean, duration, connections, uncached_cookie)
        floor_after = {c: wrk(f"http://127.0.0.1:{FLOOR_PORT}/floor", c, duration) for c in connections}
        floor_mean = {c: (floor_before[c]["rps"] + floor_after[c]["rps"]) / 2 for c in connections}
        for row in reads:  # ratios against the mean of the floor before and after
            for c in connections:
                row[f"c{c}"]["rps_ratio"] = round(row[f"c{c}"]["rps"] / floor_mean[c], 2)
            row["uncached_c16"]["rps_ratio"] = round(row["uncached_c16"]["rps"] / floor_mean[16], 2)
        print("floor after:", floor_after, flush=True)
        print(f"writes, SQLite ({args.writers} writers, {write_duration} s each)", flush=True)
        bare = drive([Session(FLOOR_PORT) for _ in range(args.writers)], write_duration, bare_commit)
        print(f"    bare commit: {bare['rps']} rps, p99 {bare['p99_ms']} ms", flush=True)
        sqlite_writes = measure_writes(APP_PORT, built["pages"], args.writers, write_duration)
    finally:
        stop(app_proc)
        stop(uncached_proc)
        stop(floor_proc)

    writes = {"bare": bare, "sqlite": sqlite_writes}
    if not args.no_postgres and not reachable("psql", PG_ADMIN, "-c", "SELECT 1"):
        writes["postgresql_note"] = "PostgreSQL at 127.0.0.1:5432 was not reachable: its writes were not measured."
    elif not args.no_postgres:
        print("writes, PostgreSQL", flush=True)
        pg = postgres_writes(scale, args.writers, write_duration)
        writes["postgresql"] = pg["writes"]
        writes["postgresql_note"] = (f"PostgreSQL: database `{PG_DB}` on 127.0.0.1:5432, created for the run and dropped after; "
                                     f"the same dataset (scale {pg['scale']}, built in {pg['dataset_seconds']} s).")
    for backend in ("sqlite", "postgresql"):
        for w in (writes.get(backend) or {}).values():
            w["ratio"] = round(w["rps"] / bare["rps"], 2)
            w["meets"] = w["ratio"] >= TARGETS["write_ratio"]

    live = None
    if not args.no_live and not reachable("redis-cli", "-h", "127.0.0.1", "-p", "6379", "ping"):
        print("Redis at 127.0.0.1:6379 is not reachable: live updates not measured", flush=True)
    elif not args.no_live:
        print("live updates (Redis)", flush=True)
        live = live_updates(50 if args.quick else 200, 3 if args.quick else 10)
        print(f"    median {live['median_s']} s, p99 {live['p99_s']} s, delivered {live['delivered']}", flush=True)

    for row in reads:
        row["small_queries"] = small_counts.get(row["name"])
        row["checks"] = read_verdicts(row, row["small_queries"])
    totals = {}
    for counts in built["counts"].values():
        for k, v in counts.items():
            if isinstance(v, int) and k not in ("seconds",):
                totals[k] = totals.get(k, 0) + v
    data = {
        "started": started, "mode": "quick" if args.quick else "full",
        "machine": f"{os.cpu_count()} cores, {os.uname().sysname} {os.uname().machine}",
        "scale": scale, "small_scale": small_scale, "threads": _gunicorn_threads(), "dataset_seconds": built["seconds"], "dataset": built["counts"],
        "dataset_totals": totals, "context": built["pages"],
        "floor": {"before": floor_before, "after": floor_after, "mean_rps": floor_mean},
        "reads": reads, "writes": writes, "live": live, "profiles": [],
    }
    data["targets"] = targets(data)
    if not args.no_profiles:
        data["profiles"] = profile_missed(url, data)
    data["finished"] = time.strftime("%H:%M UTC", time.gmtime())
    data["load_average"] = {"start": [round(x, 1) for x in load_before], "end": [round(x, 1) for x in os.getloadavg()]}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "report.json").write_text(json.dumps(data, indent=2, ensure_ascii=False))
    (RESULTS / "report.md").write_text(report(data))
    print(f"report: {RESULTS / 'report.md'}")


if __name__ == "__main__":
    main()
