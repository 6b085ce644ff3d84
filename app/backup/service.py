"""Export one programme with everything that belongs to it, and import it into another instance.

Which rows belong to a programme is read from the schema itself, so a new table is included
without touching this module: a row *belongs* when a foreign key leads from it to the programme
or to another row that belongs (memberships, drafts → units → revisions, …). Rows it points at
but that are shared between programmes — people and organisations — are *referenced* and
exported too. Generic (`target_type`, `target_id`) references are followed through the
collaboration layer's target registry.

The export is canonical: ids are renumbered 1..n per table in their original order, so
exporting, importing into an empty database and exporting again gives the same file. The
format is documented in docs/backup.md.
"""
import base64
import enum
import io
import json
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from flask import current_app
from sqlalchemy import Date, DateTime, Enum, LargeBinary, insert, select, update

from app.extensions import db
from app.types import UTCDateTime

FORMAT = "sinergi-programme"
VERSION = 1
SHARED_TABLES = ("organisations", "users")  # referenced, never owned by one programme
# Derived data, rebuilt rather than carried: the search index (reindexed after an import) and
# the live-update counters.
SKIPPED_TABLES = ("alembic_version", "search_documents", "live_versions")
# Per-user secrets that must not travel with a programme (they are regenerated on demand).
SKIPPED_COLUMNS: dict[str, set[str]] = {}


# (table, column) -> rewrite(value, lookup): ids a domain keeps inside a value (a text with
# cross-references, a JSON snapshot). lookup(table, old id) gives the id to write.
EMBEDDED: dict[tuple[str, str], callable] = {}


def register_embedded(table: str, column: str, rewrite) -> None:
    EMBEDDED[(table, column)] = rewrite


class BackupError(Exception):
    """A file that cannot be imported; the message says why, in plain words."""


def _tables():
    return [t for t in db.metadata.sorted_tables if t.name not in SKIPPED_TABLES]


def _polymorphic_tables() -> dict[str, str]:
    """table name -> (target_type -> table name) for generic references, if the registry exists."""
    try:
        from app.collab.targets import kinds
    except ImportError:
        return {}
    return {name: kind.model.__table__.name for name, kind in kinds().items()}


def _has_target(table) -> bool:
    return "target_type" in table.c and "target_id" in table.c


# -- export -------------------------------------------------------------------------------

def collect(programme_id: int) -> dict[str, dict[int, dict]]:
    """All rows of a programme, by table name and id."""
    tables = {t.name: t for t in _tables()}
    rows: dict[str, dict[int, dict]] = {name: {} for name in tables}
    programme_row = db.session.execute(select(tables["programmes"]).where(tables["programmes"].c.id == programme_id)).mappings().one()
    rows["programmes"][programme_id] = dict(programme_row)
    owned = {"programmes"}

    changed = True
    while changed:
        changed = False
        for table in tables.values():
            if table.name in SHARED_TABLES or table.name == "programmes":
                continue
            for fk in table.foreign_keys:
                parent = fk.column.table.name
                if parent not in owned or parent in SHARED_TABLES:
                    continue
                ids = set(rows[parent])
                if not ids:
                    continue
                if _fetch(table, fk.parent, ids, rows[table.name]):
                    owned.add(table.name)
                    changed = True
    # Generic (target_type, target_id) rows carry a programme_id foreign key, so the loop above
    # has collected them with the rest.

    # Shared rows referenced from owned rows: people, and their organisations.
    for _ in range(2):  # users first reference organisations; two passes reach both
        for table in tables.values():
            for fk in table.foreign_keys:
                parent = fk.column.table.name
                if parent not in SHARED_TABLES:
                    continue
                ids = {r[fk.parent.name] for r in rows[table.name].values() if r[fk.parent.name] is not None}
                missing = ids - set(rows[parent])
                if missing:
                    _fetch(tables[parent], tables[parent].c.id, missing, rows[parent])
    return {name: table_rows for name, table_rows in rows.items() if table_rows}


def _key(table, row):
    """A row's identity: its id, or for a link table without one (action ↔ label) all its values."""
    if "id" in table.c:
        return row["id"]
    return tuple(row[c.name] for c in table.columns)


def _fetch(table, column, ids, into: dict) -> bool:
    new = False
    ids = sorted(ids)
    for i in range(0, len(ids), 500):
        for row in db.session.execute(select(table).where(column.in_(ids[i : i + 500]))).mappings():
            key = _key(table, row)
            if key not in into:
                into[key] = dict(row)
                new = True
    return new


def _encode(value):
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return base64.b64encode(bytes(value)).decode()
    return value


