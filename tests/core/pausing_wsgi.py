"""gunicorn entry point for tests/core/test_killed_worker.py only: the real app (`wsgi:app`) plus a
pause at one point inside a save's transaction, so the test can SIGKILL the worker exactly there.

Off unless SINERGI_TEST_PAUSE_AT names the point:
  "revision"  just after the INSERT of the new revision row (draft unit or minutes),
  "head"      just after the UPDATE of the unit's / agenda item's head,
  "commit"    when every statement has run, just before COMMIT is sent.
Only inside a POST that saves a draft unit or minutes. The paused worker writes its pid to
SINERGI_TEST_PAUSE_MARKER and sleeps; while that file exists, nothing pauses again.
The product code knows nothing of this: the hook is a SQLAlchemy event listener set up here.
"""
import os
import time

from flask import has_request_context, request
from sqlalchemy import event

from app import create_app
from app.extensions import db

app = create_app()

PAUSE_AT = os.environ.get("SINERGI_TEST_PAUSE_AT", "")
MARKER = os.environ.get("SINERGI_TEST_PAUSE_MARKER", "")
STATEMENTS = {
    "revision": ("INSERT INTO DRAFT_UNIT_REVISIONS", "INSERT INTO MINUTES_REVISIONS"),
    "head": ("UPDATE DRAFT_UNITS", "UPDATE AGENDA_ITEMS"),
}


def _pause():
    saving = has_request_context() and request.endpoint in ("drafts.save_unit", "meetings.save_minutes")
    if not saving or not MARKER or os.path.exists(MARKER):
        return
    with open(MARKER, "w") as fh:
        fh.write(str(os.getpid()))
    time.sleep(120)  # the test kills us long before this ends


if PAUSE_AT:
    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "after_cursor_execute")
    def _after_statement(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith(STATEMENTS.get(PAUSE_AT, ())):
            _pause()

    @event.listens_for(engine, "commit")
    def _before_commit(conn):
        # ConnectionEvents.commit runs before the DBAPI commit is sent.
        if PAUSE_AT == "commit":
            _pause()
