"""The actions table: each filter alone and combined, sorting, pagination, fragment and full page."""
import re
from datetime import timedelta

import pytest

from app.actions import service
from app.actions.models import Priority, SourceKind, Status
from app.pentahelix import Element

HX = {"HX-Request": "true"}


def ids_in(response) -> list[int]:
    return [int(i) for i in re.findall(r'<tr id="action-(\d+)"', response.get_data(as_text=True))]


@pytest.fixture
def world(factories, programme, alice, bob, member, today):
    """Six actions that differ in every filtered dimension."""
    media_org = factories.OrganisationFactory(name="Bontang Post", element=Element.MEDIA)
    dewi = member("commenter", name="Dewi Media", organisation=media_org)
    make = lambda title, **kw: service.create(programme, alice, title=title, **kw)  # noqa: E731
    actions = {
        "perwali": make("Siapkan usulan Perwali", assignee=alice, due_date=today - timedelta(days=5),
                        labels=["regulasi"], meeting_id=7, meeting_label="Rakor 2025",
                        source_kind=SourceKind.DECISION, source_label="Perlu regulasi", priority=Priority.URGENT),
        "jobfair": make("Sosialisasi di Job Fair", assignee=bob, due_date=today + timedelta(days=3),
                        status=Status.DIKERJAKAN, labels=["SDM"], meeting_id=7, meeting_label="Rakor 2025"),
        "liputan": make("Liputan Rakor", assignee=dewi, due_date=today - timedelta(days=20), status=Status.SELESAI,
                        labels=["media"], meeting_id=8, meeting_label="RDP DPRD"),
        "lahan": make("Status lahan bike park", assignee=bob, due_date=today - timedelta(days=1),
                      status=Status.TERHAMBAT, status_note="Menunggu Pemprov", labels=["regulasi"]),
        "kalender": make("Kalender bersama", due_date=today + timedelta(days=40), status=Status.DIBATALKAN),
        "rpjmd": make("Masuk RPJMD", priority=Priority.HIGH),
    }
    return {k: v.id for k, v in actions.items()} | {"dewi": dewi, "media_org": media_org}


def get(client, programme, query="", headers=None):
    return client.get(f"/p/{programme.slug}/actions/{query}", headers=headers or {})


def test_it_lists_every_action_by_due_date_undated_last(client, login_as, alice, programme, world):
    login_as(alice)
    w = world
    assert ids_in(get(client, programme)) == [w["liputan"], w["perwali"], w["lahan"], w["jobfair"], w["kalender"], w["rpjmd"]]


@pytest.mark.parametrize("query, expected", [
    ("?status=terhambat", ["lahan"]),
    ("?status=baru&status=dikerjakan", ["perwali", "jobfair", "rpjmd"]),
    ("?element=media", ["liputan"]),
    ("?element=pemerintah", ["perwali"]),
    ("?assignee=none", ["kalender", "rpjmd"]),
    ("?assignee=me", ["perwali"]),
    ("?overdue=1", ["perwali", "lahan"]),
    ("?meeting=7", ["perwali", "jobfair"]),
    ("?q=rakor", ["liputan"]),
    ("?q=%25", []),
])
def test_each_filter_alone(client, login_as, alice, programme, world, query, expected):
    login_as(alice)
    assert ids_in(get(client, programme, query)) == [world[k] for k in expected]


def test_the_assignee_filter(client, login_as, alice, bob, programme, world):
    login_as(alice)
    assert ids_in(get(client, programme, f"?assignee={bob.id}")) == [world["lahan"], world["jobfair"]]


def test_the_organisation_filter(client, login_as, alice, programme, world):
    login_as(alice)
    assert ids_in(get(client, programme, f"?organisation={world['media_org'].id}")) == [world["liputan"]]


def test_the_label_filter(client, db, login_as, alice, programme, world):
    from sqlalchemy import select

    from app.actions.models import Label

    label = db.session.execute(select(Label).filter_by(programme_id=programme.id, name="regulasi")).scalar_one()
    login_as(alice)
    assert ids_in(get(client, programme, f"?label={label.id}")) == [world["perwali"], world["lahan"]]


