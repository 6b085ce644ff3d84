"""CSV export of the filtered table and import with preview: all rows or none."""
import csv
import io
import os
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.actions import service
from app.actions.models import Action, Priority, Status

HX = {"HX-Request": "true"}


def rows_of(response):
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def count(db, programme=None):
    query = select(func.count()).select_from(Action)
    if programme is not None:
        query = query.where(Action.programme_id == programme.id)
    return db.session.scalar(query)


def upload(client, programme, content: bytes | str, name="actions.csv"):
    data = content.encode("utf-8") if isinstance(content, str) else content
    return client.post(f"/p/{programme.slug}/actions/import", data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


@pytest.fixture
def filled(programme, alice, bob, factories, today):
    org = factories.OrganisationFactory(name="DPC MASATA Kota Bontang", short_name="MASATA Bontang")
    service.create(programme, alice, title="Usulkan nama ke DPP", description="Tambah kata *kota*\nbaris dua",
                   assignee=alice, organisation=org, due_date=today + timedelta(days=4), priority=Priority.HIGH,
                   labels=["branding", "MASATA"], progress=30)
    service.create(programme, alice, title="=HYPERLINK(\"http://x\")", status=Status.TERHAMBAT,
                   status_note="Menunggu, \"lahan\"; pemprov", assignee=bob)
    service.create(programme, alice, title="Liputan", status=Status.SELESAI, due_date=today - timedelta(days=3))
    return org


def test_export_follows_the_filter(client, login_as, bob, programme, filled):
    login_as(bob)
    rows = rows_of(client.get(f"/p/{programme.slug}/actions/export.csv?status=terhambat"))
    assert [r["title"] for r in rows] == ["'=HYPERLINK(\"http://x\")"]  # a formula is defused for spreadsheets
    assert rows[0]["status_note"] == 'Menunggu, "lahan"; pemprov' and rows[0]["assignee_email"] == bob.email
    everything = client.get(f"/p/{programme.slug}/actions/export.csv")
    assert everything.headers["Content-Disposition"].startswith("attachment;")
    assert len(rows_of(everything)) == 3


def test_export_is_for_members_only(client, login_as, charlie, programme, filled):
    login_as(charlie)
    assert client.get(f"/p/{programme.slug}/actions/export.csv").status_code == 404


def test_round_trip_into_another_programme(client, db, login_as, alice, bob, factories, programme, filled):
    from app.programmes.models import Role

    target = factories.ProgrammeFactory(name="Salinan")
    factories.MembershipFactory(programme=target, user=alice, role=Role.OWNER)
    factories.MembershipFactory(programme=target, user=bob, role=Role.EDITOR)
    login_as(alice)
    exported = client.get(f"/p/{programme.slug}/actions/export.csv").get_data()
    preview = upload(client, target, exported)
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "3 rows are ready to import." in html and count(db, target) == 0
    csv_text = html.split('name="csv_text" hidden aria-hidden="true">', 1)[1].split("</textarea>", 1)[0]
    import html as html_lib

    done = client.post(f"/p/{target.slug}/actions/import", data={"confirm": "1", "csv_text": html_lib.unescape(csv_text)})
    assert done.status_code == 303 and count(db, target) == 3

    def comparable(response):
        return sorted((tuple((k, v) for k, v in r.items() if k != "id") for r in rows_of(response)))

    assert comparable(client.get(f"/p/{target.slug}/actions/export.csv")) == comparable(
        client.get(f"/p/{programme.slug}/actions/export.csv"))
    imported = db.session.execute(select(Action).where(Action.programme_id == target.id, Action.title == "Liputan")).scalar_one()
    assert imported.completed_at is not None


HEADER = "title,status,status_note,assignee_email,due_date,progress,organisation,priority\n"


@pytest.mark.parametrize("body, message", [
    ("judul,status\nA,baru\n", "Unknown columns: judul"),
    ("status,progress\nbaru,10\n", "Missing required columns: title"),
    ("title,title\nA,B\n", "Columns appear twice: title"),
    ("", "The file is empty or has no header row."),
    ("title,status\n", "The file has a header but no rows."),
])
def test_a_file_with_wrong_columns_is_refused_whole(client, db, login_as, bob, programme, body, message):
    login_as(bob)
    response = upload(client, programme, body)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert count(db) == 0


def test_each_bad_row_gets_its_own_error_and_nothing_is_written(client, db, login_as, bob, charlie, programme):
    body = HEADER + "\n".join([
        "Baik,baru,,,2025-03-01,10,,",
        ",baru,,,,,,",  # line 3: no title
        "Tanggal salah,baru,,,2025-02-30,,,",  # line 4
        "Tanggal kacau,baru,,,besok,,,",  # line 5
        f"Orang asing,baru,,{charlie.email},,,,",  # line 6: not a member
        "Status aneh,setengah,,,,,,",  # line 7
        "Macet,terhambat,,,,,,",  # line 8: no reason
        "Persen,baru,,,,150,,",  # line 9
        "Organisasi,baru,,,,,Tidak Ada,",  # line 10
        "Prioritas,baru,,,,,,sangat",  # line 11
        "Kolom lebih,baru,,,,,,,extra",  # line 12
    ]) + "\n"
    login_as(bob)
    response = upload(client, programme, body)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "10 rows have errors: nothing has been imported." in html
    for text in ["Title is required.", "“2025-02-30” is not a date", "“besok” is not a date",
                 f"No member of this programme has the email “{charlie.email}”", "Unknown status “setengah”",
                 "A blocked action needs its reason in status_note.", "Progress “150” is not a whole number",
                 "Unknown organisation “Tidak Ada”", "Unknown priority “sangat”", "Expected 8 fields, found 9."]:
        assert text in html, text
    assert 'name="confirm"' not in html
    assert count(db) == 0


def test_confirming_a_bad_text_writes_nothing(client, db, login_as, bob, programme):
    login_as(bob)
    response = client.post(f"/p/{programme.slug}/actions/import",
                           data={"confirm": "1", "csv_text": HEADER + "A,baru,,,2025-13-01,,,\n"})
    assert response.status_code == 422 and count(db) == 0


def test_five_megabytes_of_junk_get_a_clear_error(client, db, login_as, bob, programme):
    login_as(bob)
    response = upload(client, programme, os.urandom(5 * 1024 * 1024), name="junk.csv")
    assert response.status_code == 422
    assert "The file is larger than 1024 KB." in response.get_data(as_text=True)
    assert count(db) == 0


@pytest.mark.parametrize("junk, message", [
    (b"title\n\x00\x01\x02binary", "This is not a CSV text file."),
    ("title\nCaf\xe9\n".encode("latin-1"), "The file is not UTF-8 text."),
    (b"title,status\n\"unterminated,baru\n" + b"x" * 10, "could not be read as CSV"),
])
def test_files_that_are_not_csv_text_are_refused(client, db, login_as, bob, programme, junk, message):
    login_as(bob)
    response = upload(client, programme, junk)
    assert response.status_code == 422, response.get_data(as_text=True)[:500]
    assert message in response.get_data(as_text=True)
    assert count(db) == 0


def test_no_file_chosen(client, login_as, bob, programme):
    login_as(bob)
    response = client.post(f"/p/{programme.slug}/actions/import", data={}, content_type="multipart/form-data")
    assert response.status_code == 422 and "Choose a CSV file to upload." in response.get_data(as_text=True)


def test_semicolons_and_indonesian_dates_are_understood(client, db, login_as, alice, bob, programme):
    login_as(bob)
    body = f"title;assignee_email;due_date;labels\nRapat lanjutan;{alice.email.upper()};05/03/2026;a, b\n"
    preview = upload(client, programme, body)
    assert preview.status_code == 200
    text = preview.get_data(as_text=True).split('aria-hidden="true">', 1)[1].split("</textarea>", 1)[0]
    import html

    client.post(f"/p/{programme.slug}/actions/import", data={"confirm": "1", "csv_text": html.unescape(text)})
    action = db.session.execute(select(Action)).scalar_one()
    assert (action.assignee_id, action.due_date.isoformat()) == (alice.id, "2026-03-05")


def test_import_needs_an_editor(client, login_as, member, programme):
    login_as(member("commenter"))
    assert upload(client, programme, "title\nA\n").status_code == 403
