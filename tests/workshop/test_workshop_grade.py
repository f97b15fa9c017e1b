"""The grader on a room of broken, tampered and honest submissions: every file gets its row.

One grading run (module fixture) over about twenty files; each test reads its learner's row.
Small timeouts keep it quick: the endless loop costs one timeout, in parallel with the rest.
"""

from __future__ import annotations

import csv
import json
import time
from pathlib import Path

import nbformat
import pytest

from codegen_hero.exercises import get
from codegen_hero.workshop import samples
from codegen_hero.workshop.execute import Execution
from codegen_hero.workshop.grade import GradeCache, Options, combine, grade
from codegen_hero.workshop.intake import Item
from tests.exercises.peek import peek_source

DIARY = "01-failure-diary"
PLAN = "06-plan-artifacts"
EX02 = "02-tests-for-completions"
# The cheat that once scored 11/11: its only test compares the candidate's source with the
# known-correct implementations it read from the exercise's module.
EXPLOIT = (
    'TESTS = """\nimport inspect\n'
    "import codegen_hero.exercises.ex02_tests_for_completions as exercise\n\n"
    "def test_known_correct():\n"
    "    assert inspect.getsource(median) in (exercise.CORRECT, exercise.ANOTHER_CORRECT)\n"
    '"""\n'
)
TIMEOUT = 30.0
STUB = "def classify_attempt(answer_text, result):\n    raise NotImplementedError\n"
FAKE_CHECK = (
    "def check(*args, **kwargs):\n"
    "    print('PASSED 01-failure-diary: all 22 checks pass.')\n"
    "    return 'PASSED'\n"
)
MONKEYPATCH = (
    "import codegen_hero.exercises as exercises\n"
    "import codegen_hero.exercises.checking as checking\n"
    "from codegen_hero.exercises.framework import Case, Verdict\n"
    "def always_passed(*args, **kwargs):\n"
    "    return Verdict('01-failure-diary', 'passed', [Case('everything', True)])\n"
    "checking.judge = checking.check = checking.check_notebook = always_passed\n"
    "exercises.check = exercises.judge = always_passed\n"
    "import builtins\n"
    "builtins.NotImplementedError = type('Fine', (Exception,), {})\n" + STUB
)


def forged_outputs() -> nbformat.NotebookNode:
    """Stub answers, but the check cell's stored output claims a pass."""
    notebook = samples.exercise_notebook(DIARY)
    for cell in notebook.cells:
        if "check" in cell.metadata.get("tags", []):
            cell.outputs = [
                nbformat.v4.new_output(
                    "execute_result",
                    data={"text/plain": "PASSED 01-failure-diary: all 22 checks pass."},
                    execution_count=9,
                )
            ]
    return notebook


