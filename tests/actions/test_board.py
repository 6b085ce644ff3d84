"""The board: columns by status; moving a card (the drag & drop and the keyboard buttons post the same form)."""
import re

from app.actions.models import Action, Status

HX = {"HX-Request": "true"}


def cards(html: str, status: str) -> list[int]:
    column = html.split(f'data-status="{status}"', 1)[1].split("</ol>", 1)[0]
    return [int(i) for i in re.findall(r'id="card-(\d+)"', column)]


def test_it_shows_a_column_per_status_with_counts(client, login_as, bob, programme, make_action):
    a = make_action(title="Baru satu")
    b = make_action(title="Sedang jalan", status="dikerjakan")
    c = make_action(title="Macet", status="terhambat", note="Menunggu lahan")
    login_as(bob)
    html = client.get(f"/p/{programme.slug}/actions/board").get_data(as_text=True)
    assert cards(html, "baru") == [a.id] and cards(html, "dikerjakan") == [b.id] and cards(html, "terhambat") == [c.id]
    assert cards(html, "selesai") == [] and "Menunggu lahan" in html
    # Each card carries its keyboard fallback: a button per other status.
    assert html.count('name="status" value="selesai"') == 3


def test_moving_a_card_with_htmx_returns_the_board(client, db, login_as, bob, programme, make_action):
    action = make_action()
    login_as(bob)
    response = client.post(f"/p/{programme.slug}/actions/{action.id}/status", headers=HX,
                           data={"status": "dikerjakan", "view": "board", "filter": "assignee=none"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and html.lstrip().startswith('<div id="results"') and "<html" not in html
    assert cards(html, "dikerjakan") == [action.id]
    assert db.session.get(Action, action.id).status == Status.DIKERJAKAN


def test_blocking_from_the_board_without_a_reason_is_refused(client, db, login_as, bob, programme, make_action):
    action = make_action()
    login_as(bob)
    response = client.post(f"/p/{programme.slug}/actions/{action.id}/status", headers=HX,
                           data={"status": "terhambat", "view": "board"})
    assert response.status_code == 422
    assert "Say why the action is blocked." in response.get_data(as_text=True)
    assert cards(response.get_data(as_text=True), "baru") == [action.id]
    db.session.expire_all()
    assert db.session.get(Action, action.id).status == Status.BARU


def test_without_javascript_the_move_redirects_back_to_the_filtered_board(client, db, login_as, bob, programme,
                                                                         make_action):
    action = make_action()
    login_as(bob)
    response = client.post(f"/p/{programme.slug}/actions/{action.id}/status",
                           data={"status": "terhambat", "note": "Anggaran belum turun", "view": "board",
                                 "filter": "label=3&q=x"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/board?label=3&q=x")
    assert db.session.get(Action, action.id).status == Status.TERHAMBAT


def test_the_board_keeps_big_columns_short(client, login_as, bob, programme, factories):
    for n in range(55):
        factories.ActionFactory(programme=programme, title=f"Tugas {n}")
    login_as(bob)
    html = client.get(f"/p/{programme.slug}/actions/board").get_data(as_text=True)
    assert len(cards(html, "baru")) == 50
    assert "and 5 more in the table" in html


def test_a_viewer_sees_the_board_without_move_forms(client, login_as, member, programme, make_action):
    make_action()
    login_as(member("viewer"))
    html = client.get(f"/p/{programme.slug}/actions/board").get_data(as_text=True)
    assert 'class="move"' not in html and "data-movable" not in html


def test_the_board_fragment_for_a_filter(client, login_as, bob, programme, make_action):
    mine = make_action(title="Punya Bob", assignee=bob)
    make_action(title="Punya orang lain")
    login_as(bob)
    html = client.get(f"/p/{programme.slug}/actions/board?assignee=me", headers=HX).get_data(as_text=True)
    assert "<html" not in html and cards(html, "baru") == [mine.id]


def test_charlie_cannot_move_a_card(client, login_as, charlie, programme, make_action):
    action = make_action()
    login_as(charlie)
    response = client.post(f"/p/{programme.slug}/actions/{action.id}/status", headers=HX,
                           data={"status": "selesai", "view": "board"})
    assert response.status_code == 404
