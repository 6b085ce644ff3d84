"""Every route × every method × every persona, generated from the app's URL map.

A route missing from EXPECTED fails here ("add expectations for endpoint X"), so a new route cannot
ship without saying who may use it. Personas: anonymous, outsider (signed in, not a member),
viewer, commenter, editor and owner of a programme that is private or public.

What "right" means (issue 2, CONVENTIONS habit 5):
- allowed → 2xx/3xx (and never the sign-in redirect);
- anonymous on a page that needs an account → 302/303 to /login;
- anonymous or non-member on a private programme's page → 404 (its existence is not revealed);
- a member (or an outsider reading a public programme) without the right → 403.
"""
import shutil
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest

from app import create_app
from app.extensions import db as _db
from app.programmes.models import Role, Visibility
from tests.conftest import BACKEND
from tests.factories import PASSWORD

PERSONAS = ("anonymous", "outsider", "viewer", "commenter", "editor", "owner")
ROLE_RANK = {"viewer": 1, "commenter": 2, "editor": 3, "owner": 4}
IGNORED_METHODS = {"HEAD", "OPTIONS"}  # Flask derives them from GET and the rule's methods
DRAFT_ARGUMENTS = {"draft_id", "unit_id", "revision_id", "version_id", "suggestion_id", "input_id", "thread_id"}
ACTION_ARGUMENTS = {"action_id", "item_id"}
MEETING_ARGUMENTS = {"meeting_id", "agenda_item_id", "meeting_invitation_id", "attendance_id", "decision_id", "roadshow_id"}
# Ids of objects of one programme that a URL may carry; the cross-programme test swaps each for B's.
# Path arguments that name a value, not an object of a programme: nothing to take from programme B.
VALUE_ARGUMENTS = {("actions.board_column", "status")}
OBJECT_ARGUMENTS = {"membership_id", "invitation_id", *DRAFT_ARGUMENTS, *ACTION_ARGUMENTS, *MEETING_ARGUMENTS}
# The world's action of A is assigned to this persona (app/permissions.py ASSIGNEE_MAY).
ASSIGNEE = "commenter"
# Routes addressed without the programme's slug: the id alone must not reach another programme.
UNSCOPED_ARGUMENTS = {"comment_id", "attachment_id", "target_id"}


# -- expectation kinds -----------------------------------------------------------------------

@dataclass(frozen=True)
class Open:
    """Anyone, signed in or not (a signed-in user may be redirected, e.g. away from /register)."""

    data: dict = field(default_factory=dict)
    needs_login = False
    programme_scoped = False

    def outcome(self, persona, visibility):
        return "ok"


@dataclass(frozen=True)
class SignedIn:
    """Any signed-in user; anonymous is sent to the sign-in page."""

    data: dict = field(default_factory=dict)
    needs_login = True
    programme_scoped = False

    def outcome(self, persona, visibility):
        return "login" if persona == "anonymous" else "ok"


@dataclass(frozen=True)
class OwnOrganisation:
    """People of the organisation (the URL's organisation is the owner's); others get 403."""

    data: dict = field(default_factory=dict)
    needs_login = True
    programme_scoped = False

    def outcome(self, persona, visibility):
        if persona == "anonymous":
            return "login"
        return "ok" if persona == "owner" else 403


@dataclass(frozen=True)
class InProgramme:
    """A programme page: `role` is the least role that may; `public_read` lets anyone read a public
    programme; `login` says the route sends anonymous to sign in before looking at the programme."""

    role: str
    public_read: bool = False
    login: bool = True
    data: dict = field(default_factory=dict)
    # The request passed the access check but its content was refused (400/409/410/422): still
    # "allowed" for this matrix, for routes whose valid payload depends on live state (a draft
    # unit's base revision); their own domain tests post real payloads.
    content_refusal_ok: bool = False
    query: dict = field(default_factory=dict)
    # The assignee of the world's action (ASSIGNEE) may too, below `role` (reporting on their task).
    assignee_may: bool = False
    programme_scoped = True

    @property
    def needs_login(self):
        return self.login

    def outcome(self, persona, visibility):
        public = visibility == "public"
        if persona == "anonymous":
            if self.login:
                return "login"
            if public:
                return "ok" if self.public_read else 403
            return 404
        if persona == "outsider":
            if not public:
                return 404
            return "ok" if self.public_read else 403
        if self.assignee_may and persona == ASSIGNEE:
            return "ok"
        return "ok" if ROLE_RANK[persona] >= ROLE_RANK[self.role] else 403


# -- the table: one entry per endpoint, one expectation per method ------------------------------

NEW_PASSWORD = "a brand new passphrase"
# A page of a programme that anyone may read when the programme is public.
READ = InProgramme("viewer", public_read=True, login=False)