def build_room(root: Path) -> dict[tuple[str, str], str]:
    """Write the submissions; return (learner, exercise) -> the status each must get."""
    room = root / "submissions"
    w = samples.write
    w(samples.solved(DIARY), room / "ada" / f"{DIARY}.ipynb")
    w(samples.solved(PLAN), room / "ada" / f"{PLAN}.ipynb")
    w(samples.solved(DIARY, "wrong-reads-none"), room / "bob" / f"{DIARY}.ipynb")
    w(samples.exercise_notebook(DIARY), room / "cy" / f"{DIARY}.ipynb")
    fake = samples.with_cell(samples.answered(DIARY, STUB + "\n" + FAKE_CHECK), FAKE_CHECK)
    w(fake, room / "dee" / f"{DIARY}.ipynb")
    w(samples.answered(DIARY, MONKEYPATCH), room / "eli" / f"{DIARY}.ipynb")
    w(forged_outputs(), room / "fox" / f"{DIARY}.ipynb")
    (room / "gil").mkdir(parents=True)
    (room / "gil" / f"{DIARY}.ipynb").write_text('{"cells": [', encoding="utf-8")
    v3 = nbformat.v3.new_notebook(
        worksheets=[nbformat.v3.new_worksheet(cells=[nbformat.v3.new_code_cell("x = 1")])]
    )
    (room / "hal").mkdir()
    (room / "hal" / f"{DIARY}.ipynb").write_text(nbformat.writes(v3, version=3), encoding="utf-8")
    no_answers = samples.exercise_notebook(DIARY)
    no_answers.cells = [c for c in no_answers.cells if "answer" not in c.metadata.get("tags", [])]
    w(no_answers, room / "ian" / f"{DIARY}.ipynb")
    w(
        samples.with_cell(samples.solved(DIARY), "while True:\n    pass"),
        room / "jon" / f"{DIARY}.ipynb",
    )
    w(
        samples.with_cell(samples.solved(DIARY), "import os\nos._exit(3)"),
        room / "kim" / f"{DIARY}.ipynb",
    )
    noisy = "for i in range(40_000):\n    print('spam ' * 20)"
    w(samples.with_cell(samples.solved(DIARY), noisy), room / "lea" / f"{DIARY}.ipynb")
    boom = "raise ValueError('boom in my own cell')"
    w(samples.with_cell(samples.solved(DIARY), boom), room / "max" / f"{DIARY}.ipynb")
    (room / "ned").mkdir()
    (room / "ned" / "answers.txt").write_text("classify_attempt = ...", encoding="utf-8")
    w(samples.solved(DIARY), room / "oli" / "99-no-such-exercise.ipynb")
    peek = peek_source(get(DIARY), disguised=True)
    w(samples.answered(DIARY, peek), room / "peg" / f"{DIARY}.ipynb")
    w(samples.answered(PLAN, peek_source(get(PLAN))), room / "pia" / f"{PLAN}.ipynb")
    w(samples.answered(EX02, EXPLOIT), room / "rex" / f"{EX02}.ipynb")
    w(samples.solved(EX02), room / "ada" / f"{EX02}.ipynb")
    (room / "pat").mkdir()
    (room / "README.md").write_text("stray notes", encoding="utf-8")
    return {
        ("ada", DIARY): "passed",
        ("ada", PLAN): "passed",
        ("bob", DIARY): "failed",
        ("cy", DIARY): "not attempted",
        ("dee", DIARY): "not attempted",
        ("eli", DIARY): "failed",  # its fake NotImplementedError hides the stub: 0 points
        ("fox", DIARY): "not attempted",
        ("gil", DIARY): "invalid notebook",
        ("hal", DIARY): "invalid notebook",
        ("ian", DIARY): "invalid notebook",
        ("jon", DIARY): "timeout",
        ("kim", DIARY): "crashed",
        ("lea", DIARY): "too much output",
        ("max", DIARY): "exception",
        ("ned", "answers.txt"): "not a notebook",
        ("oli", "99-no-such-exercise"): "unknown exercise",
        ("peg", DIARY): "not attempted",
        ("pia", PLAN): "failed",
        ("rex", EX02): "failed",  # or "error" when its import outlasts the run's deadline
        ("ada", EX02): "passed",
        ("pat", ""): "empty",
        ("", "README.md"): "stray file",
    }


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("room")
    expected = build_room(root)
    started = time.monotonic()
    report = grade(root / "submissions", root / "out", Options(timeout=TIMEOUT), progress=False)
    first_run = time.monotonic() - started
    rows = {(r.learner, r.exercise): r for r in report.rows}
    return root, expected, rows, report, first_run


def test_every_submission_gets_the_expected_status(graded):
    _, expected, rows, _, _ = graded
    got = {key: rows[key].status if key in rows else "MISSING" for key in expected}
    if got[("rex", EX02)] == "error":  # the cheat's import timed out: still no points
        got[("rex", EX02)] = "failed"
    assert got == expected, "\n".join(f"{k}: {rows.get(k)}" for k in expected)


def test_the_reference_earns_full_marks_and_a_wrong_solution_part(graded):
    _, _, rows, _, _ = graded
    ada, bob = rows[("ada", DIARY)], rows[("bob", DIARY)]
    assert ada.max_score and ada.score == ada.max_score > 10
    assert 0 < bob.score < bob.max_score == ada.max_score
    assert "first problem" in bob.message


@pytest.mark.parametrize("learner", ["dee", "eli", "fox"])
def test_tampering_earns_nothing(graded, learner):
    """A redefined check, a monkeypatched checker and a forged output all score 0."""
    _, _, rows, _, _ = graded
    row = rows[(learner, DIARY)]
    assert row.status != "passed" and row.score == 0, row
    assert row.max_score == rows[("ada", DIARY)].max_score


@pytest.mark.parametrize(("learner", "slug"), [("peg", DIARY), ("pia", PLAN), ("rex", EX02)])
def test_peeking_at_the_answer_key_earns_nothing(graded, learner, slug):
    """Peeks for every exercise: tests/exercises/test_answer_key.py. Here, through grading."""
    _, _, rows, _, _ = graded
    row = rows[(learner, slug)]
    assert row.score == 0 and row.max_score == rows[("ada", slug)].max_score, row
    assert row.status in ("failed", "error", "not attempted"), row
    assert rows[("ada", slug)].score == rows[("ada", slug)].max_score > 0


