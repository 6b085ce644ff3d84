from app.extensions import db as _db
from app.programmes.models import Visibility
from app.search import service as search
from tests.collab import HX, assert_inert, post_comment, user_content


def test_it_finds_comments_by_word_prefix_and_marks_the_match(client, login_as, alice, bob, programme):
    post_comment(programme, alice, "Penyusunan jadwal **kunjungan** industri Badak LNG")
    login_as(bob)
    page = client.get("/search?q=kunjung")
    assert page.status_code == 200
    assert "<mark>kunjungan</mark>" in page.text
    assert 'data-kind="comment"' in page.text


def test_results_are_grouped_by_kind_as_a_page_and_a_fragment(client, login_as, alice, programme, db):
    programme.description = "Wisata industri di Bontang"
    db.session.commit()
    post_comment(programme, alice, "Paket wisata pabrik")
    login_as(alice)
    fragment = client.get("/search?q=wisata", headers=HX)
    assert fragment.text.lstrip().startswith('<div id="search-results"')
    assert 'data-kind="programme"' in fragment.text and 'data-kind="comment"' in fragment.text
    assert fragment.text.index('data-kind="programme"') < fragment.text.index('data-kind="comment"')


def test_charlie_never_sees_a_private_result(client, login_as, alice, charlie, programme, factories, db):
    post_comment(programme, alice, "Anggaran rahasia pelabuhan")
    programme.description = "pelabuhan rahasia"
    db.session.commit()
    login_as(charlie)
    for query in ("rahasia", "pelabuhan", "anggaran", "rah"):
        response = client.get(f"/search?q={query}")
        results = response.text.split('id="search-results"')[1]
        assert "Anggaran" not in results and "Program Wisata" not in results, query
        assert 'class="search-result"' not in response.text


def test_charlie_sees_results_of_a_public_programme_and_his_own(client, login_as, alice, charlie, factories, db):
    public = factories.ProgrammeFactory(name="Program Terbuka", visibility=Visibility.PUBLIC, description="pelabuhan terbuka")
    own = factories.ProgrammeFactory(name="Program Charlie", description="pelabuhan milik charlie")
    factories.MembershipFactory(programme=own, user=charlie, role="owner")
    login_as(charlie)
    page = client.get("/search?q=pelabuhan").text
    assert "Program Terbuka" in page and "Program Charlie" in page


def test_a_former_member_loses_the_results(client, login_as, alice, bob, programme, db):
    from app.programmes.models import Membership

    post_comment(programme, alice, "Dermaga Tanjung Laut")
    login_as(bob)
    assert 'class="search-result"' in client.get("/search?q=dermaga").text
    db.session.query(Membership).filter_by(user_id=bob.id).delete()
    db.session.commit()
    assert 'class="search-result"' not in client.get("/search?q=dermaga").text


def test_deleted_comments_are_not_found(client, login_as, alice, programme):
    comment = post_comment(programme, alice, "Kalimat unikterhapus")
    login_as(alice)
    client.post(f"/comments/{comment.id}/delete")
    assert 'class="search-result"' not in client.get("/search?q=unikterhapus").text


def test_an_edit_is_found_by_its_new_words(client, login_as, alice, programme):
    comment = post_comment(programme, alice, "Kata lama")
    login_as(alice)
    client.post(f"/comments/{comment.id}/edit", data={"body": "Kata barubaru"})
    assert 'class="search-result"' in client.get("/search?q=barubaru").text
    assert 'class="search-result"' not in client.get("/search?q=lama").text


def test_html_and_query_syntax_in_text_and_query_are_harmless(client, login_as, alice, programme):
    post_comment(programme, alice, "<img src=x onerror=alert(1)> pelabuhan \"AND\" NEAR(x) *")
    login_as(alice)
    page = client.get('/search?q=pelabuhan" OR * NEAR(')
    assert page.status_code == 200
    for snippet in user_content(page.text, "snippet"):
        assert_inert(snippet)
    assert "<img src=x" not in page.text
    assert client.get("/search?q=%22%22%22").status_code == 200
    assert client.get("/search?q=").status_code == 200


def test_search_needs_a_login(client):
    assert client.get("/search?q=x").status_code in (302, 303)


def test_another_domain_adds_its_documents_through_the_interface(client, login_as, alice, programme, db):
    from flask_babel import lazy_gettext as _l

    search.register_kind("minutes", _l("Minutes"))
    search.index("minutes", 7, search.Document(programme.id, "Notulen Rakor 12 Mei", "Disepakati nama program baru", "/m/7"))
    db.session.commit()
    login_as(alice)
    groups = search.search(alice, "disepakati")
    assert [(g.kind.name, [r.url for r in g.results]) for g in groups] == [("minutes", ["/m/7"])]
    search.index("minutes", 7, None)
    _db.session.commit()
    assert search.search(alice, "disepakati") == []


def test_reindex_rebuilds_from_the_models(alice, programme, runner, db):
    post_comment(programme, alice, "Reklamasi pantai")
    db.session.execute(db.text("DELETE FROM search_documents"))
    db.session.commit()
    assert search.search(alice, "reklamasi") == []
    result = runner.invoke(args=["search-reindex"])
    assert "Documents indexed" in result.output
    assert len(search.search(alice, "reklamasi")) == 1
