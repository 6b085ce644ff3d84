"""Live updates: a version counter per key, bumped by the transaction that changes what the key shows.
A page asks for a live fragment with If-None-Match and `Prefer: wait=25`; while its copy is current
the request waits on the server (long polling) until one of the fragment's keys moves (the fresh
fragment) or the time is up (304). A request without `Prefer: wait` is answered at once, as a plain
conditional poll. See docs/live-updates.md.

Keys: a target's key ("programme-3", see Target.key) for its discussion, "user-<id>" for that
person's bell, "access-<id>" for that person's memberships (part of every ETag: a copy rendered with
rights someone no longer has is never current, so a removed member's wait ends, with 404).

With REDIS_URL the counters live in Redis: INCR after commit, then a PUBLISH that wakes the waiting
requests of every worker on every host through one listener thread per worker process. Without it
they live in the live_versions table, bumped inside the committing transaction; a commit wakes this
process's waiting requests at once, and one watcher thread per process reads the watched versions
twice a second for the commits of other processes.
"""
import hashlib
import os
import re
import select
import socket
import threading
import time

from flask import current_app, g, has_request_context, make_response, request, session
from flask.signals import request_tearing_down
from sqlalchemy import select as sql_select, text

from app.collab import hooks
from app.collab.live_models import LiveVersion
from app.extensions import db

REDIS_PREFIX = "sinergi:live:"
# How often a waiting request re-reads its versions even if nothing woke it: a safety net for a
# lost wake-up (Redis pub/sub delivers at most once), not the mechanism.
RECHECK_S = 5.0
# Without Redis: how often the watcher thread reads the watched versions for other processes' commits.
WATCH_S = 0.5
# Fragments rendered at once per process after a change: the 200 pages a comment wakes are served
# first come, first served instead of all sharing the CPU and all finishing last; ordinary
# requests then compete with two renders, not two hundred.
RENDERS_AT_ONCE = 2
_PREFER_WAIT = re.compile(r"(?:^|[\s,;])wait=(\d+)", re.IGNORECASE)


def touch(*keys: str) -> None:
    """Mark keys as changed by the current transaction (bumped when it commits)."""
    db.session.info.setdefault("live_keys", set()).update(keys)


def access_key(user_id) -> str:
    """The key that moves when this person's memberships (and so their rights) change, or the
    language or time zone their copies are rendered in."""
    return f"access-{user_id}"


def _redis():
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    client = current_app.extensions.get("sinergi_live_redis")
    if client is None:
        import redis

        # Every thread of a worker may need a connection at the same moment (a commit wakes all the
        # waiting live requests at once; gunicorn.conf.py runs up to hundreds of threads): redis-py's
        # default pool of 100 then answers "Too many connections", which read as Redis being down.
        client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2, max_connections=1024)
        current_app.extensions["sinergi_live_redis"] = client
    return client


def _prefix() -> str:
    # Several deployments (or test runs) can share one Redis with a prefix each (as the rate limits do).
    own = current_app.config.get("RATELIMIT_KEY_PREFIX")
    return f"{REDIS_PREFIX}{own}:" if own else REDIS_PREFIX


def _channel(client) -> str:
    # PUBLISH ignores the database number: two deployments on one Redis must not wake each other's pages.
    return f"{_prefix()}changed:{client.connection_pool.connection_kwargs.get('db', 0)}"


class _Outage:
    """One warning when Redis stops answering, one note when it answers again (not one per request)."""

    def __init__(self):
        self.down = False
        self.lock = threading.Lock()

    def failed(self, logger, what, error) -> None:
        with self.lock:
            first, self.down = not self.down, True
        if first:
            logger.warning("live: Redis unavailable (%s): %s; pages update again when it is back", what, error)

    def worked(self, logger) -> None:
        if self.down:
            with self.lock:
                was, self.down = self.down, False
            if was:
                logger.info("live: Redis reachable again")


_outage = _Outage()


