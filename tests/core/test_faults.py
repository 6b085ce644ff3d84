"""Faults: the database going away and coming back, SQLite busy under concurrent writers,
Redis unreachable."""
import logging
import os
import socket
import threading

import pytest
from sqlalchemy import create_engine, func, select, text

from app import create_app
from app.organisations.models import Organisation


class TcpProxy:
    """A TCP forwarder we can cut and restore: stands in for a database host going away."""

    def __init__(self, target_host: str, target_port: int):
        self.target = (target_host, target_port)
        self.server = socket.socket()
        self.server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.server.bind(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.server.listen(32)
        self.up = True
        self.connections: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            if not self.up:
                client.close()
                continue
            upstream = socket.create_connection(self.target)
            self.connections += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(src, dst):
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.close()
                except OSError:
                    pass

    def cut(self):
        self.up = False
        for s in self.connections:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self.connections.clear()

    def restore(self):
        self.up = True

    def close(self):
        self.cut()
        self.server.close()


@pytest.fixture
def postgres_url(migrated_database):
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        pytest.skip("needs TEST_DATABASE_URL (a PostgreSQL database); CI sets it")
    return url


def test_it_shows_a_503_page_while_the_database_is_away_and_recovers(app_config, postgres_url, caplog):
    from sqlalchemy.engine import make_url

    from tests.conftest import _alembic_upgrade

    target = make_url(postgres_url)
    proxy = TcpProxy(target.host or "127.0.0.1", target.port or 5432)
    url = str(target.set(host="127.0.0.1", port=proxy.port, drivername="postgresql+psycopg").render_as_string(hide_password=False))
    try:
        if os.environ.get("SINERGI_TEST_BACKEND") != "postgresql":
            _alembic_upgrade(url)  # the SQLite run has not migrated this database yet
        app = create_app({**app_config, "SQLALCHEMY_DATABASE_URI": url})
        client = app.test_client()
        assert client.get("/organisations/").status_code == 200

        proxy.cut()
        with caplog.at_level(logging.ERROR):
            response = client.get("/organisations/")
        html = response.get_data(as_text=True)
        assert response.status_code == 503
        assert "Traceback" not in html and "psycopg" not in html
        assert "Layanan tidak tersedia" in html or "basis data" in html.lower()
        assert client.get("/healthz").status_code == 503

        proxy.restore()
        assert client.get("/organisations/").status_code == 200
        assert client.get("/healthz").get_json() == {"status": "ok", "database": "ok"}
    finally:
        proxy.close()


def test_sqlite_under_20_concurrent_writers_loses_nothing(app_config, tmp_path, migrated_database):
    if os.environ.get("SINERGI_TEST_BACKEND") == "postgresql":
        pytest.skip("SQLite-specific: the PostgreSQL run covers its own locking")
    import shutil

    path = tmp_path / "busy.db"
    shutil.copy(migrated_database, path)
    app = create_app({**app_config, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    from tests.factories import password_hash

    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO organisations (name, element, description, created_at) VALUES ('Org', 'media', '', '2026-01-01')"))
        for i in range(20):
            conn.execute(
                text("INSERT INTO users (name, email, password_hash, organisation_id, locale, timezone, active, session_version, created_at) "
                     "VALUES (:n, :e, :h, 1, 'id', 'Asia/Makassar', 1, 1, '2026-01-01')"),
                {"n": f"u{i}", "e": f"u{i}@example.id", "h": password_hash()},
            )
    errors, statuses = [], []

    def writer(i):
        client = app.test_client()
        with client.session_transaction() as sess:
            sess["_user_id"] = f"{i + 1}:1"
        try:
            for j in range(5):
                response = client.post("/organisations/new", data={"name": f"Organisasi {i}-{j}", "element": "komunitas"})
                statuses.append(response.status_code)
        except Exception as error:  # noqa: BLE001 - any error is the failure we look for
            errors.append(repr(error))

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert statuses == [303] * 100
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Organisation.__table__)).scalar() == 101
    engine.dispose()


def test_rate_limits_fall_back_to_memory_when_redis_is_unreachable(app_config, caplog):
    with caplog.at_level(logging.WARNING):
        app = create_app({
            **app_config,
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:1/0",  # nothing listens there
            "RATELIMIT_LOGIN": "3 per minute",
        })
        client = app.test_client()
        codes = [client.post("/login", data={"email": "a@example.id", "password": "salah"}).status_code for _ in range(5)]
    assert codes == [422, 422, 422, 429, 429]
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING and "fall" in r.getMessage().lower()]
    assert len(warnings) == 1
