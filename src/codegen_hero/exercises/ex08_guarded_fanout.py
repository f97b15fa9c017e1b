"""Stage 8, several agent sessions at once: fan out under a concurrency cap and a spend limit."""

from __future__ import annotations

from typing import Any

from codegen_hero.exercises.framework import Answer, Case, Exercise, register
from codegen_hero.exercises.submission import Submission

# Runs in the sandbox beside the learner's function. The agent is a TEST DOUBLE: it sleeps a
# little instead of thinking, returns a canned answer and a canned cost, and records how many
# calls were in flight at once.
SETUP = '''
import json as _json
import threading as _threading
import time as _time


class _FakeAgent:
    """TEST DOUBLE for an agent session: canned answer and cost, records peak concurrency."""

    def __init__(self, costs, delays):
        self.costs, self.delays = dict(costs), dict(delays)
        self.lock = _threading.Lock()
        self.in_flight = self.peak = 0
        self.calls = []

    def __call__(self, task):
        with self.lock:
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
            self.calls.append(task)
        try:
            _time.sleep(self.delays.get(task, 0.05))
            return f"answer to {task}", self.costs[task]
        finally:
            with self.lock:
                self.in_flight -= 1


def _plain(value):
    try:
        return _json.loads(_json.dumps(value))
    except (TypeError, ValueError):
        return {"repr": repr(value)[:300]}


def _scenario(costs, delays, max_concurrency, budget):
    agent = _FakeAgent(costs, delays)
    tasks = list(costs)
    try:
        result, error = fan_out(list(tasks), agent, max_concurrency, budget), None
    except NotImplementedError:
        raise
    except Exception as exc:
        result, error = None, f"{type(exc).__name__}: {exc}"[:300]
    return {
        "result": _plain(result),
        "error": error,
        "calls": list(agent.calls),
        "peak": agent.peak,
        "spent": round(sum(agent.costs[t] for t in agent.calls), 6),
    }
'''


def _tasks(prefix: str, costs: list[float], delays: list[float]) -> tuple[dict, dict]:
    names = [f"{prefix}-{i + 1}" for i in range(len(costs))]
    return dict(zip(names, costs, strict=True)), dict(zip(names, delays, strict=True))


# label -> (costs by task, delay by task, max_concurrency, budget, hidden). Delays differ so
# calls finish out of order: results gathered in finishing order come back shuffled.
SCENARIOS: dict[str, tuple[dict, dict, int, float, bool]] = {
    "plenty of budget": (
        *_tasks("docs", [0.01] * 6, [0.09, 0.04, 0.06, 0.04, 0.08, 0.05]),
        3,
        1.00,
        False,
    ),
    "tight budget": (
        *_tasks("refactor", [0.10] * 10, [0.08, 0.04, 0.06, 0.04] * 2 + [0.05, 0.05]),
        4,
        0.45,
        False,
    ),
    "hidden: mixed costs": (
        *_tasks("fix", [0.20, 0.05, 0.15, 0.10, 0.05, 0.20, 0.10, 0.05], [0.06, 0.04] * 4),
        2,
        0.63,
        True,
    ),
    "hidden: many cheap tasks, five at a time": (
        *_tasks("lint", [0.002] * 12, [0.07, 0.04, 0.05] * 4),
        5,
        0.50,
        True,
    ),
    "hidden: one at a time": (*_tasks("plan", [0.05] * 3, [0.04] * 3), 1, 1.00, True),
}


def _entry_problem(entry: Any, task: str, costs: dict[str, float], called: list[str]) -> str:
    """Why one result dict is wrong, or '' when it is right."""
    if not isinstance(entry, dict):
        return f"no entry for {task!r}"
    if entry.get("status") == "done":
        if task not in called:
            return f"{task} is 'done' but was never called"
        if entry.get("answer") != f"answer to {task}":
            return f"{task}: the answer is not the one the call returned"
        cost = entry.get("cost")
        if not isinstance(cost, int | float) or abs(cost - costs[task]) > 1e-9:
            return f"{task}: cost {cost!r}, the call said {costs[task]}"
        return ""
    if entry.get("status") == "skipped":
        if entry.get("reason") != "budget":
            return f"{task}: skipped without reason 'budget'"
        if task in called:
            return f"{task} is 'skipped' but was called (and paid for)"
        return ""
    return f"{task}: status {entry.get('status')!r}"


