"""`make bench`: serve the app and a floor app with gunicorn, drive them with wrk, write a report.

Everything is measured in one run on this machine and reported as a ratio to the floor app,
so the figures hold on a noisy machine. Output: bench/results/report.md and report.json.

    .venv/bin/python -m bench.run [--duration 8] [--scale 1] [--quick]
"""
import argparse
import gzip
import http.cookiejar
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "work"
RESULTS = ROOT / "bench" / "results"
VENV_BIN = Path(sys.executable).parent
APP_PORT, FLOOR_PORT = 8101, 8102

TARGETS = {
    "read_rps_ratio": 0.5,  # each main read page ≥ 0.5× the floor's requests/s
    "read_p99_ms": 50,  # at 16 connections
    "queries": 10,  # per page
    "first_visit_kb": 150,  # compressed HTML + CSS + JS
    "htmx_navigation_kb": 15,
}


def pages(slug: str, built: dict) -> list[dict]:
    """The pages measured: (name, path, htmx headers). Each domain adds its main pages here."""
    actions, drafts = built.get("actions", {}), built.get("drafts", {})
    a, d = actions.get("slug"), drafts.get("slug")
    return [
        {"name": "programme overview", "path": f"/p/{slug}/"},
        {"name": "programme coverage (fragment)", "path": f"/p/{slug}/?fragment=coverage", "htmx": True},
        {"name": "members", "path": f"/p/{slug}/members"},
        {"name": "organisations directory", "path": "/organisations/"},
        {"name": "organisations by element (fragment)", "path": "/organisations/?element=bisnis", "htmx": True},
        {"name": "actions table, filtered (20,000 actions)", "path": f"/p/{a}/actions/?status=dikerjakan&status=terhambat&sort=due"},
        {"name": "actions table page 2 (fragment)", "path": f"/p/{a}/actions/?page=2", "htmx": True},
        {"name": "actions board", "path": f"/p/{a}/actions/board"},
        {"name": "programme dashboard", "path": f"/p/{a}/actions/dashboard"},
        {"name": "my tasks", "path": "/my/tasks"},
        {"name": "draft with outline (150 Pasal)", "path": f"/p/{d}/drafts/{drafts.get('draft_id')}"},
        {"name": "unit history (5,000 revisions in the draft)", "path": f"/p/{d}/drafts/{drafts.get('draft_id')}/units/{drafts.get('unit_id')}/history"},
    ]


