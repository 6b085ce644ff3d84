"""`make bench` is not run by the suite; these keep its pieces from rotting: the scale dataset builds
at a tiny scale into a migrated database, and every page the benchmark drives answers 200 on it."""
from sqlalchemy import func, select

from app.extensions import db


def test_the_dataset_builds_at_a_tiny_scale_and_every_benchmarked_page_answers(app):
    from bench import dataset, profiles, run, writes  # noqa: F401  (the load driver and profiler import)
    from app.accounts.models import User
    from app.comments.models import Comment
    from app.meetings.models import Meeting

    dataset.PAGE_CONTEXT.clear()
    counts = dataset.build(0.005)
    assert counts["comments"]["comments"] == db.session.scalar(select(func.count()).select_from(Comment)) >= 500
    assert db.session.scalar(select(func.count()).select_from(Meeting)) == counts["meetings"]["meetings"] >= 20

    owner = db.session.execute(select(User).where(User.email == dataset.BENCH_USER)).scalar_one()
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = owner.get_id()
        session["_fresh"] = True
    for page in run.pages(dataset.PAGE_CONTEXT):
        headers = {"HX-Request": "true"} if page.get("htmx") else {}
        assert client.get(page["path"], headers=headers).status_code == 200, page["name"]
