"""A long draft's page opens with the outline and one part of the text; the other parts come when
the reader gets to them (htmx), or as pages of their own without JavaScript (app/drafts/parts.py)."""
import re

import pytest

from app.drafts import parts, service
from app.drafts.models import UnitKind

from tests.drafts.conftest import pasals

HX = {"HX-Request": "true"}
BUDGET = 2500  # characters per part: a few Pasal each here (the app's default holds ~25 Pasal)


@pytest.fixture
def app_config(app_config):
    return {**app_config, "DRAFT_PART_BUDGET": BUDGET, "SQL_QUERY_COUNT_HEADER": True}


@pytest.fixture
def long_draft(draft, alice):
    """The skeleton with 30 more Pasal of two ayat each in BAB I; the last ayat refers back to Pasal 3."""
    bab = next(n.unit for n in service.load_tree(draft.id).order if n.kind == UnitKind.BAB)
    for i in range(30):
        pasal = service.add_unit(draft, alice, UnitKind.PASAL, parent=bab)
        service.add_unit(draft, alice, UnitKind.AYAT, parent=pasal, text=f"Ayat kesatu Pasal tambahan {i} " + "kata " * 20)
        service.add_unit(draft, alice, UnitKind.AYAT, parent=pasal, text=f"Ayat kedua Pasal tambahan {i}.")
    last_ayat = service.read_tree(draft.id).pasals()[-2].children[-1].unit
    service.save_unit(last_ayat.id, alice, last_ayat.head_revision_id, "Sebagaimana dimaksud dalam Pasal 3 ayat (1).")
    return draft


def split(draft):
    return parts.split(service.read_tree(draft.id), BUDGET)


def unit_ids(html: str) -> set[int]:
    return {int(i) for i in re.findall(r'<article id="unit-(\d+)"', html)}


def test_a_long_draft_opens_with_the_whole_outline_and_its_first_part(client, login_as, alice, long_draft, url):
    login_as(alice)
    first, *rest = split(long_draft)
    assert len(rest) >= 3
    page = client.get(url("show", draft_id=long_draft.id))
    assert page.status_code == 200
    assert unit_ids(page.text) == {n.id for n in first.nodes}
    # Every Pasal is in the outline: on the page by its anchor, in another part by the page at that part.
    for pasal in pasals(long_draft.id):
        anchor = f'#unit-{pasal.id}"'
        assert anchor in page.text
    later = rest[-1]
    assert f'href="?at={later.key}#unit-{later.key}"' in page.text or f'?at={later.key}#unit-' in page.text
    # Each other part is a placeholder htmx fills when it scrolls into view, with a plain link.
    for part in rest:
        assert f'hx-get="{url("show", draft_id=long_draft.id)}?from={part.key}&amp;to={part.last}"' in page.text
        assert f'href="?at={part.key}#part-{part.key}"' in page.text
    assert page.text.count("draft-part-waiting") == len(rest)


def test_a_placeholder_gets_its_part_alone(client, login_as, bob, member, long_draft, url, db):
    from app.drafts.models import Unit
    from tests.collab import post_comment

    part = split(long_draft)[2]
    commented = db.session.get(Unit, part.nodes[1].id)
    for text in ("Setuju.", "Perlu diperjelas."):
        post_comment(commented, member("commenter"), text)
    service.suggest(commented, member("commenter"), commented.text + " Usul.", "Alasan.")
    login_as(bob)
    response = client.get(url("show", draft_id=long_draft.id, **{"from": part.key, "to": part.last}), headers=HX)
    assert response.status_code == 200 and "<html" not in response.text and 'class="outline' not in response.text
    assert response.text.lstrip().startswith(f'<section id="part-{part.key}"')
    assert unit_ids(response.text) == {n.id for n in part.nodes}
    # The editor's own links are there: the text can be edited in place as in the first part.
    assert f'hx-get="{url("edit_unit", draft_id=long_draft.id, unit_id=part.nodes[-1].id)}"' in response.text
    # With its units' counts, as on the page.
    assert f'#discussion-unit-{commented.id}">2 comments</a>' in response.text
    assert f'#suggestions">1 suggestion</a>' in response.text
    # And the live poll will count the part as held.
    assert f'name="part" value="{part.key}-{part.last}"' in response.text


def test_without_javascript_the_page_opens_at_the_part_of_a_unit(client, login_as, alice, long_draft, url):
    login_as(alice)
    all_parts = split(long_draft)
    part = all_parts[3]
    unit = part.nodes[-1]
    page = client.get(url("show", draft_id=long_draft.id, at=unit.id))
    assert page.status_code == 200 and "<html" in page.text
    assert unit_ids(page.text) == {n.id for n in part.nodes}
    assert f'<a href="#unit-{part.key}">' in page.text  # within the page: a plain anchor
    # The first part is now a placeholder.
    assert f'id="part-{all_parts[0].key}" class="draft-part draft-part-waiting"' in page.text


