import io

import pytest

from app.attachments.models import Attachment
from app.comments.models import Comment


@pytest.fixture
def app_config(app_config):
    return {**app_config, "ATTACHMENT_MAX_BYTES": 1024}


def test_a_file_above_the_limit_is_refused_with_413(client, login_as, alice, programme, db):
    login_as(alice)
    big = b"%PDF-1.4\n" + b"0" * 2048
    response = client.post(
        f"/t/programme/{programme.id}/comments", data={"body": "besar", "files": (io.BytesIO(big), "besar.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    assert db.session.query(Attachment).count() == 0
    assert db.session.query(Comment).count() == 0
