"""Real servers for the waiting (long-polling) tests: the app in a threaded server inside this process,
or gunicorn processes; and a small HTTP client that signs in by cookie and keeps one connection per
request, as a browser's waiting request does."""
import contextlib
import http.client
import os
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from werkzeug.serving import WSGIRequestHandler, make_server

from app import ROOT, create_app
from app.collab import live
from app.extensions import db


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Quiet(WSGIRequestHandler):
    def log_request(self, code="-", size="-"):
        pass


@contextlib.contextmanager
def in_process(config: dict):
    """The app served by a threaded server in this process (`flask run` serves this way)."""
    app = create_app(config)
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield app, f"http://127.0.0.1:{server.server_port}"
    finally:
        live.hub_for(app).stop()  # the waits still open answer now
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        with app.app_context():
            db.engine.dispose()


@contextlib.contextmanager
def gunicorn(env: dict, workers: int, log_dir: Path, threads: int = 16):
    """gunicorn with gunicorn.conf.py (gthread workers), its access log naming each request's worker pid."""
    port = free_port()
    log = log_dir / f"access-{port}.log"
    errors = open(log_dir / f"gunicorn-{port}.log", "w")
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py"), "-w", str(workers),
         "-b", f"127.0.0.1:{port}", "--log-level", "warning",
         "--access-logfile", str(log), "--access-logformat", "%(p)s %(m)s %(U)s %(s)s"],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT), "GUNICORN_THREADS": str(threads),
                       "GUNICORN_FREE_THREADS": "4", **env},
        stdout=subprocess.DEVNULL, stderr=errors,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                if Client(url).get("/healthz").status == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError(f"gunicorn did not start: {(log_dir / f'gunicorn-{port}.log').read_text()}")
        yield process, url, log
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=40)
        errors.close()


class Response:
    def __init__(self, status, headers, text, elapsed):
        self.status, self.headers, self.text, self.elapsed = status, headers, text, elapsed


class Client:
    """One person's browser: their session cookie, a new connection for each request."""

    def __init__(self, base_url, cookie=None):
        parts = urlsplit(base_url)
        self.host, self.port, self.cookie = parts.hostname, parts.port, cookie
        self.csrf = None
        self.connection = None

    def open(self, method, path, body=None, headers=None, timeout=60, keep=False):
        conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        if keep:
            self.connection = conn
        all_headers = dict(headers or {})
        if self.cookie:
            all_headers["Cookie"] = f"session={self.cookie}"
        started = time.monotonic()
        try:
            conn.request(method, path, body=body, headers=all_headers)
            response = conn.getresponse()
            text = response.read().decode()
        except OSError:
            conn.close()  # a browser that gave up closes its connection
            raise
        elapsed = time.monotonic() - started
        for value in response.headers.get_all("Set-Cookie") or []:
            match = re.match(r"session=([^;]+)", value)
            if match:
                self.cookie = match.group(1)
        if not keep:
            conn.close()
        return Response(response.status, response.headers, text, elapsed)

    def get(self, path, headers=None, **kwargs):
        return self.open("GET", path, headers=headers, **kwargs)

    def post(self, path, data, page):
        """A form posted from `page` (its CSRF token taken from there, as the browser does)."""
        if self.csrf is None:
            match = re.search(r'"X-CSRFToken": "([^"]+)"', self.get(page).text)
            self.csrf = match.group(1) if match else ""
        return self.open("POST", path, body=urlencode({**data, "csrf_token": self.csrf}), headers={
            "Content-Type": "application/x-www-form-urlencoded", "X-CSRFToken": self.csrf,
        })


def cookie_for(app, user) -> str:
    return app.session_interface.get_signing_serializer(app).dumps({"_user_id": user.get_id(), "_fresh": True})


HX = {"HX-Request": "true"}


def wait_headers(etag: str, seconds: int = 20) -> dict:
    return {**HX, "If-None-Match": etag, "Prefer": f"wait={seconds}"}


class Waiting(threading.Thread):
    """A request that waits in the background; `.response` once it is answered."""

    def __init__(self, client, path, headers, timeout=60):
        super().__init__(daemon=True)
        self.client, self.path, self.headers, self.timeout = client, path, headers, timeout
        self.response = None
        self.error = None
        self.start()

    def run(self):
        try:
            self.response = self.client.get(self.path, self.headers, timeout=self.timeout)
        except Exception as error:  # noqa: BLE001 - the test reports it
            self.error = error

    def result(self, timeout=15):
        self.join(timeout)
        assert not self.is_alive(), "the waiting request was not answered"
        assert self.error is None, self.error
        return self.response
