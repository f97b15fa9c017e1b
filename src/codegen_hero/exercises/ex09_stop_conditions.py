"""Stage 9, let the agent code: typing "yes" forever is only safe behind stop conditions."""

from __future__ import annotations

from dataclasses import dataclass

from codegen_hero.exercises.framework import Answer, Case, Exercise, register
from codegen_hero.exercises.submission import Submission

TOLERANCE = 1e-9  # the scripts' costs are exact in binary, this only absorbs float noise

# The scripted agent and the harness around the learner's loop, run in the sandbox. The agent
# returns its script in order, records every call and refuses to run past the script, so a
# loop that does not stop shows up as an error instead of an endless run.
SETUP = '''
import json as _json


class ScriptedAgent:
    """A fake agent: one scripted step result per call, every call recorded."""

    def __init__(self, script):
        self.script = script
        self.calls = []

    def __call__(self, iteration):
        if len(self.calls) >= len(self.script):
            raise RuntimeError(
                f"the agent was called {len(self.calls) + 1} times, past its script of "
                f"{len(self.script)} steps: the loop did not stop"
            )
        self.calls.append(iteration if isinstance(iteration, (int, float)) else repr(iteration))
        return dict(self.script[len(self.calls) - 1])


def _plain(value):
    try:
        return _json.loads(_json.dumps(value))
    except (TypeError, ValueError):
        return {"__not_plain__": repr(value)[:200]}


def _run(script, budget, max_iterations, patience):
    agent = ScriptedAgent(script)
    out = {"calls": agent.calls}
    try:
        out["result"] = _plain(run_agent(agent, budget, max_iterations, patience))
    except NotImplementedError:
        raise  # still the stub: the checker reports "not attempted"
    except Exception as exc:
        out["error"] = f"{type(exc).__name__}: {exc}"[:300]
    out["spent"] = sum(step["cost"] for step in script[: len(agent.calls)])
    return out
'''


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


SCENARIOS = (
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
    # Hidden: scripts the learner never sees.
    Scenario(
        "hidden: a drop then a climb back to the old best is still no progress",
        ((0.125, 4, 8), (0.125, 1, 8), (0.125, 3, 8), (0.125, 4, 8), (0.125, 5, 8)),
        budget=5.0,
        max_iterations=5,
        patience=3,
        hidden=True,
    ),
    Scenario(
        "hidden: no progress and the iteration limit on the same step",
        ((0.25, 2, 5), (0.25, 2, 5), (0.25, 2, 5), (0.25, 2, 5)),
        budget=5.0,
        max_iterations=3,
        patience=2,
        hidden=True,
    ),
    Scenario(
        "hidden: green on the first step",
        ((1.5, 7, 7), (1.5, 7, 7)),
        budget=2.0,
        max_iterations=4,
        patience=1,
        hidden=True,
    ),
    Scenario(
        "hidden: rising costs and a budget that runs out between steps",
        ((0.25, 1, 9), (0.5, 2, 9), (1.0, 3, 9), (0.25, 4, 9), (0.25, 5, 9), (0.25, 6, 9)),
        budget=2.5,
        max_iterations=6,
        patience=2,
        hidden=True,
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
        and abs(reported - want["spent"]) <= TOLERANCE
        and calls == list(range(1, len(calls) + 1))  # step(1), step(2), …
        and len(calls) == want["iterations"]
        and abs(spent - want["spent"]) <= TOLERANCE
    )
    got = _describe(result.get("reason"), result.get("iterations"), reported)
    got += f"; step was called with {calls}"
    return Case(scenario.name, passed, expected, got, scenario.hidden)


def check(submission: Submission) -> list[Case]:
    calls = {
        f"s{i}": f"_run({s.steps()!r}, {s.budget!r}, {s.max_iterations!r}, {s.patience!r})"
        for i, s in enumerate(SCENARIOS)
    }
    probe = submission.probe(calls, setup=SETUP)
    outcomes = []
    for i in range(len(SCENARIOS)):
        ok = probe.ok(f"s{i}")
        outcomes.append(probe.value(f"s{i}") if ok else {"error": probe.error(f"s{i}")})
    cases = [_scenario_case(s, o) for s, o in zip(SCENARIOS, outcomes, strict=True)]
    # Measured from the agent's own record, not from what run_agent says it spent.
    over = [
        f"{o.get('spent', 0):g} of {s.budget:g}"
        for s, o in zip(SCENARIOS, outcomes, strict=True)
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


STUB = '''def run_agent(step, budget_usd: float, max_iterations: int, patience: int) -> dict:
    """Call step(1), step(2), ... until a stop condition holds; say which one, and the cost.

    step(iteration) returns {"cost": float, "tests_passed": int, "tests_total": int}.
    Return {"reason": "tests green" | "budget" | "iterations" | "no progress",
            "iterations": steps run, "spent": total cost of those steps}.
    """
    raise NotImplementedError("your code here")
'''

EXERCISE = register(
    Exercise(
        slug="09-stop-conditions",
        title="Should I continue? Stop conditions for an agent you let run",
        chapter="book/09-let-it-code",
        instructions="""
At the last stage the agent finishes a step and asks "should I continue?", and you type
**yes** without reading. That is only safe when the loop knows, without you, when to stop:
when the work is done, when the money is gone, when it has run long enough, and when it is
going nowhere. The last one matters most in practice: an agent that keeps "fixing" the same
failing test burns tokens all night and makes no progress.

Write `run_agent(step, budget_usd, max_iterations, patience)`. `step(iteration)` performs
one agent iteration (numbered 1, 2, 3, …) and returns
`{"cost": float, "tests_passed": int, "tests_total": int}`. Return
`{"reason": R, "iterations": n, "spent": total}`, where `n` is the number of steps run and
`total` the sum of their costs. Apply the rules in exactly this order:

1. **Before each step: budget.** You only learn a step's cost after paying for it, so
   estimate it as the most expensive step seen so far (0 before the first step). If
   `spent + estimate > budget_usd`, stop with `"budget"` *without* running the step. A step
   that exactly fits (`spent + estimate == budget_usd`) runs.
2. Run the step.
3. **After each step**, check in this order and stop at the first that holds:
   - `"tests green"`: `tests_passed == tests_total`;
   - `"no progress"`: the last `patience` iterations in a row made no progress. An iteration
     makes progress when its `tests_passed` is higher than that of every earlier iteration;
     the first iteration has nothing to compare with, so it never counts as no progress.
     Falling back and climbing to the old best is not progress;
   - `"iterations"`: `max_iterations` steps have run.

Checking the budget *after* spending is the classic mistake: by then the money is gone.
(An estimate can still be beaten by a step dearer than any before it; real setups add a
hard limit at the provider too. The checker's scripts keep within the rule above.)

The checker runs your loop against scripted fake agents: each returns a fixed list of step
results in order, records every call, and raises if it is called past its script (a loop
that does not stop). It tests each stop reason, the exact iteration count and spend, the
numbers passed to `step`, that the spend never exceeds the budget, and more scripts you do
not see. Costs in the scripts are exact in binary (0.25, 0.5, …), so float rounding does
not matter.
""",
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
