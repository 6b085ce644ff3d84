"""Meeting fixtures: a Rakor in Bontang (WITA) with two agenda items, owned by alice's programme."""
from datetime import datetime, timezone

import factory
import pytest
from sqlalchemy import event

from app.extensions import db as _db
from app.meetings.models import AgendaItem, AgendaRevision, Meeting, MeetingKind, MeetingStatus
from tests.factories import Base


class MeetingFactory(Base):
    class Meta:
        model = Meeting

    title = factory.Sequence(lambda n: f"Rakor {n}")
    kind = MeetingKind.RAKOR
    # 09.00–11.00 WITA on 10 June 2025
    starts_at = datetime(2025, 6, 10, 1, 0, tzinfo=timezone.utc)
    ends_at = datetime(2025, 6, 10, 3, 0, tzinfo=timezone.utc)
    timezone = "Asia/Makassar"
    place = "Auditorium Pemkot Bontang"
    status = MeetingStatus.PLANNED
    agenda_version = 0


class AgendaItemFactory(Base):
    class Meta:
        model = AgendaItem

    title = factory.Sequence(lambda n: f"Agenda {n}")
    position = factory.Sequence(lambda n: n)
    planned_minutes = 20
    version = 1
    minutes = ""
    minutes_rev = 0

    @factory.post_generation
    def snapshot(obj, create, extracted, **kwargs):
        # Every item has its first revision: the base that edits merge against.
        _db.session.add(AgendaRevision(item_id=obj.id, number=1, title=obj.title, description=obj.description or "",
                                       presenter=obj.presenter or "", planned_minutes=obj.planned_minutes,
                                       link_url="", link_label="", confidential=obj.confidential or False))
        _db.session.commit()


@pytest.fixture
def meeting(programme, alice):
    return MeetingFactory(programme_id=programme.id, created_by_id=alice.id)


@pytest.fixture
def items(meeting):
    return [
        AgendaItemFactory(meeting_id=meeting.id, title="Paparan konsep program", position=0),
        AgendaItemFactory(meeting_id=meeting.id, title="Penambahan kata kota pada nama program", position=1),
    ]


@pytest.fixture
def url(programme, meeting):
    """url(suffix) -> the meeting's address plus suffix."""
    return lambda suffix="": f"/p/{programme.slug}/meetings/{meeting.id}{suffix}"


class QueryCounter:
    def __init__(self, engine):
        self.engine, self.count, self.statements = engine, 0, []

    def __enter__(self):
        from app import pagecache

        pagecache.forget_all()  # count what rendering the page costs, not a cached answer
        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._count)

    def _count(self, conn, cursor, statement, *args, **kwargs):
        self.count += 1
        self.statements.append(" ".join(statement.split())[:100])


@pytest.fixture
def count_queries(db):
    return lambda: QueryCounter(db.engine)


def text(html: str) -> str:
    """The page's visible text, tags removed and spaces collapsed: what a reader sees."""
    import re

    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))
