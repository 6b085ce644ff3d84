"""One action's page: status and progress panel, checklist, sub-actions, history; create and edit."""
from datetime import timedelta

from sqlalchemy import select

from app.actions.models import Action, ActionHistory, ChecklistItem, Status

HX = {"HX-Request": "true"}


def test_the_page_shows_the_history_as_a_timeline(client, login_as, alice, bob, programme, make_action):
    action = make_action(title="Usulan nama ke DPP MASATA", description="Tambah kata **kota**")
    login_as(bob)
    client.post(f"/p/{programme.slug}/actions/{action.id}/status", data={"status": "terhambat", "note": "DPP sedang rapat"})
    html = client.get(f"/p/{programme.slug}/actions/{action.id}").get_data(as_text=True)
    assert "<strong>kota</strong>" in html
    assert "DPP sedang rapat" in html and "Bob Member" in html and "created the action" in html
    assert html.index("DPP sedang rapat") < html.index("created the action")  # newest first


def test_changing_status_with_htmx_returns_the_live_panel(client, db, login_as, bob, programme, make_action):
    action = make_action()
    login_as(bob)
    response = client.post(f"/p/{programme.slug}/actions/{action.id}/status", headers=HX,
                           data={"status": "selesai", "view": "detail"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and html.lstrip().startswith('<div id="live"')
    assert "100 %" in html and 'id="status-form"' in html


def test_a_refused_change_comes_back_as_422_with_the_reason(client, db, login_as, bob, programme, make_action):
    action = make_action(status=Status.SELESAI)
    login_as(bob)
    for headers in (HX, {}):
        response = client.post(f"/p/{programme.slug}/actions/{action.id}/status", headers=headers,
                               data={"status": "dikerjakan", "view": "detail"})
        assert response.status_code == 422
        assert "Reopening a finished action needs a note." in response.get_data(as_text=True)
    assert "<html" in response.get_data(as_text=True)
    assert db.session.get(Action, action.id).status == Status.SELESAI


def test_an_unknown_status_is_a_form_error(client, login_as, bob, programme, make_action):
    action = make_action()
    login_as(bob)
    response = client.post(f"/p/{programme.slug}/actions/{action.id}/status", data={"status": "hilang"})
    assert response.status_code == 422


def test_progress_form(client, db, login_as, bob, programme, make_action):
    action = make_action()
    login_as(bob)
    assert client.post(f"/p/{programme.slug}/actions/{action.id}/progress", data={"progress": "0"}).status_code == 303
    bad = client.post(f"/p/{programme.slug}/actions/{action.id}/progress", headers=HX, data={"progress": "150"})
    assert bad.status_code == 422 and "Between 0 and 100." in bad.get_data(as_text=True)
    ok = client.post(f"/p/{programme.slug}/actions/{action.id}/progress", headers=HX, data={"progress": "45"})
    assert ok.status_code == 200 and "45 %" in ok.get_data(as_text=True)
    assert db.session.get(Action, action.id).progress == 45


def test_checklist_add_tick_and_remove(client, db, login_as, bob, programme, make_action):
    action = make_action()
    login_as(bob)
    base = f"/p/{programme.slug}/actions/{action.id}/checklist"
    added = client.post(base, headers=HX, data={"text": "Pesan booth"})
    assert added.status_code == 200 and added.get_data(as_text=True).lstrip().startswith('<section class="card" id="checklist"')
    item = db.session.execute(select(ChecklistItem).filter_by(action_id=action.id)).scalar_one()
    ticked = client.post(f"{base}/{item.id}", headers=HX, data={"done": "1"})
    assert "1/1" in ticked.get_data(as_text=True)
    assert client.post(f"{base}/{item.id}", data={"delete": "1"}).status_code == 303
    assert db.session.execute(select(ChecklistItem).filter_by(action_id=action.id)).first() is None
    assert client.post(base, headers=HX, data={"text": ""}).status_code == 422


def test_a_checklist_item_of_another_action_is_not_found(client, db, login_as, bob, programme, make_action):
    one, other = make_action(), make_action()
    login_as(bob)
    client.post(f"/p/{programme.slug}/actions/{other.id}/checklist", data={"text": "Milik lain"})
    item = db.session.execute(select(ChecklistItem).filter_by(action_id=other.id)).scalar_one()
    assert client.post(f"/p/{programme.slug}/actions/{one.id}/checklist/{item.id}", data={"done": "1"}).status_code == 404


def test_creating_an_action_from_a_meeting_decision(client, db, login_as, bob, programme, today):
    login_as(bob)
    form = client.get(f"/p/{programme.slug}/actions/new?source_kind=decision&source_id=12&source_label=Nama+baru"
                      f"&meeting_id=4&meeting_label=Rakor+Pentahelix&title=Sampaikan+ke+DPP").get_data(as_text=True)
    assert "Nama baru" in form and 'value="Sampaikan ke DPP"' in form
    response = client.post(f"/p/{programme.slug}/actions/new", data={
        "title": "Sampaikan ke DPP", "description": "", "assignee": str(bob.id), "organisation": "",
        "due_date": (today + timedelta(days=5)).isoformat(), "priority": "high", "labels": "MASATA, branding",
        "weight": "1", "source_kind": "decision", "source_id": "12", "source_label": "Nama baru",
        "meeting_id": "4", "meeting_label": "Rakor Pentahelix"})
    assert response.status_code == 303
    action = db.session.execute(select(Action)).scalar_one()
    assert (action.source_kind.value, action.source_id, action.meeting_id, action.assignee_id) == ("decision", 12, 4, bob.id)
    assert action.organisation_id == bob.organisation_id
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Meeting decision" in page and "All actions from Rakor Pentahelix" in page and "MASATA" in page


def test_the_create_form_refuses_bad_input_without_writing(client, db, login_as, bob, charlie, programme):
    login_as(bob)
    cases = [
        {"title": ""},
        {"title": "x", "assignee": str(charlie.id)},  # not a member
        {"title": "x", "parent": "999"},
        {"title": "x", "blocked_by": "1, dua"},
        {"title": "x", "blocked_by": "77"},
        {"title": "x", "weight": "0"},
        {"title": "x", "due_date": "2025-02-31"},
        {"title": "x" * 201},
    ]
    for data in cases:
        data = {"priority": "normal", "weight": "1", **data}
        response = client.post(f"/p/{programme.slug}/actions/new", data=data)
        assert response.status_code == 422, data
        htmx = client.post(f"/p/{programme.slug}/actions/new", data=data, headers=HX)
        assert htmx.status_code == 422 and "<html" not in htmx.get_data(as_text=True)
    assert db.session.execute(select(Action)).first() is None


def test_editing_records_changes_and_links(client, db, login_as, alice, bob, programme, make_action, today):
    parent = make_action(title="Induk")
    blocker = make_action(title="Penghalang")
    action = make_action(title="Anak", assignee=alice, due_date=today)
    login_as(alice)
    form = client.get(f"/p/{programme.slug}/actions/{action.id}/edit").get_data(as_text=True)
    assert 'value="Anak"' in form
    response = client.post(f"/p/{programme.slug}/actions/{action.id}/edit", data={
        "title": "Anak", "description": "", "assignee": str(bob.id), "organisation": "",
        "due_date": (today + timedelta(days=3)).isoformat(), "priority": "normal", "labels": "",
        "parent": str(parent.id), "weight": "2", "blocked_by": f"#{blocker.id}"})
    assert response.status_code == 303
    db.session.expire_all()
    action = db.session.get(Action, action.id)
    assert (action.assignee_id, action.parent_id, action.weight) == (bob.id, parent.id, 2)
    fields = db.session.execute(select(ActionHistory.field).filter_by(action_id=action.id)).scalars().all()
    assert fields == ["created", "assignee", "due_date"]
    page = client.get(f"/p/{programme.slug}/actions/{parent.id}").get_data(as_text=True)
    assert "Anak" in page and 'name="weight-' in page


def test_weights_form(client, db, login_as, alice, programme, make_action):
    parent = make_action()
    a = make_action(parent=parent, status=Status.SELESAI)
    b = make_action(parent=parent)
    login_as(alice)
    response = client.post(f"/p/{programme.slug}/actions/{parent.id}/weights", data={f"weight-{a.id}": "3", f"weight-{b.id}": "1"})
    assert response.status_code == 303
    assert db.session.get(Action, parent.id).progress == 75
    client.post(f"/p/{programme.slug}/actions/{parent.id}/weights", data={f"weight-{a.id}": "0"})
    assert db.session.get(Action, a.id).weight == 3


def test_other_domains_find_the_actions_of_their_records(app, programme, make_action, bob):
    from app.actions import service
    from app.actions.models import SourceKind

    first = make_action(source_kind=SourceKind.DECISION, source_id=5, assignee=bob)
    make_action(source_kind=SourceKind.MEETING, source_id=5)
    found = service.for_sources(programme, SourceKind.DECISION, [5, 6])
    assert {k: [a.id for a in v] for k, v in found.items()} == {5: [first.id], 6: []}
    with app.test_request_context():
        from flask import url_for

        url = url_for("actions.new", slug=programme.slug,
                      **service.new_url_args(SourceKind.DECISION, 5, "Nama baru", meeting_id=2, meeting_label="Rakor"))
    assert "source_kind=decision" in url and "meeting_label=Rakor" in url


def test_the_timeline_groups_by_month(client, login_as, bob, programme, make_action, today):
    make_action(title="Bulan ini", due_date=today)
    make_action(title="Jauh sekali", due_date=today + timedelta(days=400))
    login_as(bob)
    html = client.get(f"/p/{programme.slug}/actions/timeline").get_data(as_text=True)
    assert "Bulan ini" in html and "Jauh sekali" not in html
    far = (today + timedelta(days=400)).isoformat()
    fragment = client.get(f"/p/{programme.slug}/actions/timeline?due_from={far}&due_to={far}",
                          headers=HX).get_data(as_text=True)
    assert fragment.lstrip().startswith('<div id="results">') and "Jauh sekali" in fragment
