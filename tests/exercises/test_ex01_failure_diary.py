"""The failure diary's checker: accepts the reference, rejects the known-wrong diaries."""

from __future__ import annotations

from functools import partial

import pytest

from codegen_hero.exercises import check, get
from codegen_hero.exercises.answer_key import hidden
from codegen_hero.exercises.ex01_failure_diary import CATEGORIES, SLUG, VISIBLE
from tests.exercises.harness import judge_code

EXERCISE = get(SLUG)
run = partial(judge_code, EXERCISE)

HIDDEN = hidden(SLUG).ENTRIES


def test_reference_scores_every_visible_and_hidden_entry() -> None:
    verdict = check(SLUG, solution="reference")
    assert verdict.status == "passed", str(verdict)
    assert verdict.max_score == len(VISIBLE) + len(HIDDEN)


def test_syntax_error_is_an_error() -> None:
    verdict = run("def classify_attempt(answer_text, result)\n    return 'works'\n")
    assert verdict.status == "error", str(verdict)


def test_hard_coding_the_visible_statuses_fails_a_hidden_case() -> None:
    code = (
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
    verdict = run("def classify_attempt(answer_text, result):\n    return 'works'\n", graded=True)
    assert verdict.status == "failed"
    text = str(verdict)
    failed_hidden = [c.name for c in verdict.cases if c.hidden and not c.passed]
    assert failed_hidden
    assert "hidden check" in text
    assert not any(name in text for name in failed_hidden)


@pytest.mark.parametrize("returned", ["None", "['works']", "'Works'", "42"])
def test_wrong_return_type_fails_without_crashing(returned: str) -> None:
    verdict = run(f"def classify_attempt(answer_text, result):\n    return {returned}\n")
    assert verdict.status == "failed"
    assert verdict.score < verdict.max_score


def test_a_function_that_raises_reports_the_exception() -> None:
    verdict = run("def classify_attempt(answer_text, result):\n    return result['status']\n")
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
