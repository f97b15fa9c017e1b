"""The answer key stays on the grader's side: not in the package, not in the sandbox's reach.

A generic "peek" submission, built for every exercise, imports the exercise's module and the
answer-key helpers, reads the environment and /proc of its parent and walks the package, the
checkout, the working directory and the venv for the reference solution. It earns nothing,
while the same peek run where the files are readable (rlimits only) does find the key.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

import pytest

from codegen_hero.exercises import all_exercises, check, get, judge
from codegen_hero.exercises.answer_key import (
    HIDDEN_FILE,
    answer_key,
    find_answer_key,
    hidden,
    sandbox_hide,
    solution_names,
)
from codegen_hero.exercises.submission import Submission
from tests.exercises.peek import peek_source

SLUGS = sorted(all_exercises())
EX02 = "02-tests-for-completions"


def data_of(namespace: dict) -> list:
    return [v for v in namespace.values() if not (isinstance(v, type | ModuleType) or callable(v))]


def cases_of(value: object) -> list:
    """A hidden value's cases: the items of a collection of them, else the value itself."""
    if isinstance(value, dict):
        return list(value.values())
    if isinstance(value, list | tuple) and not hasattr(value, "_fields"):
        return list(value)
    return [value]


def test_every_exercise_has_hidden_data_in_the_answer_key_only() -> None:
    importable = "\n".join(
        repr(value)
        for slug in SLUGS
        for value in data_of(vars(importlib.import_module(get(slug).check.__module__)))
    )
    for slug in SLUGS:
        assert (answer_key() / slug / HIDDEN_FILE).is_file(), slug
        data = hidden(slug)
        assert data is not None and vars(data), slug
        cases = [case for value in data_of(vars(data)) for case in cases_of(value)]
        cases = [c for c in cases if not isinstance(c, int | float | str) or len(str(c)) >= 12]
        leaked = [case for case in cases if repr(case) in importable]
        assert not leaked, f"{slug}: {leaked[:2]}"
        assert cases or any(callable(v) for v in vars(data).values()), slug


def test_no_exercise_module_holds_hidden_or_correct_data() -> None:
    for slug in SLUGS:
        module = importlib.import_module(get(slug).check.__module__)
        names = [n for n in vars(module) if n.startswith(("HIDDEN", "CORRECT", "ANOTHER"))]
        assert not names, f"{slug}: {names}"


def test_hidden_is_not_a_solution_and_the_key_is_hidden_from_the_sandbox() -> None:
    assert "hidden" not in solution_names(EX02)
    assert check(EX02, solution="hidden").status == "error"
    assert sandbox_hide() == (str(answer_key().resolve()),)


def test_without_an_answer_key_only_visible_checks_run(monkeypatch, tmp_path) -> None:
    reference = Submission.from_solution(get("01-failure-diary"), "reference").code
    monkeypatch.setenv("HERO_SOLUTIONS_DIR", str(tmp_path / "nowhere"))
    assert find_answer_key() is None
    verdict = judge(get("01-failure-diary"), Submission(get("01-failure-diary"), reference))
    assert verdict.status == "passed" and not any(c.hidden for c in verdict.cases)
    assert "hidden ones run when your work is graded" in str(verdict)
    ex02 = judge(get(EX02), Submission(get(EX02), "TESTS = 'def test_a():\\n    pass\\n'\n"))
    assert ex02.status == "error" and "answer key" in ex02.message


@pytest.mark.slow
@pytest.mark.parametrize("slug", SLUGS)
def test_a_disguised_peek_earns_nothing(slug: str) -> None:
    """No static scan can spot this one: only the sandbox's hiding stops it."""
    exercise = get(slug)
    verdict = judge(exercise, Submission(exercise, peek_source(exercise, disguised=True)))
    assert verdict.score == 0 and verdict.status == "not attempted", str(verdict)


@pytest.mark.slow
@pytest.mark.parametrize("slug", ["04-debug-prompt", "10-precise-prompt"])
def test_the_same_peek_finds_the_key_where_files_are_readable(slug: str, monkeypatch) -> None:
    """The control: without bubblewrap's hiding the peek does find the reference and pass,
    so the test above would fail if the sandbox showed the key."""
    monkeypatch.setenv("HERO_SANDBOX", "rlimits")
    exercise = get(slug)
    verdict = judge(exercise, Submission(exercise, peek_source(exercise, disguised=True)))
    assert verdict.status == "passed", str(verdict)


@pytest.mark.parametrize("slug", SLUGS)
def test_a_plain_peek_earns_nothing_and_the_verdict_says_why(slug: str) -> None:
    exercise = get(slug)
    verdict = judge(exercise, Submission(exercise, peek_source(exercise)), graded=True)
    assert verdict.score == 0 and verdict.status == "failed"
    assert "no points: the answer" in verdict.message
    assert "answer_key" in verdict.message or "reference.py" in verdict.message


EXPLOIT = """
import inspect
import codegen_hero.exercises.ex02_tests_for_completions as exercise


def test_is_one_of_the_known_correct_medians():
    source = inspect.getsource(median)
    assert source in (exercise.CORRECT, exercise.ANOTHER_CORRECT)
"""


def test_the_issue_exploit_on_exercise_02_scores_nothing() -> None:
    """Its test read the known-correct implementations from the module: 11/11 before."""
    exercise = get(EX02)
    verdict = judge(exercise, Submission(exercise, f"TESTS = {EXPLOIT!r}\n"), graded=True)
    assert verdict.score == 0, str(verdict)
    assert verdict.status in ("failed", "error")  # error: its module import timed out


def test_tests_that_always_fail_catch_no_completion() -> None:
    """A test failing on correct code "catches" every bug: those catches are not counted."""
    exercise = get(EX02)
    tests = "def test_no():\n    assert False\n"
    verdict = judge(exercise, Submission(exercise, f"TESTS = {tests!r}\n"))
    assert verdict.score == 0, str(verdict)
    assert "not counted" in " ".join(c.got for c in verdict.cases if not c.hidden)


def test_feedback_never_quotes_a_hidden_case() -> None:
    """Expected values and what came back stay unshown for hidden cases, graded or not."""
    for slug in ("01-failure-diary", "05-apply-edits"):
        exercise = get(slug)
        wrong = sorted(exercise.wrong)[0]
        for graded in (False, True):
            verdict = check(slug, solution=wrong, graded=graded)
            failing_hidden = [c for c in verdict.cases if c.hidden and not c.passed]
            assert failing_hidden and all(c.expected for c in failing_hidden), slug
            lines = verdict.lines()
            for number, line in enumerate(lines[:-1]):
                shown = line.removeprefix("  FAIL  ")
                if line.startswith("  FAIL  ") and any(
                    verdict.shown_name(c, i) == shown
                    for i, c in enumerate(verdict.cases, start=1)
                    if c.hidden
                ):
                    assert not lines[number + 1].startswith("        "), lines[number + 1]
            data = verdict.to_dict()
            assert all(not c["expected"] and not c["got"] for c in data["cases"] if c["hidden"])


def test_the_key_sits_outside_the_package() -> None:
    import codegen_hero

    package = Path(codegen_hero.__file__).resolve().parent
    assert package not in answer_key().resolve().parents
