"""A server-side cache of rendered read pages, invalidated by every committed write.

Why: the main read pages (a 150-Pasal draft, a board of 250 cards, a dashboard over 20,000
actions) cost 10-500 ms of Python to render, and a programme's members open the same pages far
more often than anybody changes them. Rails' and Django's per-view caches solve this with a
version in the cache key; so does this module.

How it stays correct:

- **One data version.** Every transaction that writes a row (any INSERT, UPDATE or DELETE that
  reaches the database, through the ORM or not) moves the version `data` when it commits
  (`_note_write` / `_bump`). A page is cached under the version read *before* it was rendered, so
  a page rendered from data older than a commit can only be stored under a version older than
  that commit's, which nobody asks for again. With Redis the version moves after the commit
  (INCR); without it, inside the committing transaction (a row of `live_versions`), so it commits
  or rolls back with the change.
- **Per viewer and per session.** The key holds the signed-in identity (user id and session
  version), the session's CSRF secret (a cached page carries that session's token), the language,
  the URL with its query, and the htmx headers that choose between page and fragment. Only a
  signed-in GET of an endpoint in CACHED_ENDPOINTS with no pending flash message is answered from
  the cache; only a 200 HTML answer that set no cookie and left the session unchanged is stored.
- **Bounded age.** An entry older than PAGE_CACHE_SECONDS (60) is rendered again: what depends on
  the clock alone ("overdue" at midnight) is at most that late.
- **Skipped checks are safe to skip.** A hit answers before the view's access checks, but only
  with what the same viewer was shown under the same data version; a change of membership, role,
  password (session version) or anything else is a write and moves the version.

Where the version cannot be shared by every process that serves the app (PostgreSQL without
Redis: several hosts may be serving it), the cache is off unless PAGE_CACHE=on forces it (one
host). Entries live in each worker's memory (LRU, PAGE_CACHE_MB per process); only the version
is shared.
"""
import hashlib
import re
import secrets
import threading
import time
from collections import OrderedDict

from flask import current_app, g, request, session
from sqlalchemy import event, select, text

from app.collab import hooks
from app.collab.live_models import LiveVersion
from app.extensions import db

DATA_KEY = "data"
REDIS_KEY = "sinergi:live:" + DATA_KEY

# The read pages worth keeping: each is a GET that only reads and whose answer depends on the
# viewer, the URL and the data alone. Forms (edit pages), exports and live endpoints (which have
# ETags of their own) are not here.
CACHED_ENDPOINTS = frozenset({
    "main.index",
    "programmes.show", "programmes.members", "activity.index",
    "actions.dashboard", "actions.summary", "actions.index", "actions.board", "actions.timeline",
    "actions.show", "actions.my_tasks", "actions.board_column", "actions.history",
    "drafts.index", "drafts.show", "drafts.unit", "drafts.unit_history", "drafts.history",
    "drafts.versions", "drafts.version", "drafts.compare", "drafts.register", "drafts.print_view",
    "meetings.index", "meetings.show", "meetings.calendar", "meetings.roadshow", "meetings.notulen",
    "meetings.history",
    "comments.index", "notifications.index", "search.index",
    "organisations.index", "organisations.show",
})

# Statements that change rows. The live-version table itself is bookkeeping, not data.
_WRITE = re.compile(r"^\s*(?:INSERT|UPDATE|DELETE|REPLACE|MERGE|TRUNCATE)\b", re.IGNORECASE)
_BOOKKEEPING = re.compile(r"^\s*INSERT\s+INTO\s+live_versions\b", re.IGNORECASE)
_WROTE = "sinergi_wrote"
# How long a request waits for the same page being rendered by another thread of its worker.
RENDER_WAIT_SECONDS = 10
_HEADERS_KEPT_OUT = frozenset({"set-cookie", "content-length", "x-query-count", "x-page-cache"})