@hooks.before_commit
def _bump_changed(session) -> None:
    keys = session.info.pop("live_keys", None)
    if not keys:
        return
    hooks.on_commit(session, _forget_read_versions)
    app = current_app._get_current_object()
    client = _redis()
    prefix, channel = (_prefix(), _channel(client)) if client is not None else (None, None)
    if client is None:
        for key in sorted(keys):  # a fixed order: two writers never wait on each other in a circle
            session.execute(
                text(
                    "INSERT INTO live_versions (key, version) VALUES (:key, 1) "
                    "ON CONFLICT (key) DO UPDATE SET version = live_versions.version + 1"
                ),
                {"key": key},
            )
        # This process's waiting requests wake at once; other processes' through their watcher.
        hooks.on_commit(session, lambda: _notify_local(app, keys))
        return

    def bump():
        ordered = sorted(keys)
        try:
            # One round trip: the new versions travel with the wake-up ("key=version ..."), so the
            # hundreds of requests it wakes need not each read them back from Redis.
            _bump_script(client)(keys=[prefix + k for k in ordered], args=[*ordered, channel])
            _outage.worked(app.logger)
        except Exception as error:  # a page then updates on the next change or reload; never fail the save
            _outage.failed(app.logger, f"bumping {sorted(keys)}", error)

    hooks.on_commit(session, bump)


_BUMP = """
local moved = {}
for i, key in ipairs(KEYS) do
  moved[i] = ARGV[i] .. "=" .. redis.call("INCR", key)
end
redis.call("PUBLISH", ARGV[#ARGV], table.concat(moved, " "))
"""


def _bump_script(client):
    script = current_app.extensions.get("sinergi_live_bump")
    if script is None or script.registered_client is not client:
        script = current_app.extensions["sinergi_live_bump"] = client.register_script(_BUMP)
    return script


def _moved(data: bytes) -> dict[str, int | None]:
    """A wake-up's keys and their new versions ("key=7 key2=3"; a bare key: version unknown)."""
    moved = {}
    for word in data.decode().split():
        key, _, version = word.partition("=")
        moved[key] = int(version) if version.isdigit() else None
    return moved


def _notify_local(app, keys) -> None:
    hub = app.extensions.get("sinergi_live_hub")
    if hub is not None:
        hub.notify(dict.fromkeys(keys))


def _forget_read_versions() -> None:
    if has_request_context():
        g.pop("live_versions", None)


def versions(*keys: str) -> tuple[int, ...]:
    """The keys' current versions. Within a request they are read once (see prefetch), and read again
    after the request commits a change of its own, or after it waited for one."""
    known = g.setdefault("live_versions", {}) if has_request_context() else {}
    missing = [k for k in keys if k not in known]
    if missing:
        known.update(zip(missing, _read(missing)))
    return tuple(known[k] for k in keys)


def prefetch(*keys: str) -> None:
    """Read the versions a page will need in one round trip instead of one each (the viewer's
    access key, which every etag() adds, included)."""
    from flask_login import current_user

    if current_user and current_user.is_authenticated:
        keys = (*keys, access_key(current_user.id))
    versions(*keys)


def _read(keys: list[str], own_connection: bool = False) -> tuple[int, ...]:
    """Versions from Redis, or from live_versions: through the request's session (a POST's
    transaction holds SQLite's write lock, a second connection would wait for it), or with
    `own_connection` through a short connection of its own (a waiting request, the watcher thread)."""
    client = _redis()
    if client is not None:
        try:
            values = client.mget([_prefix() + k for k in keys])
        except Exception as error:
            _outage.failed(current_app.logger, "reading versions", error)
            return tuple(-1 for _ in keys)
        _outage.worked(current_app.logger)
        return tuple(int(v or 0) for v in values)
    query = sql_select(LiveVersion.key, LiveVersion.version).where(LiveVersion.key.in_(keys))
    if own_connection:
        with db.engine.connect() as connection:
            found = dict(connection.execute(query).all())
    else:
        found = dict(db.session.execute(query).all())
    return tuple(found.get(k, 0) for k in keys)


class _SessionViewer:
    """Who the session says is signed in, without loading their row: enough for an ETag (user id and
    session version, as User.get_id gives them). A wrong or revoked session only ever gets a 304 or
    a wait from it; whatever sends content loads the user through Flask-Login and checks rights."""

    __slots__ = ("id", "_raw")
    is_authenticated = True

    def __init__(self, user_id: int, raw: str):
        self.id, self._raw = user_id, raw

    def get_id(self) -> str:
        return self._raw