def _scenario_cases(label: str, spec: tuple, rec: Any) -> list[Case]:
    costs, _delays, limit, budget, hidden = spec
    tasks = list(costs)
    if not isinstance(rec, dict) or rec.get("error"):
        got = rec.get("error") if isinstance(rec, dict) else repr(rec)[:200]
        return [Case(f"{label}: runs without raising", False, "a list of dicts", got, hidden)]
    result, called, peak, spent = rec["result"], rec["calls"], rec["peak"], rec["spent"]
    cases = [
        Case(
            f"{label}: never more than {limit} call{'s' if limit > 1 else ''} in flight",
            peak <= limit,
            f"at most {limit} at once",
            f"{peak} at once",
            hidden,
        ),
        Case(
            f"{label}: total cost stays within the budget (${budget:.2f})",
            spent <= budget + 1e-9,
            f"at most ${budget:.2f} spent",
            f"${spent:.2f} spent on {len(called)} calls",
            hidden,
        ),
        Case(
            f"{label}: no task called twice",
            len(called) == len(set(called)),
            "each task called at most once",
            f"{len(called)} calls for {len(set(called))} tasks",
            hidden,
        ),
    ]
    if not isinstance(result, list) or len(result) != len(tasks):
        size = len(result) if isinstance(result, list) else type(result).__name__
        cases.append(
            Case(
                f"{label}: one dict per task, in task order",
                False,
                f"a list of {len(tasks)} dicts",
                str(size),
                hidden,
            )
        )
        return cases
    order = [e.get("task") if isinstance(e, dict) else None for e in result]
    wrong_at = next((i for i, (a, b) in enumerate(zip(order, tasks, strict=True)) if a != b), 0)
    cases.append(
        Case(
            f"{label}: one dict per task, in task order",
            order == tasks,
            f"entry {wrong_at + 1} is for {tasks[wrong_at]!r}",
            f"entry {wrong_at + 1} is for {order[wrong_at]!r}",
            hidden,
        )
    )
    by_task = {e.get("task"): e for e in result if isinstance(e, dict) and e.get("task") in costs}
    problems = [p for t in tasks if (p := _entry_problem(by_task.get(t), t, costs, called))]
    cases.append(
        Case(
            f"{label}: done tasks carry answer and cost, skipped ones are marked",
            not problems,
            "status 'done' or 'skipped' with reason 'budget'",
            "; ".join(problems[:2]),
            hidden,
        )
    )
    done_cost = sum(costs[t] for t in tasks if t in called)
    if sum(costs.values()) <= budget:
        done = sum(1 for e in by_task.values() if e.get("status") == "done")
        cases.append(
            Case(
                f"{label}: runs every task when the budget allows",
                done == len(set(called)) == len(tasks),
                f"{len(tasks)} tasks done",
                f"{done} marked done, {len(set(called))} called",
                hidden,
            )
        )
    else:  # stopping is right, but not long before the money runs out
        floor = budget - max(costs.values())
        cases.append(
            Case(
                f"{label}: uses the budget before skipping",
                done_cost > floor,
                f"more than ${floor:.2f} spent",
                f"${done_cost:.2f}",
                hidden,
            )
        )
    if limit > 1 and len(tasks) > limit:
        cases.append(
            Case(
                f"{label}: runs calls concurrently",
                peak > 1,
                f"up to {limit} calls in flight at once",
                f"peak {peak}",
                hidden,
            )
        )
    return cases


