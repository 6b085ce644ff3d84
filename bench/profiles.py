"""Where a page's time goes: pyinstrument over repeated requests, in-process, against the bench database.

Used by `make bench` for every page or write that misses a target: the full HTML profile goes to
bench/results/profiles/<name>.html.gz, the heaviest frames (self time) and the app's call tree go into
the report. In-process (the test client), so the HTTP server's own time is not in it; that is the
point: it shows what our code and its libraries do per request.

    DATABASE_URL=sqlite:///bench/work/bench.db .venv/bin/python -m bench.profiles /p/bench/actions/board
"""
import gzip
import re
import sys
import time
from pathlib import Path

from pyinstrument import Profiler

RESULTS = Path(__file__).resolve().parent / "results" / "profiles"


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60]


def make_app():
    from app import create_app

    # The page cache off: a profile shows what rendering the page costs, not an answer from memory.
    return create_app({"WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False, "SQL_QUERY_COUNT_HEADER": False,
                       "PAGE_CACHE": "off"})


def signed_in_client(app, email: str):
    from sqlalchemy import select

    from app.accounts.models import User
    from app.extensions import db

    with app.app_context():
        user = db.session.execute(select(User).where(User.email == email)).scalar_one()
        user_id = user.get_id()
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = user_id
        session["_fresh"] = True
    return client


def profile(client, name: str, method: str, path: str, data: dict | None = None, htmx: bool = False,
            seconds: float = 3.0, at_least: int = 5) -> dict:
    """Repeat the request for about `seconds` (at least `at_least` times) under the profiler."""
    headers = {"HX-Request": "true"} if htmx else {}
    # `data` may be a function: a fresh form for each repetition (a save needs the current head as base).
    call = (lambda: client.post(path, data=data() if callable(data) else data, headers=headers)) if method == "POST" else (
        lambda: client.get(path, headers=headers))
    call()  # warm caches (templates, catalogues) outside the profile
    profiler = Profiler(interval=0.0005)
    count = 0
    started = time.perf_counter()
    profiler.start()
    while count < at_least or time.perf_counter() - started < seconds:
        response = call()
        count += 1
    profiler.stop()
    RESULTS.mkdir(parents=True, exist_ok=True)
    # gzip: a profile's HTML embeds every sample (1–10 MB); compressed it is ~20 times smaller. `gunzip -k` to view.
    out = RESULTS / f"{slug(name)}.html.gz"
    out.write_bytes(gzip.compress(profiler.output_html().encode(), 9))
    flat = profiler.output_text(flat=True, flat_time="self", show_all=False)
    tree = profiler.output_text(short_mode=True)
    return {
        "name": name, "path": path, "requests": count, "status": response.status_code,
        "ms_per_request": round((time.perf_counter() - started) * 1000 / count, 1),
        "html": str(out.relative_to(Path(__file__).resolve().parent.parent)),
        "top_self": _top_lines(flat, 12), "tree": _top_lines(tree, 45),
    }


def _top_lines(text: str, n: int) -> list[str]:
    """The frame lines only (pyinstrument's banner and the profiler's own frames left out)."""
    lines = [re.sub(r"^\.  ?", "", line.rstrip()) for line in text.splitlines()]
    frames = [line for line in lines if re.match(r"^[\s|`-]*\d+\.\d+ ", line) or "frames hidden" in line]
    return [line for line in frames if "bench/profiles.py" not in line][:n]


if __name__ == "__main__":
    application = make_app()
    from bench.dataset import BENCH_USER

    result = profile(signed_in_client(application, BENCH_USER), sys.argv[1], "GET", sys.argv[1])
    print("\n".join(result["top_self"] + [""] + result["tree"]))
    print(result["html"])
