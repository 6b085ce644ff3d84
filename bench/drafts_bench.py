"""Benchmark (not a test): a draft with 150 Pasal, 2,000 comments and 5,000 revisions.

Measures opening the draft, opening one unit's history and saving a unit: wall time and SQL
queries per request, for a small draft and the large one (the query count must not grow).
Comments do not exist in this branch yet; suggestions and inputs stand in for them.

    /work/main/.venv/bin/python bench/drafts_bench.py            # a throw-away SQLite file
    DATABASE_URL=postgresql+psycopg://… python bench/drafts_bench.py   # an EMPTY PostgreSQL database
"""
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from alembic import command  # noqa: E402
from alembic.config import Config as AlembicConfig  # noqa: E402
from sqlalchemy import event, insert, select, update  # noqa: E402

from app import ROOT, create_app  # noqa: E402
from app.extensions import db  # noqa: E402

PASALS, COMMENTS, REVISIONS = 150, 2000, 5000
REPEAT = 5


def _app(url):
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False,
                       "RATELIMIT_ENABLED": False, "RATELIMIT_STORAGE_URI": "memory://", "TESTING": True,
                       "MAIL_SERVER": None})


def migrate(url):
    cfg = AlembicConfig(str(ROOT / "migrations" / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    with _app(url).app_context():
        command.upgrade(cfg, "head")


def build(pasals: int, comments: int, revisions: int, tag: str):
    """A programme, people from every element, and one draft of the given size (bulk inserts where the
    service would only be slower, the same rows either way)."""
    from app.accounts.models import User
    from app.drafts import service
    from app.drafts.models import (DraftKind, PublicInput, RevisionAction, SuggestedAmendment, Unit, UnitKind,
                                   UnitRevision)
    from app.organisations.models import Organisation
    from app.pentahelix import Element
    from app.programmes.models import Programme, Role

    people = []
    for element in Element:
        org = Organisation(name=f"{tag} {element.value}", element=element)
        user = User(name=f"{tag} {element.value}", email=f"{tag}-{element.value}@bench.id", organisation=org,
                    password_hash="x")
        db.session.add_all([org, user])
        people.append(user)
    programme = Programme(slug=f"bench-{tag}", name=f"Bench {tag}")
    db.session.add(programme)
    db.session.flush()
    for i, user in enumerate(people):
        programme.add_member(user, Role.OWNER if i == 0 else Role.EDITOR)
    db.session.commit()
    owner = people[0]
    draft = service.create_draft(programme, owner, f"Rancangan {tag}", DraftKind.RAPERDA, "Kota Bontang")
    bab = next(n.unit for n in service.load_tree(draft.id).order if n.kind == UnitKind.BAB)
    units = []
    for i in range(pasals):
        pasal = Unit(draft_id=draft.id, parent_id=bab.id, position=10 + i, kind=UnitKind.PASAL, text="")
        db.session.add(pasal)
        db.session.flush()
        for j in range(2):
            ayat = Unit(draft_id=draft.id, parent_id=pasal.id, position=j, kind=UnitKind.AYAT,
                        text=f"Ketentuan ayat {j + 1} Pasal {i + 2} tentang penyelenggaraan wisata kota industri.")
            db.session.add(ayat)
            units.append(ayat)
    db.session.flush()
    rng = random.Random(1)
    counters = {u.id: 0 for u in units}
    rows = []
    for k in range(revisions):
        unit = units[k % len(units)] if k < len(units) else rng.choice(units)
        counters[unit.id] += 1
        rows.append(dict(draft_id=draft.id, unit_id=unit.id, number=counters[unit.id], text=f"{unit.text} r{k}",
                         action=RevisionAction.EDITED if counters[unit.id] > 1 else RevisionAction.CREATED,
                         author_id=people[k % len(people)].id, note=""))
    db.session.execute(insert(UnitRevision), rows)
    heads = db.session.execute(
        select(UnitRevision.unit_id, UnitRevision.id, UnitRevision.text, UnitRevision.number)
        .where(UnitRevision.draft_id == draft.id).order_by(UnitRevision.id)
    ).all()
    latest = {}
    for unit_id, rev_id, text, number in heads:
        latest[unit_id] = (rev_id, text, number)
    for unit in units:
        rev_id, text, number = latest[unit.id]
        db.session.execute(update(Unit).where(Unit.id == unit.id).values(head_revision_id=rev_id, text=text,
                                                                          revision_count=number))
    half = comments // 2
    db.session.execute(insert(SuggestedAmendment), [
        dict(draft_id=draft.id, unit_id=rng.choice(units).id, base_text="", text="Usulan.", reason="Alasan.",
             author_id=people[k % 5].id, element=people[k % 5].element, source_label="", source_url="",
             decision_reason="") for k in range(half)])
    db.session.execute(insert(PublicInput), [
        dict(draft_id=draft.id, unit_id=rng.choice(units).id, author_id=people[k % 5].id,
             author_name=people[k % 5].name, element=people[k % 5].element, text="Masukan.",
             disposition_reason="") for k in range(comments - half)])
    db.session.commit()
    return programme.slug, draft.id, owner.get_id(), units[len(units) // 2].id


class Counter:
    def __init__(self):
        self.count = 0

    def __call__(self, *args):
        self.count += 1


def measure(app, slug, draft_id, owner_id, unit_id):
    """Outside any app context: each request gets its own, as on a server (no `g` shared between requests)."""
    from app.drafts.models import Unit

    client = app.test_client()
    with client.session_transaction() as sess:
        sess["_user_id"] = owner_id
        sess["_fresh"] = True
    base = f"/p/{slug}/drafts/{draft_id}"
    results = {}
    with app.app_context():
        engine = db.engine

    def run(name, do):
        counter = Counter()
        times = []
        for _ in range(REPEAT):
            counter.count = 0
            event.listen(engine, "before_cursor_execute", counter)
            start = time.perf_counter()
            response = do()
            times.append((time.perf_counter() - start) * 1000)
            event.remove(engine, "before_cursor_execute", counter)
            assert response.status_code == 200, (name, response.status_code)
        results[name] = (counter.count, statistics.median(times), len(response.data))

    run("open draft", lambda: client.get(f"{base}/"))
    run("unit history", lambda: client.get(f"{base}/units/{unit_id}/history"))

    def save():
        with app.app_context():
            current = db.session.get(Unit, unit_id)
            head, text = current.head_revision_id, current.text
            db.session.remove()
        return client.post(f"{base}/units/{unit_id}", headers={"HX-Request": "true"},
                           data={"text": text + " x", "base_revision_id": head})

    run("save unit", save)
    run("live poll", lambda: client.get(f"{base}/live?since=1", headers={"HX-Request": "true"}))
    return results


def main():
    url = os.environ.get("DATABASE_URL")
    if not url:
        url = f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.db'}"
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    migrate(url)
    app = _app(url)
    sizes = {"small": (5, 20, 50), "large": (PASALS, COMMENTS, REVISIONS)}
    report = {}
    for tag, (pasals, comments, revisions) in sizes.items():
        start = time.perf_counter()
        with app.app_context():
            built = build(pasals, comments, revisions, tag)
            db.session.remove()
        print(f"built {tag}: {pasals} Pasal, {comments} comments (stand-ins), {revisions} revisions "
              f"in {time.perf_counter() - start:.1f}s", flush=True)
        report[tag] = measure(app, *built)
    print(f"\n{'request':<14} {'queries small':>14} {'queries large':>14} {'ms small':>9} {'ms large':>9} {'KB large':>9}")
    for name in report["small"]:
        qs, ms, _ = report["small"][name]
        ql, ml, size = report["large"][name]
        print(f"{name:<14} {qs:>14} {ql:>14} {ms:>9.1f} {ml:>9.1f} {size / 1024:>9.0f}")
    print(f"\n(backend: {url.split(':')[0]}, median of {REPEAT})")


if __name__ == "__main__":
    main()
