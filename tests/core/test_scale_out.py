"""Two app servers — separate gunicorn processes on different ports, standing in for two hosts —
share one PostgreSQL and one Redis."""
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
import redis as redis_lib
from sqlalchemy import create_engine, text

from app import ROOT

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/12")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def shared_services(migrated_database, database_url):  # database_url: truncated afterwards on PostgreSQL
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        pytest.skip("needs TEST_DATABASE_URL (PostgreSQL); CI sets it")
    try:
        redis_lib.Redis.from_url(REDIS_URL).flushdb()
    except redis_lib.exceptions.ConnectionError:
        pytest.skip("needs Redis on 127.0.0.1:6379; CI has it")
    if os.environ.get("SINERGI_TEST_BACKEND") != "postgresql":
        from tests.conftest import _alembic_upgrade

        _alembic_upgrade(url.replace("postgresql://", "postgresql+psycopg://", 1))
    return url


@pytest.fixture
def two_hosts(shared_services, tmp_path):
    env = {k: v for k, v in os.environ.items()}
    env.update(
        DATABASE_URL=shared_services, REDIS_URL=REDIS_URL, SECRET_KEY="shared-secret-of-both-hosts",
        PYTHONPATH=str(ROOT),
    )
    procs, ports = [], []
    for _ in range(2):
        port = _free_port()
        procs.append(subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "-w", "1", "-b", f"127.0.0.1:{port}", "--log-level", "warning", "wsgi:app"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=open(tmp_path / f"gunicorn-{port}.log", "w"),
        ))
        ports.append(port)
    for port in ports:
        for _ in range(150):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except OSError:  # refused, reset or timed out while gunicorn boots
                time.sleep(0.1)
        else:
            raise RuntimeError(f"gunicorn on port {port} did not start: {(tmp_path / f'gunicorn-{port}.log').read_text()}")
    yield [f"http://127.0.0.1:{p}" for p in ports]
    for proc in procs:
        proc.terminate()
        proc.wait(timeout=10)


class Browser:
    """A cookie jar shared across hosts, like one browser behind a load balancer."""

    def __init__(self):
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, url):
        try:
            with self.opener.open(url) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def post(self, url, data):
        body = urllib.parse.urlencode(data).encode()
        try:
            with self.opener.open(url, data=body) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def csrf(self, url):
        _, html = self.get(url)
        return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def _make_user(url, email):
    from tests.factories import password_hash

    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        org = conn.execute(text("INSERT INTO organisations (name, element, description, created_at) "
                                "VALUES (:n, 'media', '', now()) RETURNING id"), {"n": f"Org {email}"}).scalar()
        conn.execute(text("INSERT INTO users (name, email, password_hash, organisation_id, locale, timezone, active, "
                          "session_version, created_at) VALUES ('Rina', :e, :h, :o, 'id', 'Asia/Makassar', true, 1, now())"),
                     {"e": email, "h": password_hash(), "o": org})
    engine.dispose()


def test_a_user_signed_in_through_one_host_continues_through_the_other(two_hosts, shared_services):
    from tests.factories import PASSWORD

    a, b = two_hosts
    email = f"rina-{uuid.uuid4().hex[:8]}@example.id"
    _make_user(shared_services, email)
    browser = Browser()
    status, _ = browser.post(f"{a}/login", {"csrf_token": browser.csrf(f"{a}/login"), "email": email, "password": PASSWORD})
    assert status == 200  # followed the redirect
    status, html = browser.get(f"{b}/profile")
    assert status == 200 and email in html
    # A form rendered by host B is accepted by host A.
    status, _ = browser.post(f"{a}/p/new", {"csrf_token": browser.csrf(f"{b}/p/new"), "name": "Program Lintas Host", "visibility": "private"})
    assert status == 200
    status, html = browser.get(f"{b}/")
    assert "Program Lintas Host" in html


def test_login_rate_limits_count_across_both_hosts(two_hosts):
    a, b = two_hosts
    browser = Browser()
    codes = []
    for i in range(12):
        host = (a, b)[i % 2]
        codes.append(browser.post(f"{host}/login", {"csrf_token": browser.csrf(f"{host}/login"), "email": "x@example.id", "password": "salah"})[0])
    # The limit is 10 per minute per address, counted in Redis: the 11th attempt, whichever host, is refused.
    assert codes[:10] == [422] * 10
    assert codes[10:] == [429, 429]
