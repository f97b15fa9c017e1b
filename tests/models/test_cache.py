from __future__ import annotations

import json
import multiprocessing as mp
import sqlite3
import threading
from pathlib import Path

import pytest

from codegen_hero.models.cache import ResponseCache
from codegen_hero.models.errors import HeroError
from codegen_hero.models.request import Completion, Request, Usage


def answer(text: str, reason: str = "stop") -> Completion:
    return Completion(text, "local/x", Usage(3, 4), 0.25, 0.0, reason)  # type: ignore[arg-type]


def test_put_get_marks_replays(tmp_path):
    cache = ResponseCache(tmp_path / "c.sqlite3")
    request = Request.of("hi", max_tokens=5)
    assert cache.get("local/x", request) is None
    cache.put("local/x", request, answer("hello"))
    hit = cache.get("local/x", request)
    assert hit is not None and hit.text == "hello" and hit.cached is True
    assert cache.get("local/y", request) is None
    assert cache.get("local/x", Request.of("hi", max_tokens=6)) is None


def test_errors_are_not_stored(tmp_path):
    cache = ResponseCache(tmp_path / "c.sqlite3")
    cache.put("local/x", Request.of("hi"), answer("", reason="error"))
    assert cache.stats().entries == 0


def test_uses_wal_and_migrates_once(tmp_path):
    path = tmp_path / "c.sqlite3"
    cache = ResponseCache(path)
    assert cache.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert cache.db.execute("PRAGMA user_version").fetchone()[0] == 1
    again = ResponseCache(path)
    assert again.stats().entries == 0


def test_export_import_round_trip_and_clear(tmp_path):
    source = ResponseCache(tmp_path / "a.sqlite3")
    for i in range(5):
        source.put("local/x", Request.of(f"q{i}"), answer(f"a{i}"))
    exported = tmp_path / "share.jsonl"
    assert source.export(exported) == 5
    target = ResponseCache(tmp_path / "b.sqlite3")
    assert target.import_file(exported) == 5
    assert target.get("local/x", Request.of("q3")).text == "a3"
    assert target.stats().by_model == {"local/x": 5}
    assert target.clear() == 5 and target.stats().entries == 0


@pytest.mark.parametrize(
    "corrupt",
    [
        lambda item: "not json",
        lambda item: json.dumps({**item, "api_key": "x"}),
        lambda item: json.dumps({**item, "key": "0" * 64}),
        lambda item: json.dumps({k: v for k, v in item.items() if k != "completion"}),
    ],
    ids=["not-json", "extra-field", "key-mismatch", "missing-field"],
)
def test_a_bad_import_changes_nothing(tmp_path, corrupt):
    source = ResponseCache(tmp_path / "a.sqlite3")
    source.put("local/x", Request.of("good"), answer("fine"))
    source.put("local/x", Request.of("also good"), answer("fine too"))
    exported = tmp_path / "share.jsonl"
    source.export(exported)
    lines = exported.read_text().splitlines()
    lines[1] = corrupt(json.loads(lines[1]))
    exported.write_text("\n".join(lines) + "\n")
    target = ResponseCache(tmp_path / "b.sqlite3")
    with pytest.raises(HeroError, match="line 2"):
        target.import_file(exported)
    assert target.stats().entries == 0


def test_opening_waits_for_a_writer_that_sqlite_would_not_wait_for(tmp_path):
    # Another process holds a write lock on a file still in rollback mode. Turning it to WAL
    # needs that lock too, and SQLite answers "database is locked" at once instead of calling
    # the busy handler (the race of several notebooks creating one cache). Opening must wait.
    path = tmp_path / "shared.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("CREATE TABLE other(x)")
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("INSERT INTO other VALUES (1)")
    release = threading.Timer(0.5, lambda: holder.execute("COMMIT"))
    release.start()
    try:
        cache = ResponseCache(path)
        cache.put("local/x", Request.of("after the wait"), answer("written"))
    finally:
        release.join()
        holder.close()
    assert cache.get("local/x", Request.of("after the wait")).text == "written"
    assert cache.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def _writer(path: str, worker: int, count: int) -> None:
    cache = ResponseCache(Path(path))
    for i in range(count):
        request = Request.of(f"worker {worker} prompt {i}")
        cache.put("local/x", request, answer(f"w{worker}-{i}"))
        assert cache.get("local/x", request).text == f"w{worker}-{i}"


