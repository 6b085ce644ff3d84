"""Who may do what on a draft, per role: viewer < commenter < editor < owner, and charlie outside."""
import pytest

from app.drafts import service
from app.drafts.models import DraftStatus

from tests.drafts.conftest import pasals

# (what, minimum role) — the status moves to Diajukan/Ditetapkan/Ditarik are the owner's.
ROLES = ["viewer", "commenter", "editor", "owner"]


def _attempts(client, url, draft, unit, public_input):
    return {
        "read": lambda: client.get(url("show", draft_id=draft.id)).status_code == 200,
        "suggest": lambda: client.post(url("suggest", draft_id=draft.id, unit_id=unit.id),
                                       data={"text": "Usul.", "reason": "Alasan."}).status_code == 303,
        "edit": lambda: client.post(url("save_unit", draft_id=draft.id, unit_id=unit.id),
                                    data={"text": "Baru.", "base_revision_id": unit.head_revision_id}).status_code in (200, 303),
        "answer": lambda: client.post(url("dispose", draft_id=draft.id, input_id=public_input.id),
                                      data={"disposition": "diterima", "reason": "Ya."}).status_code == 303,
        "withdraw": lambda: client.post(url("change_status", draft_id=draft.id),
                                        data={"to": "ditarik"}).status_code == 303,
    }


EXPECTED = {
    "viewer": {"read"},
    "commenter": {"read", "suggest"},
    "editor": {"read", "suggest", "edit", "answer"},
    "owner": {"read", "suggest", "edit", "answer", "withdraw"},
}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_may_do_exactly_its_part(client, login_as, member, alice, draft, url, db, role):
    unit = pasals(draft.id)[-1]
    public_input = service.add_input(draft, alice, "Masukan.")
    login_as(member(role))
    allowed = {what for what, attempt in _attempts(client, url, draft, unit, public_input).items() if attempt()}
    assert allowed == EXPECTED[role]
    db.session.refresh(draft)
    assert (draft.status == DraftStatus.DITARIK) == (role == "owner")


def test_charlie_gets_not_found_everywhere(client, login_as, charlie, alice, draft, url):
    unit = pasals(draft.id)[-1]
    public_input = service.add_input(draft, alice, "Masukan.")
    login_as(charlie)
    for endpoint, kwargs in [("show", {}), ("history", {}), ("check", {}), ("register", {}), ("versions", {}),
                             ("unit", {"unit_id": unit.id}), ("unit_history", {"unit_id": unit.id}),
                             ("suggest", {"unit_id": unit.id})]:
        assert client.get(url(endpoint, draft_id=draft.id, **kwargs)).status_code == 404, endpoint
    assert client.post(url("dispose", draft_id=draft.id, input_id=public_input.id),
                       data={"disposition": "diterima", "reason": "x"}).status_code == 404


def test_an_anonymous_visitor_reads_a_public_programme_draft_but_changes_nothing(client, programme, draft, url, db):
    from app.programmes.models import Visibility

    programme.visibility = Visibility.PUBLIC
    db.session.commit()
    assert client.get(url("show", draft_id=draft.id)).status_code == 200
    unit = pasals(draft.id)[-1]
    response = client.post(url("save_unit", draft_id=draft.id, unit_id=unit.id), data={"text": "x", "base_revision_id": 1})
    assert response.status_code in (302, 303) and "/login" in response.headers["Location"]
