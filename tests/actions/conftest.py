"""Fixtures of the actions tests: a query counter, and helpers to make actions with history."""
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from sqlalchemy import event

from app.actions import service
from app.actions.models import Status


class QueryCounter:
    def __init__(self):
        self.statements = []

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(db):
    """`with count_queries() as q: ...; q.count` counts the SQL statements run inside the block."""

    @contextmanager
    def counting():
        from app import pagecache

        pagecache.forget_all()  # count what rendering the page costs, not a cached answer
        counter = QueryCounter()

        def before(conn, cursor, statement, parameters, context, executemany):
            if not statement.lstrip().upper().startswith(("BEGIN", "PRAGMA", "SAVEPOINT", "RELEASE", "COMMIT", "ROLLBACK")):
                counter.statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", before)
        try:
            yield counter
        finally:
            event.remove(db.engine, "before_cursor_execute", before)

    return counting


@pytest.fixture
def today(app):
    with app.test_request_context():
        return service.today()


@pytest.fixture
def make_action(programme, alice, db):
    """make_action(title=…, status=…, note=…, **fields) through the service, as alice."""

    def make(title="Siapkan usulan Perwali", status=Status.BARU, note="", **fields):
        fields.setdefault("due_date", date.today() + timedelta(days=10))
        return service.create(programme, alice, title=title, status=status, status_note=note, **fields)

    return make


@pytest.fixture(autouse=True)
def english(app):
    """These tests read English UI text: the personas' language (Indonesian) would apply whenever the
    catalogues are compiled (`make setup`). The Indonesian terms have their own test."""
    app.extensions["babel"].locale_selector = lambda: "en"
