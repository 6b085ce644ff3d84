from sqlalchemy import select

from app.drafts import checks, service
from app.drafts.models import Draft, RevisionAction, SuggestionStatus, UnitRevision
from app.programmes.models import Programme


def test_the_demo_has_the_bontang_raperda_with_history_suggestions_and_answered_inputs(app, runner, db, client):
    assert runner.invoke(args=["demo"]).exit_code == 0
    draft = db.session.execute(select(Draft)).scalar_one()
    programme = db.session.get(Programme, draft.programme_id)
    assert draft.title == "Penyelenggaraan Wisata Kota Industri" and programme.slug == "wisata-kota-industri-bontang"
    tree = service.load_tree(draft.id)
    assert len(tree.pasals()) >= 10
    assert {"PERENCANAAN", "PELAKSANAAN", "PENGAWASAN", "PELIBATAN UNSUR PENTAHELIX", "PENDANAAN"} <= {
        n.unit.text for n in tree.order if n.kind.value == "bab"}
    actions = {r.action for r in db.session.execute(select(UnitRevision)).scalars()}
    assert {RevisionAction.IMPORTED, RevisionAction.EDITED, RevisionAction.SUGGESTION} <= actions
    assert {s.status for s in service.suggestions_for(draft)} == {SuggestionStatus.ACCEPTED, SuggestionStatus.OPEN}
    counts = service.register_counts(draft)
    assert counts.total >= 6 and counts.unanswered >= 1
    assert sum(1 for c in counts.by_element.values() if c["total"]) >= 4
    with app.test_request_context():
        assert checks.blocking_count(checks.run(draft, tree)) == 0
    # The programme is public: anyone can read the draft.
    page = client.get(f"/p/{programme.slug}/drafts/{draft.id}/")
    assert page.status_code == 200 and "Pasal 12" in page.text