def viewer():
    """The viewer for a live endpoint's first ETag: current_user when Flask-Login has already loaded
    it in this request, else the session's "<id>:<session version>" as it stands. A page's waiting
    request is the most frequent request there is (every page asks again after each answer): this
    spares it the user's row, so a wait, and the 304 that ends it, touch no database. Nothing is
    written to the session here: an answer that waited 25 s must never set a cookie (it would bring
    back a session signed out meanwhile)."""
    from flask_login import current_user

    from app.accounts.routes import parse_user_id

    if "_login_user" in g:  # Flask-Login's per-request user: already loaded
        return current_user._get_current_object()
    raw = session.get("_user_id")
    if raw is None:
        return current_app.login_manager.anonymous_user()
    parsed = parse_user_id(raw)
    if parsed is None:
        return current_user._get_current_object()
    return _SessionViewer(parsed[0], raw)


def etag(user, *keys: str) -> str:
    """What the viewer's copy depends on: the versions (of the keys and of the viewer's rights), who
    is looking, and in which language."""
    signed_in = user is not None and user.is_authenticated
    who = user.get_id() if signed_in else "anon"
    if signed_in:
        keys = (*keys, access_key(user.id))
    # The language as the session has it (the switch in the header and the profile set it): known
    # without the user's row. A language or time zone chosen in the profile also moves the person's
    # access key (accounts.service), so their open pages render again at once, everywhere.
    recipe = (keys, who, session.get("lang", "") if has_request_context() else "")
    tag = _tag(recipe, versions(*keys))
    if has_request_context():
        g.setdefault("live_recipes", {})[tag] = recipe
    return tag


def _tag(recipe, values) -> str:
    keys, who, locale = recipe
    raw = f"{keys}|{tuple(values)}|{who}|{locale}"
    return hashlib.sha1(raw.encode()).hexdigest()[:20]


def not_modified(tag: str):
    """A 304 response if the client already has `tag`, else None (the caller renders the fresh copy,
    checking permissions first).

    A request with `Prefer: wait=N` that already has `tag` waits here, up to N seconds (at most
    LIVE_WAIT_S), for the tag to change: then None, with the fresh versions already read, so the
    caller's etag() gives the new tag. After a wait that ends without a change: 304."""
    if request.if_none_match.contains(tag):
        seconds = _requested_wait()
        if not (seconds and _wait_for_change(tag, seconds)):
            response = make_response("", 304)
            _cache_headers(response, tag)
            return response
    _enter_render_gate()
    return None


def with_etag(response, tag: str):
    _cache_headers(response, tag)
    return response


def _cache_headers(response, tag: str) -> None:
    response.set_etag(tag)
    # Always revalidate; never kept by a shared cache (the content depends on who is looking).
    response.headers["Cache-Control"] = "private, no-cache"
    response.vary.add("Cookie")


# -- waiting ------------------------------------------------------------------------------

def _requested_wait() -> float:
    """Seconds this request may wait: what it asks for (Prefer: wait=N, RFC 7240), within LIVE_WAIT_S;
    0 on a server that would block a whole process while waiting (gunicorn sync workers)."""
    match = _PREFER_WAIT.search(request.headers.get("Prefer", ""))
    if not match or not request.environ.get("wsgi.multithread"):
        return 0
    return min(int(match.group(1)), current_app.config.get("LIVE_WAIT_S", 25))


def _wait_for_change(tag: str, seconds: float) -> bool:
    """Wait until the versions behind `tag` move (True) or the time is up, the client went away or
    the worker stops (False). False at once when this process already holds LIVE_MAX_WAITS waiting
    requests: the page then polls at its interval instead of taking the threads ordinary requests need."""
    recipe = g.get("live_recipes", {}).get(tag)
    if recipe is None:
        return False
    keys = recipe[0]
    hub = _hub()
    waiter = hub.register(keys, _client_socket())
    if waiter is None:
        return False
    try:
        # Nothing this request loaded is needed while it waits: give its database connection back to
        # the pool (a hundred waiting pages must not hold a hundred connections).
        db.session.rollback()
        deadline = time.monotonic() + seconds
        fresh = _read(list(keys), own_connection=True)  # read after registering: a change from now on wakes us
        while True:
            if _tag(recipe, fresh) != tag:
                g.setdefault("live_versions", {}).update(zip(keys, fresh))
                return True
            remaining = deadline - time.monotonic()
            if remaining <= 0 or waiter.gone or hub.stopping:
                return False
            woken = waiter.event.wait(min(remaining, RECHECK_S))
            waiter.event.clear()
            if waiter.gone or hub.stopping:
                return False
            seen, waiter.seen = waiter.seen, {}
            if woken and seen and None not in seen.values():
                # The wake-up said which versions the keys moved to: never backwards, and the keys
                # it did not name are as last read. (A lost wake-up is caught by the re-read below
                # at the next RECHECK_S.)
                fresh = tuple(max(v, seen.get(k, v)) for k, v in zip(keys, fresh))
            else:
                fresh = _read(list(keys), own_connection=True)
    finally:
        hub.unregister(waiter)


