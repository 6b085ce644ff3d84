"""The domains' objects as collaboration targets: drafts and their units (Pasal…), meetings and
their agenda items, actions. setup.init_app() calls register() once, after the built-in targets."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.collab import targets
from app.collab.urls import path_for
from app.extensions import db


def _load_action(id: int):
    from app.actions.models import Action

    # Action.programme raises on lazy SQL: the permission check needs it loaded.
    return db.session.scalar(select(Action).options(joinedload(Action.programme)).where(Action.id == id))


def _unit_url(unit) -> str:
    return path_for("drafts.show", slug=unit.draft.programme.slug, draft_id=unit.draft_id) + f"#unit-{unit.id}"


def _load_unit(id: int):
    from app.drafts.models import Unit

    unit = db.session.get(Unit, id)
    return None if unit is None or unit.deleted_at is not None else unit


def register() -> None:
    from app.actions.models import Action
    from app.drafts.models import Draft, Unit
    from app.meetings.models import AgendaItem, Meeting

    targets.register(
        "draft", model=Draft, load=lambda id: db.session.get(Draft, id), title=lambda d: d.title,
        url=lambda d: path_for("drafts.show", slug=d.programme.slug, draft_id=d.id),
        label=_l("Draft"), view_action="draft.view",
    )
    targets.register(
        "unit", model=Unit, load=_load_unit, title=lambda u: f"{u.title} · {u.draft.title}", url=_unit_url,
        label=_l("Draft article"), view_action="draft.view",
    )
    targets.register(
        "meeting", model=Meeting, load=lambda id: db.session.get(Meeting, id), title=lambda m: m.title,
        url=lambda m: path_for("meetings.show", slug=m.programme.slug, meeting_id=m.id),
        label=_l("Meeting"), view_action="meeting.view",
    )
    targets.register(
        "agenda_item", model=AgendaItem, load=lambda id: db.session.get(AgendaItem, id),
        title=lambda i: f"{i.title} · {i.meeting.title}",
        url=lambda i: path_for("meetings.show", slug=i.meeting.programme.slug, meeting_id=i.meeting_id) + f"#item-{i.id}",
        label=_l("Agenda item"), view_action="agenda_item.view",
    )
    targets.register(
        "action", model=Action, load=_load_action, title=lambda a: a.title,
        url=lambda a: path_for("actions.show", slug=a.programme.slug, action_id=a.id),
        label=_l("Action"), view_action="action.view",
    )
