"""Engine behaviour per backend.

SQLite: WAL so readers never wait for a writer, a busy timeout, and in a request that may write
(POST, PUT, PATCH, DELETE) no transaction that reads and then writes without holding the write
lock from its start: a deferred transaction that reads and then writes fails with "database is
locked" under concurrent writers instead of waiting its turn (its WAL snapshot is stale once
another writer has committed, and SQLite cannot wait that away).

- The first transaction of each app context in such a request (the service's: it reads, decides
  and writes) starts with BEGIN IMMEDIATE, as it always did.
- Once that context has committed, its later transactions (rendering the htmx fragment, in the
  main) start without a BEGIN: their reads run in autocommit, each on the newest data, and take
  no lock, so sixteen writers no longer queue behind each other's template rendering. Should one
  of them write after all (a second service, a flush of pending changes, a SAVEPOINT, a SELECT …
  FOR UPDATE), BEGIN IMMEDIATE is issued just before that statement: the write waits for the lock
  (busy timeout) with no stale snapshot behind it, so it never fails with "database is locked".
  Reads before that statement see committed data statement by statement: PostgreSQL's READ
  COMMITTED; services that read, decide and write hold the row with `lock()` (FOR UPDATE), which
  takes the lock here too.
- A writer that runs after the commit in an app context of its own (notifications from
  app/collab/domains.py) starts that context's first transaction: BEGIN IMMEDIATE.

Safe requests (GET, HEAD, OPTIONS) and work outside requests (CLI, tests calling services) start
deferred transactions, as before.
"""
import re

from flask import g, has_app_context, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from app.extensions import db

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# conn.info key: set while a transaction has started without BEGIN (its reads run in autocommit)
# and BEGIN IMMEDIATE is still to be issued before its first statement that is not a plain read.
_LAZY = "sinergi_begin_before_write"
# g key: the app context's session has committed a transaction during this request.
_COMMITTED = "_sinergi_committed"
_READ = re.compile(r"\s*(SELECT|VALUES|EXPLAIN)\b", re.I)


def _is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def init_app(app) -> None:
    with app.app_context():
        engine = db.engine
    if app.config.get("SQL_QUERY_COUNT_HEADER"):
        _count_queries(app, engine)
    if not _is_sqlite(engine):
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, connection_record):
        # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's own is always deferred).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        conn.info.pop(_LAZY, None)
        if not has_request_context() or request.method in SAFE_METHODS:
            conn.exec_driver_sql("BEGIN")
        elif has_app_context() and g.get(_COMMITTED):
            # pysqlite with isolation_level=None is in autocommit until a BEGIN: nothing to send
            # now; COMMIT and ROLLBACK of a transaction that never began are no-ops there.
            conn.info[_LAZY] = True
        else:
            conn.exec_driver_sql("BEGIN IMMEDIATE")

    @event.listens_for(engine, "before_cursor_execute")
    def _begin_before_first_write(conn, cursor, statement, parameters, context, executemany):
        if conn.info.get(_LAZY) and not _plain_read(statement, context):
            del conn.info[_LAZY]
            cursor.execute("BEGIN IMMEDIATE")

    @event.listens_for(engine, "commit")
    @event.listens_for(engine, "rollback")
    def _end(conn):
        conn.info.pop(_LAZY, None)



@event.listens_for(Session, "after_commit")
def _mark_committed(session) -> None:
    # Only the app context's own (scoped) session: a session made elsewhere says nothing about it.
    if has_request_context() and db.session.registry.has() and db.session.registry() is session:
        g.setdefault(_COMMITTED, True)


def _plain_read(statement: str, context) -> bool:
    """A statement that takes no write lock: a SELECT without FOR UPDATE (SQLite drops the clause
    from the SQL, so it is read from the statement object)."""
    if not _READ.match(statement):
        return False
    compiled = getattr(context, "compiled", None)
    return getattr(getattr(compiled, "statement", None), "_for_update_arg", None) is None


def _count_queries(app, engine: Engine) -> None:
    """X-Query-Count on every response: for benchmarks and query-count tests, off by default."""

    @event.listens_for(engine, "before_cursor_execute")
    def _count(conn, cursor, statement, parameters, context, executemany):
        if has_request_context():
            g._query_count = g.get("_query_count", 0) + 1

    @app.after_request
    def _header(response):
        response.headers["X-Query-Count"] = str(g.get("_query_count", 0))
        return response