def _client_socket():
    """The client's connection, to notice a page that went away (HTTP/1.x; HTTP/2 multiplexes one)."""
    if request.environ.get("HTTP_VERSION") == "2":
        return None
    sock = request.environ.get("gunicorn.socket") or request.environ.get("werkzeug.socket")
    return sock if isinstance(sock, socket.socket) else None


def _enter_render_gate() -> None:
    if "live_gate" in g:
        return
    gate = _hub().renders
    if not gate.acquire(blocking=False):
        # In the queue behind other renders: without this request's database connection, which the
        # renders ahead of it and the waiting requests need (the pool is far smaller than the queue).
        db.session.rollback()
        gate.acquire()
    g.live_gate = gate


def _leave_render_gate(sender, **extra) -> None:
    gate = g.pop("live_gate", None) if has_request_context() else None
    if gate is not None:
        gate.release()


request_tearing_down.connect(_leave_render_gate)


class _Waiter:
    __slots__ = ("keys", "event", "sock", "gone", "seen")

    def __init__(self, keys, sock):
        self.keys = keys
        self.event = threading.Event()
        self.sock = sock
        self.gone = False
        self.seen = {}  # key -> the version a wake-up said it moved to (None: not said)


class Hub:
    """The waiting requests of one worker process, and the one thread that wakes them: it listens on
    Redis pub/sub, or without Redis reads the watched versions every WATCH_S; once a second it also
    ends the waits whose client went away, and all of them when the worker stops."""

    def __init__(self, app):
        self.app = app
        self.pid = os.getpid()
        self.max_waits = int(app.config.get("LIVE_MAX_WAITS", 64))
        self.renders = threading.BoundedSemaphore(RENDERS_AT_ONCE)
        self.lock = threading.Lock()
        self.by_key: dict[str, set] = {}
        self.waiters: set = set()
        self.thread = None
        self.ready = threading.Event()  # the listener is subscribed (Redis) or the watcher runs
        self.failing = False
        self.stopping = False
        self._last_busy = time.monotonic()
        self._swept_at = 0.0
        self.should_stop = None  # set by gunicorn.conf.py: a callable saying the worker is stopping

    # waiting requests ---------------------------------------------------------------------
    def register(self, keys, sock=None):
        with self.lock:
            if self.stopping or len(self.waiters) >= self.max_waits:
                return None
            waiter = _Waiter(keys, sock)
            self.waiters.add(waiter)
            self._last_busy = time.monotonic()
            for key in keys:
                self.by_key.setdefault(key, set()).add(waiter)
            if self.thread is None or not self.thread.is_alive():
                self.ready.clear()
                self.thread = threading.Thread(target=self._run, name="sinergi-live", daemon=True)
                self.thread.start()
        # With Redis down, do not hold the request: the page polls at its interval until it is back.
        if not self.ready.wait(0 if self.failing else 2):
            self.unregister(waiter)
            return None
        return waiter

    def unregister(self, waiter) -> None:
        with self.lock:
            self.waiters.discard(waiter)
            for key in waiter.keys:
                bucket = self.by_key.get(key)
                if bucket is not None:
                    bucket.discard(waiter)
                    if not bucket:
                        del self.by_key[key]

    def notify(self, moved: dict) -> None:
        """Wake the requests waiting on any of the keys of `moved` (key -> the version it moved to,
        None where not known: those waiters read their versions again)."""
        with self.lock:
            woken = set()
            for key, version in moved.items():
                for waiter in self.by_key.get(key, ()):
                    known = waiter.seen.get(key, 0)
                    waiter.seen[key] = None if version is None or known is None else max(known, version)
                    woken.add(waiter)
        for waiter in woken:
            waiter.event.set()

    def notify_all(self) -> None:
        with self.lock:
            woken = list(self.waiters)
            for waiter in woken:
                waiter.seen["*"] = None  # versions unknown: each reads its own again
        for waiter in woken:
            waiter.event.set()

    def stop(self) -> None:
        """End every wait now (each answers 304) and refuse new ones: the worker is shutting down."""
        self.stopping = True
        self.notify_all()

    # the thread ---------------------------------------------------------------------------
    def _run(self) -> None:
        with self.app.app_context():
            if current_app.config.get("REDIS_URL"):
                self._listen(_redis())
            else:
                self._watch()

    def _idle(self) -> bool:
        """True when nobody has waited for a while: the thread ends (the next wait starts another)."""
        with self.lock:
            if self.waiters:
                self._last_busy = time.monotonic()
                return False
            if time.monotonic() - self._last_busy < 30:
                return False
            self.ready.clear()
            self.thread = None
            return True

    def _listen(self, client) -> None:
        channel, pause = _channel(client), 0.5
        while not self.stopping:
            pubsub = client.pubsub()
            try:
                pubsub.subscribe(channel)
                if pubsub.get_message(timeout=5) is None:  # the confirmation: from now on nothing is missed
                    raise TimeoutError("no answer to SUBSCRIBE")
                self.failing, pause = False, 0.5
                _outage.worked(self.app.logger)
                self.ready.set()
                self.notify_all()  # (re)connected: whatever happened meanwhile is read again
                while not self.stopping:
                    message = pubsub.get_message(ignore_subscribe_messages=True, timeout=1.0)
                    if message and message.get("type") == "message":
                        self.notify(_moved(message["data"]))
                    self._housekeeping()
                    if self._idle():
                        return
            except Exception as error:  # Redis down or restarting: the waits end, pages poll until it is back
                self.failing = True
                self.ready.clear()
                _outage.failed(self.app.logger, "listening for changes", error)
                self.notify_all()
                time.sleep(pause)
                pause = min(pause * 2, 10)
                if self._idle():
                    return
            finally:
                try:
                    pubsub.close()
                except Exception:  # noqa: BLE001 - closing a connection that already failed
                    pass

    def _watch(self) -> None:
        seen: dict[str, int] = {}
        self.ready.set()
        next_at = time.monotonic()
        while not self.stopping:
            with self.lock:
                keys = list(self.by_key)
            if keys:
                try:
                    current = dict(zip(keys, _read(keys, own_connection=True)))
                except Exception as error:  # noqa: BLE001 - a database hiccup: the waits re-read on their own
                    self.app.logger.debug("live: watcher could not read versions: %s", error)
                    current = {}
                moved = [k for k, v in current.items() if seen.get(k) != v]
                seen = current
                if moved:
                    self.notify(dict.fromkeys(moved))
            self._housekeeping()
            if self._idle():
                return
            next_at += WATCH_S
            time.sleep(max(0.0, next_at - time.monotonic()))
            next_at = max(next_at, time.monotonic() - WATCH_S)

    def _housekeeping(self) -> None:
        now = time.monotonic()
        if now - self._swept_at < 1:
            return
        self._swept_at = now
        if self.should_stop is not None and not self.stopping and self.should_stop():
            self.stop()
            return
        with self.lock:
            watched = [w for w in self.waiters if w.sock is not None]
        if watched:
            for waiter in _gone(watched):
                waiter.gone = True
                waiter.event.set()


