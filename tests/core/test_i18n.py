"""Indonesian is the default language, English on request: the catalogue is complete and up to
date with the sources, and pages, form errors (WTForms' own messages too), flash messages and
error pages follow the viewer's language."""
import re

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_keywords, parse_mapping_cfg
from babel.messages.pofile import read_po

from app import ROOT
from app.pentahelix import Element

CATALOGUES = ROOT / "app" / "translations"
# %(name)s / %(num)d / %s / %% and str.format's {name}: what must survive translation unchanged.
PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[-#0 +]*\d*(?:\.\d+)?[sdifeEgGxXorc%]|\{\w*\}")


def load_catalogue(lang):
    with open(CATALOGUES / lang / "LC_MESSAGES" / "messages.po", "rb") as f:
        return read_po(f, locale=lang)


def placeholders(text):
    return sorted(p for p in PLACEHOLDER.findall(text) if p != "%%")


def extract_from_sources():
    """What `make extract-messages` extracts: babel.cfg's mapping and the Makefile's keywords."""
    with open(ROOT / "babel.cfg") as f:
        method_map, options_map = parse_mapping_cfg(f)
    makefile = (ROOT / "Makefile").read_text()
    keywords = dict(DEFAULT_KEYWORDS)
    keywords.update(parse_keywords(re.findall(r"-k\s+(\S+)", makefile)))
    for filename, lineno, message, _comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=keywords
    ):
        yield f"{filename}:{lineno}", message, context


# -- the catalogue --------------------------------------------------------------------------

def test_the_indonesian_catalogue_declares_its_language_and_one_plural_form():
    catalogue = load_catalogue("id")
    headers = dict(catalogue.mime_headers)
    assert headers["Language"] == "id"
    assert headers["Plural-Forms"] == "nplurals=1; plural=0;"
    assert catalogue.num_plurals == 1


