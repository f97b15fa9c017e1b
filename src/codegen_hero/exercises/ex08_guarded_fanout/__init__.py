"""Stage 8, several agent sessions at once: fan out under a concurrency cap and a spend limit."""

from __future__ import annotations

from typing import Any

from codegen_hero.exercises.answer_key import hidden_value
from codegen_hero.exercises.framework import Answer, Case, Exercise, beside, register
from codegen_hero.exercises.submission import Submission

# Runs in the sandbox beside the learner's function. The agent is a TEST DOUBLE: it sleeps a
# little instead of thinking, returns a canned answer and a canned cost, and records how many
# calls were in flight at once.
SLUG = "08-guarded-fanout"
SETUP = beside(__file__, "doubles.py")


def tasks(prefix: str, costs: list[float], delays: list[float]) -> tuple[dict, dict]:
    names = [f"{prefix}-{i + 1}" for i in range(len(costs))]
    return dict(zip(names, costs, strict=True)), dict(zip(names, delays, strict=True))


# label -> (costs by task, delay by task, max_concurrency, budget, hidden). Delays differ so
# calls finish out of order: results gathered in finishing order come back shuffled.
Scenario = tuple[dict, dict, int, float, bool]
VISIBLE: dict[str, Scenario] = {
    "plenty of budget": (
        *tasks("docs", [0.01] * 6, [0.09, 0.04, 0.06, 0.04, 0.08, 0.05]),
        3,
        1.00,
        False,
    ),
    "tight budget": (
        *tasks("refactor", [0.10] * 10, [0.08, 0.04, 0.06, 0.04] * 2 + [0.05, 0.05]),
        4,
        0.45,
        False,
    ),
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
        got = str(rec.get("error")) if isinstance(rec, dict) else repr(rec)[:200]
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


def scenarios() -> dict[str, Scenario]:
    """The visible scenarios, then the hidden ones where the answer key is."""
    return {**VISIBLE, **hidden_value(SLUG, "SCENARIOS", {})}


def check(submission: Submission) -> list[Case]:
    scenarios_ = scenarios()
    names = list(scenarios_)
    calls = {
        f"s{i}": f"_scenario({costs!r}, {delays!r}, {limit!r}, {budget!r})"
        for i, (costs, delays, limit, budget, _) in enumerate(scenarios_.values())
    }
    probe = submission.probe(calls, setup=SETUP, timeout=20.0)
    cases: list[Case] = []
    for i, label in enumerate(names):
        spec = scenarios_[label]
        if not probe.ok(f"s{i}"):
            cases.append(Case(f"{label}: runs", False, "a result", probe.error(f"s{i}"), spec[4]))
        else:
            cases += _scenario_cases(label, spec, probe.value(f"s{i}"))
    return cases


STUB = beside(__file__, "stub.py")  # the answer cell a learner starts from

EXERCISE = register(
    Exercise(
        slug=SLUG,
        title="Three agents at once, one budget",
        chapter="book/08-agentic",
        instructions=beside(__file__, "instructions.md"),
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
