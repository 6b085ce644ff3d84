"""Fixtures: a migrated database per test (SQLite file copy, or PostgreSQL truncated after each
test when SINERGI_TEST_BACKEND=postgresql), the app, a client, and the personas.

Personas follow the project's habit: alice owns the programme, bob is a member (editor),
charlie is signed in but outside it. `member(role)` makes a member with any role.
"""
import contextvars
import os
import shutil
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import create_engine, text

from flask import has_app_context
from flask.testing import FlaskClient

from app import ROOT, create_app
from app.extensions import db as _db

BACKEND = os.environ.get("SINERGI_TEST_BACKEND", "sqlite")


def pytest_configure(config):
    """Under pytest-xdist every worker gets a PostgreSQL database of its own (`<name>_gw0`, …),
    made on first use: tests truncate their database, so workers must not share one."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    url = os.environ.get("TEST_DATABASE_URL")
    if not worker or not url or os.environ.get("SINERGI_TEST_DATABASE_OF") == worker:
        return
    from sqlalchemy.engine import make_url

    base = make_url(url.replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"{base.database}_{worker}"
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first():
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    os.environ["TEST_DATABASE_URL"] = base.set(database=name, drivername="postgresql").render_as_string(hide_password=False)
    os.environ["SINERGI_TEST_DATABASE_OF"] = worker


def _alembic_upgrade(url: str) -> None:
    cfg = AlembicConfig(str(ROOT / "migrations" / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    with app.app_context():
        command.upgrade(cfg, "head")
        _db.engine.dispose()


def _postgres_url() -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        pytest.exit("SINERGI_TEST_BACKEND=postgresql needs TEST_DATABASE_URL", returncode=2)
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory):
    """Run the real migrations once per test session; tests get copies (SQLite) or truncation (PostgreSQL)."""
    if BACKEND == "postgresql":
        url = _postgres_url()
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
        _alembic_upgrade(url)
        return url
    template = tmp_path_factory.mktemp("db") / "template.db"
    _alembic_upgrade(f"sqlite:///{template}")
    return template


def _empty_postgres(url: str) -> None:
    """Back to the freshly migrated state: every table empty and every id sequence at 1.

    TRUNCATE of all ~60 tables cost about two seconds a test (each table's storage is swapped and
    synced). A test writes to a handful, so only the tables that hold rows (one query finds them)
    are emptied, with DELETE and the foreign-key triggers off for the moment (the test user is a
    superuser, as in CI), and the sequences are reset in one statement."""
    engine = create_engine(url)
    with engine.begin() as conn:
        tables = list(conn.execute(text(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename != 'alembic_version'"
        )).scalars())
        probe = " UNION ALL ".join(f"(SELECT '{t}' FROM \"{t}\" LIMIT 1)" for t in tables)
        filled = list(conn.execute(text(probe)).scalars()) if tables else []
        if filled:
            conn.execute(text("SET LOCAL session_replication_role = replica"))
            for table in filled:
                conn.execute(text(f'DELETE FROM "{table}"'))
        conn.execute(text(
            "SELECT setval(format('%I.%I', schemaname, sequencename), 1, false) FROM pg_sequences "
            "WHERE schemaname = 'public' AND (last_value IS NOT NULL)"
        ))
    engine.dispose()


@pytest.fixture
def database_url(migrated_database, tmp_path):
    if BACKEND == "postgresql":
        yield migrated_database
        _empty_postgres(migrated_database)
    else:
        path = tmp_path / "sinergi.db"
        shutil.copy(migrated_database, path)
        yield f"sqlite:///{path}"


@pytest.fixture
def app_config(database_url, tmp_path):
    """Override in a test module (or parametrize) to change settings before the app is built."""
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": "test-secret",
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "RATELIMIT_STORAGE_URI": "memory://",
        "MAIL_SERVER": None,
        "SERVER_NAME": "localhost",
        "UPLOAD_FOLDER": str(tmp_path / "uploads"),
        # The page cache on for both backends (auto leaves it off on PostgreSQL without Redis):
        # every test that writes and then reads a page proves the cache never serves it stale.
        "PAGE_CACHE": "on",
    }


class RequestPerContextClient(FlaskClient):
    """Runs every request in its own app context, as a real server does.

    The `app` fixture keeps an app context open for the test's own queries; Flask would reuse
    it for requests, so `g` (and Flask-Login's cached user) would leak from one request to the
    next. After each request the test's session is rolled back so it sees what was written.
    """

    def open(self, *args, **kwargs):
        if not has_app_context():
            # A redirect followed from inside a request's own context (follow_redirects=True).
            return super().open(*args, **kwargs)
        response = contextvars.Context().run(super().open, *args, **kwargs)
        _db.session.rollback()
        return response


@pytest.fixture
def app(app_config):
    app = create_app(app_config)
    app.test_client_class = RequestPerContextClient
    with app.app_context():
        yield app
        _db.session.remove()
        _db.engine.dispose()


@pytest.fixture
def db(app):
    return _db


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


# -- personas -----------------------------------------------------------------------------

@pytest.fixture
def factories(app):
    from tests import factories

    return factories


@pytest.fixture
def programme(factories):
    return factories.ProgrammeFactory(name="Program Wisata Kota Industri Bontang")


@pytest.fixture
def alice(factories, programme):
    """Owner of `programme`, from government (Pemkot Bontang)."""
    from app.pentahelix import Element
    from app.programmes.models import Role

    user = factories.UserFactory(name="Alice Owner", organisation__element=Element.PEMERINTAH)
    factories.MembershipFactory(programme=programme, user=user, role=Role.OWNER)
    return user


@pytest.fixture
def bob(factories, programme):
    """Editor of `programme`, from business."""
    from app.pentahelix import Element
    from app.programmes.models import Role

    user = factories.UserFactory(name="Bob Member", organisation__element=Element.BISNIS)
    factories.MembershipFactory(programme=programme, user=user, role=Role.EDITOR)
    return user


@pytest.fixture
def charlie(factories):
    """Signed in, but not a member of `programme`: must see nothing of it."""
    return factories.UserFactory(name="Charlie Outsider")


@pytest.fixture
def member(factories, programme):
    """member(role) -> a new user with that role in `programme`."""
    from app.programmes.models import Role

    def make(role, **kwargs):
        user = factories.UserFactory(**kwargs)
        factories.MembershipFactory(programme=programme, user=user, role=Role(role))
        return user

    return make


class Auth:
    def __init__(self, client):
        self.client = client

    def login(self, user):
        """Sign `user` in without the cost of a password check (the login form has its own tests)."""
        with self.client.session_transaction() as sess:
            sess.clear()
            sess["_user_id"] = user.get_id()
            sess["_fresh"] = True
        return user

    def logout(self):
        with self.client.session_transaction() as sess:
            sess.clear()


@pytest.fixture
def auth(client):
    return Auth(client)


@pytest.fixture
def login_as(auth):
    return auth.login


def pytest_collection_modifyitems(config, items):
    # Browser tests need Debian's chromium; in CI a missing browser must fail, never skip.
    if os.environ.get("SINERGI_REQUIRE_BROWSER") or Path("/usr/bin/chromium").exists():
        return
    skip = pytest.mark.skip(reason="/usr/bin/chromium is not installed (make test installs it)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)