def check(submission: Submission) -> list[Case]:
    names = list(SCENARIOS)
    calls = {
        f"s{i}": f"_scenario({costs!r}, {delays!r}, {limit!r}, {budget!r})"
        for i, (costs, delays, limit, budget, _) in enumerate(SCENARIOS.values())
    }
    probe = submission.probe(calls, setup=SETUP, timeout=20.0)
    cases: list[Case] = []
    for i, label in enumerate(names):
        spec = SCENARIOS[label]
        if not probe.ok(f"s{i}"):
            cases.append(Case(f"{label}: runs", False, "a result", probe.error(f"s{i}"), spec[4]))
        else:
            cases += _scenario_cases(label, spec, probe.value(f"s{i}"))
    return cases


STUB = '''def fan_out(
    tasks: list[str], call, max_concurrency: int, budget_usd: float
) -> list[dict]:
    """Run call(task) -> (answer, cost_usd) for many tasks at once, under a spend limit.

    Return one dict per task, in task order:
    {"task": t, "status": "done", "answer": a, "cost": c} or
    {"task": t, "status": "skipped", "reason": "budget"}.
    """
    raise NotImplementedError("your code here")
'''

EXERCISE = register(
    Exercise(
        slug="08-guarded-fanout",
        title="Three agents at once, one budget",
        chapter="book/08-agentic",
        instructions="""
Once one agent session works, the next step is three to five at once: one writes tests,
one refactors, one updates the docs. Waiting is over; the bill is not. Every session costs
tokens, and a fan-out with no spend limit turns a tidy plan into a surprising invoice. Write
the orchestrator:

```python
def fan_out(tasks: list[str], call, max_concurrency: int, budget_usd: float) -> list[dict]: ...
```

- `call(task) -> tuple[str, float]` runs one session and returns `(answer, cost_usd)`. It
  takes a moment (it blocks: with asyncio, run it through `asyncio.to_thread`).
- Run the calls concurrently, threads or asyncio, with at most `max_concurrency` in flight.
- Launch tasks in order. You only learn what a call costs when it comes back, so estimate
  the next call as **the most expensive cost seen so far**, and launch it only if
  `spent + (calls in flight + 1) * estimate <= budget_usd`. Before any call has come back
  there is no estimate: run the first call alone and wait for it. If the next task does not
  fit (or `max_concurrency` calls are in flight), wait for a call to finish and check again;
  if it does not fit with nothing in flight, skip it and every task after it.
- Return one dict per task, **in task order** (not in the order calls finish):
  `{"task": t, "status": "done", "answer": answer, "cost": cost}` or
  `{"task": t, "status": "skipped", "reason": "budget"}`. A skipped task is never called.

The checker's fake agent sleeps a few hundredths of a second per call and records the most
calls it ever had in flight and every cost it charged. It checks the peak against
`max_concurrency`, that calls really overlap, that the money spent stays within the budget
(without stopping long before it runs out), the order, and the skipped entries, for a generous
budget, a tight one, and limits and costs you do not see.
""",
        answers=(Answer("fan_out", "function", STUB),),
        hints=(
            "A `concurrent.futures.ThreadPoolExecutor` runs blocking calls side by side; a "
            "`threading.Condition` (or a lock plus `concurrent.futures.wait(..., "
            "return_when=FIRST_COMPLETED)`) lets the launcher wait until a call finishes.",
            "Keep `spent`, `estimate` and the set of pending futures in the launching thread. "
            "For each task: while it does not fit and calls are pending, wait for one and add "
            "its cost; if it still does not fit, skip it and the rest; else submit it.",
            "def fits(): return len(pending) < max_concurrency and (not pending if estimate is "
            "None else spent + (len(pending) + 1) * estimate <= budget_usd) — so the first "
            "call goes alone. Store each outcome in `results[index]` (a list of None made up "
            "front) so the list comes back in task order.",
        ),
        check=check,
        wrong={
            "wrong-sequential": "runs calls concurrently",
            "wrong-no-budget-guard": "total cost stays within the budget",
            "wrong-completion-order": "in task order",
        },
    )
)
