"""Stage 7, quick loops: the tool edits, runs the tests, commits when green, feeds failures back."""

from __future__ import annotations

from typing import Any

from codegen_hero.exercises.answer_key import hidden_value
from codegen_hero.exercises.framework import Answer, Case, Exercise, beside, register
from codegen_hero.exercises.submission import Submission

# Everything below runs in the sandbox, beside the learner's function. The model, the test
# runner and git are TEST DOUBLES: canned answers, a fake verdict, a recorder. No model is
# called and nothing is committed anywhere.
SLUG = "07-edit-test-loop"
SETUP = beside(__file__, "doubles.py")

# (label, task, canned answers, green answers, max_iterations, hidden)
Scenario = tuple[str, str, list[str], list[str], int, bool]
VISIBLE: list[Scenario] = [
    (
        "green on first try",
        "Write slugify(text) that lowercases and joins words with '-'.",
        ["def slugify(t): return '-'.join(t.lower().split())"],
        ["def slugify(t): return '-'.join(t.lower().split())"],
        3,
        False,
    ),
    (
        "green on third try",
        "Write median(values) for a non-empty list of numbers.",
        [
            "def median(v): return v[len(v) // 2]",
            "def median(v): return sorted(v)[len(v) // 2]",
            "def median(v):\n    s = sorted(v)\n    m = len(s) // 2\n"
            "    return s[m] if len(s) % 2 else (s[m - 1] + s[m]) / 2",
        ],
        [
            "def median(v):\n    s = sorted(v)\n    m = len(s) // 2\n"
            "    return s[m] if len(s) % 2 else (s[m - 1] + s[m]) / 2"
        ],
        5,
        False,
    ),
    (
        "never green",
        "Write parse_duration('1h30m') -> seconds.",
        ["def parse_duration(s): return 0", "def parse_duration(s): return 60", "pass"],
        [],
        3,
        False,
    ),
]


def _expected(answers: list[str], green: list[str], limit: int) -> dict[str, Any]:
    first = next((i + 1 for i, a in enumerate(answers[:limit]) if a in green), None)
    return (
        {"status": "green", "iterations": first}
        if first
        else {"status": "gave up", "iterations": limit}
    )


def _scenario_cases(
    scenario: tuple[str, str, list[str], list[str], int, bool], rec: Any
) -> list[Case]:
    label, task, answers, green, limit, hidden = scenario
    if not isinstance(rec, dict):
        return [Case(f"{label}: runs", False, "a record", repr(rec)[:200], hidden)]
    result, prompts, runs, commits = rec["result"], rec["prompts"], rec["runs"], rec["commits"]
    want = _expected(answers, green, limit)
    if rec.get("error"):
        got: Any = f"raised {rec['error']}"
    elif isinstance(result, dict):
        got = {"status": result.get("status"), "iterations": result.get("iterations")}
    else:
        got = result
    cases = [Case(f"{label}: returns {want}", got == want, str(want), str(got)[:200], hidden)]
    if want["status"] == "gave up":
        cases.append(
            Case(
                f"{label}: gives up after max_iterations ({limit}) without extra model calls",
                len(prompts) == limit and rec["overcalls"] == 0,
                f"{limit} model calls",
                f"{len(prompts)} model calls",
                hidden,
            )
        )
    else:
        good = [c for c in commits if c["code"] in green]
        cases.append(
            Case(
                f"{label}: commits the green code exactly once, with a message",
                len(commits) == 1 and len(good) == 1 and bool(good[0]["message"].strip()),
                "one commit of the passing code, non-empty message",
                f"{len(commits)} commit(s): {[c['message'][:40] for c in commits]}",
                hidden,
            )
        )
    if not hidden:
        cases.append(
            Case(
                f"{label}: first prompt carries the task",
                bool(prompts) and task in prompts[0],
                task,
                "no prompt" if not prompts else f"{prompts[0][:80]!r}",
            )
        )
    # Every prompt after a red run must carry that run's output: the loop's feedback.
    expected_prompts = want["iterations"]
    if expected_prompts > 1:
        missing = [
            n
            for n in range(2, expected_prompts + 1)
            if n > len(prompts) or n - 2 >= len(runs) or runs[n - 2]["output"] not in prompts[n - 1]
        ]
        numbers = " and ".join(str(n) for n in range(2, expected_prompts + 1))
        verb = "prompts {} carry" if expected_prompts > 2 else "prompt {} carries"
        cases.append(
            Case(
                f"{label}: {verb.format(numbers)} the previous test output",
                not missing,
                "each later prompt contains the failing output of the run before it",
                f"prompt(s) {missing} do not",
                hidden,
            )
        )
    return cases


def scenarios() -> list[Scenario]:
    """The visible scripts, then the hidden ones where the answer key is."""
    return [*VISIBLE, *hidden_value(SLUG, "SCENARIOS", [])]


def check(submission: Submission) -> list[Case]:
    scenarios_ = scenarios()
    calls = {
        f"s{i}": f"_scenario({task!r}, {answers!r}, {green!r}, {limit!r})"
        for i, (_, task, answers, green, limit, _) in enumerate(scenarios_)
    }
    probe = submission.probe(calls, setup=SETUP)
    cases: list[Case] = []
    red_commits: list[tuple[str, bool]] = []
    for i, scenario in enumerate(scenarios_):
        label, hidden, green = scenario[0], scenario[5], scenario[3]
        if not probe.ok(f"s{i}"):
            cases.append(Case(f"{label}: runs", False, "a result", probe.error(f"s{i}"), hidden))
            continue
        rec = probe.value(f"s{i}")
        cases += _scenario_cases(scenario, rec)
        if isinstance(rec, dict):
            red_commits += [
                (c["code"], hidden) for c in rec.get("commits", []) if c["code"] not in green
            ]
    cases.insert(
        0,
        Case(
            "never commits red code",
            not red_commits,
            "commits only of code whose tests passed",
            f"{len(red_commits)} commit(s) of failing code"
            + "".join(f", e.g. {code!r}" for code, hidden in red_commits[:1] if not hidden),
        ),
    )
    return cases


STUB = beside(__file__, "stub.py")  # the answer cell a learner starts from

EXERCISE = register(
    Exercise(
        slug=SLUG,
        title="Edit, test, commit: the quick loop",
        chapter="book/07-quick-loops",
        instructions=beside(__file__, "instructions.md"),
        answers=(Answer("edit_test_loop", "function", STUB),),
        hints=(
            "One attempt is: ask the model, run the tests on what it returned, then decide. "
            "Count attempts with a `for` loop over `range(1, max_iterations + 1)`.",
            "Keep a `prompt` variable: start it as the task; after a red run, replace it with "
            "the task plus the test output. Commit only inside `if passed:` and return there.",
            "for n in range(1, max_iterations + 1): code = model(prompt); passed, output = "
            "run_tests(code); if passed: commit(code, f'...'); return {...}; else prompt = "
            "f'{task}\\n\\nThe tests failed:\\n{output}\\nFix the code.' — and after the loop "
            "return the 'gave up' dict.",
        ),
        check=check,
        wrong={
            "wrong-commit-before-test": "never commits red code",
            "wrong-no-feedback": "carry the previous test output",
            "wrong-ignores-limit": "gives up after max_iterations",
        },
    )
)
