"""One person's first comments on one target, posted at the same moment from several tabs: every
comment is kept and the person follows the target once (the follow used to be a check then an
insert, and on PostgreSQL the loser of that race lost its comment)."""
import threading

from sqlalchemy import func, select

from app.comments.models import Comment
from app.notifications.models import Follow


def test_simultaneous_first_comments_are_all_kept_and_followed_once(app, db, alice, programme):
    url = f"/t/programme/{programme.id}/comments"
    clients = []
    for _ in range(8):
        client = app.test_client()
        with client.session_transaction() as sess:
            sess["_user_id"] = alice.get_id()
            sess["_fresh"] = True
        clients.append(client)
    start, codes = threading.Barrier(len(clients)), []

    def post(client, n):
        start.wait()
        codes.append(client.post(url, data={"body": f"Masukan serentak {n}"}).status_code)

    threads = [threading.Thread(target=post, args=(c, n)) for n, c in enumerate(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    db.session.rollback()
    assert sorted(codes) == [303] * len(clients)
    assert db.session.scalar(select(func.count()).select_from(Comment)) == len(clients)
    assert db.session.scalar(select(func.count()).select_from(Follow).where(
        Follow.user_id == alice.id, Follow.target_type == "programme", Follow.target_id == programme.id)) == 1
