import io
import zipfile

import pytest

from app.attachments.models import Attachment
from app.comments.models import Comment
from tests.collab import HX, comments_url, post_comment

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
GIF = b"GIF89a" + b"\x00" * 32
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 32
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("evil.exe", "MZ")
    return buffer.getvalue()


def _post(client, programme, name, data, body="Lihat lampiran", headers=None):
    return client.post(
        comments_url(programme), data={"body": body, "files": (io.BytesIO(data), name)},
        content_type="multipart/form-data", headers=headers or {},
    )


@pytest.mark.parametrize(
    "name, data, content_type",
    [
        ("notulen.pdf", PDF, "application/pdf"),
        ("foto.PNG", PNG, "image/png"),
        ("foto.jpeg", JPEG, "image/jpeg"),
        ("anim.gif", GIF, "image/gif"),
        ("gambar.webp", WEBP, "image/webp"),
        ("raperda.docx", _docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("lama.doc", OLE, "application/msword"),
        ("anggaran.xls", OLE, "application/vnd.ms-excel"),
    ],
)
def test_accepted_files_are_judged_by_content(client, login_as, alice, programme, db, app, name, data, content_type):
    login_as(alice)
    assert _post(client, programme, name, data).status_code == 303
    attachment = db.session.query(Attachment).one()
    assert attachment.content_type == content_type and attachment.size == len(data)
    assert attachment.target_type == "comment"
    assert (app.config["UPLOAD_FOLDER"] + "/" + attachment.storage_name)
    stored = open(f"{app.config['UPLOAD_FOLDER']}/{attachment.storage_name}", "rb").read()
    assert stored == data


@pytest.mark.parametrize(
    "name, data",
    [
        ("laporan.pdf", PNG),  # a PNG claiming to be a PDF
        ("foto.png", PDF),
        ("halaman.pdf", b"<html><script>alert(1)</script></html>"),
        ("setup.pdf", b"MZ\x90\x00" + b"\x00" * 64),
        ("dokumen.docx", _zip()),
        ("script.js", b"alert(1)"),
        ("tanpa-ekstensi", PDF),
        ("kosong.pdf", b""),
    ],
)
def test_a_lying_or_unknown_file_is_refused_and_nothing_is_saved(client, login_as, alice, programme, db, app, name, data):
    import os

    login_as(alice)
    response = _post(client, programme, name, data)
    assert response.status_code == 422
    assert 'class="errors"' in response.text
    assert db.session.query(Attachment).count() == 0
    assert db.session.query(Comment).count() == 0  # the comment waits with its text; nothing half-saved
    folder = app.config["UPLOAD_FOLDER"]
    assert not os.path.exists(folder) or os.listdir(folder) == []
    fragment = _post(client, programme, name, data, headers=HX)
    assert fragment.status_code == 422 and fragment.headers["HX-Retarget"].startswith("#comment-form-")


def test_a_member_downloads_as_an_attachment_with_nosniff(client, login_as, alice, bob, programme, db):
    login_as(alice)
    _post(client, programme, "notulen rapat.pdf", PDF)
    attachment = db.session.query(Attachment).one()
    login_as(bob)
    page = client.get(f"/p/{programme.slug}/").text
    url = f"/files/{attachment.id}/notulen rapat.pdf"
    assert f"/files/{attachment.id}/notulen%20rapat.pdf" in page
    response = client.get(url)
    assert response.status_code == 200 and response.data == PDF
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Type"] == "application/pdf"


def test_charlie_and_strangers_get_404_for_a_file(client, login_as, alice, charlie, programme, db):
    login_as(alice)
    _post(client, programme, "rahasia.pdf", PDF)
    attachment = db.session.query(Attachment).one()
    login_as(charlie)
    assert client.get(f"/files/{attachment.id}/rahasia.pdf").status_code == 404
    client.post("/logout")
    assert client.get(f"/files/{attachment.id}/rahasia.pdf").status_code == 404
    assert client.get("/files/999/x.pdf").status_code == 404


def test_files_of_a_hidden_comment_are_for_its_author_and_moderators_only(client, login_as, alice, bob, member, programme, db):
    author = member("commenter")
    reader = member("viewer")
    post_comment(programme, author, "lampiran", files=[("a.pdf", PDF)])
    attachment = db.session.query(Attachment).one()
    comment = db.session.query(Comment).one()
    login_as(bob)
    client.post(f"/comments/{comment.id}/hide", data={"reason": "spam"})
    url = f"/files/{attachment.id}/a.pdf"
    login_as(reader)
    assert client.get(url).status_code == 404
    login_as(author)
    assert client.get(url).status_code == 200
    login_as(alice)
    assert client.get(url).status_code == 200


def test_deleting_a_comment_deletes_its_files(client, login_as, alice, programme, db, app):
    import os

    comment = post_comment(programme, alice, "lampiran", files=[("a.pdf", PDF)])
    attachment = db.session.query(Attachment).one()
    attachment_id, path = attachment.id, os.path.join(app.config["UPLOAD_FOLDER"], attachment.storage_name)
    assert os.path.exists(path)
    login_as(alice)
    client.post(f"/comments/{comment.id}/delete")
    assert db.session.query(Attachment).count() == 0
    assert not os.path.exists(path)
    assert client.get(f"/files/{attachment_id}/a.pdf").status_code == 404


def test_any_target_takes_files_from_those_who_may_comment(client, login_as, alice, charlie, member, programme, db):
    login_as(alice)
    response = client.post(
        f"/t/programme/{programme.id}/attachments", data={"file": (io.BytesIO(PDF), "kerangka.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    attachment = db.session.query(Attachment).one()
    assert (attachment.target_type, attachment.target_id) == ("programme", programme.id)
    assert "kerangka.pdf" in client.get(f"/p/{programme.slug}/").text
    lying = client.post(
        f"/t/programme/{programme.id}/attachments", data={"file": (io.BytesIO(PNG), "kerangka.pdf")},
        content_type="multipart/form-data",
    )
    assert lying.status_code == 303 and db.session.query(Attachment).count() == 1
    login_as(member("viewer"))
    assert client.post(
        f"/t/programme/{programme.id}/attachments", data={"file": (io.BytesIO(PDF), "x.pdf")}, content_type="multipart/form-data"
    ).status_code == 403
    login_as(charlie)
    assert client.post(
        f"/t/programme/{programme.id}/attachments", data={"file": (io.BytesIO(PDF), "x.pdf")}, content_type="multipart/form-data"
    ).status_code == 404
    assert db.session.query(Attachment).count() == 1


def test_a_path_in_the_file_name_is_only_a_label(client, login_as, alice, programme, db, app):
    login_as(alice)
    _post(client, programme, "../../etc/passwd.pdf", PDF)
    attachment = db.session.query(Attachment).one()
    assert attachment.filename == "passwd.pdf"
    assert "/" not in attachment.storage_name and ".." not in attachment.storage_name
