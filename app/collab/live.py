"""Live updates by conditional polling: a version counter per key, bumped by the transaction that
changes what the key shows; pages poll with If-None-Match and get 304 until the version moves.

Keys: a target's key ("programme-3", see Target.key) for its discussion, "user-<id>" for that
person's bell. With REDIS_URL the counters live in Redis (INCR after commit, GET on poll: no
database work for an unchanged page); without it in the live_versions table, bumped inside the
committing transaction. Both are shared by every gunicorn worker. See docs/live-updates.md.
"""
import hashlib

from flask import current_app, g, has_request_context, make_response, request
from sqlalchemy import select, text

from app.collab import hooks
from app.collab.live_models import LiveVersion
from app.extensions import db

REDIS_PREFIX = "sinergi:live:"


def touch(*keys: str) -> None:
    """Mark keys as changed by the current transaction (bumped when it commits)."""
    db.session.info.setdefault("live_keys", set()).update(keys)


def _redis():
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    client = current_app.extensions.get("sinergi_live_redis")
    if client is None:
        import redis

        client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        current_app.extensions["sinergi_live_redis"] = client
    return client


@hooks.before_commit
def _bump_changed(session) -> None:
    keys = session.info.pop("live_keys", None)
    if not keys:
        return
    hooks.on_commit(session, _forget_read_versions)
    client = _redis()
    if client is None:
        for key in sorted(keys):  # a fixed order: two writers never wait on each other in a circle
            session.execute(
                text(
                    "INSERT INTO live_versions (key, version) VALUES (:key, 1) "
                    "ON CONFLICT (key) DO UPDATE SET version = live_versions.version + 1"
                ),
                {"key": key},
            )
        return
    logger = current_app.logger

    def bump():
        try:
            with client.pipeline(transaction=False) as pipe:
                for key in keys:
                    pipe.incr(REDIS_PREFIX + key)
                pipe.execute()
        except Exception as error:  # a page then updates on the next change or reload; never fail the save
            logger.warning("live: could not bump %s in Redis: %s", sorted(keys), error)

    hooks.on_commit(session, bump)


def _forget_read_versions() -> None:
    if has_request_context():
        g.pop("live_versions", None)


def versions(*keys: str) -> tuple[int, ...]:
    """The keys' current versions. Within a request they are read once (see prefetch), and read again
    after the request commits a change of its own."""
    known = g.setdefault("live_versions", {}) if has_request_context() else {}
    missing = [k for k in keys if k not in known]
    if missing:
        known.update(zip(missing, _read(missing)))
    return tuple(known[k] for k in keys)


def prefetch(*keys: str) -> None:
    """Read the versions a page will need in one round trip instead of one each."""
    versions(*keys)


def _read(keys: list[str]) -> tuple[int, ...]:
    client = _redis()
    if client is not None:
        try:
            values = client.mget([REDIS_PREFIX + k for k in keys])
            return tuple(int(v or 0) for v in values)
        except Exception as error:
            current_app.logger.warning("live: Redis unavailable: %s", error)
            return tuple(-1 for _ in keys)
    found = dict(db.session.execute(select(LiveVersion.key, LiveVersion.version).where(LiveVersion.key.in_(keys))).all())
    return tuple(found.get(k, 0) for k in keys)


def etag(user, *keys: str) -> str:
    """What the viewer's copy depends on: the versions, who is looking, and in which language."""
    from flask_babel import get_locale

    who = user.get_id() if user is not None and user.is_authenticated else "anon"
    raw = f"{keys}|{versions(*keys)}|{who}|{get_locale()}"
    return hashlib.sha1(raw.encode()).hexdigest()[:20]


def not_modified(tag: str):
    """A 304 response if the client already has `tag`, else None."""
    if request.if_none_match.contains(tag):
        response = make_response("", 304)
        _cache_headers(response, tag)
        return response
    return None


def with_etag(response, tag: str):
    _cache_headers(response, tag)
    return response


def _cache_headers(response, tag: str) -> None:
    response.set_etag(tag)
    # Always revalidate; never kept by a shared cache (the content depends on who is looking).
    response.headers["Cache-Control"] = "private, no-cache"
    response.vary.add("Cookie")