def _gone(waiters) -> list:
    """The waiters whose client closed its connection (readable, and nothing to read)."""
    poller = select.poll()
    by_fd = {}
    for waiter in waiters:
        try:
            fd = waiter.sock.fileno()
        except OSError:
            continue
        if fd < 0:
            continue
        by_fd[fd] = waiter
        poller.register(fd, select.POLLIN | select.POLLHUP | select.POLLERR)
    gone = []
    for fd, events in poller.poll(0):
        waiter = by_fd[fd]
        if events & (select.POLLHUP | select.POLLERR):
            gone.append(waiter)
            continue
        try:
            if waiter.sock.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b"":
                gone.append(waiter)
        except (BlockingIOError, ValueError):  # data waiting (a pipelined request), or TLS: still there
            pass
        except OSError:
            gone.append(waiter)
    return gone


_hub_lock = threading.Lock()


def _hub() -> Hub:
    app = current_app._get_current_object()
    hub = app.extensions.get("sinergi_live_hub")
    if hub is None or hub.pid != os.getpid():  # a fork (gunicorn --preload) starts without threads
        with _hub_lock:
            hub = app.extensions.get("sinergi_live_hub")
            if hub is None or hub.pid != os.getpid():
                hub = app.extensions["sinergi_live_hub"] = Hub(app)
    return hub


def hub_for(app) -> Hub:
    """This process's hub of `app` (gunicorn.conf.py hands it the worker's stop signal; tests stop it)."""
    with app.app_context():
        return _hub()
