"""Grade a folder of learners' notebooks: `SUBMISSIONS/<learner>/<exercise>.ipynb`.

Two steps per notebook, in a pool of workers: run it top to bottom with papermill inside the
sandbox (does it run at all?), then run the exercise's own checker on its answer cells (the
score). The notebook's own check cell and its outputs count for nothing, so a learner who
redefines `check` or edits an output earns nothing. Every file gets a row, whatever it is.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from codegen_hero.workshop.execute import (
    DEFAULT_MEMORY_MB,
    DEFAULT_OUTPUT_KB,
    Execution,
    Mode,
    probe_kernel,
    run_notebook,
)
from codegen_hero.workshop.gradebook import Row, sort_rows, write_csv, write_html
from codegen_hero.workshop.intake import (
    InvalidNotebook,
    Item,
    discover,
    file_digest,
    parse_submission,
)

CACHE_FILE = ".grade-cache.json"
MIN_MEMORY_MB = 512  # a kernel under 256 MB starts only some of the time


DEFAULT_WORKERS = max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class Options:
    workers: int = DEFAULT_WORKERS
    timeout: float = 60.0
    memory_mb: int = DEFAULT_MEMORY_MB
    output_kb: int = DEFAULT_OUTPUT_KB
    fresh: bool = False

    def __post_init__(self) -> None:
        if self.workers < 1:
            raise ValueError(f"--workers must be at least 1, not {self.workers}")
        if self.timeout <= 0:
            raise ValueError(f"--timeout must be a positive number of seconds, not {self.timeout}")
        if self.memory_mb < MIN_MEMORY_MB:
            raise ValueError(
                f"--memory-mb must be at least {MIN_MEMORY_MB}: below that a kernel may not start"
            )


@dataclass
class Report:
    rows: list[Row]
    notes: list[str] = field(default_factory=list)
    from_cache: int = 0
    seconds: float = 0.0


def combine(item: Item, run: Execution, verdict: Any, max_score: int | None, note: str) -> Row:
    """One status for the row: a notebook that does not run says so first; the score is the
    checker's, always."""
    top = max(max_score or 0, verdict.max_score)
    status: str
    if not run.ok:
        checker = f"checker on the answer cells: {verdict.status}, {verdict.score}/{top}"
        status, message = run.outcome, f"{run.message}; {checker}"
    elif verdict.status == "passed":
        status, message = "passed", f"all {verdict.max_score} checks pass"
    else:
        status, message = verdict.status, verdict.message or verdict.status
    if note:
        message += f" [{note}]"
    return Row(item.learner, item.exercise, status, verdict.score, top, message)


def grade_one(item: Item, mode: Mode, opts: Options, max_score: int | None) -> Row:
    """Both steps for one notebook; any surprise becomes a `grader error` row, not a crash."""
    from codegen_hero.exercises.checking import check_answers

    assert item.path is not None
    try:
        try:
            parsed = parse_submission(item.path.read_bytes())
        except InvalidNotebook as exc:
            return Row(item.learner, item.exercise, "invalid notebook", 0, max_score, str(exc))
        run = run_notebook(
            parsed.text,
            mode=mode,
            timeout=opts.timeout,
            memory_mb=opts.memory_mb,
            output_kb=opts.output_kb,
        )
        verdict = check_answers(item.exercise, parsed.answers, item.path.name, graded=True)
        return combine(item, run, verdict, max_score, mode.note)
    except Exception as exc:  # noqa: BLE001 - one broken file must not stop the room's grading
        why = f"{type(exc).__name__}: {exc}"
        return Row(item.learner, item.exercise, "grader error", 0, max_score, why)


def reference_max(slug: str) -> int | None:
    """How many checks the reference solution faces: the row's max_score."""
    from codegen_hero.exercises import check
    from codegen_hero.exercises.submission import SubmissionError

    try:
        verdict = check(slug, solution="reference", graded=True)
    except SubmissionError:
        return None
    return verdict.max_score if verdict.status == "passed" else None


def grader_version() -> str:
    """The package version plus a digest of the code and answer key that decide a grade."""
    import codegen_hero
    from codegen_hero.exercises.answer_key import find_answer_key

    root = Path(codegen_hero.__file__).parent
    digest = hashlib.sha256()
    folders = [root / "exercises", root / "sandbox", root / "workshop", find_answer_key()]
    for folder in filter(None, folders):
        for path in sorted(p for p in folder.rglob("*") if p.suffix in (".py", ".md")):
            digest.update(path.relative_to(folder).as_posix().encode() + path.read_bytes())
    return f"{codegen_hero.__version__}+{digest.hexdigest()[:12]}"


