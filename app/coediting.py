"""Co-editing prose without lost updates: a three-way merge over word tokens, and word diffs.

Every save carries the revision it started from (its *base*). When the head moved on
meanwhile, `merge(base, mine, theirs)` combines both edits: changes in different places of
one paragraph merge cleanly; changes touching the same words come back as conflicts for the
user to resolve. A line-based merge would conflict on every concurrent edit of a one-paragraph
Pasal, hence words (see CONVENTIONS.md, "Merging prose").

`decide_save()` is the one protocol drafts, agendas and minutes share: call it inside the
transaction that holds the unit's row (`lock()`), then write a revision or return a conflict.
"""
import difflib
import re
from dataclasses import dataclass, field
from enum import Enum

import merge3
from sqlalchemy import select

from app.extensions import db

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


def tokenize(text: str) -> list[str]:
    return _TOKEN.findall(text or "")


def normalise(text: str | None) -> str:
    """Browsers send CRLF from textareas; store LF only, so identical texts compare equal."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n")


@dataclass
class Conflict:
    base: str
    mine: str
    theirs: str


@dataclass
class MergeResult:
    text: str | None  # the merged text when clean, else None
    conflicts: list[Conflict] = field(default_factory=list)
    # A proposal the user starts from when resolving: clean parts merged, each conflict shown
    # as "theirs" followed by "mine" so nothing typed by either side is dropped.
    proposal: str = ""

    @property
    def clean(self) -> bool:
        return not self.conflicts


def merge(base: str, mine: str, theirs: str) -> MergeResult:
    base, mine, theirs = normalise(base), normalise(mine), normalise(theirs)
    if mine == theirs:
        return MergeResult(text=mine, proposal=mine)
    if base == theirs:
        return MergeResult(text=mine, proposal=mine)
    if base == mine:
        return MergeResult(text=theirs, proposal=theirs)
    out: list[str] = []
    proposal: list[str] = []
    conflicts: list[Conflict] = []
    for group in merge3.Merge3(tokenize(base), tokenize(mine), tokenize(theirs)).merge_groups():
        kind = group[0]
        if kind in ("unchanged", "same", "a", "b"):
            out.extend(group[1])
            proposal.extend(group[1])
        else:  # conflict: (kind, base, mine, theirs)
            b, m, t = ("".join(part) for part in group[1:])
            conflicts.append(Conflict(base=b, mine=m, theirs=t))
            proposal.append(_join_alternatives(t, m))
    if conflicts:
        return MergeResult(text=None, conflicts=conflicts, proposal="".join(proposal))
    text = "".join(out)
    return MergeResult(text=text, proposal=text)


def _join_alternatives(theirs: str, mine: str) -> str:
    if not theirs.strip():
        return mine
    if not mine.strip():
        return theirs
    return f"{theirs} / {mine}"


class Outcome(str, Enum):
    UNCHANGED = "unchanged"  # nothing to write
    APPLIED = "applied"  # saved on top of the base it started from
    MERGED = "merged"  # someone saved meanwhile; both edits merged cleanly
    CONFLICT = "conflict"  # overlapping edits: nothing written, the user resolves


@dataclass
class SaveDecision:
    outcome: Outcome
    text: str | None  # what to store as the new head (None for UNCHANGED / CONFLICT)
    merge: MergeResult | None = None


def decide_save(base_text: str, head_text: str, base_is_head: bool, mine: str) -> SaveDecision:
    """Decide what a save does. `base_is_head`: the revision the user started from is still the head."""
    mine = normalise(mine)
    head_text = normalise(head_text)
    if base_is_head:
        if mine == head_text:
            return SaveDecision(Outcome.UNCHANGED, None)
        return SaveDecision(Outcome.APPLIED, mine)
    result = merge(base_text, mine, head_text)
    if not result.clean:
        return SaveDecision(Outcome.CONFLICT, None, result)
    if result.text == head_text:
        return SaveDecision(Outcome.UNCHANGED, None, result)
    return SaveDecision(Outcome.MERGED, result.text, result)


def lock(model, row_id):
    """Load a row for update: SELECT … FOR UPDATE on PostgreSQL. On SQLite the request's
    BEGIN IMMEDIATE transaction (app/database.py) already holds the write lock.

    `FOR UPDATE OF <table>`: the model's eagerly joined relationships (outer joins) cannot be
    locked on PostgreSQL, and only the row itself needs to be."""
    return db.session.execute(
        select(model).where(model.id == row_id).with_for_update(of=model).execution_options(populate_existing=True)
    ).scalar_one_or_none()


@dataclass
class DiffPart:
    op: str  # "equal", "insert", "delete"
    text: str


def diff_words(old: str, new: str) -> list[DiffPart]:
    """A word-level diff for display: deletions and insertions marked, whitespace kept."""
    a, b = tokenize(normalise(old)), tokenize(normalise(new))
    parts: list[DiffPart] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            parts.append(DiffPart("equal", "".join(a[i1:i2])))
            continue
        if tag in ("delete", "replace"):
            parts.append(DiffPart("delete", "".join(a[i1:i2])))
        if tag in ("insert", "replace"):
            parts.append(DiffPart("insert", "".join(b[j1:j2])))
    return parts
