"""The failure diary's checker: accepts the reference, rejects the known-wrong diaries."""

from __future__ import annotations

from functools import partial

import pytest

from codegen_hero.exercises import check, get
from codegen_hero.exercises.answer_key import hidden
from codegen_hero.exercises.ex01_failure_diary import (
    CATEGORIES,
    MIN_ATTEMPTS,
    SLUG,
    VISIBLE,
    called_names,
)
from tests.exercises.harness import failed, judge_code, solution_source

EXERCISE = get(SLUG)
run = partial(judge_code, EXERCISE)

HIDDEN = hidden(SLUG).ENTRIES


OWN_CASES = 5  # attempts, test count, task names the function, right passes, wrong fails
REFERENCE = solution_source(SLUG)
OWN = REFERENCE[REFERENCE.index("TASK = ") :]  # the reference's own task, tests and attempts


def classify(body: str) -> str:
    """A submission: the reference's own task with this classify_attempt."""
    return f"def classify_attempt(answer_text, result):\n    {body}\n\n\n{OWN}"


def test_reference_scores_every_visible_and_hidden_entry() -> None:
    verdict = check(SLUG, solution="reference")
    assert verdict.status == "passed", str(verdict)
    assert verdict.max_score == len(VISIBLE) + len(HIDDEN) + OWN_CASES


def test_syntax_error_is_an_error() -> None:
    verdict = run("def classify_attempt(answer_text, result)\n    return 'works'\n")
    assert verdict.status == "error", str(verdict)


def test_hard_coding_the_visible_statuses_fails_a_hidden_case() -> None:
    code = OWN + (
        "TABLE = {('error', 'length'): 'cut-off', ('ok', 'length'): 'cut-off',\n"
        "         ('fail', 'length'): 'cut-off', ('ok', 'stop'): 'works',\n"
        "         ('fail', 'stop'): 'wrong-logic', ('error', 'stop'): 'does-not-run',\n"
        "         ('timeout', 'stop'): 'does-not-run'}\n\n"
        "def classify_attempt(answer_text, result):\n"
        "    if result is None:\n"
        "        return 'no-code'\n"
        "    return TABLE.get((result['status'], result['finish_reason']), 'unknown')\n"
    )
    verdict = run(code)
    assert verdict.status == "failed"
    assert all(case.passed for case in verdict.cases if not case.hidden)
    assert any(not case.passed for case in verdict.cases if case.hidden)


def test_graded_verdict_hides_the_hidden_entries() -> None:
    verdict = run(classify("return 'works'"), graded=True)
    assert verdict.status == "failed"
    text = str(verdict)
    failed_hidden = [c.name for c in verdict.cases if c.hidden and not c.passed]
    assert failed_hidden
    assert "hidden check" in text
    assert not any(name in text for name in failed_hidden)


@pytest.mark.parametrize("returned", ["None", "['works']", "'Works'", "42"])
def test_wrong_return_type_fails_without_crashing(returned: str) -> None:
    verdict = run(classify(f"return {returned}"))
    assert verdict.status == "failed"
    assert verdict.score < verdict.max_score


def test_a_function_that_raises_reports_the_exception() -> None:
    verdict = run(classify("return result['status']"))
    assert verdict.status == "failed"
    refusal = next(c for c in verdict.cases if c.name == "a refusal -> no-code")
    assert not refusal.passed
    assert "TypeError" in refusal.got


def test_every_category_has_several_visible_and_a_hidden_entry() -> None:
    for category in CATEGORIES:
        assert sum(1 for *_, want, _ in VISIBLE if want == category) >= 3, category
        assert any(want == category for *_, want, _ in HIDDEN), category
    assert all(not hidden for *_, hidden in VISIBLE)
    assert all(hidden for *_, hidden in HIDDEN)


def test_tests_that_fail_the_right_implementation_are_reported() -> None:
    code = REFERENCE.replace("== 5400", "== 5401")
    verdict = run(code)
    assert failed(verdict) == ["your TESTS pass your RIGHT implementation"], str(verdict)


def test_a_wrong_implementation_that_does_not_import_is_not_a_plausible_mistake() -> None:
    code = REFERENCE.replace("def parse_duration(text):  # the", "def parse_duration(text)  # the")
    assert code != REFERENCE
    verdict = run(code)
    assert failed(verdict) == ["your TESTS reject your WRONG implementation"], str(verdict)
    case = next(c for c in verdict.cases if not c.passed)
    assert case.got.startswith("error")


def test_a_task_that_names_another_function_fails() -> None:
    code = REFERENCE.replace("function parse_duration(text: str)", "function to_seconds(text)")
    verdict = run(code)
    assert failed(verdict) == ["TASK names the function your TESTS call"], str(verdict)


def test_empty_own_answers_are_reported_after_the_classifier() -> None:
    code = classify("return 'works'").replace("ATTEMPTS = 10", "ATTEMPTS = None")
    verdict = run(code)
    assert verdict.status == "failed"
    assert "ATTEMPTS is written" in failed(verdict)


def test_called_names_are_the_tasks_functions() -> None:
    tests = (
        "import pytest\nfrom math import isclose\n\ndef helper(x):\n    return x\n\n"
        "def test_a():\n    assert isclose(area(helper(2)), 4.0)\n    assert len([1]) == 1\n"
    )
    assert called_names(tests) == {"area"}
    assert MIN_ATTEMPTS >= 5
