"""Builds the scale dataset for `make bench` into the database of DATABASE_URL.

    DATABASE_URL=sqlite:///bench/work/bench.db .venv/bin/python -m bench.dataset --scale 1

Scale 1 is the issue's floor: 30 programmes, 600 users (and, as the domains land, 20,000
actions, 200,000 comments, a 150-Pasal draft with 5,000 revisions, 300 meetings). Bulk inserts
through SQLAlchemy Core: minutes, not hours. Each domain adds a builder to BUILDERS.
"""
import argparse
import json
import random
import time
from datetime import timedelta

from sqlalchemy import insert, select

from app import create_app
from app.accounts.models import User
from app.extensions import db
from app.organisations.models import Organisation
from app.pentahelix import Element
from app.programmes.models import Membership, Programme, Role, Visibility
from app.types import utcnow

BENCH_PASSWORD = "bench-password"
BENCH_SLUG = "bench-programme-0"  # the programme every page of the benchmark looks at
BENCH_USER = "bench-user-0@example.id"  # its owner, who signs in


def _chunks(rows, size=2000):
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


def bulk(model, rows):
    for chunk in _chunks(rows):
        db.session.execute(insert(model), chunk)


def build_foundation(scale: int, rng: random.Random) -> dict:
    n_orgs, n_users, n_programmes = 60 * scale, 600 * scale, 30 * scale
    now = utcnow()
    elements = list(Element)
    bulk(Organisation, [
        {"name": f"Organisasi {i}", "element": elements[i % 5], "description": "", "created_at": now}
        for i in range(n_orgs)
    ])
    org_ids = list(db.session.execute(select(Organisation.id).order_by(Organisation.id)).scalars())
    probe = User(password_hash="")
    probe.set_password(BENCH_PASSWORD)
    bulk(User, [
        {"name": f"Pengguna {i}", "email": f"bench-user-{i}@example.id", "password_hash": probe.password_hash,
         "organisation_id": org_ids[i % len(org_ids)], "locale": "id", "timezone": "Asia/Makassar", "active": True,
         "session_version": 1, "created_at": now}
        for i in range(n_users)
    ])
    user_ids = list(db.session.execute(select(User.id).order_by(User.id)).scalars())
    bulk(Programme, [
        {"slug": f"bench-programme-{i}", "name": f"Program Uji Beban {i}", "description": "Program **uji** beban.",
         "visibility": Visibility.PRIVATE, "created_by_id": user_ids[0], "created_at": now - timedelta(days=i)}
        for i in range(n_programmes)
    ])
    programme_ids = list(db.session.execute(select(Programme.id).order_by(Programme.id)).scalars())
    memberships = []
    roles = [Role.VIEWER, Role.COMMENTER, Role.EDITOR]
    for p_index, programme_id in enumerate(programme_ids):
        members = {user_ids[0]} if p_index == 0 else set()
        members.update(rng.sample(user_ids, 40))
        for user_id in members:
            role = Role.OWNER if user_id == user_ids[0] else rng.choice(roles)
            memberships.append({"programme_id": programme_id, "user_id": user_id, "role": role, "joined_at": now})
    bulk(Membership, memberships)
    db.session.commit()
    return {"organisations": n_orgs, "users": n_users, "programmes": n_programmes, "memberships": len(memberships)}


def _join_as_owner(slug: str) -> None:
    """The benchmark's user signs in once and looks at every domain's programme."""
    programme_id = db.session.execute(select(Programme.id).where(Programme.slug == slug)).scalar_one()
    user_id = db.session.execute(select(User.id).where(User.email == BENCH_USER)).scalar_one()
    db.session.execute(insert(Membership), [{"programme_id": programme_id, "user_id": user_id, "role": Role.OWNER,
                                             "joined_at": utcnow()}])
    db.session.commit()


def build_actions(scale: int, rng: random.Random) -> dict:
    """20,000 actions in one programme (bench/actions_bench.py builds them)."""
    from flask import current_app

    from bench import actions_bench

    context = actions_bench.build(current_app._get_current_object(), 20_000 * scale)
    _join_as_owner(context["slug"])
    PAGE_CONTEXT["actions"] = context
    return {"actions": 20_000 * scale, "programme": context["slug"]}


def build_drafts(scale: int, rng: random.Random) -> dict:
    """A draft with 150 Pasal, 2,000 suggestions and inputs, 5,000 revisions (bench/drafts_bench.py)."""
    from bench import drafts_bench

    slug, draft_id, _owner, unit_id = drafts_bench.build(150, 2000, 5000 * scale, "scale")
    _join_as_owner(slug)
    PAGE_CONTEXT["drafts"] = {"slug": slug, "draft_id": draft_id, "unit_id": unit_id}
    return {"pasal": 150, "revisions": 5000 * scale, "programme": slug}


# What the page list of bench/run.py needs to know about the built data (slugs and ids).
PAGE_CONTEXT: dict = {}

# Each builder: (name, function(scale, rng) -> dict of counts). Domains append theirs.
BUILDERS = [("foundation", build_foundation), ("actions", build_actions), ("drafts", build_drafts)]


def build(scale: int = 1, seed: int = 20261125) -> dict:
    rng = random.Random(seed)
    counts = {}
    for name, builder in BUILDERS:
        started = time.perf_counter()
        counts[name] = builder(scale, rng)
        counts[name]["seconds"] = round(time.perf_counter() - started, 1)
    return counts


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=1)
    args = parser.parse_args()
    app = create_app()
    with app.app_context():
        if db.session.execute(select(User.id).limit(1)).first():
            raise SystemExit("The database is not empty: the dataset is built into a freshly migrated database.")
        counts = build(args.scale)
        print(json.dumps({"counts": counts, "pages": PAGE_CONTEXT}))


if __name__ == "__main__":
    main()
