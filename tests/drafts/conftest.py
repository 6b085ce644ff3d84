"""Draft fixtures: a Raperda made from the skeleton through the real service, and small helpers."""
import pytest

from app.drafts import service
from app.drafts.models import DraftKind, UnitKind


@pytest.fixture
def draft(programme, alice):
    return service.create_draft(programme, alice, "Penyelenggaraan Wisata Kota Industri", DraftKind.RAPERDA,
                                "Kota Bontang")


@pytest.fixture
def url(programme):
    """url(endpoint_suffix, **kwargs) for drafts endpoints of `programme`."""
    from flask import url_for

    def make(endpoint, **kwargs):
        return url_for(f"drafts.{endpoint}", slug=programme.slug, _external=False, **kwargs)

    return make


def pasals(draft_id):
    tree = service.load_tree(draft_id)
    return [n.unit for n in tree.pasals()]


def first(draft_id, kind: UnitKind):
    tree = service.load_tree(draft_id)
    return next(n.unit for n in tree.order if n.kind == kind)


def labels(draft_id):
    return [n.label for n in service.load_tree(draft_id).order]


@pytest.fixture
def app_config(app_config):
    """Draft tests assert English UI strings: serve English whatever the compiled catalogue holds."""
    return {**app_config, "BABEL_DEFAULT_LOCALE": "en", "LANGUAGES": ("en",)}