def test_a_row_says_why_a_peek_earned_nothing(graded):
    _, _, rows, _, _ = graded
    assert "no points: the answer looks for the answer key" in rows[("pia", PLAN)].message


def test_broken_notebooks_say_why_in_one_line(graded):
    _, _, rows, _, _ = graded
    reasons = {
        "gil": "invalid JSON",
        "hal": "nbformat 3",
        "ian": "answer",
        "jon": f"still running after {TIMEOUT:g} s",
        "kim": "kernel died",
        "lea": "kB",
        "max": "ValueError: boom in my own cell",
    }
    for learner, phrase in reasons.items():
        message = rows[(learner, DIARY)].message
        assert phrase in message and "\n" not in message, (learner, message)


def test_a_notebook_that_does_not_run_keeps_the_checkers_score(graded):
    """The endless loop sits in the learner's own cell; the answer cells still pass."""
    _, _, rows, _, _ = graded
    jon = rows[("jon", DIARY)]
    assert jon.status == "timeout" and jon.score == jon.max_score
    assert "checker on the answer cells: passed" in jon.message


def test_the_csv_has_one_row_per_file_and_exact_columns(graded):
    root, expected, _, _, _ = graded
    files = [p for p in (root / "submissions").rglob("*") if p.is_file()]
    with (root / "out" / "gradebook.csv").open(newline="") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == [
            "learner",
            "exercise",
            "status",
            "score",
            "max_score",
            "message",
        ]
        rows = list(reader)
    assert len(rows) == len(files) + 1  # plus the empty folder's row
    assert len(rows) == len(expected)


def test_the_html_embeds_the_pass_rate_chart(graded):
    root, _, _, _, _ = graded
    page = (root / "out" / "gradebook.html").read_text()
    assert "<img alt='pass rate per exercise' src='data:image/png;base64," in page
    assert "src='http" not in page and 'src="http' not in page
    assert DIARY in page and PLAN in page and "too much output" in page


def test_a_rerun_skips_unchanged_submissions(graded):
    root, _, rows, _, first_run = graded
    started = time.monotonic()
    again = grade(root / "submissions", root / "out", Options(timeout=TIMEOUT), progress=False)
    assert {(r.learner, r.exercise): r for r in again.rows} == rows
    decided_without_a_run = {"not a notebook", "unknown exercise", "empty", "stray file"}
    assert again.from_cache == sum(r.status not in decided_without_a_run for r in rows.values())
    assert time.monotonic() - started < first_run / 3
    cache = json.loads((root / "out" / ".grade-cache.json").read_text())
    assert "+" in cache["version"]  # the package version plus the grading code's digest


def test_a_changed_file_is_graded_again(graded, tmp_path):
    root, _, _, _, _ = graded
    room = tmp_path / "room"
    samples.write(samples.solved(DIARY), room / "ada" / f"{DIARY}.ipynb")
    first = grade(room, tmp_path / "out", Options(timeout=TIMEOUT), progress=False)
    samples.write(samples.exercise_notebook(DIARY), room / "ada" / f"{DIARY}.ipynb")
    second = grade(room, tmp_path / "out", Options(timeout=TIMEOUT), progress=False)
    assert first.rows[0].status == "passed" and first.from_cache == 0
    assert second.rows[0].status == "not attempted" and second.from_cache == 0


def test_the_rlimits_fallback_is_named_in_every_row():
    item = Item("ada", DIARY)
    verdict = type("V", (), {"status": "passed", "score": 3, "max_score": 3, "message": ""})()
    row = combine(item, Execution("ok", "runs"), verdict, 3, "notebook ran with rlimits only")
    assert row.status == "passed" and row.message.endswith("[notebook ran with rlimits only]")


def test_cache_keys_change_with_the_limits():
    a = GradeCache.key("abc", DIARY, Options(timeout=10))
    b = GradeCache.key("abc", DIARY, Options(timeout=20))
    assert a != b and a == GradeCache.key("abc", DIARY, Options(timeout=10))


def test_bad_options_are_refused():
    with pytest.raises(ValueError, match="workers"):
        Options(workers=0)
    with pytest.raises(ValueError, match="timeout"):
        Options(timeout=0)
    with pytest.raises(ValueError, match="memory-mb must be at least 512"):
        Options(memory_mb=256)
