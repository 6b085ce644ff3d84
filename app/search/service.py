"""One search interface over every domain's texts; SQLite FTS5 or PostgreSQL full-text search underneath.

A domain makes its objects searchable with one call at import time:

    search.register_model(DraftUnit, "draft_unit", _l("Draft articles"), to_document)

where `to_document(obj)` returns a `Document` (or None when the object must not be found, e.g. a
deleted or hidden one). The index is then kept in step by the session: every object of that model
added, changed or deleted is re-indexed inside the same transaction. `search(user, query)` only ever
returns documents from programmes the user may see.
"""
import re
from dataclasses import dataclass, field

from markupsafe import Markup, escape
from sqlalchemy import delete, event, insert, text
from flask_sqlalchemy.session import Session

from app.collab import hooks
from app.extensions import db
from app.search.models import SearchDocument
from app.types import utcnow

START, STOP = "\x02", "\x03"
MAX_TERMS = 8


@dataclass(frozen=True)
class Document:
    programme_id: int
    title: str
    body: str
    url: str


@dataclass
class Kind:
    name: str
    label: object
    order: int


@dataclass
class Result:
    kind: str
    doc_id: int
    url: str
    programme_name: str
    title: Markup
    snippet: Markup


@dataclass
class Group:
    kind: Kind
    results: list = field(default_factory=list)


_KINDS: dict[str, Kind] = {}
_MODELS: dict[type, tuple[str, object]] = {}


def register_kind(name: str, label) -> Kind:
    kind = _KINDS.get(name) or Kind(name, label, len(_KINDS))
    kind.label = label
    _KINDS[name] = kind
    return kind


def register_model(model: type, kind: str, label, to_document) -> None:
    register_kind(kind, label)
    _MODELS[model] = (kind, to_document)


def kinds() -> list[Kind]:
    return sorted(_KINDS.values(), key=lambda k: k.order)


def _clean(value: str | None) -> str:
    # The highlight markers must only ever come from the search engine.
    return (value or "").replace(START, "").replace(STOP, "")


def index(kind: str, doc_id: int, document: Document | None) -> None:
    """Write (or remove, with None) one document, in the current transaction. No commit."""
    table = SearchDocument.__table__
    db.session.execute(delete(table).where(table.c.kind == kind, table.c.doc_id == doc_id))
    if document is not None:
        db.session.execute(
            insert(table).values(
                kind=kind, doc_id=doc_id, programme_id=document.programme_id,
                title=_clean(document.title)[:300], body=_clean(document.body), url=document.url[:500],
                updated_at=utcnow(),
            )
        )


# -- keeping the index in step with the models ------------------------------------------------

@event.listens_for(Session, "after_flush")
def _collect(session, flush_context):
    if not _MODELS:
        return
    pending = session.info.setdefault("search_pending", {})
    for obj in list(session.new) + list(session.dirty):
        entry = _MODELS.get(type(obj))
        if entry:
            pending[(entry[0], obj.id)] = obj
    for obj in session.deleted:
        entry = _MODELS.get(type(obj))
        if entry:
            pending[(entry[0], obj.id)] = None


@hooks.before_commit
def _write_pending(session) -> None:
    pending = session.info.pop("search_pending", None)
    if not pending:
        return
    with session.no_autoflush:
        for (kind, doc_id), obj in pending.items():
            to_document = next(fn for k, fn in _MODELS.values() if k == kind)
            index(kind, doc_id, to_document(obj) if obj is not None else None)


def reindex_all() -> int:
    """Rebuild the index from the registered models (after a restore, or when a kind is added)."""
    from sqlalchemy import select

    count = 0
    db.session.execute(delete(SearchDocument.__table__))
    for model, (kind, to_document) in _MODELS.items():
        for obj in db.session.execute(select(model)).scalars():
            document = to_document(obj)
            index(kind, obj.id, document)
            count += document is not None
    db.session.info.pop("search_pending", None)
    db.session.commit()
    return count


# -- querying ---------------------------------------------------------------------------------

def terms(query: str) -> list[str]:
    """Words of the query, lower-cased; each is matched as a prefix (susun finds susunan, penyusunan needs its own)."""
    return [t for t in re.findall(r"[^\W_]+", (query or "").lower()) if t][:MAX_TERMS]


_VISIBLE = (
    "(d.programme_id IN (SELECT m.programme_id FROM memberships m WHERE m.user_id = :uid) "
    "OR p.visibility = 'public')"
)

_SQLITE = f"""
SELECT d.kind, d.doc_id, d.url, p.name AS programme_name,
       highlight(search_fts, 0, char(2), char(3)) AS title,
       snippet(search_fts, 1, char(2), char(3), '…', 24) AS snippet
FROM search_fts
JOIN search_documents d ON d.id = search_fts.rowid
JOIN programmes p ON p.id = d.programme_id
WHERE search_fts MATCH :match AND {_VISIBLE}
ORDER BY bm25(search_fts, 5.0, 1.0)
LIMIT :limit
"""

_POSTGRES = f"""
SELECT d.kind, d.doc_id, d.url, p.name AS programme_name,
       ts_headline('simple', d.title, q, :title_opts) AS title,
       ts_headline('simple', d.body, q, :body_opts) AS snippet
FROM search_documents d
JOIN programmes p ON p.id = d.programme_id,
     to_tsquery('simple', :match) AS q
WHERE d.search_vector @@ q AND {_VISIBLE}
ORDER BY ts_rank(d.search_vector, q) DESC, d.id DESC
LIMIT :limit
"""


def _marked(value: str | None) -> Markup:
    """Escape the engine's text, then turn only its own markers into <mark>."""
    safe = str(escape(value or ""))
    return Markup(safe.replace(START, "<mark>").replace(STOP, "</mark>"))


def search(user, query: str, limit: int = 60) -> list[Group]:
    words = terms(query)
    if not words:
        return []
    uid = user.id if user is not None and user.is_authenticated else -1
    if db.engine.dialect.name == "postgresql":
        rows = db.session.execute(
            text(_POSTGRES),
            {
                "match": " & ".join(f"{w}:*" for w in words),
                "uid": uid,
                "limit": limit,
                "title_opts": f"StartSel={START}, StopSel={STOP}, HighlightAll=true",
                "body_opts": f"StartSel={START}, StopSel={STOP}, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=\" … \"",
            },
        )
    else:
        rows = db.session.execute(
            text(_SQLITE), {"match": " AND ".join(f'"{w}"*' for w in words), "uid": uid, "limit": limit}
        )
    groups: dict[str, Group] = {}
    for row in rows:
        kind = _KINDS.get(row.kind) or register_kind(row.kind, row.kind)
        group = groups.setdefault(row.kind, Group(kind))
        group.results.append(
            Result(row.kind, row.doc_id, row.url, row.programme_name, _marked(row.title), _marked(row.snippet))
        )
    return sorted(groups.values(), key=lambda g: g.kind.order)