class Store:
    """A byte-bounded LRU of (stored_at, status, headers, body), safe across a worker's threads."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.size = 0
        self.hits = self.misses = 0
        self._entries: OrderedDict[str, tuple] = OrderedDict()
        self._rendering: dict[str, threading.Event] = {}
        self._lock = threading.Lock()

    def claim(self, key: str) -> threading.Event | None:
        """Claim the rendering of a missing entry: None if this thread should render it, else the
        event that the thread already rendering it sets when done (one render per key and worker:
        sixteen viewers opening a 150-Pasal draft at once cost one render, not sixteen)."""
        with self._lock:
            pending = self._rendering.get(key)
            if pending is None:
                self._rendering[key] = threading.Event()
            return pending

    def release(self, key: str) -> None:
        with self._lock:
            pending = self._rendering.pop(key, None)
        if pending is not None:
            pending.set()

    def get(self, key: str, max_age: float):
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or time.monotonic() - entry[0] > max_age:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return entry

    def put(self, key: str, status: int, headers: list, body: bytes) -> None:
        cost = len(body) + 200
        if cost > self.max_bytes // 8:  # one huge page must not push out everything else
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self.size -= len(old[3]) + 200
            self._entries[key] = (time.monotonic(), status, headers, body)
            self.size += cost
            while self.size > self.max_bytes and self._entries:
                _key, dropped = self._entries.popitem(last=False)
                self.size -= len(dropped[3]) + 200

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.size = 0


def enabled(app) -> bool:
    setting = str(app.config.get("PAGE_CACHE", "auto")).lower()
    if setting in ("0", "off", "false", "no"):
        return False
    if setting in ("1", "on", "true", "yes"):
        return True
    return bool(app.config.get("REDIS_URL")) or app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")


def store():
    return current_app.extensions["sinergi_page_cache"]


# -- the version ----------------------------------------------------------------------------------

def _listen_for_writes(engine) -> None:
    @event.listens_for(engine, "before_cursor_execute")
    def _note_write(conn, cursor, statement, parameters, context, executemany):
        if _WRITE.match(statement) and not _BOOKKEEPING.match(statement):
            conn.info[_WROTE] = True

    @event.listens_for(engine, "rollback")
    def _forget_on_rollback(conn):
        conn.info.pop(_WROTE, None)

    @event.listens_for(engine, "commit")
    def _forget_on_commit(conn):
        # The session's before_commit (below) has read the mark already; a Core commit outside
        # a session is left to PAGE_CACHE_SECONDS (CLI imports, migrations: no server reads them).
        conn.info.pop(_WROTE, None)


def _bump(session) -> None:
    """Before a session commits: move the data version if this transaction wrote anything.

    Registered last among the before-commit hooks, so that the version row (without Redis) is the
    last row this transaction locks: a transaction holding it waits on nothing else."""
    if "sinergi_page_cache" not in current_app.extensions or not session.in_transaction():
        return
    connection = session.connection()
    if not connection.info.get(_WROTE):
        return
    client = _redis()
    if client is None:
        session.execute(
            text("INSERT INTO live_versions (key, version) VALUES (:key, 1) "
                 "ON CONFLICT (key) DO UPDATE SET version = live_versions.version + 1"),
            {"key": DATA_KEY},
        )
        return
    logger = current_app.logger

    def incr():
        try:
            with client.pipeline(transaction=False) as pipe:
                pipe.set(REDIS_KEY, _fresh_base(), nx=True)  # see data_version()
                pipe.incr(REDIS_KEY)
                pipe.execute()
        except Exception as error:  # pages then wait out PAGE_CACHE_SECONDS; never fail the save
            logger.warning("page cache: could not move the data version in Redis: %s", error)

    hooks.on_commit(session, incr)


def _redis():
    from app.collab.live import _redis as live_redis

    return live_redis()


_REDIS_DOWN = threading.Event()


def _fresh_base() -> int:
    return secrets.randbits(48) << 12


def data_version(user_id: int) -> int | None:
    """The current data version, or None when it cannot be read (then nothing is cached).

    Without Redis it is read with the viewer's row in one query: the row lands in the session, where
    Flask-Login's user loader finds it, so a page rendered after a miss costs no extra query."""
    client = _redis()
    if client is not None:
        try:
            value = client.get(REDIS_KEY)
            if value is None:
                # Redis keeps nothing on disk: after a restart (or FLUSHDB) the version starts again
                # from a random point, never from 0, where pages stored before could be waiting.
                client.set(REDIS_KEY, _fresh_base(), nx=True)
                value = client.get(REDIS_KEY)
        except Exception as error:
            if not _REDIS_DOWN.is_set():  # one warning per outage, not one per request
                _REDIS_DOWN.set()
                current_app.logger.warning("page cache: Redis unavailable, pages are rendered every time: %s", error)
            return None
        if _REDIS_DOWN.is_set():
            _REDIS_DOWN.clear()
            current_app.logger.warning("page cache: Redis reachable again")
        return int(value or 0)
    from app.accounts.models import User

    version = select(LiveVersion.version).where(LiveVersion.key == DATA_KEY).scalar_subquery()
    row = db.session.execute(select(User, version).where(User.id == user_id)).first()
    if row is None:  # no such account any more: Flask-Login will say so
        return None
    g.sinergi_viewer = row[0]  # the session holds its rows weakly: keep it for the user loader
    return row[1] or 0


