"""Stage 9, let the agent code: typing "yes" forever is only safe behind stop conditions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from codegen_hero.exercises.answer_key import hidden_value
from codegen_hero.exercises.framework import Answer, Case, Exercise, beside, register
from codegen_hero.exercises.submission import Submission

SLUG = "09-stop-conditions"
TOLERANCE = 1e-9  # the scripts' costs are exact in binary, this only absorbs float noise

# The scripted agent and the harness around the learner's loop, run in the sandbox. The agent
# returns its script in order, records every call and refuses to run past the script, so a
# loop that does not stop shows up as an error instead of an endless run.
SETUP = beside(__file__, "doubles.py")


@dataclass(frozen=True)
class Scenario:
    name: str  # the case name: what this script tests
    script: tuple[tuple[float, int, int], ...]  # (cost, tests_passed, tests_total) per step
    budget: float
    max_iterations: int
    patience: int
    hidden: bool = False

    def steps(self) -> list[dict[str, float | int]]:
        return [{"cost": c, "tests_passed": p, "tests_total": t} for c, p, t in self.script]


def expected_stop(scenario: Scenario) -> dict[str, object]:
    """The rules of the instructions, applied to a script: where the loop must stop."""
    spent, most, best, stale = 0.0, 0.0, -1, 0
    for iteration, (cost, passed, total) in enumerate(scenario.script, start=1):
        if spent + most > scenario.budget + TOLERANCE:
            return {"reason": "budget", "iterations": iteration - 1, "spent": spent}
        spent += cost
        most = max(most, cost)
        if passed == total:
            return {"reason": "tests green", "iterations": iteration, "spent": spent}
        if iteration > 1 and passed <= best:
            stale += 1
        else:
            stale = 0
        best = max(best, passed)
        if stale >= scenario.patience:
            return {"reason": "no progress", "iterations": iteration, "spent": spent}
        if iteration >= scenario.max_iterations:
            return {"reason": "iterations", "iterations": iteration, "spent": spent}
    raise ValueError(f"scenario {scenario.name!r} runs past its script")


def _ramp(n: int, total: int, cost: float = 0.25) -> tuple[tuple[float, int, int], ...]:
    """n steps that each fix one more test, never all of them."""
    return tuple((cost, i, total) for i in range(1, n + 1))


VISIBLE = (
    Scenario(
        "tests green: stops as soon as every test passes",
        ((0.5, 1, 4), (0.5, 2, 4), (0.5, 4, 4), (0.5, 4, 4), (0.5, 4, 4)),
        budget=10.0,
        max_iterations=5,
        patience=3,
    ),
    Scenario(
        "iterations: stops after max_iterations steps",
        _ramp(6, 20),
        budget=10.0,
        max_iterations=6,
        patience=2,
    ),
    Scenario(
        "no progress: stops when tests_passed has not increased for `patience` iterations",
        ((0.25, 2, 6), *[(0.25, 3, 6)] * 11),
        budget=10.0,
        max_iterations=12,
        patience=3,
    ),
    Scenario(
        "budget: stops before the step it cannot afford",
        _ramp(8, 20, cost=0.5),
        budget=1.8,
        max_iterations=8,
        patience=3,
    ),
    Scenario(
        "budget: a step that exactly fits the budget still runs",
        _ramp(8, 20, cost=0.5),
        budget=2.0,
        max_iterations=8,
        patience=3,
    ),
    Scenario(
        "budget: the estimate is the most expensive step so far, not the last one",
        ((0.75, 1, 9), (0.25, 2, 9), (0.25, 3, 9), (0.25, 4, 9), (0.25, 5, 9), (0.25, 6, 9)),
        budget=1.5,
        max_iterations=6,
        patience=3,
    ),
    Scenario(
        "precedence: green on the last allowed iteration is 'tests green'",
        ((0.25, 1, 3), (0.25, 2, 3), (0.25, 3, 3)),
        budget=10.0,
        max_iterations=3,
        patience=1,
    ),
)


def _describe(reason: object, iterations: object, spent: object) -> str:
    money = f"{spent:g}" if isinstance(spent, (int, float)) else repr(spent)
    return f"reason {reason!r} after {iterations!r} iterations, spent {money}"


def _scenario_case(scenario: Scenario, outcome: object) -> Case:
    want = expected_stop(scenario)
    expected = _describe(want["reason"], want["iterations"], want["spent"])
    if not isinstance(outcome, dict):
        return Case(scenario.name, False, expected, "the probe returned nothing", scenario.hidden)
    calls, spent = outcome.get("calls", []), outcome.get("spent", 0.0)
    if "error" in outcome:
        got = f"{outcome['error']} (after {len(calls)} steps)"
        return Case(scenario.name, False, expected, got, scenario.hidden)
    result = outcome.get("result")
    if not isinstance(result, dict) or "__not_plain__" in result:
        shown = result["__not_plain__"] if isinstance(result, dict) else repr(result)
        what = "not a dict" if not isinstance(result, dict) else "not plain data"
        got = f"run_agent returned {shown:.120}, {what}"
        return Case(scenario.name, False, expected, got, scenario.hidden)
    reported = result.get("spent")
    numbers = isinstance(reported, (int, float)) and not isinstance(reported, bool)
    passed = (
        result.get("reason") == want["reason"]
        and result.get("iterations") == want["iterations"]
        and numbers
        and abs(float(reported or 0) - float(want["spent"])) <= TOLERANCE  # type: ignore[arg-type]
        and calls == list(range(1, len(calls) + 1))  # step(1), step(2), …
        and len(calls) == want["iterations"]
        and abs(spent - want["spent"]) <= TOLERANCE
    )
    got = _describe(result.get("reason"), result.get("iterations"), reported)
    got += f"; step was called with {calls}"
    return Case(scenario.name, passed, expected, got, scenario.hidden)


def scenarios() -> tuple[Scenario, ...]:
    """The visible scripts, then the hidden ones where the answer key is."""
    return (*VISIBLE, *hidden_value(SLUG, "SCENARIOS", ()))


def check(submission: Submission) -> list[Case]:
    scenarios_ = scenarios()
    calls = {
        f"s{i}": f"_run({s.steps()!r}, {s.budget!r}, {s.max_iterations!r}, {s.patience!r})"
        for i, s in enumerate(scenarios_)
    }
    probe = submission.probe(calls, setup=SETUP)
    outcomes: list[dict[str, Any]] = []
    for i in range(len(scenarios_)):
        ok = probe.ok(f"s{i}")
        outcomes.append(probe.value(f"s{i}") if ok else {"error": probe.error(f"s{i}")})
    cases = [_scenario_case(s, o) for s, o in zip(scenarios_, outcomes, strict=True)]
    # Measured from the agent's own record, not from what run_agent says it spent.
    over = [
        f"{o.get('spent', 0):g} of {s.budget:g}"
        for s, o in zip(scenarios_, outcomes, strict=True)
        if not s.hidden and o.get("spent", 0) > s.budget + TOLERANCE
    ]
    cases.append(
        Case(
            "never spends more than the budget",
            not over,
            "every visible script's spend within its budget",
            f"spent {', '.join(over)}" if over else "",
        )
    )
    return cases


STUB = beside(__file__, "stub.py")  # the answer cell a learner starts from

EXERCISE = register(
    Exercise(
        slug=SLUG,
        title="Should I continue? Stop conditions for an agent you let run",
        chapter="book/09-let-it-code",
        instructions=beside(__file__, "instructions.md"),
        answers=(Answer("run_agent", "function", STUB),),
        hints=(
            "Keep four pieces of state across the loop: the money spent, the most expensive "
            "step so far, the best tests_passed so far, and how many iterations in a row have "
            "not beaten that best.",
            "Use `for iteration in range(1, max_iterations + 1):` and put the budget test at "
            "the top of the body, before calling `step(iteration)`; after the call, update "
            "the state and test green, then no progress. If the loop ends, the reason is "
            "'iterations'.",
            "Progress: `if iteration == 1 or passed > best: stale = 0 else: stale += 1`, then "
            "`best = max(best, passed)` and stop with 'no progress' when `stale >= patience`. "
            "Budget: `if spent + most_expensive > budget_usd: return {...'budget'...}`.",
        ),
        check=check,
        wrong={
            "wrong-no-progress-check": "no progress: stops when tests_passed",
            "wrong-budget-after-spending": "never spends more than the budget",
        },
    )
)