def test_several_processes_write_at_once(tmp_path):
    path = tmp_path / "shared.sqlite3"
    ctx = mp.get_context("spawn")
    workers = [ctx.Process(target=_writer, args=(str(path), w, 40)) for w in range(4)]
    for process in workers:
        process.start()
    for process in workers:
        process.join(timeout=120)
    assert [p.exitcode for p in workers] == [0, 0, 0, 0]
    cache = ResponseCache(path)
    assert cache.stats().entries == 160
    for w in range(4):
        for i in range(40):
            assert cache.get("local/x", Request.of(f"worker {w} prompt {i}")).text == f"w{w}-{i}"
    assert cache.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


WAL_FILES = ("-wal", "-shm")


def _fill(path: Path, count: int) -> None:
    """A cache of `count` responses, all in the main file (no WAL left), connection closed."""
    cache = ResponseCache(path)
    for i in range(count):
        cache.put("local/x", Request.of(f"prompt {i} " + "x" * 400), answer(f"a{i} " + "y" * 400))
    cache.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    cache.db.close()


def test_a_file_that_is_not_a_database_is_moved_aside_and_a_new_cache_started(tmp_path, capsys):
    path = tmp_path / "c.sqlite3"
    path.write_text("these are my notes, not a database\n" * 20)
    original = path.read_bytes()
    cache = ResponseCache(path)
    request = Request.of("hi")
    assert cache.get("local/x", request) is None  # no traceback: a fresh, empty cache
    cache.put("local/x", request, answer("hello"))
    assert cache.get("local/x", request).text == "hello"
    notice = capsys.readouterr().err.strip()
    assert len(notice.splitlines()) == 1 and str(path) in notice
    (aside,) = tmp_path.glob("c.sqlite3.broken-*")
    assert aside.read_bytes() == original  # nothing of the user's file is lost
    assert str(aside) in notice and "started a new one" in notice


def test_a_truncated_cache_keeps_every_response_that_still_reads(tmp_path, capsys):
    path = tmp_path / "c.sqlite3"
    _fill(path, 200)
    with path.open("r+b") as fh:
        fh.truncate(path.stat().st_size * 6 // 10)
    cache = ResponseCache(path)
    assert cache.get("local/x", Request.of("prompt 0 " + "x" * 400)).text.startswith("a0 ")
    kept = cache.stats().entries
    assert 0 < kept < 200
    assert f"kept the {kept} recorded responses" in capsys.readouterr().err
    assert cache.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert len(list(tmp_path.glob("c.sqlite3.broken-*"))) == 1


def test_a_cache_damaged_while_open_is_replaced_once(tmp_path, capsys):
    path = tmp_path / "c.sqlite3"
    _fill(path, 50)
    cache = ResponseCache(path)
    assert cache.stats().entries == 50
    path.write_bytes(b"\0" * 4096)  # overwritten under a live connection
    cache.put("local/x", Request.of("new"), answer("fresh"))
    assert cache.get("local/x", Request.of("new")).text == "fresh"
    aside = [p for p in tmp_path.glob("c.sqlite3.broken-*") if not p.name.endswith(WAL_FILES)]
    assert len(aside) == 1
    assert capsys.readouterr().err.count("moved it to") == 1


def test_an_unopenable_cache_is_a_one_line_error(tmp_path):
    folder = tmp_path / "c.sqlite3"
    folder.mkdir()  # a directory where the file should be
    with pytest.raises(HeroError, match="HERO_CACHE_PATH"):
        ResponseCache(folder).stats()


def test_stats_count_the_cache_files_only_not_a_file_set_aside(tmp_path):
    path = tmp_path / "c.sqlite3"
    _fill(path, 3)
    size = ResponseCache(path).stats().bytes_on_disk
    (tmp_path / "c.sqlite3.broken-20260101-000000").write_bytes(b"x" * 10_000_000)
    assert ResponseCache(path).stats().bytes_on_disk == size
