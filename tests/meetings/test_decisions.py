"""Decisions per agenda item, and the one step from a decision to an action item."""
from urllib.parse import parse_qs, urlparse

from sqlalchemy import select

from app.meetings.models import Decision, DecisionKind


def test_an_editor_records_a_decision_under_an_item(client, login_as, bob, url, items, factories, db):
    dpp = factories.OrganisationFactory(name="DPC MASATA Kota Bontang")
    login_as(bob)
    response = client.post(url(f"/items/{items[1].id}/decisions"), data={
        "kind": "work", "text": "Usulkan perubahan nama ke DPP MASATA", "organisation_id": dpp.id, "due_on": "2025-07-01"})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"#item-{items[1].id}")
    decision = db.session.execute(select(Decision)).scalar_one()
    assert (decision.kind, decision.item_id, decision.organisation_id, str(decision.due_on)) == (
        DecisionKind.WORK, items[1].id, dpp.id, "2025-07-01")
    html = client.get(url()).get_data(as_text=True)
    assert "Usulkan perubahan nama ke DPP MASATA" in html


def test_a_decision_needs_text(client, login_as, bob, url, items, db):
    login_as(bob)
    assert client.post(url(f"/items/{items[0].id}/decisions"), data={"kind": "work", "text": ""}).status_code == 422
    assert client.post(url(f"/items/{items[0].id}/decisions"), data={"kind": "work", "text": ""},
                       headers={"HX-Request": "true"}).status_code == 422
    assert client.post(url(f"/items/{items[0].id}/decisions"), data={"kind": "maybe", "text": "x"}).status_code == 422
    assert client.post(url(f"/items/{items[0].id}/decisions"), data={"kind": "work", "text": "x", "organisation_id": "99999"}).status_code == 422
    assert db.session.query(Decision).count() == 0


def test_a_commenter_cannot_record_decisions(client, login_as, member, url, items, db):
    login_as(member("commenter"))
    assert client.post(url(f"/items/{items[0].id}/decisions"), data={"kind": "work", "text": "x"}).status_code == 403


def test_a_decision_is_removed(client, login_as, alice, url, items, db):
    decision = Decision(meeting_id=items[0].meeting_id, item_id=items[0].id, kind=DecisionKind.INFORMATION, text="Info")
    db.session.add(decision)
    db.session.commit()
    login_as(alice)
    assert client.post(url(f"/decisions/{decision.id}/remove")).status_code == 303
    assert db.session.query(Decision).count() == 0


def _decision(db, item, **kw):
    decision = Decision(meeting_id=item.meeting_id, item_id=item.id, kind=DecisionKind.WORK,
                        text="Ganti nama menjadi Program Wisata Kota Industri", **kw)
    db.session.add(decision)
    db.session.commit()
    return decision


def test_create_action_opens_the_prefilled_action_form(client, login_as, alice, programme, url, items, factories, db):
    org = factories.OrganisationFactory(name="DPC MASATA Kota Bontang")
    from datetime import date

    decision = _decision(db, items[0], organisation_id=org.id, due_on=date(2025, 7, 1))
    login_as(alice)
    response = client.get(url(f"/decisions/{decision.id}/action"))
    assert response.status_code == 303
    target = urlparse(response.headers["Location"])
    assert target.path == f"/p/{programme.slug}/actions/new"
    query = {k: v[0] for k, v in parse_qs(target.query).items()}
    assert query["source_kind"] == "decision" and query["source_id"] == str(decision.id)
    assert query["title"] == decision.text and query["organisation"] == str(org.id) and query["due_date"] == "2025-07-01"
    assert items[0].title in query["description"] and query["source_label"] and query["meeting_id"] == str(items[0].meeting_id)
    # The actions' form opens with all of it filled in.
    form = client.get(response.headers["Location"]).get_data(as_text=True)
    assert decision.text in form and "2025-07-01" in form and f'selected value="{org.id}"' in form


def test_an_action_created_from_the_form_links_back_to_the_decision(client, login_as, alice, programme, url, items, db):
    from app.actions.models import Action, SourceKind

    decision = _decision(db, items[0])
    login_as(alice)
    target = client.get(url(f"/decisions/{decision.id}/action")).headers["Location"]
    query = {k: v[0] for k, v in parse_qs(urlparse(target).query).items()}
    data = {k: query[k] for k in ("title", "description", "source_kind", "source_id", "source_label", "meeting_id", "meeting_label")}
    response = client.post(urlparse(target).path, data={**data, "priority": "normal", "weight": 1, "assignee": "", "organisation": ""})
    assert response.status_code == 303
    action = db.session.execute(select(Action)).scalar_one()
    assert (action.source_kind, action.source_id) == (SourceKind.DECISION, decision.id)


