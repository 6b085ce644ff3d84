"""Work tied to the session's transaction, so that services keep their one commit.

- `before_commit(fn)`: a function run inside the transaction just before it commits, after a
  flush (the search index and the database live-version counters are written here, so they
  commit or roll back with the change that caused them).
- `on_commit(fn)`: a callable run once the transaction has committed (mail, Redis): nothing is
  sent for a change that rolled back.
"""
from flask_sqlalchemy.session import Session
from sqlalchemy import event

_BEFORE_COMMIT: list = []
_installed = False


def before_commit(fn):
    """Register fn(session) to run before every commit (a decorator, used at import time)."""
    _BEFORE_COMMIT.append(fn)
    return fn


def on_commit(session, fn) -> None:
    session.info.setdefault("on_commit", []).append(fn)


def install() -> None:
    global _installed
    if _installed:
        return
    _installed = True

    @event.listens_for(Session, "before_commit")
    def _before_commit(session):
        if not _BEFORE_COMMIT:
            return
        session.flush()
        for fn in _BEFORE_COMMIT:
            fn(session)

    @event.listens_for(Session, "after_commit")
    def _after_commit(session):
        session.info.pop("uploaded_files", None)
        callbacks = session.info.pop("on_commit", [])
        for fn in callbacks:
            fn()

    @event.listens_for(Session, "after_soft_rollback")
    def _after_rollback(session, previous_transaction):
        for key in ("on_commit", "live_keys", "search_pending"):
            session.info.pop(key, None)
        # Files written for a save that did not happen (see app/attachments/service.py).
        for path in session.info.pop("uploaded_files", []):
            path.unlink(missing_ok=True)
