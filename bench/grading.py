"""Grading: a room's notebooks graded with one worker per core vs one worker, in one run.

60 submissions across every exercise (references, known-wrong solutions, untouched stubs),
generated in a temp dir. Each is run top to bottom with papermill in the sandbox, then its
exercise's checker runs on the answer cells. We time `grade()` with workers = cores and with
one worker on the same files (no cache), and report one / cores. Target: at least 1.8 on 2
cores. A breakdown of where one notebook's time goes comes with it. Exercise 10's checker asks
the default model; here it replays the real model's recorded answers (tests/exercises/recorded),
so both timings measure grading, not one model call each.

    .venv/bin/python bench/grading.py [--count 60] [--write]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from _report import update_section  # noqa: E402

from codegen_hero.exercises import check_notebook  # noqa: E402
from codegen_hero.exercises.answer_key import sandbox_hide  # noqa: E402
from codegen_hero.workshop.execute import probe_kernel, run_notebook  # noqa: E402
from codegen_hero.workshop.grade import Options, grade  # noqa: E402
from codegen_hero.workshop.intake import load_submission  # noqa: E402
from codegen_hero.workshop.samples import mixed_room  # noqa: E402

TARGET = 1.8


def replay_recorded_answers(cache_path: Path) -> None:
    """Exercise 10's model answers from the recording the tests use, and nothing else."""
    from tests.recorded_answers import replay_recorded_answers as store

    os.environ["HERO_CACHE_PATH"] = str(cache_path)
    os.environ["HERO_CACHE"] = "replay"
    store(cache_path)


def timed_grade(room: Path, out: Path, workers: int) -> tuple[float, list]:
    start = time.perf_counter()
    report = grade(room, out, Options(workers=workers, timeout=120, fresh=True), progress=False)
    return time.perf_counter() - start, report.rows


def breakdown(files: list[Path]) -> dict[str, float]:
    """One notebook at a time: the papermill step and the checker step, separately."""
    runs, checks = [], []
    for path in files:
        start = time.perf_counter()
        run_notebook(load_submission(path.read_bytes()), timeout=120)
        runs.append(time.perf_counter() - start)
        start = time.perf_counter()
        check_notebook(path.stem, path, graded=True)
        checks.append(time.perf_counter() - start)
    return {"run_s": statistics.mean(runs), "check_s": statistics.mean(checks)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=60)
    parser.add_argument("--write", action="store_true", help="record the result in BENCHMARKS.md")
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="hero-bench-grading-") as tmp:
        replay_recorded_answers(Path(tmp, "responses.sqlite3"))
        room = Path(tmp, "room")
        expected = mixed_room(room, args.count)
        probe_kernel(Options().memory_mb, hide=sandbox_hide())  # once, outside both timings
        load_before = os.getloadavg()[0]
        parallel_s, rows = timed_grade(room, Path(tmp, "out-n"), cores)
        single_s, rows_single = timed_grade(room, Path(tmp, "out-1"), 1)
        load_after = os.getloadavg()[0]
        parts = breakdown(sorted(expected)[:6])
    got = {(r.learner, r.exercise): r.status for r in rows}
    want = {(p.parent.name, p.stem): s for p, s in expected.items()}
    wrong = {k: (got.get(k), v) for k, v in want.items() if got.get(k) != v}
    same = [(r.status, r.score) for r in rows] == [(r.status, r.score) for r in rows_single]
    ratio = single_s / parallel_s
    verdict = "meets" if ratio >= TARGET else "MISSES"
    counts = {s: list(want.values()).count(s) for s in sorted(set(want.values()))}
    body = (
        "## Grading: a room's notebooks, workers = cores vs one (`bench/grading.py`)\n\n"
        "| submissions | one worker | "
        f"{cores} workers | ratio | target |\n|---|---|---|---|---|\n"
        f"| {args.count} ({', '.join(f'{n} {s}' for s, n in counts.items())}) | "
        f"{single_s:.1f} s | {parallel_s:.1f} s | **{ratio:.2f}** | ≥ {TARGET} on 2 cores "
        f"({verdict}) |\n\n"
        f"Per notebook, one at a time: papermill in the sandbox {parts['run_s']:.2f} s, the "
        f"checker {parts['check_s']:.2f} s. Load average {load_before:.1f} before and "
        f"{load_after:.1f} after (other work on this machine competes for the same cores). "
        f"Statuses as expected: {'all' if not wrong else f'{len(wrong)} differ: {wrong}'}; "
        f"both runs agree: {'yes' if same else 'NO'}."
    )
    print(body)
    if args.write:
        update_section("grading", body)


if __name__ == "__main__":
    main()
