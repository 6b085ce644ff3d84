import pytest


@pytest.mark.parametrize("endpoint", ["index", "board", "timeline", "dashboard", "new", "import"])
def test_each_page_renders_for_the_owner(client, login_as, alice, programme, make_action, endpoint):
    make_action()
    login_as(alice)
    path = {"index": "", "board": "board", "timeline": "timeline", "dashboard": "dashboard", "new": "new",
            "import": "import"}[endpoint]
    response = client.get(f"/p/{programme.slug}/actions/{path}")
    assert response.status_code == 200, response.get_data(as_text=True)[:3000]
