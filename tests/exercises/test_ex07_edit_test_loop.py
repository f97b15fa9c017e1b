"""The edit-test loop's checker: accepts the reference, rejects the known-wrong loops."""

from __future__ import annotations

from functools import partial

import pytest

from codegen_hero.exercises import get
from codegen_hero.exercises.ex07_edit_test_loop import scenarios
from tests.exercises.harness import judge_code

SLUG = "07-edit-test-loop"
SCENARIOS = scenarios()  # visible and hidden: the tests run where the answer key is
EXERCISE = get(SLUG)
run = partial(judge_code, EXERCISE)


def test_syntax_error_is_an_error() -> None:
    verdict = run("def edit_test_loop(model, run_tests, commit, task, max_iterations)\n    pass\n")
    assert verdict.status == "error", str(verdict)


def test_hard_coded_limit_of_three_fails_a_hidden_case() -> None:
    # Every visible scenario ends by the third attempt; a hidden one has a limit of 2.
    code = (
        "def edit_test_loop(model, run_tests, commit, task, max_iterations):\n"
        "    prompt = task\n"
        "    for n in range(1, 4):\n"
        "        code = model(prompt)\n"
        "        passed, output = run_tests(code)\n"
        "        if passed:\n"
        "            commit(code, 'green')\n"
        "            return {'status': 'green', 'iterations': n}\n"
        "        prompt = task + '\\n' + output\n"
        "    return {'status': 'gave up', 'iterations': 3}\n"
    )
    verdict = run(code)
    assert verdict.status == "failed"
    assert all(case.passed for case in verdict.cases if not case.hidden), str(verdict)
    assert any(not case.passed for case in verdict.cases if case.hidden)


def test_graded_verdict_hides_the_hidden_names() -> None:
    code = (
        "def edit_test_loop(model, run_tests, commit, task, max_iterations):\n"
        "    return {'status': 'gave up', 'iterations': 3}\n"
    )
    verdict = run(code, graded=True)
    failed_hidden = [c.name for c in verdict.cases if c.hidden and not c.passed]
    assert failed_hidden
    assert not any(name in str(verdict) for name in failed_hidden)


@pytest.mark.parametrize("returned", ["None", "'green'", "['green', 1]", "{'status': 'GREEN'}"])
def test_wrong_return_type_fails_without_crashing(returned: str) -> None:
    code = (
        "def edit_test_loop(model, run_tests, commit, task, max_iterations):\n"
        "    code = model(task)\n"
        "    passed, output = run_tests(code)\n"
        "    if passed:\n"
        "        commit(code, 'ok')\n"
        f"    return {returned}\n"
    )
    verdict = run(code)
    assert verdict.status == "failed"
    assert not any(c.passed for c in verdict.cases if c.name.endswith("'iterations': 1}"))


def test_a_loop_that_raises_reports_the_exception() -> None:
    code = (
        "def edit_test_loop(model, run_tests, commit, task, max_iterations):\n"
        "    return {'status': model(task).no_such_method()}\n"
    )
    verdict = run(code)
    assert verdict.status == "failed"
    assert "AttributeError" in str(verdict)


def test_committing_with_an_empty_message_fails() -> None:
    code = (
        "def edit_test_loop(model, run_tests, commit, task, max_iterations):\n"
        "    prompt = task\n"
        "    for n in range(1, max_iterations + 1):\n"
        "        code = model(prompt)\n"
        "        passed, output = run_tests(code)\n"
        "        if passed:\n"
        "            commit(code, '  ')\n"
        "            return {'status': 'green', 'iterations': n}\n"
        "        prompt = task + '\\n' + output\n"
        "    return {'status': 'gave up', 'iterations': max_iterations}\n"
    )
    verdict = run(code)
    failed = [c.name for c in verdict.cases if not c.passed]
    assert failed and all("exactly once, with a message" in name for name in failed)


def test_scenarios_are_consistent() -> None:
    for _label, task, answers, green, limit, _hidden in SCENARIOS:
        assert task and answers and limit >= 1
        assert all(code in answers for code in green)
        assert len(answers) >= limit or any(code in answers[:limit] for code in green)
