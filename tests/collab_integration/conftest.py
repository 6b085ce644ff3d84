"""Objects of each domain, made through their factories and services, for the integration tests."""
import pytest

from app.drafts import service as drafts
from app.drafts.models import DraftKind
from tests.meetings.conftest import AgendaItemFactory, MeetingFactory


@pytest.fixture
def app_config(app_config):
    """These tests read English UI strings and count queries through the response header."""
    return {**app_config, "BABEL_DEFAULT_LOCALE": "en", "LANGUAGES": ("en",), "SQL_QUERY_COUNT_HEADER": True}


@pytest.fixture
def action(factories, programme):
    return factories.ActionFactory(programme=programme, title="Susun peta jalan wisata industri",
                                   description="Rancangan peta jalan bersama kampus")


@pytest.fixture
def meeting(programme, alice):
    return MeetingFactory(programme_id=programme.id, created_by_id=alice.id)


@pytest.fixture
def agenda_item(meeting):
    return AgendaItemFactory(meeting_id=meeting.id, title="Paparan konsep program", position=0)


@pytest.fixture
def draft(programme, alice):
    return drafts.create_draft(programme, alice, "Penyelenggaraan Wisata Kota Industri", DraftKind.RAPERDA,
                               "Kota Bontang")


@pytest.fixture
def unit(draft):
    return next(n.unit for n in drafts.load_tree(draft.id).pasals())


@pytest.fixture
def page_of(programme):
    """The page that shows an object's discussion."""

    def make(obj):
        from app.actions.models import Action
        from app.drafts.models import Draft, Unit
        from app.meetings.models import Meeting

        base = f"/p/{programme.slug}"
        if isinstance(obj, Action):
            return f"{base}/actions/{obj.id}"
        if isinstance(obj, Meeting):
            return f"{base}/meetings/{obj.id}"
        if isinstance(obj, Draft):
            return f"{base}/drafts/{obj.id}/"
        if isinstance(obj, Unit):
            return f"{base}/drafts/{obj.draft_id}/units/{obj.id}"
        raise LookupError(obj)

    return make