def test_the_due_range_filter(client, login_as, alice, programme, world, today):
    login_as(alice)
    start, end = (today - timedelta(days=5)).isoformat(), (today + timedelta(days=3)).isoformat()
    assert ids_in(get(client, programme, f"?due_from={start}&due_to={end}")) == [world["perwali"], world["lahan"], world["jobfair"]]
    assert ids_in(get(client, programme, f"?due_from={start}")) == [world["perwali"], world["lahan"], world["jobfair"], world["kalender"]]
    assert ids_in(get(client, programme, f"?due_to={start}")) == [world["liputan"], world["perwali"]]


def test_filters_combine(client, login_as, alice, bob, programme, world):
    login_as(alice)
    assert ids_in(get(client, programme, "?overdue=1&status=terhambat")) == [world["lahan"]]
    assert ids_in(get(client, programme, f"?assignee={bob.id}&status=dikerjakan&meeting=7")) == [world["jobfair"]]
    assert ids_in(get(client, programme, "?meeting=7&overdue=1&element=pemerintah&q=perwali")) == [world["perwali"]]
    assert ids_in(get(client, programme, "?meeting=8&overdue=1")) == []


def test_values_that_do_not_parse_are_ignored(client, login_as, alice, programme, world):
    login_as(alice)
    response = get(client, programme, "?status=nope&element=x&assignee=abc&due_from=31-31-2025&page=-4&sort=evil&meeting=x")
    assert response.status_code == 200
    assert len(ids_in(response)) == 6


@pytest.mark.parametrize("sort, first", [("priority", "perwali"), ("status", "perwali"), ("title", "kalender"),
                                          ("-due", "kalender")])
def test_it_sorts(client, login_as, alice, programme, world, sort, first):
    login_as(alice)
    assert ids_in(get(client, programme, f"?sort={sort}"))[0] == world[first]


def test_the_filter_stays_in_the_links(client, login_as, alice, programme, world):
    login_as(alice)
    html = get(client, programme, "?status=baru&overdue=1").get_data(as_text=True)
    assert "export.csv?status=baru&amp;overdue=1" in html
    assert 'value="baru" checked' in html


def test_it_pages_50_at_a_time(client, login_as, alice, programme, factories):
    for n in range(55):
        factories.ActionFactory(programme=programme, title=f"Tugas {n:02}")
    login_as(alice)
    first = get(client, programme, "?sort=title")
    assert len(ids_in(first)) == 50 and "Page 1 of 2" in first.get_data(as_text=True)
    second = get(client, programme, "?sort=title&page=2")
    assert len(ids_in(second)) == 5
    assert "page=1" in second.get_data(as_text=True) or "rel=\"prev\"" in second.get_data(as_text=True)
    beyond = get(client, programme, "?sort=title&page=99")
    assert len(ids_in(beyond)) == 5  # the last page, not an empty one


def test_htmx_gets_only_the_results(client, login_as, alice, programme, world):
    login_as(alice)
    fragment = get(client, programme, "?status=terhambat", headers=HX)
    html = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and "<html" not in html and html.lstrip().startswith('<div id="results"')
    assert ids_in(fragment) == [world["lahan"]]
    assert "HX-Request" in fragment.headers.get("Vary", "")
    full = get(client, programme, "?status=terhambat").get_data(as_text=True)
    assert "<html" in full and 'role="search"' in full


def test_a_boosted_navigation_gets_the_whole_page(client, login_as, alice, programme, world):
    login_as(alice)
    html = get(client, programme, headers={**HX, "HX-Boosted": "true"}).get_data(as_text=True)
    assert "<html" in html


def test_charlie_gets_404_for_the_fragment_too(client, login_as, charlie, programme, world):
    login_as(charlie)
    assert get(client, programme, "?status=baru", headers=HX).status_code == 404
