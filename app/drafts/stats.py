"""Figures about a programme's drafts for other pages (the programme dashboard)."""
from sqlalchemy import func, select

from app.drafts.models import Draft, DraftStatus
from app.extensions import db


def count_by_status(programme) -> dict[DraftStatus, int]:
    """Every status in workflow order, with how many of the programme's drafts are in it (one query)."""
    rows = db.session.execute(
        select(Draft.status, func.count()).where(Draft.programme_id == programme.id).group_by(Draft.status)
    ).all()
    counts = dict(rows)
    return {status: counts.get(status, 0) for status in DraftStatus}
