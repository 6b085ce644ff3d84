"""The Indonesian catalogue uses the actions' terms. (That every string is translated and the
catalogue compiles is checked for all domains in tests/core/test_i18n.py.)"""
from pathlib import Path

from babel.messages.pofile import read_po

from app import ROOT

PO = Path(ROOT) / "app" / "translations" / "id" / "LC_MESSAGES" / "messages.po"


def test_the_indonesian_terms_of_the_issue_are_used():
    catalog = read_po(PO.open("rb"))
    expected = {
        "New": "Baru", "In progress": "Dikerjakan", "Blocked": "Terhambat", "Done": "Selesai",
        "Cancelled": "Dibatalkan", "Follow-up actions": "Tindak lanjut", "My tasks": "Tugas saya",
        "Due date": "Tenggat",
    }
    assert {msgid: catalog[msgid].string for msgid in expected} == expected


def test_pages_read_in_indonesian_when_compiled(app, client, login_as, bob, programme, make_action, tmp_path,
                                                monkeypatch):
    from babel.messages.mofile import write_mo as compile_to
    from flask_babel import get_domain

    # Compile into a temporary translations folder, so the test does not depend on `make setup`.
    target = tmp_path / "id" / "LC_MESSAGES"
    target.mkdir(parents=True)
    with (target / "messages.mo").open("wb") as out:
        compile_to(out, read_po(PO.open("rb")))
    app.extensions["babel"].translation_directories = [str(tmp_path)]
    with app.test_request_context():
        monkeypatch.setattr(get_domain(), "cache", {})  # the catalogue cache is process-wide
    app.extensions["babel"].locale_selector = lambda: "id"
    make_action(status="terhambat", note="Menunggu lahan")
    login_as(bob)
    html = client.get(f"/p/{programme.slug}/actions/board").get_data(as_text=True)
    assert "Terhambat" in html and "Dikerjakan" in html and "Tindak lanjut" in html
