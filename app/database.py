"""Engine behaviour per backend.

SQLite: WAL so readers never wait for a writer, a busy timeout, and for every
request that may write (POST, PUT, PATCH, DELETE) a transaction started with
BEGIN IMMEDIATE: a deferred transaction that reads and then writes fails with
"database is locked" under concurrent writers instead of waiting its turn.
"""
from flask import g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

from app.extensions import db

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


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
        if has_request_context() and request.method not in SAFE_METHODS:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")


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
