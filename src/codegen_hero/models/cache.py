"""Record and replay model responses in SQLite, so a workshop can run with no key or network.

Keyed by a hash of the model name and the normalised request. Only successful completions
are stored, and nothing else: no keys, no headers, no base URLs. WAL mode and a busy timeout
let several notebooks (processes) write at once.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from codegen_hero import settings
from codegen_hero.models.cache_repair import COMPANIONS, is_broken, move_aside, readable_rows
from codegen_hero.models.errors import HeroError
from codegen_hero.models.request import Completion, Request


def _m001_responses(db: sqlite3.Connection) -> None:
    db.execute(
        """CREATE TABLE responses (
             key TEXT PRIMARY KEY,
             model TEXT NOT NULL,
             request TEXT NOT NULL,
             completion TEXT NOT NULL,
             created REAL NOT NULL)"""
    )
    db.execute("CREATE INDEX responses_model ON responses(model)")


# simonw/llm style: append a function to change the schema; never edit an old one.
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_m001_responses]
INSERT = "INSERT OR REPLACE INTO responses VALUES (?, ?, ?, ?, ?)"
T = TypeVar("T")
OPEN_WAIT_SECONDS = 30
SQLITE_BUSY = 5
EXPORT_FIELDS = {"key", "model", "request", "completion", "created"}


def _is_busy(exc: sqlite3.Error) -> bool:
    return (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF == SQLITE_BUSY


@dataclass(frozen=True)
class CacheStats:
    path: Path
    entries: int
    by_model: dict[str, int]
    bytes_on_disk: int


class ResponseCache:
    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path) if path else settings.response_cache_path()
        self._local = threading.local()
        self._generation = 0  # bumped when a broken file is replaced: threads then reconnect
        self._repair_lock = threading.Lock()

    @property
    def db(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is not None and self._local.generation == self._generation:
            return conn
        if conn is not None:
            conn.close()
        self._local.conn = None
        try:
            conn = self._open()
        except sqlite3.DatabaseError as exc:
            if not is_broken(exc):
                raise self._unusable(exc) from None
            self._replace_broken(exc)
            conn = self._open()
        self._local.conn, self._local.generation = conn, self._generation
        return conn

    def _open(self) -> sqlite3.Connection:
        """Connect, switch to WAL and migrate, retrying while another process holds the file.

        SQLite skips the busy handler when two fresh connections both turn a new file to WAL
        (each holds a shared lock and wants an exclusive one): one gets "database is locked" at
        once. That is a wait, not an error, so it is retried for as long as the busy timeout.
        """
        self.path.parent.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + OPEN_WAIT_SECONDS
        pause = 0.01
        while True:
            conn = sqlite3.connect(self.path, timeout=OPEN_WAIT_SECONDS, isolation_level=None)
            try:
                conn.execute(f"PRAGMA busy_timeout = {OPEN_WAIT_SECONDS * 1000}")
                if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                    conn.execute("PRAGMA journal_mode = WAL")
                self._migrate(conn)
                return conn
            except sqlite3.OperationalError as exc:
                conn.close()
                if not _is_busy(exc) or time.monotonic() > deadline:
                    raise
            except BaseException:
                conn.close()
                raise
            time.sleep(pause)
            pause = min(pause * 2, 0.5)

    def _unusable(self, exc: sqlite3.Error) -> HeroError:
        return HeroError(
            f"cannot use the response cache {self.path}: {exc}; point HERO_CACHE_PATH at a "
            "writable file, or set HERO_CACHE=off"
        )

    def _replace_broken(self, exc: sqlite3.Error) -> None:
        """Set the broken file aside, start a new one with every row that still reads, say so."""
        with self._repair_lock:
            if self._healthy():  # another thread or process has replaced it already
                self._generation += 1
                return
            aside = move_aside(self.path)
            rows = readable_rows(aside)
            conn = self._open()
            try:
                conn.execute("BEGIN IMMEDIATE")
                conn.executemany("INSERT OR REPLACE INTO responses VALUES (?, ?, ?, ?, ?)", rows)
                conn.execute("COMMIT")
            finally:
                conn.close()
            self._generation += 1
        kept = (
            f"kept the {len(rows)} recorded responses that still read"
            if rows
            else "none of its responses could be read"
        )
        print(
            f"hero: the response cache {self.path} was unreadable ({exc}); moved it to "
            f"{aside} and started a new one ({kept}). Nothing else to do; delete the old file "
            "when you no longer want it.",
            file=sys.stderr,
        )

    def _healthy(self) -> bool:
        if not self.path.exists():
            return True
        try:
            conn = sqlite3.connect(self.path, timeout=30)
            try:
                return conn.execute("PRAGMA quick_check(1)").fetchone()[0] == "ok"
            finally:
                conn.close()
        except sqlite3.Error:
            return False

    def _safely(self, operation: Callable[[sqlite3.Connection], T]) -> T:
        """Run `operation`; a file found broken mid-way is replaced and the operation re-run."""
        try:
            return operation(self.db)
        except sqlite3.DatabaseError as exc:
            if not is_broken(exc):
                raise self._unusable(exc) from None
            self._replace_broken(exc)
        try:
            return operation(self.db)
        except sqlite3.Error as exc:
            raise self._unusable(exc) from None

    @staticmethod
    def _migrate(conn: sqlite3.Connection) -> None:
        conn.execute("BEGIN IMMEDIATE")  # one process migrates; the others wait, then see it
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            for number, migration in enumerate(MIGRATIONS[version:], start=version + 1):
                migration(conn)
                conn.execute(f"PRAGMA user_version = {number}")
            conn.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):  # a broken file may have no transaction
                conn.execute("ROLLBACK")
            raise

    @staticmethod
    def _write(conn: sqlite3.Connection, sql: str, rows: list[tuple[Any, ...]] | None) -> int:
        conn.execute("BEGIN IMMEDIATE")
        try:
            cursor = conn.execute(sql) if rows is None else conn.executemany(sql, rows)
            count = cursor.rowcount
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return count

    def get(self, model: str, request: Request) -> Completion | None:
        key = request.fingerprint(model)
        row = self._safely(
            lambda db: db.execute(
                "SELECT completion FROM responses WHERE key = ?", (key,)
            ).fetchone()
        )
        if row is None:
            return None
        data = json.loads(row[0])
        data["cached"] = True
        return Completion.from_json(data)

    def put(self, model: str, request: Request, completion: Completion) -> None:
        if completion.finish_reason == "error":
            return  # only successful answers are worth replaying
        data = completion.to_json()
        data["cached"] = False
        row = (
            request.fingerprint(model),
            model,
            json.dumps(request.to_json(), sort_keys=True),
            json.dumps(data, sort_keys=True),
            time.time(),
        )
        self._safely(lambda db: self._write(db, INSERT, [row]))

    def stats(self) -> CacheStats:
        rows = self._safely(
            lambda db: db.execute("SELECT model, COUNT(*) FROM responses GROUP BY model").fetchall()
        )
        by_model = {model: count for model, count in rows}
        files = [self.path.with_name(self.path.name + suffix) for suffix in COMPANIONS]
        size = sum(f.stat().st_size for f in files if f.exists())
        return CacheStats(self.path, sum(by_model.values()), by_model, size)

    def clear(self) -> int:
        return self._safely(lambda db: self._write(db, "DELETE FROM responses", None))

    def rows(self) -> list[tuple[str, str, str, str, float]]:
        """Every stored row (key, model, request, completion, created), sorted by key."""
        return self._safely(
            lambda db: db.execute(
                "SELECT key, model, request, completion, created FROM responses ORDER BY key"
            ).fetchall()
        )

    def export(self, target: Path) -> int:
        """Write every entry as one JSON line: a single file to hand to a room of learners."""
        count = 0
        with target.open("w", encoding="utf-8") as out:
            for key, model, request, completion, created in self.rows():
                line = {
                    "key": key,
                    "model": model,
                    "request": json.loads(request),
                    "completion": json.loads(completion),
                    "created": created,
                }
                out.write(json.dumps(line, sort_keys=True) + "\n")
                count += 1
        return count

    def import_file(self, source: Path) -> int:
        """Merge an exported file; every line is checked first, so a bad file changes nothing."""
        rows: list[tuple[str, str, str, str, float]] = []
        with source.open(encoding="utf-8") as fh:
            for number, line in enumerate(fh, start=1):
                if line.strip():
                    rows.append(_checked_row(line, number, source))
        self._safely(lambda db: self._write(db, INSERT, rows))
        return len(rows)


def _checked_row(line: str, number: int, source: Path) -> tuple[str, str, str, str, float]:
    where = f"{source.name} line {number}"
    try:
        item: dict[str, Any] = json.loads(line)
        if set(item) != EXPORT_FIELDS:
            raise ValueError(f"fields {sorted(item)} are not {sorted(EXPORT_FIELDS)}")
        request = Request.from_json(item["request"])
        Completion.from_json(item["completion"])
    except (ValueError, TypeError, KeyError) as exc:
        raise HeroError(f"cannot import {where}: {exc}; nothing was imported") from None
    if request.fingerprint(item["model"]) != item["key"]:
        raise HeroError(f"cannot import {where}: its key does not match its request")
    return (
        item["key"],
        item["model"],
        json.dumps(request.to_json(), sort_keys=True),
        json.dumps(item["completion"], sort_keys=True),
        float(item["created"]),
    )
