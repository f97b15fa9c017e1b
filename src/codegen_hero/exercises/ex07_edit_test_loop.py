"""Stage 7, quick loops: the tool edits, runs the tests, commits when green, feeds failures back."""

from __future__ import annotations

from typing import Any

from codegen_hero.exercises.framework import Answer, Case, Exercise, register
from codegen_hero.exercises.submission import Submission

# Everything below runs in the sandbox, beside the learner's function. The model, the test
# runner and git are TEST DOUBLES: canned answers, a fake verdict, a recorder. No model is
# called and nothing is committed anywhere.
SETUP = '''
import json as _json


class _ScriptedModel:
    """TEST DOUBLE for the model: canned answers in order; records every prompt it sees."""

    def __init__(self, answers):
        self.answers = list(answers)
        self.prompts = []
        self.overcalls = 0

    def __call__(self, prompt):
        self.prompts.append(prompt if isinstance(prompt, str) else repr(prompt))
        if len(self.prompts) > len(self.answers):
            self.overcalls += 1
            raise RuntimeError("the scripted model has no more answers: called too often")
        return self.answers[len(self.prompts) - 1]


class _FakeTests:
    """TEST DOUBLE for the test runner: green only for the canned answers listed as green."""

    def __init__(self, green):
        self.green = set(green)
        self.runs = []

    def __call__(self, code):
        passed = code in self.green
        number = len(self.runs) + 1
        output = (
            "1 passed in 0.01s"
            if passed
            else f"FAILED test_task.py::test_behaviour - AssertionError: run {number}: "
            f"{code!r} is not right yet\\n1 failed in 0.01s"
        )
        self.runs.append({"code": code, "passed": passed, "output": output})
        return passed, output


class _RecordingCommit:
    """TEST DOUBLE for git: records each commit instead of making it."""

    def __init__(self):
        self.commits = []

    def __call__(self, code, message):
        self.commits.append(
            {"code": code, "message": message if isinstance(message, str) else repr(message)}
        )


def _plain(value):
    try:
        return _json.loads(_json.dumps(value))
    except (TypeError, ValueError):
        return {"repr": repr(value)[:300]}


def _scenario(task, answers, green, max_iterations):
    """Run the learner's loop against the doubles; return what they recorded, as plain data."""
    model, tests = _ScriptedModel(answers), _FakeTests(green)
    commit = _RecordingCommit()
    try:
        result, error = edit_test_loop(model, tests, commit, task, max_iterations), None
    except NotImplementedError:
        raise
    except Exception as exc:
        result, error = None, f"{type(exc).__name__}: {exc}"[:300]
    return {
        "result": _plain(result),
        "error": error,
        "prompts": model.prompts,
        "overcalls": model.overcalls,
        "runs": tests.runs,
        "commits": commit.commits,
    }
'''

# (label, task, canned answers, green answers, max_iterations, hidden)
SCENARIOS: list[tuple[str, str, list[str], list[str], int, bool]] = [
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
    (
        "hidden script: green on second of four",
        "Make word_count(text) ignore punctuation (ticket #4411).",
        ["def word_count(t): return len(t.split())", "import re  # v2", "# v3", "# v4"],
        ["import re  # v2"],
        4,
        True,
    ),
    (
        "hidden script: gives up at 2 with a longer script",
        "Add retry with backoff to fetch_quota() (ticket #9027).",
        ["# try 1", "# try 2", "# try 3", "# try 4"],
        [],
        2,
        True,
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


def check(submission: Submission) -> list[Case]:
    calls = {
        f"s{i}": f"_scenario({task!r}, {answers!r}, {green!r}, {limit!r})"
        for i, (_, task, answers, green, limit, _) in enumerate(SCENARIOS)
    }
    probe = submission.probe(calls, setup=SETUP)
    cases: list[Case] = []
    red_commits: list[tuple[str, bool]] = []
    for i, scenario in enumerate(SCENARIOS):
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


STUB = '''def edit_test_loop(model, run_tests, commit, task: str, max_iterations: int) -> dict:
    """Ask the model for code, test it, feed failures back, commit once it is green.

    model(prompt) -> code; run_tests(code) -> (passed, output); commit(code, message) -> None.
    Return {"status": "green", "iterations": n} or {"status": "gave up", "iterations": max}.
    """
    raise NotImplementedError("your code here")
'''

EXERCISE = register(
    Exercise(
        slug="07-edit-test-loop",
        title="Edit, test, commit: the quick loop",
        chapter="book/07-quick-loops",
        instructions="""
Tools like aider made the loop tight: the model edits the code, the tool runs the tests, and
only a green run becomes a commit. A red run is not thrown away: its output goes straight back
to the model as the next prompt, so the second attempt knows what the first one got wrong.
The tests are the referee, and the commit history only ever holds code that passed them, so
you can always step back to the last good state.

Write the loop itself:

```python
def edit_test_loop(model, run_tests, commit, task: str, max_iterations: int) -> dict: ...
```

- `model(prompt: str) -> str` returns code; `run_tests(code: str) -> tuple[bool, str]` returns
  `(passed, output)`; `commit(code: str, message: str) -> None` records a commit.
- The first prompt contains the `task`. Every later prompt contains the test output of the
  previous (failing) attempt; repeating the task there too is a good idea.
- When the tests pass, commit that code exactly once, with a non-empty message, and stop:
  return `{"status": "green", "iterations": n}` where `n` is the attempt that passed.
- Never commit code whose tests failed.
- After `max_iterations` failing attempts stop without asking the model again and return
  `{"status": "gave up", "iterations": max_iterations}`.

The checker drives your loop with test doubles: a scripted model that returns canned answers
in order (and raises if called more often than scripted), a fake test runner that is green
only for certain answers, and a commit recorder. It checks the prompts, the commits and the
result when the first answer passes, when the third one does, when none does, and on scripts
you do not see.
""",
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