class GradeCache:
    """Results by file content + exercise + limits, valid for one grader version."""

    def __init__(self, folder: Path, version: str, fresh: bool = False) -> None:
        self.path, self.version = folder / CACHE_FILE, version
        self.entries: dict[str, dict[str, Any]] = {}
        if not fresh and self.path.is_file():
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
                if data.get("version") == version:
                    self.entries = dict(data.get("entries", {}))
            except (OSError, ValueError, AttributeError):
                self.entries = {}

    @staticmethod
    def key(digest: str, slug: str, opts: Options) -> str:
        return f"{digest}:{slug}:{opts.timeout:g}:{opts.memory_mb}:{opts.output_kb}"

    def get(self, key: str) -> dict[str, Any] | None:
        return self.entries.get(key)

    def put(self, key: str, value: dict[str, Any]) -> None:
        self.entries[key] = value

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_name(self.path.name + ".partial")
        payload = {"version": self.version, "entries": self.entries}
        partial.write_text(json.dumps(payload, sort_keys=True), encoding="utf-8")
        os.replace(partial, self.path)


def _max_scores(slugs: set[str], cache: GradeCache, workers: int) -> dict[str, int | None]:
    missing = sorted(s for s in slugs if cache.get(f"max:{s}") is None)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for slug, value in zip(missing, pool.map(reference_max, missing), strict=True):
            cache.put(f"max:{slug}", {"max_score": value})
    return {s: (cache.get(f"max:{s}") or {}).get("max_score") for s in slugs}


def grade(
    submissions: Path, out: Path, opts: Options | None = None, *, progress: bool = True
) -> Report:
    """Grade every file, write gradebook.csv and gradebook.html into `out`, return the rows."""
    from codegen_hero.exercises import all_exercises
    from codegen_hero.exercises.answer_key import sandbox_hide
    from codegen_hero.workshop.progress import bar

    opts = opts or Options()
    started = time.monotonic()
    known = list(all_exercises())  # import every checker once, before any thread does
    items = discover(submissions, known)
    out.mkdir(parents=True, exist_ok=True)
    cache = GradeCache(out, grader_version(), opts.fresh)
    report, rows = Report([]), dict[int, Row]()
    todo: list[tuple[int, str]] = []
    for number, item in enumerate(items):
        if item.status is not None or item.path is None:
            rows[number] = Row(
                item.learner, item.exercise, item.status or "grader error", 0, None, item.message
            )
            continue
        key = cache.key(file_digest(item.path), item.exercise, opts)
        hit = cache.get(key)
        if hit is None:
            todo.append((number, key))
        else:
            rows[number] = Row(item.learner, item.exercise, **hit)
            report.from_cache += 1
    mode = probe_kernel(opts.memory_mb, hide=sandbox_hide()) if todo else Mode()
    report.notes += [mode.note] if mode.note else []
    maxes = _max_scores({items[n].exercise for n, _ in todo}, cache, opts.workers)
    with bar(len(items), "grading", enabled=progress) as advance:
        advance(len(rows))
        with ThreadPoolExecutor(max_workers=opts.workers) as pool:
            jobs = {}
            for number, key in todo:
                item = items[number]
                job = pool.submit(grade_one, item, mode, opts, maxes[item.exercise])
                jobs[job] = (number, key)
            try:
                _collect(jobs, rows, cache, advance)
            except KeyboardInterrupt:
                pool.shutdown(wait=True, cancel_futures=True)
                _collect({f: k for f, k in jobs.items() if f.done()}, rows, cache, advance)
                _finish(items, rows, out, report, known, started)
                raise
    return _finish(items, rows, out, report, known, started)


def _collect(
    jobs: dict[Future[Row], tuple[int, str]],
    rows: dict[int, Row],
    cache: GradeCache,
    advance: Callable[[int], None],
) -> None:
    """Rows as workers finish them; the cache is saved after each, so Ctrl-C loses little."""
    waiting = set(jobs)
    while waiting:
        done, waiting = wait(waiting, return_when=FIRST_COMPLETED)
        for future in done:
            if future.cancelled():
                continue
            number, key = jobs[future]
            row = future.result()
            rows[number] = row
            if row.status != "grader error":
                cached: dict[str, Any] = {
                    k: v for k, v in row.as_csv().items() if k not in ("learner", "exercise")
                }
                cached["score"] = row.score
                cached["max_score"] = row.max_score
                cache.put(key, cached)
        cache.save()
        advance(len(done))


def _finish(
    items: list[Item],
    rows: dict[int, Row],
    out: Path,
    report: Report,
    known: list[str],
    started: float,
) -> Report:
    """Every file gets a row (even unfinished ones), then both gradebook files are written."""
    for number, item in enumerate(items):
        if number not in rows:
            why = "grading was interrupted before this file; run again (finished ones are cached)"
            rows[number] = Row(item.learner, item.exercise, "not graded", 0, None, why)
    report.rows = sort_rows(rows.values())
    report.seconds = time.monotonic() - started
    write_csv(report.rows, out / "gradebook.csv")
    write_html(report.rows, out / "gradebook.html", known, report.notes)
    return report