def test_the_whole_text_is_one_click_away(client, login_as, alice, long_draft, url):
    login_as(alice)
    page = client.get(url("show", draft_id=long_draft.id))
    assert 'href="?all=1"' in page.text
    whole = client.get(url("show", draft_id=long_draft.id, all=1))
    assert unit_ids(whole.text) == {n.id for n in service.read_tree(long_draft.id).order}
    assert "draft-part-waiting" not in whole.text and 'href="?all=1"' not in whole.text


def test_a_reference_into_another_part_opens_that_part(client, login_as, alice, long_draft, url):
    login_as(alice)
    tree = service.read_tree(long_draft.id)
    target = tree.node(tree.by_full_label["Pasal 3 ayat (1)"])
    keys = {n.id: p.key for p in split(long_draft) for n in p.nodes}
    source = tree.pasals()[-2].children[-1]
    assert keys[source.id] != keys[target.id]
    page = client.get(url("show", draft_id=long_draft.id, at=source.id))
    assert f'<a class="xref" href="?at={keys[target.id]}#unit-{target.id}">Pasal 3 ayat (1)</a>' in page.text
    # The unit's own page links the reference to the draft's page at the target.
    unit_page = client.get(url("unit", draft_id=long_draft.id, unit_id=source.id))
    assert f'href="{url("show", draft_id=long_draft.id)}?at={target.id}#unit-{target.id}"' in unit_page.text


def test_a_plain_save_of_a_unit_in_a_later_part_comes_back_at_that_part(client, login_as, bob, long_draft, url):
    login_as(bob)
    unit = split(long_draft)[-1].nodes[-1].unit
    response = client.post(url("save_unit", draft_id=long_draft.id, unit_id=unit.id),
                           data={"text": "Teks baru.", "base_revision_id": unit.head_revision_id})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"?at={unit.id}#unit-{unit.id}")
    assert f'<article id="unit-{unit.id}"' in client.get(response.headers["Location"]).text


def test_the_poll_sends_saved_units_only_of_the_parts_the_page_holds(client, login_as, alice, bob, long_draft, url):
    login_as(alice)
    first, *_rest, last = split(long_draft)
    since = service.last_revision_id(long_draft)
    unit = last.nodes[-1].unit
    service.save_unit(unit.id, bob, unit.head_revision_id, "Diubah oleh Bob.")
    held_first = client.get(url("live", draft_id=long_draft.id, since=since, part=f"{first.key}-{first.last}"), headers=HX)
    assert held_first.status_code == 200 and f'id="unit-{unit.id}"' not in held_first.text
    held_both = client.get(url("live", draft_id=long_draft.id, since=since,
                               part=[f"{first.key}-{first.last}", f"{last.key}-{last.last}"]), headers=HX)
    assert f'id="unit-{unit.id}"' in held_both.text and "Diubah oleh Bob." in held_both.text
    assert held_both.headers["ETag"] != held_first.headers["ETag"]
    # A page that says nothing of its parts (one holding the whole text) gets every saved unit.
    assert f'id="unit-{unit.id}"' in client.get(url("live", draft_id=long_draft.id, since=since), headers=HX).text


def test_charlie_gets_no_part(client, login_as, charlie, long_draft, url):
    login_as(charlie)
    part = split(long_draft)[1]
    assert client.get(url("show", draft_id=long_draft.id, **{"from": part.key, "to": part.last}), headers=HX).status_code == 404
    assert client.get(url("show", draft_id=long_draft.id, at=part.key)).status_code == 404


def test_a_short_draft_is_one_part_without_placeholders(app, client, login_as, alice, draft, url):
    app.config["DRAFT_PART_BUDGET"] = parts.BUDGET
    login_as(alice)
    page = client.get(url("show", draft_id=draft.id))
    assert unit_ids(page.text) == {n.id for n in service.read_tree(draft.id).order}
    assert "draft-part-waiting" not in page.text and "?all=1" not in page.text


def test_parts_end_before_a_pasal_never_inside_one(long_draft):
    for part in split(long_draft):
        assert part.nodes[0].depth == 0 or part.nodes[0].kind in parts.BREAKS
        assert part.title.startswith(("Judul", "Pasal", "BAB"))


# -- what it costs ----------------------------------------------------------------------------

def _queries(client, path, **kwargs):
    from app import pagecache

    pagecache.forget_all()  # count what rendering the page costs, not a cached answer
    response = client.get(path, **kwargs)
    assert response.status_code == 200, path
    return int(response.headers["X-Query-Count"])