def test_a_viewer_cannot_create_actions_and_an_outsider_sees_nothing(client, login_as, member, charlie, url, items, db):
    decision = _decision(db, items[0])
    login_as(member("viewer"))
    assert client.get(url(f"/decisions/{decision.id}/action")).status_code == 403
    login_as(charlie)
    assert client.get(url(f"/decisions/{decision.id}/action")).status_code == 404


# -- a decision about a Pasal ----------------------------------------------------------------------

def _raperda(programme, alice, title="Penyelenggaraan Wisata Kota Industri"):
    from app.drafts import service as drafts
    from app.drafts.models import DraftKind

    draft = drafts.create_draft(programme, alice, title, DraftKind.RAPERDA, "Kota Bontang")
    return draft, drafts.load_tree(draft.id).pasals()[0].unit  # Pasal 1, Ketentuan Umum


def test_a_decision_points_at_a_pasal_and_opens_a_suggestion_linked_back(client, login_as, alice, bob, programme, url,
                                                                           items, db):
    draft, pasal_1 = _raperda(programme, alice)
    login_as(bob)
    form = client.get(url()).get_data(as_text=True)
    assert f'<option value="{pasal_1.id}">Penyelenggaraan Wisata Kota Industri · Pasal 1</option>' in form
    response = client.post(url(f"/items/{items[1].id}/decisions"), data={
        "kind": "agreement", "text": "Nama program menjadi Program Wisata Kota Industri", "unit_id": pasal_1.id})
    assert response.status_code == 303
    decision = db.session.execute(select(Decision)).scalar_one()
    assert decision.unit_id == pasal_1.id

    html = client.get(url()).get_data(as_text=True)
    unit_link = f"/p/{programme.slug}/drafts/{draft.id}/units/{pasal_1.id}"
    assert f'href="{unit_link}"' in html
    suggest = next(href for href in _hrefs(html) if href.startswith(unit_link + "/suggestions/new"))
    query = parse_qs(urlparse(suggest).query)
    assert query["source_url"] == [url() + f"#decision-{decision.id}"]
    assert "Nama program menjadi" in query["source_label"][0]

    # The one step: the suggestion form comes prefilled with its source, and keeps it.
    page = client.get(suggest).get_data(as_text=True)
    assert url() + f"#decision-{decision.id}" in page
    sent = client.post(unit_link + "/suggestions/new", data={
        "text": "Wisata Kota Industri adalah ...", "reason": "Keputusan rakor", "source_label": query["source_label"][0],
        "source_url": query["source_url"][0]})
    assert sent.status_code == 303
    unit_page = client.get(unit_link).get_data(as_text=True)
    assert f'href="{url()}#decision-{decision.id}"' in unit_page


def test_a_decision_cannot_point_at_another_programmes_pasal(client, login_as, alice, bob, programme, url, items,
                                                              factories, db):
    other = factories.ProgrammeFactory(name="Program lain")
    _draft, foreign = _raperda(other, alice, "Raperda program lain")
    login_as(bob)
    response = client.post(url(f"/items/{items[0].id}/decisions"), data={
        "kind": "agreement", "text": "Tentang Pasal lain", "unit_id": foreign.id})
    assert response.status_code == 422
    assert db.session.query(Decision).count() == 0


def test_without_drafts_the_form_has_no_pasal_choice(client, login_as, bob, url, items):
    login_as(bob)
    assert 'name="unit_id"' not in client.get(url()).get_data(as_text=True)


def _hrefs(html):
    import html as html_lib
    import re

    return [html_lib.unescape(h) for h in re.findall(r'href="([^"]+)"', html)]


def test_a_refused_decision_comes_back_open_under_its_own_item_only(client, login_as, bob, url, items):
    import re

    login_as(bob)
    response = client.post(url(f"/items/{items[1].id}/decisions"), data={"kind": "work", "text": "", "due_on": "kemarin"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    opened = re.findall(r'<details open>\s*<summary>[^<]*</summary>\s*<form method="post" action="([^"]+)"', html)
    assert opened == [url(f"/items/{items[1].id}/decisions")]  # the other item's form stays closed and empty
    assert f'id="decision-{items[1].id}-text-errors"' in html and f'id="decision-{items[1].id}-due_on-errors"' in html
    assert f'id="decision-{items[0].id}-text-errors"' not in html
    ids = re.findall(r' id="([^"]+)"', html)
    assert len(ids) == len(set(ids)) or [i for i in set(ids) if ids.count(i) > 1] == ["csrf_token"]