def canonical(rows: dict[str, dict[int, dict]]) -> dict[str, list[dict]]:
    """Renumber ids 1..n per table (original order) and rewrite every reference to match."""
    tables = {t.name: t for t in _tables()}
    new_ids = {
        name: {old: i + 1 for i, old in enumerate(sorted(table_rows))}
        for name, table_rows in rows.items()
        if "id" in tables[name].c
    }
    target_tables = _polymorphic_tables()
    out: dict[str, list[dict]] = {}
    for name in [t.name for t in _tables()]:
        if name not in rows:
            continue
        table = tables[name]
        fks = {fk.parent.name: fk.column.table.name for fk in table.foreign_keys}
        records = []
        for old_id in sorted(rows[name], key=lambda k: k if isinstance(k, tuple) else (k,)):
            row = dict(rows[name][old_id])
            if "id" in row:
                row["id"] = new_ids[name][old_id]
            for column, parent in fks.items():
                if row.get(column) is not None:
                    row[column] = new_ids.get(parent, {}).get(row[column])
            if _has_target(table) and row.get("target_id") is not None:
                parent = target_tables.get(row["target_type"])
                row["target_id"] = new_ids.get(parent, {}).get(row["target_id"]) if parent else None
            for (table_name, column), rewrite in EMBEDDED.items():
                if table_name == name and row.get(column):
                    row[column] = rewrite(row[column], lambda t, old: new_ids.get(t, {}).get(old, 0))
            for column in SKIPPED_COLUMNS.get(name, ()):
                row.pop(column, None)
            records.append({k: _encode(v) for k, v in sorted(row.items())})
        if "id" not in table.c:  # link rows: order by their (renumbered) values, not the old ids
            records.sort(key=lambda r: json.dumps(r, sort_keys=True))
        out[name] = records
    return out


def _attachment_files(rows) -> list[tuple[str, Path]]:
    """(name in the zip, file on disk) for every stored attachment of the export."""
    folder = Path(current_app.config.get("UPLOAD_FOLDER") or Path(current_app.instance_path) / "uploads")
    files = []
    for row in rows.get("attachments", {}).values():
        stored = row.get("storage_name") or row.get("stored_name") or row.get("storage_key") or row.get("path")
        if stored and (folder / stored).is_file():
            files.append((f"attachments/{stored}", folder / stored))
    return files


def schema_revision() -> str | None:
    try:
        return db.session.execute(select(db.Table("alembic_version", db.MetaData(), autoload_with=db.engine))).scalar()
    except Exception:
        return None


def export_programme(programme_id: int) -> bytes:
    rows = collect(programme_id)
    document = {
        "format": FORMAT,
        "version": VERSION,
        "schema_revision": schema_revision(),
        "tables": canonical(rows),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("programme.json", json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True))
        for name, path in _attachment_files(rows):
            archive.write(path, name)
    return buffer.getvalue()


# -- import -------------------------------------------------------------------------------

def _decode(column, value):
    if value is None:
        return None
    kind = column.type
    if isinstance(kind, (UTCDateTime, DateTime)):
        return datetime.fromisoformat(value)
    if isinstance(kind, Date):
        return date.fromisoformat(value)
    if isinstance(kind, Enum) and kind.enum_class is not None:
        return kind.enum_class(value)
    if isinstance(kind, LargeBinary):
        return base64.b64decode(value)
    return value


def read_archive(data: bytes) -> tuple[dict, dict[str, bytes]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = archive.namelist()
        if "programme.json" not in names:
            raise BackupError("The file has no programme.json: it is not a Sinergi programme export.")
        document = json.loads(archive.read("programme.json"))
        files = {n[len("attachments/"):]: archive.read(n) for n in names if n.startswith("attachments/") and not n.endswith("/")}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, KeyError, EOFError) as error:
        raise BackupError(f"The file is damaged or not a zip archive ({error.__class__.__name__}).") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BackupError("The file is not a Sinergi programme export.")
    if document.get("version") != VERSION:
        raise BackupError(f"Export format version {document.get('version')!r} is not supported (expected {VERSION}).")
    if document.get("schema_revision") != schema_revision():
        raise BackupError(
            f"The export was made with database schema {document.get('schema_revision')!r}, this instance has "
            f"{schema_revision()!r}: upgrade both to the same release first."
        )
    if not isinstance(document.get("tables"), dict) or not document["tables"].get("programmes"):
        raise BackupError("The export holds no programme.")
    return document, files


