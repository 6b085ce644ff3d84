"""Each main page's SQL query count stays the same as data grows (no N+1)."""
import pytest

from app.pentahelix import Element


@pytest.fixture
def app_config(app_config):
    return {**app_config, "SQL_QUERY_COUNT_HEADER": True}


def _queries(client, url):
    from app import pagecache

    pagecache.forget_all()  # count what rendering the page costs, not a cached answer
    response = client.get(url)
    assert response.status_code == 200, url
    return int(response.headers["X-Query-Count"])


def _grow(factories, programme, n):
    for i in range(n):
        organisation = factories.OrganisationFactory(element=list(Element)[i % 5])
        user = factories.UserFactory(organisation=organisation)
        factories.MembershipFactory(programme=programme, user=user, role="viewer")
        factories.InvitationFactory(programme=programme)


@pytest.mark.parametrize("page", ["/p/{slug}/", "/p/{slug}/members", "/organisations/", "/"])
def test_the_page_queries_stay_constant_as_members_grow(client, login_as, alice, factories, programme, page):
    login_as(alice)
    url = page.format(slug=programme.slug)
    _grow(factories, programme, 3)
    small = _queries(client, url)
    _grow(factories, programme, 30)
    large = _queries(client, url)
    assert large == small, f"{url}: {small} queries with 4 members, {large} with 34"
    # The programme page also carries its discussion and files (issue 3): the live version, the
    # comments, the files and whether the viewer follows it; tests/comments/test_queries.py shows
    # that count staying constant as the discussion grows.
    assert small <= (10 + 4 if page == "/p/{slug}/" else 10)
