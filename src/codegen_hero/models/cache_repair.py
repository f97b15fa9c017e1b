"""A response cache file that is not a database, or a damaged one: set it aside, keep what reads.

A cache is a convenience, so a broken file must not stop a learner's call with a traceback.
The file (with its WAL companions) is renamed, never deleted, and every row that can still be
read is copied into the fresh cache that takes its place.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

# SQLITE_NOTADB: not a database at all; SQLITE_CORRUPT: damaged (truncated, overwritten).
BROKEN_CODES = (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT)
COMPANIONS = ("", "-wal", "-shm")
ROWID_STEP = 32
Row = tuple[str, str, str, str, float]


def is_broken(exc: BaseException) -> bool:
    """True for 'not a database' and 'malformed'; False for locks, permissions, a full disk."""
    code = getattr(exc, "sqlite_errorcode", None)
    return (
        isinstance(exc, sqlite3.DatabaseError)
        and code is not None
        and code & 0xFF in (BROKEN_CODES)
    )


def move_aside(path: Path) -> Path:
    """Rename the file and its -wal/-shm files to `<name>.broken-<time>`; return the new name."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.name}.broken-{stamp}")
    number = 1
    while aside.exists():
        number += 1
        aside = path.with_name(f"{path.name}.broken-{stamp}-{number}")
    for suffix in COMPANIONS:
        source = path.with_name(path.name + suffix)
        if source.exists():
            source.rename(aside.with_name(aside.name + suffix))
    return aside


def readable_rows(aside: Path) -> list[Row]:
    """Every response row that still reads from a damaged file (none from a non-database).

    A truncated file refuses even its schema unless writable_schema is on; past the damage,
    reading resumes in small rowid ranges so one bad page costs only the rows on it.
    """
    found: dict[str, Row] = {}
    try:
        db = sqlite3.connect(aside, timeout=5)
    except sqlite3.Error:
        return []
    try:
        db.execute("PRAGMA writable_schema = ON")
        select = "SELECT rowid, key, model, request, completion, created FROM responses"
        last = _scan(db, select + " ORDER BY rowid", (), found)
        top = _max_rowid(db)
        start = last + 1
        while top is not None and start <= top:
            _scan(db, select + " WHERE rowid BETWEEN ? AND ?", (start, start + ROWID_STEP), found)
            start += ROWID_STEP + 1
    except sqlite3.Error:
        pass  # not a database at all: nothing to keep
    finally:
        db.close()
    return list(found.values())


def _scan(db: sqlite3.Connection, sql: str, args: tuple[int, ...], into: dict[str, Row]) -> int:
    """Read rows until the first error; return the last rowid read (0 if none)."""
    last = 0
    try:
        for rowid, key, model, request, completion, created in db.execute(sql, args):
            if isinstance(key, str) and isinstance(completion, str):
                into[key] = (key, str(model), str(request), completion, float(created or 0))
            last = max(last, int(rowid))
    except (sqlite3.Error, TypeError, ValueError):
        pass
    return last


def _max_rowid(db: sqlite3.Connection) -> int | None:
    try:
        row = db.execute("SELECT max(rowid) FROM responses").fetchone()
    except sqlite3.Error:
        return None
    return int(row[0]) if row and row[0] is not None else None
