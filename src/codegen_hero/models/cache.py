"""Record and replay model responses in SQLite, so a workshop can run with no key or network.

Keyed by a hash of the model name and the normalised request. Only successful completions
are stored, and nothing else: no keys, no headers, no base URLs. WAL mode and a busy timeout
let several notebooks (processes) write at once.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from codegen_hero import settings
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
EXPORT_FIELDS = {"key", "model", "request", "completion", "created"}


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

    @property
    def db(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            conn.execute("PRAGMA busy_timeout = 30000")
            conn.execute("PRAGMA journal_mode = WAL")
            self._migrate(conn)
            self._local.conn = conn
        return conn

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
            conn.execute("ROLLBACK")
            raise

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        conn = self.db
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def get(self, model: str, request: Request) -> Completion | None:
        row = self.db.execute(
            "SELECT completion FROM responses WHERE key = ?", (request.fingerprint(model),)
        ).fetchone()
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
        with self._write() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO responses VALUES (?, ?, ?, ?, ?)",
                (
                    request.fingerprint(model),
                    model,
                    json.dumps(request.to_json(), sort_keys=True),
                    json.dumps(data, sort_keys=True),
                    time.time(),
                ),
            )

    def stats(self) -> CacheStats:
        rows = self.db.execute("SELECT model, COUNT(*) FROM responses GROUP BY model").fetchall()
        by_model = {model: count for model, count in rows}
        size = sum(p.stat().st_size for p in self.path.parent.glob(self.path.name + "*"))
        return CacheStats(self.path, sum(by_model.values()), by_model, size)

    def clear(self) -> int:
        with self._write() as conn:
            return conn.execute("DELETE FROM responses").rowcount

    def export(self, target: Path) -> int:
        """Write every entry as one JSON line: a single file to hand to a room of learners."""
        count = 0
        with target.open("w", encoding="utf-8") as out:
            for row in self.db.execute(
                "SELECT key, model, request, completion, created FROM responses ORDER BY key"
            ):
                key, model, request, completion, created = row
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
        with self._write() as conn:
            conn.executemany("INSERT OR REPLACE INTO responses VALUES (?, ?, ?, ?, ?)", rows)
        return len(rows)


def _checked_row(line: str, number: int, source: Path) -> tuple[str, str, str, str, float]:
    where = f"{source.name} line {number}"
    try:
        item: dict[str, Any] = json.loads(line)
        if set(item) != EXPORT_FIELDS:
            raise ValueError(f"fields {sorted(item)} are not {sorted(EXPORT_FIELDS)}")
        request = Request.of(**_request_kwargs(item["request"]))
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


def _request_kwargs(data: dict[str, Any]) -> dict[str, Any]:
    data = dict(data)
    return {"prompt": data.pop("messages"), **data}
