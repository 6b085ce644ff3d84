import re

from app.pentahelix import Element


def _rows(html):
    """element -> (is flagged missing, text of the row)"""
    rows = {}
    for match in re.finditer(r'<li class="coverage-row( coverage-missing)?" data-element="(\w+)">(.*?)</li>', html, re.S):
        rows[match.group(2)] = (bool(match.group(1)), match.group(3))
    return rows


def test_it_counts_members_and_organisations_per_element(client, login_as, alice, bob, member, factories, programme):
    masata = factories.OrganisationFactory(name="DPC MASATA Kota Bontang", short_name="MASATA", element=Element.KOMUNITAS)
    member("commenter", organisation=masata)
    member("viewer", organisation=masata)
    login_as(alice)
    rows = _rows(client.get(f"/p/{programme.slug}/").get_data(as_text=True))
    assert set(rows) == {e.value for e in Element}
    assert rows["komunitas"][0] is False
    assert "2" in rows["komunitas"][1] and "MASATA" in rows["komunitas"][1]
    assert rows["pemerintah"][0] is False and rows["bisnis"][0] is False
    # Nobody from academia or media: flagged.
    assert rows["akademisi"][0] is True and rows["media"][0] is True


def test_it_says_when_every_element_is_present(client, login_as, alice, member, factories, programme):
    for element in (Element.BISNIS, Element.AKADEMISI, Element.KOMUNITAS, Element.MEDIA):
        member("viewer", organisation=factories.OrganisationFactory(element=element))
    login_as(alice)
    rows = _rows(client.get(f"/p/{programme.slug}/").get_data(as_text=True))
    assert not any(missing for missing, _ in rows.values())