EXPECTED = {
    "static": {"GET": Open()},
    "main.index": {"GET": Open()},
    "main.healthz": {"GET": Open()},
    "main.set_language": {"POST": Open(data={"lang": "en", "next": "/"})},
    "accounts.register": {
        "GET": Open(),
        "POST": Open(data={
            "name": "Dewi Baru", "email": "dewi.baru@example.id", "password": PASSWORD, "confirm": PASSWORD,
            "organisation_id": "0", "new_organisation_name": "Komunitas Baru", "new_organisation_element": "komunitas",
        }),
    },
    "accounts.login": {"GET": Open(), "POST": Open(data={"email": "target@example.id", "password": PASSWORD})},
    "accounts.logout": {"POST": Open()},
    "accounts.profile": {
        "GET": SignedIn(),
        "POST": SignedIn(data={"name": "Nama Baru", "organisation_id": "{organisation_id}", "locale": "id", "timezone": "Asia/Jakarta"}),
    },
    "accounts.change_password": {
        "GET": SignedIn(),
        "POST": SignedIn(data={"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}),
    },
    "accounts.request_reset": {"GET": Open(), "POST": Open(data={"email": "target@example.id"})},
    "accounts.reset_password": {"GET": Open(), "POST": Open(data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})},
    "organisations.index": {"GET": Open()},
    "organisations.show": {"GET": Open()},
    "organisations.new": {"GET": SignedIn(), "POST": SignedIn(data={"name": "Organisasi Baru", "element": "media"})},
    "organisations.edit": {
        "GET": OwnOrganisation(),
        "POST": OwnOrganisation(data={"name": "Nama Organisasi Diubah", "element": "pemerintah"}),
    },
    "programmes.new": {"GET": SignedIn(), "POST": SignedIn(data={"name": "Program Baru", "visibility": "private"})},
    "programmes.show": {"GET": InProgramme("viewer", public_read=True, login=False)},
    "programmes.members": {"GET": InProgramme("viewer", public_read=True, login=False)},
    "programmes.settings": {
        "GET": InProgramme("owner"),
        "POST": InProgramme("owner", data={"name": "Nama Diubah", "description": "Baru", "visibility": "private"}),
    },
    "programmes.invite_email": {"POST": InProgramme("owner", data={"email": "tamu@example.id", "role": "viewer"})},
    "programmes.invite_link": {"POST": InProgramme("owner", data={"role": "viewer", "days": "7"})},
    "programmes.revoke_invitation": {"POST": InProgramme("owner")},
    "programmes.change_role": {"POST": InProgramme("owner", data={"role": "commenter"})},
    "programmes.remove_member": {"POST": InProgramme("owner")},
    "programmes.leave": {"POST": InProgramme("viewer")},
    # An invitation is how an outsider gets in: any signed-in user may open and accept it.
    "programmes.join": {"GET": SignedIn(), "POST": SignedIn()},
    # -- drafts (issue: regulation drafts). Reading follows the programme; writing needs a role.
    "drafts.new": {"GET": InProgramme("editor"), "POST": InProgramme("editor", content_refusal_ok=True)},
    "drafts.import_text": {"GET": InProgramme("editor"), "POST": InProgramme("editor", content_refusal_ok=True)},
    "drafts.compare": {"GET": InProgramme("viewer", public_read=True, login=False, query={"a": "{version_id}"})},
    "drafts.versions": {"GET": READ, "POST": InProgramme("editor", login=False, data={"name": "Versi uji"})},
    # Konsep → Pembahasan is an editor's move; a valid target reaches the permission check.
    "drafts.change_status": {"POST": InProgramme("editor", data={"to": "pembahasan"})},
    "drafts.edit_unit": {"GET": InProgramme("editor")},
    "drafts.presence": {"POST": InProgramme("editor", content_refusal_ok=True)},
    "drafts.save_unit": {"POST": InProgramme("editor", content_refusal_ok=True)},
    "drafts.restore": {"POST": InProgramme("editor", content_refusal_ok=True)},
    "drafts.add_unit": {"POST": InProgramme("editor", content_refusal_ok=True)},
    "drafts.move_unit": {"POST": InProgramme("editor", content_refusal_ok=True)},
    "drafts.delete_unit": {"POST": InProgramme("editor", content_refusal_ok=True)},
    "drafts.suggest": {"GET": InProgramme("commenter"), "POST": InProgramme("commenter", content_refusal_ok=True)},
    "drafts.accept_suggestion": {"POST": InProgramme("editor", content_refusal_ok=True)},
    "drafts.decline_suggestion": {"POST": InProgramme("editor", content_refusal_ok=True)},
    "drafts.add_input": {"POST": InProgramme("commenter", content_refusal_ok=True)},
    "drafts.dispose": {"POST": InProgramme("editor", content_refusal_ok=True)},
    "drafts.address_thread": {"POST": InProgramme("editor", data={"version_id": "{version_id}"})},
    # -- meetings (issue 4). Reading follows the programme; members answer and confirm; editors run.
    "meetings.new": {"GET": InProgramme("editor"), "POST": InProgramme("editor", content_refusal_ok=True)},
    "meetings.edit": {"GET": InProgramme("editor"), "POST": InProgramme("editor", content_refusal_ok=True)},
    "meetings.delete": {"POST": InProgramme("owner")},
    "meetings.change_status": {"POST": InProgramme("editor", data={"status": "in_progress"})},
    "meetings.invite": {"POST": InProgramme("editor", data={"target": "e:media"})},
    "meetings.remove_invitation": {"POST": InProgramme("editor")},
    "meetings.rsvp": {"POST": InProgramme("viewer", data={"response": "yes"})},
    "meetings.record_attendance": {"POST": InProgramme("editor", data={"guest_name": "Tamu", "guest_element": "media", "presence": "present"})},
    "meetings.remove_attendance": {"POST": InProgramme("editor")},
    "meetings.add_item": {"POST": InProgramme("editor", data={"title": "Mata acara uji"})},
    "meetings.edit_item": {"GET": InProgramme("editor"), "POST": InProgramme("editor", content_refusal_ok=True)},
    "meetings.reorder": {"POST": InProgramme("editor")},
    "meetings.remove_item": {"POST": InProgramme("editor")},
    "meetings.save_template": {"POST": InProgramme("editor", data={"name": "Templat uji"})},
    "meetings.save_minutes": {"POST": InProgramme("editor", data={"base_rev": "0", "text": "Notulen uji."}, content_refusal_ok=True)},
    "meetings.add_decision": {"POST": InProgramme("editor", data={"kind": "agreement", "text": "Sepakat."})},
    "meetings.remove_decision": {"POST": InProgramme("editor")},
    "meetings.create_action": {"GET": InProgramme("editor")},
    # Only attendees of a finished meeting may confirm: the world's meeting is planned (refused, 422).
    "meetings.confirm": {"POST": InProgramme("viewer", data={"verdict": "confirm"}, content_refusal_ok=True)},
    "meetings.new_roadshow": {"POST": InProgramme("editor", data={"title": "Roadshow uji"})},
    "meetings.my_calendar": {"GET": SignedIn(), "POST": SignedIn()},
    # The secret address is the credential (calendar apps cannot sign in).
    "meetings.feed": {"GET": Open()},
    **{
        f"meetings.{name}": {"GET": READ}
        for name in ("index", "calendar", "show", "minutes", "live", "history", "notulen", "notulen_docx", "ics", "roadshow")
    },
    **{
        f"drafts.{name}": {"GET": READ}
        for name in (
            "index", "show", "live", "version", "history", "check", "export_docx", "export_markdown",
            "print_view", "unit", "unit_history", "register", "register_csv", "register_docx",
        )
    },
    # -- follow-up actions (app/actions). Public programmes' actions are readable by anyone; editors
    # plan (create, edit, weights, bulk, import); owners delete; the assignee reports from commenter up.
    **{
        f"actions.{name}": {"GET": READ}
        for name in ("index", "board", "board_column", "timeline", "dashboard", "summary", "show", "history",
                     "live_part", "export")
    },
    # A board card's Move form (GET of the status address): for whoever may change the status.
    "actions.move": {"GET": InProgramme("editor", assignee_may=True)},
    "actions.my_tasks": {"GET": SignedIn()},
    "actions.calendar_link": {"POST": SignedIn()},
    # The secret token is the key (calendar apps cannot sign in): anyone holding it reads the feed.
    "actions.calendar_feed": {"GET": Open()},
    "actions.new": {
        "GET": InProgramme("editor"),
        "POST": InProgramme("editor", data={"title": "Tindak lanjut baru", "priority": "normal", "weight": "1",
                                            "labels": "Anggaran, Baru", "assignee": "", "organisation": ""}),
    },
    "actions.edit": {
        "GET": InProgramme("editor"),
        "POST": InProgramme("editor", data={"title": "Judul diubah", "priority": "high", "weight": "1",
                                            "assignee": "", "organisation": ""}),
    },
    "actions.change_status": {"POST": InProgramme("editor", assignee_may=True, data={"status": "dikerjakan", "note": "Mulai"})},
    "actions.change_progress": {"POST": InProgramme("editor", assignee_may=True, data={"progress": "40", "note": "Separuh"})},
    "actions.add_checklist_item": {"POST": InProgramme("editor", assignee_may=True, data={"text": "Langkah baru"})},
    "actions.update_checklist_item": {"POST": InProgramme("editor", assignee_may=True, data={"done": "1"})},
    "actions.weights": {"POST": InProgramme("editor")},
    "actions.delete": {"POST": InProgramme("owner")},
    "actions.bulk": {"POST": InProgramme("editor", data={"ids": "{action_id}", "status": "dikerjakan", "note": "Massal"})},
    "actions.import_csv": {
        "GET": InProgramme("editor"),
        "POST": InProgramme("editor", data={"csv_text": "title,labels\nImpor uji,Anggaran\n", "confirm": "1"}),
    },
    # -- collaboration layer (issue 3), addressed by (target_type, target_id) or the comment's id: the
    # world's target is programme A and its comment is the owner's, so only the owner edits it (author
    # only); moderators (editor, owner) delete and hide it.
    "comments.index": {"GET": READ},
    "comments.live_threads": {"GET": READ},
    "comments.create": {"POST": InProgramme("commenter", data={"body": "Komentar dari matriks"})},
    "comments.suggest_mentions": {"GET": InProgramme("viewer", public_read=True)},
    "comments.show": {"GET": READ},
    "comments.history": {"GET": READ},
    "comments.edit": {"GET": InProgramme("owner"), "POST": InProgramme("owner", data={"body": "Disunting"})},
    "comments.delete": {"POST": InProgramme("editor")},
    "comments.react": {"POST": InProgramme("commenter", data={"kind": "agree"})},
    "comments.resolve_thread": {"POST": InProgramme("commenter")},
    "comments.reopen_thread": {"POST": InProgramme("commenter")},
    "comments.report": {"POST": InProgramme("viewer", data={"reason": "tidak pantas"})},
    "comments.hide": {"POST": InProgramme("editor", data={"reason": "melanggar aturan"})},
    "comments.unhide": {"POST": InProgramme("editor")},
    "attachments.download": {"GET": READ},
    "attachments.upload": {"POST": InProgramme("commenter")},
    "notifications.follow": {"POST": InProgramme("viewer")},
    "notifications.unfollow": {"POST": InProgramme("viewer")},
    "activity.index": {"GET": READ},
    # Personal pages: a notification id of someone else marks nothing (see below).
    "notifications.index": {"GET": SignedIn()},
    "notifications.bell": {"GET": SignedIn()},
    "notifications.mark_read": {"POST": SignedIn()},
    "notifications.mark_all_read": {"POST": SignedIn()},
    "notifications.settings": {"GET": SignedIn(), "POST": SignedIn(data={"delivery": "digest"})},
    "search.index": {"GET": SignedIn()},
}


def _url_map_rules():
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    return [
        (rule.endpoint, method, rule.rule, frozenset(rule.arguments))
        for rule in app.url_map.iter_rules()
        for method in sorted(rule.methods - IGNORED_METHODS)
    ]


RULES = _url_map_rules()


def _matrix():
    for endpoint, method, *_ in RULES:
        expectation = EXPECTED.get(endpoint, {}).get(method)
        # Routes that do not depend on a programme are checked once, not once per visibility.
        visibilities = ("private", "public") if expectation is None or expectation.programme_scoped else ("private",)
        for visibility in visibilities:
            for persona in PERSONAS:
                yield pytest.param(endpoint, method, visibility, persona, id=f"{endpoint}-{method}-{visibility}-{persona}")


# -- the world the requests run in --------------------------------------------------------------

@pytest.fixture(scope="module")
def world_template(migrated_database, tmp_path_factory):
    """On SQLite the world is built once per module into a database file that every test starts
    from (a file copy, see `database_url`): building it, drafts included, costs more than the
    request under test. On PostgreSQL each test builds its own (None here)."""
    if BACKEND != "sqlite":
        return None
    from tests import factories

    path = tmp_path_factory.mktemp("world") / "world.db"
    shutil.copy(migrated_database, path)
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "SECRET_KEY": "test-secret",
                      "SERVER_NAME": "localhost", "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})
    with app.app_context():
        world = build_world(_db, factories)
        fill_lazy(world, DRAFT_ARGUMENTS | MEETING_ARGUMENTS)
        ids = {
            "people": {persona: user.id for persona, user in world["people"].items()},
            "programme": world["programme"].id,
            "args": world["args"],
            "other_args": world["other_args"],
        }
        _db.session.remove()
        _db.engine.dispose()
    return path, ids


@pytest.fixture
def database_url(database_url, world_template):
    if world_template is not None:
        shutil.copy(world_template[0], database_url.removeprefix("sqlite:///"))
    return database_url


@pytest.fixture
def world(db, factories, world_template):
    _store_attachment_files()
    if world_template is None:
        return build_world(db, factories)
    from app.accounts.models import User
    from app.programmes.models import Programme

    ids = world_template[1]
    return {
        "programme": db.session.get(Programme, ids["programme"]),
        "people": {persona: db.session.get(User, uid) for persona, uid in ids["people"].items()},
        "lazy": [],
        "args": dict(ids["args"]),
        "other_args": dict(ids["other_args"]),
    }


def build_world(db, factories):
    """Programme A (the one under test) with every persona, plus programme B with its own objects."""
    from app.accounts.service import reset_token

    F = factories
    programme = F.ProgrammeFactory.build(name="Program Wisata Kota Industri Bontang")
    people = {persona: F.UserFactory.build(name=f"Persona {persona}") for persona in PERSONAS[1:]}
    target = F.UserFactory.build(name="Target Member", email="target@example.id")
    memberships = [
        F.MembershipFactory.build(programme=programme, user=people[role], role=Role(role))
        for role in ("viewer", "commenter", "editor", "owner")
    ]
    target_membership = F.MembershipFactory.build(programme=programme, user=target, role=Role.VIEWER)
    invitation = F.InvitationFactory.build(programme=programme, role=Role.VIEWER)

    other = F.ProgrammeFactory.build(name="Program Lain")
    other_memberships = [
        F.MembershipFactory.build(programme=other, user=F.UserFactory.build(), role=Role.OWNER),
        F.MembershipFactory.build(programme=other, user=F.UserFactory.build(), role=Role.VIEWER),
    ]
    other_invitation = F.InvitationFactory.build(programme=other, role=Role.VIEWER)
    db.session.add_all([*people.values(), target, *memberships, target_membership, invitation,
                        *other_memberships, other_invitation])
    db.session.flush()
    collab = _collaboration_objects(db, programme, people["owner"], "matrix-file-a")
    other_collab = _collaboration_objects(db, other, other_memberships[0].user, "matrix-file-b")
    db.session.commit()

    def add_drafts():
        """Drafts of A and B with a unit, revision, version, suggestion and input each: only for
        the cases whose URL needs them (creating a draft costs more than the rest of the world)."""
        a = _draft_objects(programme, people["owner"])
        b = _draft_objects(other, other_memberships[0].user)
        world["args"].update(a)
        world["other_args"].update(b)

    def add_meetings():
        """A meeting of A and of B with an agenda item, invitation, attendance, decision and roadshow."""
        world["args"].update(_meeting_objects(programme, people["owner"]))
        world["other_args"].update(_meeting_objects(other, other_memberships[0].user))

    world = {
        "programme": programme,
        "people": people,
        "lazy": [add_drafts, add_meetings],
        "args": {
            "slug": programme.slug,
            "membership_id": target_membership.id,
            "invitation_id": invitation.id,
            "organisation_id": people["owner"].organisation_id,
            "filename": "css/app.css",
            ("programmes.join", "token"): invitation.token,
            ("accounts.reset_password", "token"): reset_token(target),
            ("actions.board_column", "status"): "baru",
        },
        "other_args": {"membership_id": other_memberships[1].id, "invitation_id": other_invitation.id},
    }
    world["args"].update(_collaboration_args(programme, *collab))
    world["other_args"].update(_collaboration_args(other, *other_collab))
    # Actions are a few rows: built eagerly (form data refers to them too).
    world["args"].update(_action_objects(programme, people["owner"], people[ASSIGNEE]))
    world["other_args"].update(_action_objects(other, other_memberships[0].user, other_memberships[1].user))
    world["args"][("actions.calendar_feed", "token")] = _calendar_token(people[ASSIGNEE])
    return world


def _collaboration_objects(db, programme, owner, storage_name):
    """A comment of the owner on the programme with a file, and a notification for the owner."""
    from app.attachments.models import Attachment
    from app.comments.models import Comment
    from app.notifications.models import Kind, Notification

    comment = Comment(programme_id=programme.id, target_type="programme", target_id=programme.id,
                      author_id=owner.id, body=f"Komentar pemilik {programme.name}")
    db.session.add(comment)
    db.session.flush()
    attachment = Attachment(programme_id=programme.id, target_type="comment", target_id=comment.id,
                            uploaded_by_id=owner.id, filename="notulen.pdf", content_type="application/pdf",
                            size=15, sha256="0" * 64, storage_name=storage_name)
    notification = Notification(user_id=owner.id, programme_id=programme.id, kind=Kind.MENTION,
                                target_type="programme", target_id=programme.id, title=programme.name,
                                text="", url=f"/p/{programme.slug}/")
    db.session.add_all([attachment, notification])
    db.session.flush()
    return comment, attachment, notification


def _collaboration_args(programme, comment, attachment, notification) -> dict:
    return {
        "target_type": "programme",
        "target_id": programme.id,
        "comment_id": comment.id,
        "attachment_id": attachment.id,
        ("attachments.download", "filename"): attachment.filename,
        "notification_id": notification.id,
    }


def _store_attachment_files():
    """The bytes of A's and B's attachments, in this test's UPLOAD_FOLDER (B's too: a missing file
    would make B's download a 404 for the wrong reason)."""
    from pathlib import Path

    from flask import current_app

    folder = Path(current_app.config["UPLOAD_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("matrix-file-a", "matrix-file-b"):
        (folder / name).write_bytes(b"%PDF-1.4\n%%EOF\n")


def _action_objects(programme, owner, assignee) -> dict:
    """A parent action and its sub-action (assigned, due, labelled, with a checklist item)."""
    from datetime import timedelta

    from app.actions import service as actions
    from app.actions.models import Label

    parent = actions.create(programme, owner, title="Induk tindak lanjut", labels=["Anggaran"])
    action = actions.create(
        programme, owner, title="Tindak lanjut uji", description="Langkah *pertama*.", assignee=assignee,
        due_date=actions.today() + timedelta(days=7), labels=["Anggaran"], parent=parent,
    )
    item = actions.add_checklist_item(action, "Siapkan undangan")
    label = _db.session.query(Label).filter_by(programme_id=programme.id, name="Anggaran").one()
    return {"action_id": action.id, "parent_action_id": parent.id, "item_id": item.id, "label_id": label.id}


def _calendar_token(user) -> str:
    from app.actions import service as actions

    return actions.calendar_token(user).token


def _draft_objects(programme, owner) -> dict:
    from app.comments import service as comments
    from app.drafts import service as drafts
    from app.drafts.models import DraftKind

    draft = drafts.create_draft(programme, owner, "Raperda Uji", DraftKind.RAPERDA, "Kota Bontang")
    unit = drafts.load_tree(draft.id).pasals()[0].unit
    version = drafts.create_version(draft, owner, "Versi 1")
    suggestion = drafts.suggest(unit, owner, "Teks usulan.", "Alasan usulan.")
    public_input = drafts.add_input(draft, owner, "Masukan publik.", unit=unit)
    thread = comments.post(unit, owner, "Komentar pada pasal.")
    return {
        "draft_id": draft.id,
        "unit_id": unit.id,
        "revision_id": unit.head_revision_id,
        "version_id": version.id,
        "suggestion_id": suggestion.id,
        "input_id": public_input.id,
        "thread_id": thread.id,
    }


def _meeting_objects(programme, owner) -> dict:
    from datetime import datetime, timedelta, timezone

    from app.meetings import service as meetings
    from app.meetings.models import DecisionKind, MeetingKind
    from app.pentahelix import Element

    start = datetime(2025, 6, 10, 1, tzinfo=timezone.utc)
    roadshow = meetings.create_roadshow(programme, "Roadshow uji")
    meeting = meetings.create_meeting(programme, owner, title="Rakor uji", kind=MeetingKind.RAKOR, starts_at=start,
                                      ends_at=start + timedelta(hours=2), zone="Asia/Makassar", roadshow_id=roadshow.id)
    item = meetings.add_item(meeting, owner, title="Mata acara")
    invitation = meetings.invite(meeting, element=Element.BISNIS)
    attendance = meetings.record_attendance(meeting, guest_name="Tamu", guest_element=Element.MEDIA)
    decision = meetings.add_decision(item, owner, DecisionKind.WORK, "Keputusan uji")
    feed = meetings.feed_for(owner)
    return {
        "meeting_id": meeting.id, "agenda_item_id": item.id, "meeting_invitation_id": invitation.id,
        "attendance_id": attendance.id, "decision_id": decision.id, "roadshow_id": roadshow.id,
        ("meetings.feed", "token"): feed.token,
    }


def fill_lazy(world, names) -> None:
    """Create the objects behind URL arguments the world does not hold yet."""
    while world["lazy"] and any(name not in world["args"] for name in names):
        world["lazy"].pop()()


def build_url(app, endpoint, world, overrides=None, foreign=False, placeholder=None):
    """The endpoint's URL with the world's values (B's ids when `foreign`), then `overrides`;
    `placeholder` stands in for arguments the world has no value for (for checks that refuse the
    request before the view runs, like CSRF)."""
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    fill_lazy(world, rule.arguments)
    args = {**world["args"], **(world["other_args"] if foreign else {}), **(overrides or {})}
    values = {}
    for name in rule.arguments:
        if (endpoint, name) in args:
            values[name] = args[(endpoint, name)]
        elif name in args:
            values[name] = args[name]
        elif placeholder is not None:
            values[name] = placeholder
        else:
            pytest.fail(f"add a value for URL argument {name!r} of endpoint {endpoint} to the `world` fixture")
    with app.test_request_context():
        from flask import url_for

        return url_for(endpoint, **values)


def form_data(expectation, args):
    return {k: v.format(**{k2: v2 for k2, v2 in args.items() if isinstance(k2, str)}) for k, v in expectation.data.items()}


def is_login_redirect(response) -> bool:
    return response.status_code in (302, 303) and urlsplit(response.headers.get("Location", "")).path == "/login"


def request_as(client, auth, world, persona, method, url, expectation):
    if persona != "anonymous":
        auth.login(world["people"][persona])
    query = {k: v.format(**{k2: v2 for k2, v2 in world["args"].items() if isinstance(k2, str)})
             for k, v in getattr(expectation, "query", {}).items()}
    return client.open(url, method=method, data=form_data(expectation, world["args"]), query_string=query)


# -- the tests ----------------------------------------------------------------------------------

def test_every_route_in_the_url_map_has_expectations():
    missing = [f"{endpoint} {method}" for endpoint, method, *_ in RULES if method not in EXPECTED.get(endpoint, {})]
    assert not missing, "add expectations for endpoint(s): " + ", ".join(missing)


def test_every_expectation_names_a_route_that_exists():
    routes = {(endpoint, method) for endpoint, method, *_ in RULES}
    stale = [f"{e} {m}" for e, methods in EXPECTED.items() for m in methods if (e, m) not in routes]
    assert not stale, "expectations for routes that no longer exist: " + ", ".join(stale)


@pytest.mark.parametrize("endpoint, method, visibility, persona", list(_matrix()))
def test_the_route_answers_each_persona_rightly(app, client, auth, db, world, endpoint, method, visibility, persona):
    expectation = EXPECTED.get(endpoint, {}).get(method)
    if expectation is None:
        pytest.fail(f"add expectations for endpoint {endpoint} {method} to EXPECTED in {__file__}")
    if visibility == "public":
        world["programme"].visibility = Visibility.PUBLIC
        db.session.commit()
    url = build_url(app, endpoint, world)
    response = request_as(client, auth, world, persona, method, url, expectation)
    expected = expectation.outcome(persona, visibility)
    where = f"{persona} {method} {url} ({visibility} programme)"
    if expected == "ok":
        allowed = response.status_code < 400 or (
            getattr(expectation, "content_refusal_ok", False) and response.status_code in (400, 409, 410, 422)
        )
        assert allowed, f"{where}: expected 2xx/3xx, got {response.status_code}"
        if expectation.needs_login and persona != "anonymous":
            assert not is_login_redirect(response), f"{where}: a signed-in user was sent to sign in"
    elif expected == "login":
        assert is_login_redirect(response), f"{where}: expected a redirect to /login, got {response.status_code}"
    else:
        assert response.status_code == expected, f"{where}: expected {expected}, got {response.status_code}"


def _rules_with(*names):
    return [
        pytest.param(endpoint, method, id=f"{endpoint}-{method}")
        for endpoint, method, _, arguments in RULES
        if arguments & set(names)
    ]


def _cross_programme_rules():
    """Each id of an object under a programme's slug, one at a time: B's id with everything else A's
    (a checklist item of B under an action of A must be as unknown as B's action itself)."""
    return [
        pytest.param(endpoint, method, argument, id=f"{endpoint}-{method}-{argument}")
        for endpoint, method, _, arguments in RULES
        if "slug" in arguments
        for argument in sorted(arguments & OBJECT_ARGUMENTS)
    ]


@pytest.mark.parametrize("endpoint, method, argument", _cross_programme_rules())
def test_ids_from_another_programme_are_not_found(app, client, auth, world, endpoint, method, argument):
    # The owner of A has every right in A: only the foreign id can make this a 404.
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    fill_lazy(world, rule.arguments)
    url = build_url(app, endpoint, world, {argument: world["other_args"][argument]})
    expectation = EXPECTED[endpoint][method]
    response = request_as(client, auth, world, "owner", method, url, expectation)
    assert response.status_code == 404, f"{method} {url}: {argument} of programme B under A's slug gave {response.status_code}"


def test_the_cross_programme_check_covers_every_object_id_argument():
    # If a new programme-scoped route takes an id the world has no foreign value for, say so.
    for endpoint, method, _, arguments in RULES:
        if "slug" in arguments:
            unknown = {a for a in arguments - {"slug", *OBJECT_ARGUMENTS} if (endpoint, a) not in VALUE_ARGUMENTS}
            assert not unknown, f"add values from another programme for {unknown} of {endpoint} to world['other_args']"


@pytest.mark.parametrize("endpoint, method", _rules_with("slug"))
def test_an_unknown_programme_is_not_found(app, client, auth, world, endpoint, method):
    url = build_url(app, endpoint, world, {"slug": "tidak-ada"})
    expectation = EXPECTED[endpoint][method]
    response = request_as(client, auth, world, "owner", method, url, expectation)
    assert response.status_code == 404


@pytest.mark.parametrize("endpoint, method", _rules_with("organisation_id", *sorted(OBJECT_ARGUMENTS | UNSCOPED_ARGUMENTS)))
def test_an_unknown_id_is_not_found(app, client, auth, world, endpoint, method):
    unknown = dict.fromkeys({"organisation_id", *OBJECT_ARGUMENTS, *UNSCOPED_ARGUMENTS}, 987654)
    url = build_url(app, endpoint, world, unknown)
    expectation = EXPECTED[endpoint][method]
    response = request_as(client, auth, world, "owner", method, url, expectation)
    assert response.status_code == 404


def test_an_unknown_invitation_token_is_not_found(client, auth, world):
    auth.login(world["people"]["outsider"])
    assert client.get("/join/tidak-ada-token").status_code == 404
    assert client.post("/join/tidak-ada-token").status_code == 404


def _unscoped_rules():
    return [
        pytest.param(endpoint, method, id=f"{endpoint}-{method}")
        for endpoint, method, _, arguments in RULES
        if "slug" not in arguments and arguments & UNSCOPED_ARGUMENTS
    ]


@pytest.mark.parametrize("endpoint, method", _unscoped_rules())
def test_objects_of_a_private_programme_one_is_not_in_are_not_found(app, client, auth, world, endpoint, method):
    # A's owner asks for B's comment, file or target by id: B is private and they are no member.
    url = build_url(app, endpoint, world, foreign=True)
    expectation = EXPECTED[endpoint][method]
    response = request_as(client, auth, world, "owner", method, url, expectation)
    assert response.status_code == 404, f"{method} {url}: an object of programme B gave {response.status_code}"


@pytest.mark.parametrize("endpoint, method", _rules_with("target_type"))
def test_an_unknown_target_type_is_not_found(app, client, auth, world, endpoint, method):
    url = build_url(app, endpoint, world, {"target_type": "naga"})
    response = request_as(client, auth, world, "owner", method, url, EXPECTED[endpoint][method])
    assert response.status_code == 404


def test_someone_elses_notification_is_not_marked_read(app, client, auth, db, world):
    from app.notifications.models import Notification

    auth.login(world["people"]["owner"])
    foreign = world["other_args"]["notification_id"]
    assert client.post(build_url(app, "notifications.mark_read", world, {"notification_id": foreign})).status_code < 400
    db.session.expire_all()
    notification = db.session.get(Notification, foreign)
    assert notification.read_at is None


def test_an_unknown_calendar_token_is_not_found(client, world):
    assert client.get("/calendar/tidak-ada-token.ics").status_code == 404
    real = world["args"][("actions.calendar_feed", "token")]
    assert client.get(f"/calendar/{real[:-1]}.ics").status_code == 404


# -- actions: who the assignee rule lets in, and ids of B carried in form fields -------------------

def _other_action(db, world, assignee=None, title="Tugas lain"):
    from app.actions import service as actions

    return actions.create(world["programme"], world["people"]["owner"], title=title, assignee=assignee).id


@pytest.mark.parametrize("endpoint, data", [
    ("actions.change_status", {"status": "dikerjakan"}),
    ("actions.change_progress", {"progress": "30"}),
    ("actions.add_checklist_item", {"text": "Langkah"}),
])
def test_a_commenter_may_report_only_on_their_own_action(app, client, auth, db, world, endpoint, data):
    # The matrix's action is the commenter's; on anyone else's the commenter is a reader.
    action_id = _other_action(db, world, assignee=world["people"]["editor"])
    auth.login(world["people"]["commenter"])
    assert client.post(build_url(app, endpoint, world, {"action_id": action_id}), data=data).status_code == 403


@pytest.mark.parametrize("endpoint, data", [
    ("actions.change_status", {"status": "dikerjakan"}),
    ("actions.change_progress", {"progress": "30"}),
    ("actions.add_checklist_item", {"text": "Langkah"}),
])
def test_a_viewer_stays_read_only_even_when_assigned(app, client, auth, db, world, endpoint, data):
    action_id = _other_action(db, world, assignee=world["people"]["viewer"])
    auth.login(world["people"]["viewer"])
    assert client.post(build_url(app, endpoint, world, {"action_id": action_id}), data=data).status_code == 403


def test_the_assignee_may_not_edit_or_delete_their_action(app, client, auth, world):
    auth.login(world["people"][ASSIGNEE])
    assert client.get(build_url(app, "actions.edit", world)).status_code == 403
    assert client.post(build_url(app, "actions.delete", world)).status_code == 403
    assert client.post(build_url(app, "actions.weights", world)).status_code == 403


def _b_action(db, world):
    from app.actions.models import Action

    db.session.expire_all()
    return db.session.get(Action, world["other_args"]["action_id"])


def _b_state(db, world):
    action = _b_action(db, world)
    return (action.status, action.weight, action.assignee_id, action.parent_id, action.title)


def test_an_action_of_another_programme_cannot_be_a_parent_or_blocker(app, client, auth, db, world):
    auth.login(world["people"]["owner"])
    foreign = world["other_args"]["action_id"]
    base = {"title": "Anak asing", "priority": "normal", "weight": "1", "assignee": "", "organisation": ""}
    assert client.post(build_url(app, "actions.new", world), data={**base, "parent": foreign}).status_code == 422
    assert client.post(build_url(app, "actions.edit", world), data={**base, "blocked_by": str(foreign)}).status_code == 422
    assert client.post(build_url(app, "actions.edit", world), data={**base, "parent": foreign}).status_code == 422


def test_bulk_and_weights_leave_actions_of_another_programme_alone(app, client, auth, db, world):
    auth.login(world["people"]["owner"])
    before = _b_state(db, world)
    foreign = world["other_args"]["action_id"]
    client.post(build_url(app, "actions.bulk", world), data={"ids": [foreign], "status": "dibatalkan"})
    client.post(build_url(app, "actions.bulk", world),
                data={"ids": [foreign, world["args"]["action_id"]], "status": "dibatalkan", "assignee": "none"})
    client.post(build_url(app, "actions.weights", world, {"action_id": world["args"]["parent_action_id"]}),
                data={f"weight-{foreign}": "77"})
    assert _b_state(db, world) == before


def test_a_label_of_another_programme_filters_to_nothing(app, client, auth, db, world):
    from app.actions.models import Label

    foreign = db.session.get(Label, world["other_args"]["label_id"])
    foreign.name = "Label Rahasia B"
    db.session.commit()
    auth.login(world["people"]["owner"])
    for endpoint in ("actions.index", "actions.board", "actions.timeline", "actions.export"):
        body = client.get(build_url(app, endpoint, world), query_string={"label": foreign.id}).get_data(as_text=True)
        assert "Label Rahasia B" not in body and "Tindak lanjut uji" not in body, endpoint


@pytest.mark.parametrize("endpoint", sorted({e for e, *_ in RULES}))
def test_a_method_the_route_does_not_accept_gets_405(app, client, world, endpoint):
    url = build_url(app, endpoint, world)
    response = client.open(url, method="DELETE")
    assert response.status_code == 405
    assert "DELETE" not in response.headers["Allow"]


# -- comments, files and follows on every kind of target -------------------------------------------

# The world's argument holding an object of each registered target type (A's in args, B's in other_args).
TARGET_ARGUMENT = {
    "programme": "target_id", "comment": "comment_id", "draft": "draft_id", "unit": "unit_id",
    "meeting": "meeting_id", "agenda_item": "agenda_item_id", "action": "action_id",
}


def test_every_target_type_has_an_object_in_the_world(app):
    from app.collab.targets import kinds

    with app.app_context():
        missing = set(kinds()) - set(TARGET_ARGUMENT)
    assert not missing, f"add the world's object for target type(s) {missing} to TARGET_ARGUMENT"


def _target_rules():
    return [
        pytest.param(endpoint, method, kind, id=f"{endpoint}-{method}-{kind}")
        for endpoint, method, _, arguments in RULES
        if "target_type" in arguments
        for kind in TARGET_ARGUMENT
    ]


@pytest.mark.parametrize("endpoint, method, kind", _target_rules())
def test_a_target_of_another_programme_is_not_found(app, client, auth, world, endpoint, method, kind):
    # Control first: A's object of this type works for A's owner, so the 404 below is about B.
    fill_lazy(world, DRAFT_ARGUMENTS | MEETING_ARGUMENTS)
    expectation = EXPECTED[endpoint][method]
    own = build_url(app, endpoint, world, {"target_type": kind, "target_id": world["args"][TARGET_ARGUMENT[kind]]})
    assert request_as(client, auth, world, "owner", method, own, expectation).status_code < 400, own
    foreign = build_url(app, endpoint, world, {"target_type": kind, "target_id": world["other_args"][TARGET_ARGUMENT[kind]]})
    response = request_as(client, auth, world, "owner", method, foreign, expectation)
    assert response.status_code == 404, f"{method} {foreign}: B's {kind} gave {response.status_code}"


def test_a_confidential_agenda_items_discussion_is_for_editors(app, client, auth, db, world):
    from app.meetings.models import AgendaItem

    fill_lazy(world, MEETING_ARGUMENTS)
    item = db.session.get(AgendaItem, world["args"]["agenda_item_id"])
    item.confidential = True
    db.session.commit()
    url = build_url(app, "comments.index", world, {"target_type": "agenda_item", "target_id": item.id})
    for persona, status in (("viewer", 404), ("commenter", 404), ("editor", 200), ("owner", 200)):
        auth.login(world["people"][persona])
        assert client.get(url).status_code == status, persona