def import_programme(data: bytes) -> str:
    """Load an export; return the new programme's slug. All or nothing: any error writes nothing."""
    document, files = read_archive(data)
    tables = {t.name: t for t in _tables()}
    unknown = set(document["tables"]) - set(tables)
    if unknown:
        raise BackupError(f"The export has tables this instance does not know: {', '.join(sorted(unknown))}.")
    target_tables = _polymorphic_tables()
    id_map: dict[str, dict[int, int]] = {name: {} for name in tables}
    # References that can only be written once every row exists: within one table (a parent
    # action) and generic target references. (table, new id, column, parent table, old value)
    deferred: list[tuple] = []
    done: set[str] = set()
    try:
        for name in [t.name for t in _tables()]:
            done.add(name)
            records = document["tables"].get(name) or []
            table = tables[name]
            fks = {fk.parent.name: fk.column.table.name for fk in table.foreign_keys}
            has_id = "id" in table.c
            for record in records:
                if not isinstance(record, dict) or (has_id and not isinstance(record.get("id"), int)):
                    raise BackupError(f"A row of {name} is malformed.")
                old_id = record.get("id")
                existing = _existing_shared(table, record)
                if existing is not None:
                    id_map[name][old_id] = existing
                    continue
                values, pending = {}, []
                for key, value in record.items():
                    if key == "id" or key not in table.c:
                        continue
                    column = table.c[key]
                    if key in fks and value is not None:
                        parent = fks[key]
                        if parent == name or parent not in done:
                            # Within one table (a sub-action's parent) or around a cycle (a unit and
                            # its head revision): written once both rows exist.
                            pending.append((key, parent, value))
                            values[key] = None
                            continue
                        if value not in id_map[parent]:
                            raise BackupError(f"A reference from {name}.{key} points at a row missing from the export.")
                        value = id_map[parent][value]
                    values[key] = _decode(column, value)
                if _has_target(table) and record.get("target_id") is not None:
                    # The target's new id is known only once its table is in: until then the row holds
                    # a placeholder that no real row has, or a unique (user, target) key such as a
                    # follow could meet the original's row when importing beside it.
                    values["target_id"] = -record["target_id"]
                if name == "programmes" and _slug_taken(table, values["slug"]):
                    raise BackupError(f"A programme with the address {values['slug']!r} already exists here.")
                if not has_id:
                    if pending:
                        raise BackupError(f"A row of {name} refers to rows that come later in the export.")
                    db.session.execute(insert(table).values(**values))
                    continue
                new_id = db.session.execute(insert(table).values(**values).returning(table.c.id)).scalar_one()
                id_map[name][old_id] = new_id
                deferred.extend((table, new_id, key, parent, value) for key, parent, value in pending)
                if _has_target(table) and record.get("target_id") is not None:
                    deferred.append((table, new_id, "target_id", target_tables.get(record["target_type"]), record["target_id"]))
        for table, new_id, column, parent, old_value in deferred:
            mapped = id_map.get(parent or "", {}).get(old_value)
            if mapped is None:
                raise BackupError(f"A reference from {table.name}.{column} points at a row missing from the export.")
            db.session.execute(update(table).where(table.c.id == new_id).values({column: mapped, **_keep_onupdate(table)}))
        _rewrite_embedded(tables, id_map)
        _write_files(files)
        db.session.commit()
    except BackupError:
        db.session.rollback()
        raise
    except Exception as error:  # a constraint or type error: refuse the file, write nothing
        db.session.rollback()
        raise BackupError(f"The export could not be loaded ({error.__class__.__name__}): nothing was written.") from None
    programme_id = id_map["programmes"][document["tables"]["programmes"][0]["id"]]
    slug = db.session.execute(select(tables["programmes"].c.slug).where(tables["programmes"].c.id == programme_id)).scalar_one()
    # The rows went in as plain inserts, past the session hooks that keep the search index.
    from app.search.service import reindex_all

    reindex_all()
    return slug


def _keep_onupdate(table) -> dict:
    """Fixing up a reference is not an edit: keep columns like updated_at as they were imported."""
    return {c.name: c for c in table.columns if c.onupdate is not None}


def _rewrite_embedded(tables, id_map) -> None:
    def lookup(table_name, old_id):
        new = id_map.get(table_name, {}).get(old_id)
        if new is None:
            raise BackupError(f"A reference inside {table_name} text points at a row missing from the export.")
        return new

    for (name, column), rewrite in EMBEDDED.items():
        table = tables.get(name)
        if table is None or not id_map.get(name):
            continue
        new_ids = list(id_map[name].values())
        for i in range(0, len(new_ids), 500):
            rows = db.session.execute(select(table.c.id, table.c[column]).where(table.c.id.in_(new_ids[i : i + 500]))).all()
            for row_id, value in rows:
                if value:
                    rewritten = rewrite(value, lookup)
                    if rewritten != value:
                        db.session.execute(
                            update(table).where(table.c.id == row_id).values({column: rewritten, **_keep_onupdate(table)})
                        )


def _existing_shared(table, record) -> int | None:
    """People and organisations already on this instance are reused, matched by email / name."""
    if table.name == "users":
        return db.session.execute(select(table.c.id).where(table.c.email == record.get("email"))).scalar()
    if table.name == "organisations":
        return db.session.execute(select(table.c.id).where(table.c.name == record.get("name"))).scalar()
    return None


def _slug_taken(table, slug) -> bool:
    return db.session.execute(select(table.c.id).where(table.c.slug == slug)).first() is not None


def _write_files(files: dict[str, bytes]) -> None:
    folder = Path(current_app.config.get("UPLOAD_FOLDER") or Path(current_app.instance_path) / "uploads")
    for name, content in files.items():
        target = (folder / name).resolve()
        if folder.resolve() not in target.parents:
            raise BackupError("The export contains a file path outside the upload folder.")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