def test_the_page_and_its_parts_cost_the_same_few_queries_as_the_draft_grows(client, login_as, alice, draft, url):
    login_as(alice)
    bab = next(n.unit for n in service.load_tree(draft.id).order if n.kind == UnitKind.BAB)

    def grow(n):
        for i in range(n):
            pasal = service.add_unit(draft, alice, UnitKind.PASAL, parent=bab, text="")
            service.add_unit(draft, alice, UnitKind.AYAT, parent=pasal, text="Ayat " + "kata " * 40)

    def costs():
        part = split(draft)[-1]
        return (_queries(client, url("show", draft_id=draft.id)),
                _queries(client, url("show", draft_id=draft.id, **{"from": part.key, "to": part.last}), headers=HX),
                _queries(client, url("show", draft_id=draft.id, at=part.key)))

    grow(3)
    small = costs()
    grow(25)
    assert len(split(draft)) > 3
    large = costs()
    assert large == small
    page, fragment, at = small
    # The page: its draft (with the programme and membership), units, counts; the viewer, the header's
    # notifications and the draft's discussion (4: tests/comments/test_queries.py) are the rest.
    assert page <= 10 and at <= 10
    assert fragment <= 5


def test_a_unit_its_history_and_a_save_cost_a_few_queries_whatever_the_draft_size(client, login_as, alice, draft, url, db):
    """The history of one unit loads that unit, its revisions and the draft's structure (for the
    numbers): not every unit as an object. A save reads the structure once (to resolve references)
    and shows the unit with it."""
    from app.drafts.models import Unit

    login_as(alice)
    bab = next(n.unit for n in service.load_tree(draft.id).order if n.kind == UnitKind.BAB)
    unit = pasals(draft.id)[-1]

    def costs(i):
        head = db.session.get(Unit, unit.id)
        history = url("unit_history", draft_id=draft.id, unit_id=unit.id)
        save = client.post(url("save_unit", draft_id=draft.id, unit_id=unit.id), headers=HX,
                           data={"text": f"Peraturan Daerah ini mulai berlaku {i}.", "base_revision_id": head.head_revision_id})
        assert save.status_code == 200
        return (_queries(client, history), _queries(client, history + "?a=1&b=2", headers=HX),
                _queries(client, url("edit_unit", draft_id=draft.id, unit_id=unit.id), headers=HX),
                int(save.headers["X-Query-Count"]))

    costs(0)
    small = costs(1)
    for i in range(20):
        pasal = service.add_unit(draft, alice, UnitKind.PASAL, parent=bab)
        service.add_unit(draft, alice, UnitKind.AYAT, parent=pasal, text=f"Ayat {i}.")
    large = costs(2)
    assert large == small
    history, diff, editor, save = small
    assert history <= 6 and diff <= 5 and editor <= 4
    # A save: the viewer, the unit (with draft, programme and membership), then in one transaction the
    # locked unit, its base revision, the structure, the new revision, references, presence and the
    # search index; after the commit the viewer and the unit again for the answer.
    assert save <= 16


def test_notifications_and_search_results_open_the_draft_at_the_units_part(client, login_as, alice, long_draft, url):
    from app.collab.targets import target_of
    from app.drafts.models import Unit
    from app.extensions import db

    login_as(alice)
    unit = db.session.get(Unit, split(long_draft)[-1].nodes[-1].id)
    address = target_of(unit).url
    assert address == url("show", draft_id=long_draft.id, at=unit.id) + f"#unit-{unit.id}"
    assert f'<article id="unit-{unit.id}"' in client.get(address).text


def test_each_unit_offers_editing_to_editors_a_suggestion_to_commenters_and_its_page_the_rest(app, client, login_as, bob, member, draft, url):
    app.config["DRAFT_PART_BUDGET"] = parts.BUDGET  # the short draft in one part
    unit = pasals(draft.id)[-1]
    edit, suggest = url("edit_unit", draft_id=draft.id, unit_id=unit.id), url("suggest", draft_id=draft.id, unit_id=unit.id)
    history = url("unit_history", draft_id=draft.id, unit_id=unit.id)
    page = url("show", draft_id=draft.id)
    login_as(bob)
    shown = client.get(page).text
    assert f'hx-get="{edit}"' in shown and f'href="{suggest}"' not in shown and f'href="{history}"' not in shown
    assert f'href="{history}"' in client.get(url("unit", draft_id=draft.id, unit_id=unit.id)).text
    login_as(member("commenter"))
    shown = client.get(page).text
    assert f'href="{suggest}"' in shown and edit not in shown
    login_as(member("viewer"))
    shown = client.get(page).text
    assert suggest not in shown and edit not in shown
    assert f'href="{history}"' in client.get(url("unit", draft_id=draft.id, unit_id=unit.id)).text


def test_a_draft_in_one_part_shows_no_part_heading(app, client, login_as, alice, draft, url):
    app.config["DRAFT_PART_BUDGET"] = parts.BUDGET
    login_as(alice)
    first = service.read_tree(draft.id).order[0].id
    page = client.get(url("show", draft_id=draft.id)).text
    assert f'<section id="part-{first}" class="draft-part">' in page and f'id="part-{first}-title"' not in page
