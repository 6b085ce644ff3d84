"""With CSRF protection on (as in production): every actions form carries its token."""
import re

import pytest

from app.actions.models import Action, Status


@pytest.fixture
def app_config(app_config):
    return {**app_config, "WTF_CSRF_ENABLED": True}


def post_forms(html: str) -> list[str]:
    return re.findall(r'<form[^>]*method="post".*?</form>', html, flags=re.S)


@pytest.mark.parametrize("path", ["", "board", "{id}", "{parent}", "import", "new", "{id}/edit", "/my/tasks"])
def test_every_post_form_has_a_token(client, login_as, alice, programme, make_action, path):
    parent = make_action(title="Induk")
    action = make_action(parent=parent)
    login_as(alice)
    url = path if path.startswith("/") else f"/p/{programme.slug}/actions/{path.format(id=action.id, parent=parent.id)}"
    forms = post_forms(client.get(url).get_data(as_text=True))
    assert forms
    for form in forms:
        assert 'name="csrf_token"' in form, form[:300]


def test_a_change_without_the_token_is_refused(client, db, login_as, bob, programme, make_action):
    action = make_action()
    login_as(bob)
    response = client.post(f"/p/{programme.slug}/actions/{action.id}/status", data={"status": "selesai"})
    assert response.status_code == 400
    html = client.get(f"/p/{programme.slug}/actions/{action.id}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    response = client.post(f"/p/{programme.slug}/actions/{action.id}/status",
                           data={"status": "selesai", "csrf_token": token})
    assert response.status_code == 303
    assert db.session.get(Action, action.id).status == Status.SELESAI
