"""The median-tests checker: good tests pass, weak or wrong tests are caught."""

from __future__ import annotations

import ast
from functools import partial

from codegen_hero.exercises import check, get
from codegen_hero.exercises.answer_key import hidden
from codegen_hero.exercises.ex02_tests_for_completions import VISIBLE
from codegen_hero.sandbox import run_code
from tests.exercises.harness import judge_code, solution_source

SLUG = "02-tests-for-completions"
EXERCISE = get(SLUG)
KEY = hidden(SLUG)
CORRECT, ANOTHER_CORRECT = KEY.CORRECT, KEY.ANOTHER_CORRECT
BUGGY = (*VISIBLE, *KEY.HIDDEN)
run = partial(judge_code, EXERCISE)


def test_reference_scores_both_correct_versions_and_every_buggy_one() -> None:
    verdict = check(SLUG, solution="reference")
    assert verdict.status == "passed", str(verdict)
    assert verdict.max_score == 2 + len(BUGGY)


def with_tests(tests: str) -> str:
    return f"TESTS = {tests!r}\n"


def test_syntax_error_in_the_answer_cell_is_an_error() -> None:
    verdict = run('TESTS = """\ndef test_a():\n    assert median([1]) == 1\n')
    assert verdict.status == "error", str(verdict)


def test_tests_that_do_not_load_are_an_error() -> None:
    verdict = run(with_tests("def test_a(:\n    assert True\n"))
    assert verdict.status == "error"
    assert "do not run" in verdict.message


def test_text_without_test_functions_is_an_error() -> None:
    verdict = run(with_tests("assert median([1.0]) == 1.0\n"))
    assert verdict.status == "error"
    assert "no test_* functions" in verdict.message


def test_tests_that_are_not_text_fail_without_crashing() -> None:
    verdict = run("TESTS = 42\n")
    assert verdict.status == "failed"
    assert verdict.cases[0].name == "TESTS is text"


def test_catching_only_the_visible_completions_fails_a_hidden_case() -> None:
    tests = (
        "def test_unsorted():\n    assert median([3, 1, 2]) == 2\n\n"
        "def test_even():\n    assert median([1, 2]) == 1.5\n\n"
        "def test_empty():\n"
        "    try:\n        median([])\n    except Exception:\n        return\n"
        "    assert False\n"
    )
    verdict = run(with_tests(tests))
    assert verdict.status == "failed"
    assert all(case.passed for case in verdict.cases if not case.hidden), str(verdict)
    assert any(not case.passed for case in verdict.cases if case.hidden)


def test_tests_pinned_to_one_implementation_fail_the_other_correct_one() -> None:
    tests = (
        "import inspect\n\ndef test_source():\n    assert 'sorted' in inspect.getsource(median)\n"
    )
    verdict = run(with_tests(tests))
    other = next(c for c in verdict.cases if c.name.endswith("another correct implementation"))
    assert not other.passed
    assert other.hidden


def test_both_correct_implementations_and_no_buggy_one_pass_the_reference_tests() -> None:
    module = ast.parse(solution_source(SLUG))
    assignment = next(node for node in module.body if isinstance(node, ast.Assign))
    tests = ast.literal_eval(assignment.value)
    assert run_code(CORRECT, tests=tests).status == "ok"
    assert run_code(ANOTHER_CORRECT, tests=tests).status == "ok"
    for completion in BUGGY:
        assert run_code(completion.code, tests=tests).tests_failed, completion.name


def test_the_visible_and_hidden_completions_are_both_there() -> None:
    assert sum(1 for c in BUGGY if not c.hidden) >= 4
    assert sum(1 for c in BUGGY if c.hidden) >= 1
    assert len({c.name for c in BUGGY}) == len(BUGGY)
