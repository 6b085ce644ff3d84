"""The board: columns by status, their first cards and "show more"; moving a card (drag and drop posts
the board's shared form, the keyboard and no-JS path is each card's Move form, one form per card
loaded when it is opened)."""
import re

from app.actions import service
from app.actions.models import Action, Status

HX = {"HX-Request": "true"}
BOOSTED = {"HX-Request": "true", "HX-Boosted": "true"}


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
    # Each card carries its keyboard fallback: a Move that leads to (or loads) its status form.
    for action in (a, b, c):
        assert f'<a href="/p/{programme.slug}/actions/{action.id}/status" data-move-form>' in html
    # One shared form for drag and drop, not a form per card.
    assert html.count("data-board-move") == 1 and html.count("<form") == html.count("</form>")
    assert 'data-board-move hx-boost="false"' in html  # posted by htmx for a drag: its answer is the fragment
    assert 'name="status" value="selesai"' not in html


def test_the_move_form_comes_into_the_card_with_a_button_per_other_status(client, login_as, bob, programme,
                                                                         make_action):
    action = make_action(status="dikerjakan")
    login_as(bob)
    response = client.get(f"/p/{programme.slug}/actions/{action.id}/status?filter=assignee%3Dnone", headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and html.lstrip().startswith("<form") and "<html" not in html
    assert f'hx-post="/p/{programme.slug}/actions/{action.id}/status"' in html and 'hx-target="#results"' in html
    assert re.findall(r'name="status" value="(\w+)"', html) == ["baru", "terhambat", "selesai", "dibatalkan"]
    assert 'name="filter" value="assignee=none"' in html and 'name="view" value="board"' in html


def test_without_javascript_the_move_form_is_a_page_of_its_own(client, login_as, bob, programme, make_action):
    action = make_action(title="Usulan nama")
    login_as(bob)
    for headers in ({}, BOOSTED):
        html = client.get(f"/p/{programme.slug}/actions/{action.id}/status?filter=label%3D3",
                          headers=headers).get_data(as_text=True)
        assert "<html" in html and "Usulan nama" in html
        assert "hx-post" not in html.split("<main", 1)[1]  # a plain form: it returns to the board itself
        assert f'href="/p/{programme.slug}/actions/board?label=3"' in html


def test_the_move_page_form_returns_to_the_board_it_came_from(client, db, login_as, bob, programme, make_action):
    action = make_action()
    login_as(bob)
    for headers, status in (({}, "dikerjakan"), (BOOSTED, "selesai")):
        response = client.post(f"/p/{programme.slug}/actions/{action.id}/status", headers=headers,
                               data={"status": status, "view": "board", "filter": "label=3&q=x"})
        assert response.status_code == 303
        assert response.headers["Location"].endswith("/board?label=3&q=x")
        db.session.expire_all()
        assert db.session.get(Action, action.id).status == Status(status)


def test_only_those_who_may_change_the_status_get_the_move_form(client, login_as, member, charlie, programme,
                                                               make_action):
    action = make_action()
    login_as(member("viewer"))
    assert client.get(f"/p/{programme.slug}/actions/{action.id}/status", headers=HX).status_code == 403
    login_as(charlie)
    assert client.get(f"/p/{programme.slug}/actions/{action.id}/status", headers=HX).status_code == 404
    assert client.get(f"/p/{programme.slug}/actions/{action.id}/status").status_code == 404


def test_an_assignee_who_comments_may_move_their_own_card_only(client, login_as, member, programme, make_action):
    commenter = member("commenter")
    own = make_action(title="Punya saya", assignee=commenter)
    other = make_action(title="Punya orang lain")
    login_as(commenter)
    html = client.get(f"/p/{programme.slug}/actions/board").get_data(as_text=True)
    assert f'id="card-{own.id}" data-movable' in html and f'id="card-{other.id}" data-movable' not in html
    assert client.get(f"/p/{programme.slug}/actions/{own.id}/status", headers=HX).status_code == 200
    assert client.get(f"/p/{programme.slug}/actions/{other.id}/status", headers=HX).status_code == 403


def test_moving_a_card_with_htmx_returns_the_board(client, db, login_as, bob, programme, make_action):
    action = make_action()
    login_as(bob)
    response = client.post(f"/p/{programme.slug}/actions/{action.id}/status", headers=HX,
                           data={"status": "dikerjakan", "view": "board", "filter": "assignee=none"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and html.lstrip().startswith('<div id="results"') and "<html" not in html
    assert cards(html, "dikerjakan") == [action.id]
    assert 'name="filter" value="assignee=none"' in html  # the shared form keeps the board's filter
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
    made = [factories.ActionFactory(programme=programme, title=f"Tugas {n}") for n in range(service.BOARD_PER_COLUMN + 5)]
    login_as(bob)
    html = client.get(f"/p/{programme.slug}/actions/board").get_data(as_text=True)
    assert len(cards(html, "baru")) == service.BOARD_PER_COLUMN
    more = f"/p/{programme.slug}/actions/board/baru?page=2"
    assert f'<a href="{more}" hx-get="{more}"' in html and "Show 5 more" in html
    assert f"all {len(made)} in the table" in html and f'href="/p/{programme.slug}/actions/?status=baru"' in html
    assert html.count("data-board-more") == 1  # only the long column has one


def test_show_more_appends_the_next_cards_of_the_column(client, login_as, bob, programme, factories):
    for n in range(2 * service.BOARD_PER_COLUMN + 3):
        factories.ActionFactory(programme=programme, title=f"Tugas {n}")
    login_as(bob)
    first = cards(client.get(f"/p/{programme.slug}/actions/board").get_data(as_text=True), "baru")
    html = client.get(f"/p/{programme.slug}/actions/board/baru?page=2", headers=HX).get_data(as_text=True)
    assert "<html" not in html and html.lstrip().startswith('<li class="board-card')
    second = [int(i) for i in re.findall(r'id="card-(\d+)"', html)]
    assert len(second) == service.BOARD_PER_COLUMN and not set(first) & set(second)
    assert f"/p/{programme.slug}/actions/board/baru?page=3" in html and "Show 3 more" in html
    last = client.get(f"/p/{programme.slug}/actions/board/baru?page=3", headers=HX).get_data(as_text=True)
    assert len(re.findall(r'id="card-(\d+)"', last)) == 3 and "data-board-more" not in last


def test_show_more_without_javascript_is_a_page_of_that_column(client, login_as, bob, programme, factories):
    for n in range(service.BOARD_PER_COLUMN + 2):
        factories.ActionFactory(programme=programme, title=f"Tugas {n}")
    factories.ActionFactory(programme=programme, title="Sedang jalan", status=Status.DIKERJAKAN)
    login_as(bob)
    html = client.get(f"/p/{programme.slug}/actions/board/baru?page=2&q=Tugas").get_data(as_text=True)
    assert "<html" in html and len(cards(html, "baru")) == 2
    assert 'data-status="dikerjakan"' not in html  # that column alone
    assert f'href="/p/{programme.slug}/actions/board?q=Tugas"' in html  # back to the whole (filtered) board


def test_an_unknown_column_is_not_found(client, login_as, bob, charlie, programme):
    login_as(bob)
    assert client.get(f"/p/{programme.slug}/actions/board/lain").status_code == 404
    login_as(charlie)
    assert client.get(f"/p/{programme.slug}/actions/board/baru", headers=HX).status_code == 404


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
    assert f"/p/{programme.slug}/actions/{mine.id}/status?filter=assignee%3Dme" in html


def test_charlie_cannot_move_a_card(client, login_as, charlie, programme, make_action):
    action = make_action()
    login_as(charlie)
    response = client.post(f"/p/{programme.slug}/actions/{action.id}/status", headers=HX,
                           data={"status": "selesai", "view": "board"})
    assert response.status_code == 404
