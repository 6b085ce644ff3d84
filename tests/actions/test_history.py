"""An action's history: its page (and the answer to every change) shows the latest changes, the history
page all of them, so a change costs the same however long the action's history has grown."""
import re
from datetime import datetime, timedelta, timezone

from app.actions import service
from app.actions.models import ActionHistory

HX = {"HX-Request": "true"}


def entries(html: str) -> int:
    return len(re.findall(r"<time datetime=", html))


def add_history(db, action, user, n):
    """`n` progress changes after its creation, written straight in (the pages only read them)."""
    start = datetime.now(timezone.utc) + timedelta(seconds=1)
    db.session.add_all([
        ActionHistory(action_id=action.id, user_id=user.id, at=start + timedelta(seconds=i), field="progress",
                      old_value=str(i % 100), new_value=str((i + 1) % 100), note=f"catatan {i}")
        for i in range(n)
    ])
    db.session.commit()


def test_the_action_page_shows_the_latest_changes_and_links_the_whole_history(client, db, login_as, bob, programme,
                                                                             make_action):
    action = make_action()
    add_history(db, action, bob, service.HISTORY_SHOWN + 5)
    login_as(bob)
    html = client.get(f"/p/{programme.slug}/actions/{action.id}").get_data(as_text=True)
    history = html.split('id="history-title"', 1)[1]
    assert entries(history) == service.HISTORY_SHOWN
    assert f"catatan {service.HISTORY_SHOWN + 4}" in history and "created the action" not in history  # newest first
    assert f'href="/p/{programme.slug}/actions/{action.id}/history"' in history


def test_a_short_history_is_shown_whole_without_a_link(client, login_as, bob, programme, make_action):
    action = make_action()
    login_as(bob)
    html = client.get(f"/p/{programme.slug}/actions/{action.id}").get_data(as_text=True)
    assert "created the action" in html and f"/actions/{action.id}/history" not in html


def test_the_history_page_lists_every_change_a_page_at_a_time(client, db, login_as, bob, programme, make_action,
                                                               monkeypatch):
    monkeypatch.setattr(service, "HISTORY_PER_PAGE", 10)
    action = make_action()
    add_history(db, action, bob, 14)  # 15 entries with "created"
    login_as(bob)
    url = f"/p/{programme.slug}/actions/{action.id}/history"
    html = client.get(url).get_data(as_text=True)
    assert "<html" in html and entries(html) == 10 and "catatan 13" in html
    assert f'href="{url}?page=2"' in html and f'hx-get="{url}?page=2"' in html
    older = client.get(f"{url}?page=2", headers=HX).get_data(as_text=True)
    assert "<html" not in older and older.lstrip().startswith("<li>") and entries(older) == 5
    assert "created the action" in older and "page=3" not in older
    assert f'href="{url}"' in client.get(f"{url}?page=2").get_data(as_text=True)  # back to the newest
    assert client.get(f"{url}?page=3").status_code == 404


def test_charlie_sees_no_history(client, login_as, charlie, programme, make_action):
    action = make_action()
    login_as(charlie)
    assert client.get(f"/p/{programme.slug}/actions/{action.id}/history").status_code == 404
    assert client.get(f"/p/{programme.slug}/actions/{action.id}/history", headers=HX).status_code == 404


def test_the_answer_to_a_status_change_does_not_grow_with_the_history(client, db, login_as, bob, programme,
                                                                      make_action, count_queries):
    young, old = make_action(title="Baru dibuat"), make_action(title="Sudah lama")
    add_history(db, old, bob, 3 * service.HISTORY_SHOWN)
    login_as(bob)
    answers = []
    for action in (young, old):
        with count_queries() as counter:
            response = client.post(f"/p/{programme.slug}/actions/{action.id}/status", headers=HX,
                                   data={"status": "dikerjakan", "note": "mulai", "view": "detail"})
        assert response.status_code == 200
        answers.append((counter.count, entries(response.get_data(as_text=True))))
    (young_queries, young_entries), (old_queries, old_entries) = answers
    assert young_queries == old_queries
    assert young_entries == 2 and old_entries == service.HISTORY_SHOWN