def test_the_english_catalogue_has_a_proper_header():
    headers = dict(load_catalogue("en").mime_headers)
    assert headers["Language"] == "en"
    assert headers["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert "charset=utf-8" in headers["Content-Type"]


def test_every_string_has_an_indonesian_translation_with_the_same_placeholders():
    catalogue = load_catalogue("id")
    problems = []
    for message in catalogue:
        if not message.id:
            continue  # the header
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            problems.append(f"fuzzy: {ids[0]!r}")
        if len(strings) != catalogue.num_plurals and isinstance(message.id, tuple):
            problems.append(f"needs {catalogue.num_plurals} plural form(s): {ids[0]!r}")
        # One Indonesian form serves every count, so it carries the plural msgid's placeholders.
        expected = placeholders(ids[-1])
        for string in strings:
            if not string or not string.strip():
                problems.append(f"untranslated: {ids[0]!r}")
            elif placeholders(string) != expected:
                problems.append(f"placeholders {placeholders(string)} != {expected}: {ids[0]!r}")
    assert not problems, "\n".join(problems)


def test_the_catalogues_hold_every_string_of_the_sources():
    """Fails when someone adds a _() string without running `make extract-messages`."""
    catalogues = {lang: load_catalogue(lang) for lang in ("id", "en")}
    with open(CATALOGUES / "messages.pot", "rb") as f:
        catalogues["pot"] = read_po(f)
    found = list(extract_from_sources())
    assert len(found) > 100, "the extraction found almost nothing: babel.cfg or the Makefile changed?"
    missing = {}  # msgid -> (first place it was found, what is wrong)
    for where, message, context in found:
        msgid = message[0] if isinstance(message, tuple) else message
        if not msgid or msgid in missing:
            continue
        for name, catalogue in catalogues.items():
            entry = catalogue.get(msgid, context=context)
            if entry is None:
                problem = f"not in {name}"
            elif isinstance(message, tuple) != isinstance(entry.id, tuple) or (
                isinstance(message, tuple) and tuple(message[:2]) != tuple(entry.id[:2])
            ):
                problem = f"plural differs in {name}"
            else:
                continue
            missing.setdefault(msgid, (where, []))[1].append(problem)
    report = [f"{where}: {msgid!r} ({', '.join(problems)})" for msgid, (where, problems) in missing.items()]
    assert not report, "run `make extract-messages` and translate:\n" + "\n".join(report)


def test_the_placeholder_check_catches_a_broken_translation():
    assert placeholders("Undangan dikirim ke %(email)s.") == placeholders("Invitation sent to %(email)s.")
    assert placeholders("Undangan dikirim ke %(surel)s.") != placeholders("Invitation sent to %(email)s.")
    assert placeholders("%(num)d anggota") != placeholders("%(num)s members")
    assert placeholders("Jenis: {extensions}") == ["{extensions}"]


# -- pages in the viewer's language -----------------------------------------------------------

def test_pages_are_in_indonesian_by_default(client):
    login = client.get("/login")
    assert '<html lang="id">' in login.text
    assert "<h1>Masuk</h1>" in login.text
    assert "Lupa kata sandi?" in login.text
    register = client.get("/register")
    assert "<h1>Buat akun</h1>" in register.text
    assert "Nama lengkap" in register.text
    assert ">Pemerintah</option>" in register.text  # the Pentahelix element labels too


def test_choosing_english_turns_the_pages_into_english(client):
    response = client.post("/language", data={"lang": "en", "next": "/login"})
    assert response.status_code in (302, 303)
    login = client.get("/login")
    assert '<html lang="en">' in login.text
    assert "<h1>Sign in</h1>" in login.text
    assert "Masuk" not in login.text
    assert "<h1>Create an account</h1>" in client.get("/register").text
    client.post("/language", data={"lang": "id"})
    assert "<h1>Masuk</h1>" in client.get("/login").text


@pytest.mark.parametrize(
    "locale, sign_out, heading", [("en", "Sign out", "My programmes"), ("id", "Keluar", "Program saya")]
)
def test_a_signed_in_user_sees_their_own_language(client, factories, login_as, locale, sign_out, heading):
    login_as(factories.UserFactory(locale=locale))
    page = client.get("/")
    assert f'<html lang="{locale}">' in page.text
    assert sign_out in page.text
    assert heading in page.text


def test_an_english_user_who_switches_to_indonesian_keeps_it(client, factories, login_as, db):
    user = login_as(factories.UserFactory(locale="en"))
    client.post("/language", data={"lang": "id"})
    assert "Program saya" in client.get("/").text
    db.session.refresh(user)
    assert user.locale == "id"


# -- form errors and flash messages -----------------------------------------------------------

def register_data(**changes):
    data = {
        "name": "Rina Pemkot",
        "email": "rina@bontangkota.go.id",
        "password": "correct horse battery",
        "confirm": "correct horse battery",
        "organisation_id": "0",
        "new_organisation_name": "Pemkot Bontang",
        "new_organisation_element": Element.PEMERINTAH.value,
    }
    data.update(changes)
    return data


def errors_of(response):
    return re.findall(r"<li>(.*?)</li>", "".join(re.findall(r'<ul class="errors"[^>]*>(.*?)</ul>', response.text)))


def test_wtforms_required_message_is_in_indonesian(client):
    response = client.post("/register", data=register_data(name=""))
    assert response.status_code == 422
    assert "Kolom ini wajib diisi." in errors_of(response)
    assert "This field is required." not in response.text
    assert "Silakan perbaiki isian yang salah di bawah ini." in response.text


def test_wtforms_messages_with_numbers_and_choices_are_in_indonesian(client):
    response = client.post(
        "/register", data=register_data(name="x" * 121, email="bukan-email", organisation_id="987654")
    )
    assert response.status_code == 422
    errors = errors_of(response)
    assert "Kolom ini tidak boleh lebih dari 120 karakter." in errors  # Length: an ngettext message
    assert "Alamat email tidak valid." in errors  # Email
    assert "Pilihan tidak valid." in errors  # SelectField's "Not a valid choice."


def test_our_own_validator_messages_are_in_indonesian(client):
    response = client.post("/register", data=register_data(password="pendek", confirm="lain"))
    errors = errors_of(response)
    assert "Kata sandi harus terdiri dari 8 sampai 128 karakter." in errors
    assert "Kata sandi tidak sama." in errors


def test_form_errors_are_in_english_for_an_english_viewer(client):
    client.post("/language", data={"lang": "en"})
    response = client.post("/register", data=register_data(name="", email="not-an-email"))
    errors = errors_of(response)
    assert "This field is required." in errors
    assert "Invalid email address." in errors
    assert "Kolom ini wajib diisi." not in response.text


def test_invitation_link_form_errors_are_in_indonesian(client, alice, programme, login_as):
    login_as(alice)
    url = f"/p/{programme.slug}/invitations/link"
    assert "Kolom ini wajib diisi." in errors_of(client.post(url, data={"role": "viewer", "days": "abc"}))
    assert "Antara 1 dan 90 hari." in errors_of(client.post(url, data={"role": "viewer", "days": "91"}))
    response = client.post(url, data={"role": "nobody", "days": "7"})
    assert response.status_code == 422
    assert "Pilihan tidak valid." in errors_of(response)


def test_flash_messages_are_in_indonesian(client):
    client.get("/profile")
    assert "Silakan masuk untuk melanjutkan." in client.get("/login").text
    response = client.post("/register", data=register_data())
    assert response.status_code in (302, 303)
    assert "Selamat datang di Sinergi, Rina Pemkot!" in client.get("/").text


def test_flash_messages_are_in_english_for_an_english_viewer(client):
    client.post("/language", data={"lang": "en"})
    client.get("/profile")
    assert "Please sign in to continue." in client.get("/login").text


# -- error pages ----------------------------------------------------------------------------------

def test_a_missing_page_is_in_indonesian_by_default(client):
    response = client.get("/tidak-ada-halaman-ini")
    assert response.status_code == 404
    assert "<h1>Tidak ditemukan</h1>" in response.text
    assert "Kembali ke beranda" in response.text


def test_a_missing_page_is_in_english_for_an_english_user(client, factories, login_as):
    login_as(factories.UserFactory(locale="en"))
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "<h1>Not found</h1>" in response.text
    assert "Back to the start page" in response.text


@pytest.mark.parametrize(
    "locale, title, message",
    [
        ("id", "Tidak diizinkan", "Anda tidak memiliki izin untuk melakukan ini."),
        ("en", "Not allowed", "You do not have permission to do this."),
    ],
)
def test_a_forbidden_page_is_in_the_users_language(client, programme, member, login_as, locale, title, message):
    login_as(member("editor", locale=locale))
    response = client.get(f"/p/{programme.slug}/settings")
    assert response.status_code == 403
    assert f"<h1>{title}</h1>" in response.text
    assert message in response.text
