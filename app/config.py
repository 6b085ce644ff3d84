"""Configuration read from the environment.

Every setting has a safe default for a single-machine install: SQLite in
``instance/``, in-process rate limits and live updates, mail written to the log.
"""
import os
import secrets
from pathlib import Path


def _load_or_create_secret(instance_path: Path) -> str:
    """Return SECRET_KEY, generating it once into instance/ so restarts keep sessions."""
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    # Exclusive create: two workers starting together must agree on one key.
    try:
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return key_file.read_text().strip()
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def from_environment(instance_path: str) -> dict:
    instance = Path(instance_path)
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{instance / 'sinergi.db'}"
    # Heroku-style URLs name the old driver; psycopg 3 is what we install.
    if database_url.startswith("postgres://"):
        database_url = "postgresql+psycopg://" + database_url[len("postgres://"):]
    elif database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url[len("postgresql://"):]
    redis_url = os.environ.get("REDIS_URL") or None
    return {
        "SECRET_KEY": os.environ.get("SECRET_KEY") or _load_or_create_secret(instance),
        "SQLALCHEMY_DATABASE_URI": database_url,
        # A server can drop a pooled connection (restart, failover): test it on checkout. A SQLite
        # file cannot, and the ping was one more statement for every request.
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": not database_url.startswith("sqlite")},
        "REDIS_URL": redis_url,
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "MAIL_SERVER": os.environ.get("MAIL_SERVER") or None,
        "MAIL_PORT": int(os.environ.get("MAIL_PORT") or 587),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD") or None,
        "MAIL_USE_TLS": _bool("MAIL_USE_TLS", True),
        "MAIL_DEFAULT_SENDER": os.environ.get("MAIL_DEFAULT_SENDER", "Sinergi <noreply@sinergi.local>"),
        "SESSION_COOKIE_SECURE": _bool("SESSION_COOKIE_SECURE", False),
        "REMEMBER_COOKIE_SECURE": _bool("SESSION_COOKIE_SECURE", False),
        "PREFERRED_URL_SCHEME": os.environ.get("PREFERRED_URL_SCHEME", "http"),
        "DEMO_PASSWORD": os.environ.get("DEMO_PASSWORD", "pentahelix-demo"),
        "UPLOAD_FOLDER": os.environ.get("UPLOAD_FOLDER") or str(instance / "uploads"),
        # Absolute links in emails (notifications, digests): https://sinergi.example.id
        "PUBLIC_URL": os.environ.get("PUBLIC_URL", ""),
        # How often an open page asks whether its live parts changed (docs/live-updates.md).
        "LIVE_POLL_MS": int(os.environ.get("LIVE_POLL_MS") or 1200),
        # Rendered read pages kept per worker (app/pagecache.py): auto = on with Redis or SQLite.
        "PAGE_CACHE": os.environ.get("PAGE_CACHE", "auto"),
        "PAGE_CACHE_SECONDS": int(os.environ.get("PAGE_CACHE_SECONDS") or 60),
        "PAGE_CACHE_MB": int(os.environ.get("PAGE_CACHE_MB") or 64),
        # How long a live request may wait on the server for a change, and how many may wait at once
        # per process: keep it below the worker's threads (gunicorn.conf.py derives it from them).
        "LIVE_WAIT_S": int(os.environ.get("LIVE_WAIT_S") or 25),
        "LIVE_MAX_WAITS": int(os.environ.get("LIVE_MAX_WAITS") or 64),
        "SQL_QUERY_COUNT_HEADER": _bool("SQL_QUERY_COUNT_HEADER", False),
        "RATELIMIT_ENABLED": _bool("RATELIMIT_ENABLED", True),
        # Several deployments (or test runs) can share one Redis with a prefix each.
        "RATELIMIT_KEY_PREFIX": os.environ.get("RATELIMIT_KEY_PREFIX", ""),
    }


class Defaults:
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    MAX_CONTENT_LENGTH = 10 * 1024 * 1024
    WTF_CSRF_TIME_LIMIT = None  # tied to the session instead: a long meeting must not expire a form
    BABEL_DEFAULT_LOCALE = "id"
    BABEL_DEFAULT_TIMEZONE = "Asia/Makassar"
    LANGUAGES = ("id", "en")
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_LOGIN = "10 per minute;50 per hour"
    RATELIMIT_RESET = "5 per minute;20 per hour"
    # Per signed-in person, across every discussion: room for a lively meeting, not for a flood.
    RATELIMIT_COMMENT = "20 per minute;300 per hour"
    PASSWORD_RESET_MAX_AGE = 3600
    INVITATION_DEFAULT_DAYS = 14
    ATTACHMENT_MAX_BYTES = 8 * 1024 * 1024  # per file; the request as a whole is capped by MAX_CONTENT_LENGTH