# -- the requests ---------------------------------------------------------------------------------

def _key(version: int, identity: str) -> str:
    headers = request.headers
    parts = (
        str(version), identity, session.get("csrf_token", ""), session.get("lang", ""), request.full_path,
        # What app/web.py (the only reader of HX-* headers) chooses the page or fragment by. Not
        # HX-Current-URL: only redirects use it (web.current_page_path), never a rendered page.
        headers.get("HX-Request", ""), headers.get("HX-Boosted", ""), headers.get("HX-History-Restore-Request", ""),
    )
    return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=20).hexdigest()


def _answer_from_cache():
    if request.method != "GET" or request.endpoint not in CACHED_ENDPOINTS:
        return None
    identity = session.get("_user_id")  # "<user id>:<session version>", see accounts.load_user
    if not identity or session.get("_flashes"):
        return None
    try:
        user_id = int(identity.split(":", 1)[0])
    except ValueError:
        return None
    version = data_version(user_id)
    if version is None:
        return None
    key = _key(version, identity)
    cache, max_age = store(), current_app.config.get("PAGE_CACHE_SECONDS", 60)
    entry = cache.get(key, max_age)
    if entry is None:
        pending = cache.claim(key)
        if pending is not None:
            pending.wait(RENDER_WAIT_SECONDS)
            entry = cache.get(key, max_age)
        if entry is None:  # ours to render (or the other render failed, was not kept, or is slow)
            g.sinergi_page_cache_key = key
            g.sinergi_page_cache_owner = pending is None
            return None
    _stored_at, status, headers, body = entry
    response = current_app.response_class(body, status=status, headers=headers)
    response.headers["X-Page-Cache"] = "hit"
    return response


def _keep(response):
    key = g.get("sinergi_page_cache_key")
    if key is None:
        return response
    response.headers["X-Page-Cache"] = "miss"
    if (
        response.status_code != 200
        or response.mimetype != "text/html"
        or response.direct_passthrough
        or response.is_streamed
        or "Set-Cookie" in response.headers
        or session.modified
        or session.get("_flashes")
        or session.get("_remember") in ("set", "clear")
    ):
        return response
    headers = [(k, v) for k, v in response.headers.items() if k.lower() not in _HEADERS_KEPT_OUT]
    store().put(key, response.status_code, headers, response.get_data())
    return response


def _release(_error=None) -> None:
    """After every request that claimed a render, stored or not (an error, a 404): waiters go on."""
    key = g.pop("sinergi_page_cache_key", None)
    if key is not None and g.pop("sinergi_page_cache_owner", False):
        store().release(key)


def init_app(app) -> None:
    if not enabled(app):
        return
    app.extensions["sinergi_page_cache"] = Store(int(app.config.get("PAGE_CACHE_MB", 64)) * 1024 * 1024)
    with app.app_context():
        _listen_for_writes(db.engine)
    if _bump not in hooks._BEFORE_COMMIT:  # one registration for every app made in this process
        hooks.before_commit(_bump)
    app.before_request(_answer_from_cache)
    app.after_request(_keep)
    app.teardown_request(_release)


def forget_all() -> None:
    """Drop this worker's rendered pages (tests that count a page's queries measure a render)."""
    cache = current_app.extensions.get("sinergi_page_cache")
    if cache is not None:
        cache.clear()
