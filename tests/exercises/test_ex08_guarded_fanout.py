"""The guarded fan-out's checker: concurrency cap, real overlap, budget, order, skips."""

from __future__ import annotations

from functools import partial

import pytest

from codegen_hero.exercises import get
from codegen_hero.exercises.ex08_guarded_fanout import scenarios
from tests.exercises.harness import judge_code, solution_source

SLUG = "08-guarded-fanout"
SCENARIOS = scenarios()  # visible and hidden: the tests run where the answer key is
EXERCISE = get(SLUG)
run = partial(judge_code, EXERCISE)
reference_code = partial(solution_source, SLUG)


def test_syntax_error_is_an_error() -> None:
    verdict = run("def fan_out(tasks, call, max_concurrency, budget_usd)\n    return []\n")
    assert verdict.status == "error", str(verdict)


def test_hard_coded_concurrency_of_three_fails_a_hidden_case() -> None:
    # Visible limits are 3 and 4; a hidden scenario allows only one call at a time.
    code = (
        reference_code()
        .replace("len(pending) >= max_concurrency", "len(pending) >= 3")
        .replace("max(1, max_concurrency)", "3")
    )
    assert code != reference_code()
    verdict = run(code)
    assert verdict.status == "failed"
    assert all(case.passed for case in verdict.cases if not case.hidden), str(verdict)
    assert any(not case.passed for case in verdict.cases if case.hidden)


def test_calling_then_dropping_over_budget_results_is_caught() -> None:
    # Marking tasks "skipped" after paying for them: the money is spent all the same.
    code = (
        "def fan_out(tasks, call, max_concurrency, budget_usd):\n"
        "    out, spent = [], 0.0\n"
        "    for task in tasks:\n"
        "        answer, cost = call(task)\n"
        "        if spent + cost > budget_usd:\n"
        "            out.append({'task': task, 'status': 'skipped', 'reason': 'budget'})\n"
        "        else:\n"
        "            spent += cost\n"
        "            out.append({'task': task, 'status': 'done', 'answer': answer,\n"
        "                        'cost': cost})\n"
        "    return out\n"
    )
    verdict = run(code)
    failed = [c.name for c in verdict.cases if not c.passed]
    assert any("within the budget" in name for name in failed)
    assert any("skipped ones are marked" in name for name in failed)


def test_skipping_everything_is_too_stingy() -> None:
    code = (
        "def fan_out(tasks, call, max_concurrency, budget_usd):\n"
        "    return [{'task': t, 'status': 'skipped', 'reason': 'budget'} for t in tasks]\n"
    )
    verdict = run(code)
    failed = [c.name for c in verdict.cases if not c.passed]
    assert any("uses the budget before skipping" in name for name in failed)
    assert any("runs every task when the budget allows" in name for name in failed)


@pytest.mark.parametrize("returned", ["None", "{}", "[None] * len(tasks)", "'done'"])
def test_wrong_return_type_fails_without_crashing(returned: str) -> None:
    verdict = run(
        f"def fan_out(tasks, call, max_concurrency, budget_usd):\n    return {returned}\n"
    )
    assert verdict.status == "failed"
    assert any("in task order" in c.name and not c.passed for c in verdict.cases)


def test_a_function_that_raises_reports_the_exception() -> None:
    verdict = run("def fan_out(tasks, call, max_concurrency, budget_usd):\n    return 1 / 0\n")
    assert verdict.status == "failed"
    assert "ZeroDivisionError" in str(verdict)


def test_scenarios_need_a_budget_guard_and_allow_overlap() -> None:
    tight = [s for s in SCENARIOS.values() if sum(s[0].values()) > s[3]]
    assert tight and any(not s[4] for s in tight) and any(s[4] for s in tight)
    assert any(s[2] == 1 for s in SCENARIOS.values() if s[4])
    for costs, delays, limit, budget, _hidden in SCENARIOS.values():
        assert set(costs) == set(delays) and limit >= 1 and budget > 0
        assert min(delays.values()) >= 0.04  # overlap does not hinge on a busy scheduler
