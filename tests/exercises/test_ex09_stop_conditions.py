"""Exercise 09: the stop-condition checker accepts the reference and catches known mistakes."""

from __future__ import annotations

from functools import partial

import pytest

from codegen_hero.exercises import get
from codegen_hero.exercises.ex09_stop_conditions import expected_stop, scenarios
from codegen_hero.exercises.submission import Submission
from tests.exercises.harness import judge_code

SLUG = "09-stop-conditions"
SCENARIOS = scenarios()  # visible and hidden: the tests run where the answer key is
EXERCISE = get(SLUG)
verdict_for = partial(judge_code, EXERCISE)


def test_syntax_error_is_an_error():
    verdict = verdict_for("def run_agent(step, budget_usd, max_iterations, patience:\n    pass\n")
    assert verdict.status == "error"
    assert "does not run" in verdict.message


HARD_CODED = """
# The visible scripts' answers, looked up by their settings.
ANSWERS = {(10.0, 5, 3): ("tests green", 3), (10.0, 6, 2): ("iterations", 6),
           (10.0, 12, 3): ("no progress", 5), (1.8, 8, 3): ("budget", 3),
           (2.0, 8, 3): ("budget", 4), (1.5, 6, 3): ("budget", 2),
           (10.0, 3, 1): ("tests green", 3)}


def run_agent(step, budget_usd, max_iterations, patience):
    reason, n = ANSWERS.get((budget_usd, max_iterations, patience), ("iterations", 1))
    spent = sum(step(i)["cost"] for i in range(1, n + 1))
    return {"reason": reason, "iterations": n, "spent": spent}
"""


def test_hard_coding_the_visible_scripts_fails_a_hidden_case():
    verdict = verdict_for(HARD_CODED)
    visible = [c for c in verdict.cases if not c.hidden]
    hidden = [c for c in verdict.cases if c.hidden]
    assert all(c.passed for c in visible), str(verdict)
    assert hidden and not all(c.passed for c in hidden)
    assert verdict.status == "failed"


COMPARES_WITH_PREVIOUS = """
def run_agent(step, budget_usd, max_iterations, patience):
    spent = most = 0.0
    previous, stale = None, 0
    for i in range(1, max_iterations + 1):
        if spent + most > budget_usd:
            return {"reason": "budget", "iterations": i - 1, "spent": spent}
        r = step(i)
        spent += r["cost"]
        most = max(most, r["cost"])
        if r["tests_passed"] == r["tests_total"]:
            return {"reason": "tests green", "iterations": i, "spent": spent}
        stale = 0 if previous is None or r["tests_passed"] > previous else stale + 1
        previous = r["tests_passed"]
        if stale >= patience:
            return {"reason": "no progress", "iterations": i, "spent": spent}
    return {"reason": "iterations", "iterations": max_iterations, "spent": spent}
"""


def test_progress_measured_against_the_previous_step_fails_the_regression_script():
    verdict = verdict_for(COMPARES_WITH_PREVIOUS)
    failed = [c for c in verdict.cases if not c.passed]
    assert [c.name for c in failed] == [
        "hidden: a drop then a climb back to the old best is still no progress"
    ]


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("return None", "not a dict"),
        ("return ('budget', 1, 0.5)", "not a dict"),
        ("return {'reason': object()}", "not plain data"),
        ("raise KeyError('cost')", "KeyError"),
        ("i = 0\n    while True:\n        i += 1\n        step(i)", "past its script"),
    ],
    ids=["none", "tuple", "object", "raises", "never-stops"],
)
def test_broken_loops_fail_with_a_readable_reason(body, words):
    code = f"def run_agent(step, budget_usd, max_iterations, patience):\n    {body}\n"
    verdict = verdict_for(code)
    assert verdict.status == "failed"
    assert words in str(verdict)


def test_zero_based_iterations_and_a_made_up_spend_are_caught():
    reference = (Submission.from_solution(EXERCISE, "reference").code).replace(
        "step(iteration)", "step(iteration - 1)"
    )
    verdict = verdict_for(reference)
    assert all(not c.passed for c in verdict.cases[:-1])
    assert "step was called with [0, 1" in str(verdict)
    liar = Submission.from_solution(EXERCISE, "reference").code.replace(
        '"spent": spent}', '"spent": 0.0}'
    )
    verdict = verdict_for(liar)
    assert verdict.status == "failed"
    assert "spent 0;" in str(verdict)


def test_the_checkers_own_scripts_are_consistent():
    reasons = {expected_stop(s)["reason"] for s in SCENARIOS if not s.hidden}
    assert reasons == {"tests green", "budget", "iterations", "no progress"}
    assert any(s.hidden for s in SCENARIOS)
    for scenario in SCENARIOS:
        stop = expected_stop(scenario)
        assert stop["spent"] <= scenario.budget
        assert stop["iterations"] <= min(len(scenario.script), scenario.max_iterations)
