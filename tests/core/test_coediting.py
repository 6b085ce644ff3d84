from app.coediting import Outcome, decide_save, diff_words, merge

BASE = "Setiap orang berhak memperoleh informasi wisata industri di Kota Bontang."


def test_it_merges_edits_in_different_places_of_one_paragraph():
    mine = BASE.replace("Setiap orang", "Setiap warga")
    theirs = BASE.replace("Kota Bontang", "Kota Bontang secara terbuka")
    result = merge(BASE, mine, theirs)
    assert result.clean
    assert result.text == "Setiap warga berhak memperoleh informasi wisata industri di Kota Bontang secara terbuka."


def test_it_reports_edits_of_the_same_words_as_a_conflict():
    mine = BASE.replace("memperoleh", "mendapatkan")
    theirs = BASE.replace("memperoleh", "mengakses")
    result = merge(BASE, mine, theirs)
    assert not result.clean and result.text is None
    assert [(c.base, c.mine, c.theirs) for c in result.conflicts] == [("memperoleh", "mendapatkan", "mengakses")]
    # The proposal keeps both sides' words.
    assert "mengakses / mendapatkan" in result.proposal


def test_identical_edits_are_not_a_conflict():
    mine = theirs = BASE + " Ketentuan lebih lanjut diatur dengan Peraturan Wali Kota."
    assert merge(BASE, mine, theirs).text == mine


def test_crlf_from_a_textarea_equals_lf():
    assert decide_save("a\nb", "a\nb", True, "a\r\nb").outcome == Outcome.UNCHANGED


def test_a_save_on_the_head_is_applied():
    decision = decide_save(BASE, BASE, True, BASE + " Baru.")
    assert (decision.outcome, decision.text) == (Outcome.APPLIED, BASE + " Baru.")


def test_a_save_on_an_old_base_merges_or_conflicts_never_overwrites():
    head = BASE.replace("Kota Bontang", "Kota Bontang dan sekitarnya")
    merged = decide_save(BASE, head, False, BASE.replace("Setiap orang", "Setiap warga"))
    assert merged.outcome == Outcome.MERGED and "dan sekitarnya" in merged.text and "Setiap warga" in merged.text
    conflict = decide_save(BASE, head, False, BASE.replace("Kota Bontang", "Kabupaten Kutai"))
    assert conflict.outcome == Outcome.CONFLICT and conflict.text is None


def test_the_word_diff_marks_insertions_and_deletions():
    parts = diff_words("informasi wisata industri", "informasi pariwisata industri terbuka")
    ops = [(p.op, p.text) for p in parts if p.op != "equal"]
    assert ("delete", "wisata") in ops and ("insert", "pariwisata") in ops and ("insert", " terbuka") in ops