def _env(database_url: str, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL",)}
    # gunicorn.conf.py (the production settings) with 2 workers and no access log.
    env.update(DATABASE_URL=database_url, SECRET_KEY="bench-secret", SQL_QUERY_COUNT_HEADER="1",
               RATELIMIT_ENABLED="0", PYTHONPATH=str(ROOT), GUNICORN_ACCESS_LOG="", **extra)
    return env


def run(cmd, env, **kw):
    return subprocess.run(cmd, env=env, cwd=ROOT, check=True, **kw)


def prepare_database(scale: int) -> str:
    WORK.mkdir(parents=True, exist_ok=True)
    for f in WORK.glob("bench.db*"):
        f.unlink()
    url = f"sqlite:///{WORK / 'bench.db'}"
    env = _env(url)
    run([str(VENV_BIN / "flask"), "--app", "wsgi", "db", "upgrade"], env, capture_output=True)
    out = run([str(VENV_BIN / "python"), "-m", "bench.dataset", "--scale", str(scale)], env, capture_output=True, text=True)
    built = json.loads(out.stdout.strip().splitlines()[-1])
    print("dataset:", built["counts"])
    return url, built


def serve(app: str, port: int, env: dict, workers: int = 2) -> subprocess.Popen:
    proc = subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{port}", "--log-level", "warning", app],
        env=env, cwd=ROOT, start_new_session=True,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz" if app == "wsgi:app" else f"http://127.0.0.1:{port}/floor", timeout=1)
            return proc
        except Exception:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit(f"{app} did not start on port {port}")


def stop(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
    except Exception:
        os.killpg(proc.pid, signal.SIGKILL)


def login(base: str, email: str, password: str) -> str:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/login").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"', page)
    token = next(t for t in token.groups() if t)
    data = urllib.parse.urlencode({"csrf_token": token, "email": email, "password": password}).encode()
    opener.open(f"{base}/login", data=data)
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def fetch(url: str, cookie: str, htmx: bool = False) -> tuple[bytes, dict]:
    headers = {"Cookie": cookie}
    if htmx:
        headers["HX-Request"] = "true"
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as response:
        return response.read(), dict(response.headers)


def wrk(url: str, connections: int, duration: int, cookie: str = "", htmx: bool = False) -> dict:
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "5s", "-s", str(ROOT / "bench" / "wrk_report.lua")]
    if cookie:
        cmd += ["-H", f"Cookie: {cookie}"]
    if htmx:
        cmd += ["-H", "HX-Request: true"]
    out = subprocess.run(cmd + [url], capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def gz(data: bytes) -> int:
    return len(gzip.compress(data, 6))


def measure_reads(slug, built, cookie, floor, duration, connections):
    results = []
    for page in pages(slug, built["pages"]):
        url = f"http://127.0.0.1:{APP_PORT}{page['path']}"
        body, headers = fetch(url, cookie, page.get("htmx", False))
        row = {"name": page["name"], "path": page["path"], "fragment": page.get("htmx", False),
               "queries": int(headers.get("X-Query-Count", -1)), "bytes": len(body), "bytes_gzip": gz(body)}
        for c in connections:
            figures = wrk(url, c, duration, cookie, page.get("htmx", False))
            figures["rps_ratio"] = round(figures["rps"] / floor[c]["rps"], 2)
            row[f"c{c}"] = figures
        results.append(row)
        print(f"  {page['name']}: " + ", ".join(f"c{c} {row[f'c{c}']['rps']:.0f} rps ({row[f'c{c}']['rps_ratio']}×) p99 {row[f'c{c}']['p99_ms']:.1f} ms" for c in connections) + f", {row['queries']} queries")
    return results


def first_visit(slug, cookie):
    base = f"http://127.0.0.1:{APP_PORT}"
    html, _ = fetch(f"{base}/p/{slug}/", cookie)
    assets = re.findall(rb'(?:src|href)="(/static/[^"]+\.(?:js|css))"', html)
    total = gz(html) + sum(gz(fetch(base + a.decode(), cookie)[0]) for a in assets)
    nav, _ = fetch(f"{base}/p/{slug}/members", cookie)
    return {"first_visit_gzip_bytes": total, "assets": [a.decode() for a in assets],
            "htmx_navigation_gzip_bytes": gz(nav)}


def report(data: dict) -> str:
    t = TARGETS
    lines = ["# Sinergi benchmark", "", f"Run at {data['started']} on {data['machine']}; dataset: `{json.dumps(data['dataset'])}`.", "",
             f"Floor app (bare Flask + SQLAlchemy + Jinja, 50-row table): " + ", ".join(
                 f"c{c}: {f['rps']:.0f} rps, p50 {f['p50_ms']:.1f} ms, p99 {f['p99_ms']:.1f} ms" for c, f in data["floor"].items()), "",
             "## Reads", "", "| page | queries | bytes | gzip | c16 rps (× floor) | c16 p50/p95/p99 ms | c64 rps (× floor) | c64 p99 ms | verdict |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in data["reads"]:
        c16, c64 = r.get("c16"), r.get("c64")
        ok = (c16 and c16["rps_ratio"] >= t["read_rps_ratio"] and c16["p99_ms"] <= t["read_p99_ms"]
              and r["queries"] <= t["queries"] and not c16["non2xx"] and not c16["errors"])
        lines.append(
            f"| {r['name']} | {r['queries']} | {r['bytes']} | {r['bytes_gzip']} | "
            + (f"{c16['rps']:.0f} ({c16['rps_ratio']}×) | {c16['p50_ms']:.1f}/{c16['p95_ms']:.1f}/{c16['p99_ms']:.1f} | " if c16 else "– | – | ")
            + (f"{c64['rps']:.0f} ({c64['rps_ratio']}×) | {c64['p99_ms']:.1f} | " if c64 else "– | – | ")
            + ("meets targets" if ok else "**misses a target**") + " |"
        )
    fv = data["first_visit"]
    lines += ["", "## Page weight", "",
              f"- First visit (HTML + CSS + JS, gzip): {fv['first_visit_gzip_bytes'] / 1024:.1f} KB (target ≤ {t['first_visit_kb']} KB)",
              f"- A later htmx navigation (members page, gzip): {fv['htmx_navigation_gzip_bytes'] / 1024:.1f} KB (target ≤ {t['htmx_navigation_kb']} KB)",
              "", "## Targets", "", "- each main read page ≥ 0.5× the floor's requests/s, p99 ≤ 50 ms at 16 connections; ≤ 10 SQL queries per page",
              "- where a target is missed, the table says so; profile with `py-spy record` against a gunicorn worker to see why."]
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=8)
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="2-second runs at 16 connections only (smoke test)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: `apt-get install wrk` (make bench does it)")
    duration = 2 if args.quick else args.duration
    connections = [16] if args.quick else [16, 64]
    started = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())
    url, built = prepare_database(args.scale)
    from bench.dataset import BENCH_PASSWORD, BENCH_SLUG, BENCH_USER

    app_proc = serve("wsgi:app", APP_PORT, _env(url))
    floor_proc = serve("bench.floor_app:app", FLOOR_PORT, _env(url))
    try:
        floor = {c: wrk(f"http://127.0.0.1:{FLOOR_PORT}/floor", c, duration) for c in connections}
        print("floor:", floor)
        cookie = login(f"http://127.0.0.1:{APP_PORT}", BENCH_USER, BENCH_PASSWORD)
        data = {
            "started": started,
            "machine": f"{os.cpu_count()} cores, {os.uname().sysname} {os.uname().machine}",
            "dataset": {"scale": args.scale, **built["counts"]},
            "floor": floor,
            "reads": measure_reads(BENCH_SLUG, built, cookie, floor, duration, connections),
            "first_visit": first_visit(BENCH_SLUG, cookie),
        }
    finally:
        stop(app_proc)
        stop(floor_proc)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "report.json").write_text(json.dumps(data, indent=2))
    (RESULTS / "report.md").write_text(report(data))
    print(f"report: {RESULTS / 'report.md'}")


if __name__ == "__main__":
    main()
