"""Concurrent writers for `make bench`: 16 threads writing to one object, each with its own signed-in
session, over keep-alive HTTP; the same driver measures the bare single-row commit of the floor app,
so the ratio compares the app's write with a commit served the same way (gunicorn, 2 workers).

Why a Python driver rather than wrk: a unit save must carry the base revision the writer read, and
the outcome (applied, merged, conflict) must be read from each answer; threads keep that explicit.
The driver's own CPU is small next to the server's (http.client, one request at a time per thread)
and it is the same for the app's writes and the bare commit.
"""
import html
import http.client
import re
import statistics
import threading
import time
import urllib.parse
from collections import Counter
from http.cookiejar import CookieJar
from urllib.request import HTTPCookieProcessor, build_opener

TOKEN = re.compile(r'"X-CSRFToken": "([^"]+)"')


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    if not values:
        return float("nan")
    return values[min(len(values) - 1, max(0, round(p / 100 * (len(values) - 1))))]


class Session:
    """One signed-in browser: its cookie and CSRF token, and a keep-alive connection of its own."""

    def __init__(self, port: int, cookie: str = "", token: str = ""):
        self.port, self.cookie, self.token = port, cookie, token
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    @classmethod
    def login(cls, port: int, email: str, password: str, page: str = "/") -> "Session":
        base = f"http://127.0.0.1:{port}"
        jar = CookieJar()
        opener = build_opener(HTTPCookieProcessor(jar))
        form = opener.open(f"{base}/login").read().decode()
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form).group(1)
        opener.open(f"{base}/login", data=urllib.parse.urlencode(
            {"csrf_token": token, "email": email, "password": password}).encode())
        body = opener.open(base + page).read().decode()
        match = TOKEN.search(body)
        if not match:
            raise SystemExit(f"login as {email} failed (no CSRF token on {page})")
        return cls(port, "; ".join(f"{c.name}={c.value}" for c in jar), match.group(1))

    def request(self, method: str, path: str, data: dict | None = None, htmx: bool = True):
        headers = {"Cookie": self.cookie}
        if htmx:
            headers["HX-Request"] = "true"
        body = None
        if data is not None:
            body = urllib.parse.urlencode({**data, "csrf_token": self.token})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.token
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                return response.status, response.read().decode(), response
            except (http.client.HTTPException, ConnectionError):
                # gunicorn closed the keep-alive connection (max requests, keep-alive timeout): reconnect once.
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                if attempt == 2:
                    raise


def drive(sessions: list[Session], duration: float, step) -> dict:
    """Each session's thread calls step(session, i, k) until `duration` has passed; step returns
    (seconds the timed request took, outcome). Requests/s counts the timed requests."""
    latencies: list[float] = []
    outcomes: Counter = Counter()
    lock = threading.Lock()
    stop_at = time.monotonic() + duration
    started = time.monotonic()

    def worker(i: int, session: Session):
        k = 0
        while time.monotonic() < stop_at:
            try:
                seconds, outcome = step(session, i, k)
            except Exception as exc:  # a failed request is counted, not fatal
                seconds, outcome = None, f"error: {type(exc).__name__}"
            with lock:
                outcomes[outcome] += 1
                if seconds is not None:
                    latencies.append(seconds)
            k += 1

    threads = [threading.Thread(target=worker, args=(i, s), daemon=True) for i, s in enumerate(sessions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    return {
        "writers": len(sessions), "seconds": round(elapsed, 2), "requests": len(latencies),
        "rps": round(len(latencies) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 1) if latencies else None,
        "p95_ms": round(percentile(latencies, 95) * 1000, 1), "p99_ms": round(percentile(latencies, 99) * 1000, 1),
        "outcomes": dict(outcomes),
    }


def _timed(session: Session, method: str, path: str, data: dict | None = None):
    started = time.perf_counter()
    status, body, response = session.request(method, path, data)
    return time.perf_counter() - started, status, body, response


def bare_commit(session: Session, i: int, k: int):
    seconds, status, _body, _r = _timed(session, "POST", "/commit", {})
    return seconds, "committed" if status == 200 else f"HTTP {status}"


def comment_writer(path: str):
    """Post a comment on one target (the htmx form: the answer is the new thread)."""

    def step(session: Session, i: int, k: int):
        seconds, status, _body, _r = _timed(session, "POST", path, {"body": f"Komentar penulis {i} nomor {k}."})
        return seconds, "posted" if status == 200 else f"HTTP {status}"

    return step


def status_writer(path: str):
    """Change one action's status round a cycle; every move carries a note (blocked needs one)."""
    cycle = ["dikerjakan", "terhambat", "baru"]

    def step(session: Session, i: int, k: int):
        new = cycle[(i + k) % len(cycle)]
        seconds, status, _body, _r = _timed(session, "POST", path, {"status": new, "note": f"catatan {i}-{k}"})
        return seconds, "changed" if status == 200 else f"HTTP {status}"

    return step


FIELD_BASE = re.compile(r'name="base_revision_id" value="(\d+)"')
FIELD_TEXT = re.compile(r'<textarea[^>]*name="text"[^>]*>(.*?)</textarea>', re.S)
OUTCOME = re.compile(r'notice-(applied|merged|unchanged)')


def unit_writer(unit_path: str):
    """Open the unit's editor (read text and base revision), change one word of one's own, save with
    that base. Someone else's save in between makes the server merge (or report a conflict). Only
    the save is timed; the read before it is what a person does too."""

    def step(session: Session, i: int, k: int):
        status, body, _r = session.request("GET", unit_path + "/edit")
        base, text = FIELD_BASE.search(body), FIELD_TEXT.search(body)
        if status != 200 or not base or not text:
            return None, f"edit form HTTP {status}"
        words = html.unescape(text.group(1)).strip("\n").split(" ")
        words[(3 * i) % len(words)] = f"kata{i}x{k}"
        seconds, status, body, _r = _timed(session, "POST", unit_path, {
            "text": " ".join(words), "base_revision_id": base.group(1), "note": ""})
        if status == 409:
            return seconds, "conflict"
        match = OUTCOME.search(body)
        return seconds, (match.group(1) if status == 200 and match else f"HTTP {status}")

    return step
