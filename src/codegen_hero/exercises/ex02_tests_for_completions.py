"""Stage 2, autocomplete: write the tests that catch a plausible but wrong completion.

Autocomplete proposes code that looks right. The skill this stage builds is not typing less
but noticing when the suggestion is subtly wrong, and tests are how you notice at scale.
The learner writes tests; the checker runs them against one correct and many buggy
completions of the same docstring.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple

from codegen_hero.exercises.framework import Answer, Case, Exercise, register
from codegen_hero.exercises.submission import Submission, SubmissionError
from codegen_hero.sandbox import SandboxResult, run_code

SIGNATURE = '''def median(values: list[float]) -> float:
    """Return the median of values, as a float.

    The values may come in any order and may be negative. For an even number of values
    the median is the mean of the two middle values. The caller's list is not modified.
    Raises ValueError if values is empty.
    """'''

CORRECT = """def median(values):
    if not values:
        raise ValueError("median of an empty list")
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[middle])
    return (ordered[middle - 1] + ordered[middle]) / 2
"""
# Written another way, so tests that pin one implementation's details (not the behaviour) fail.
ANOTHER_CORRECT = """import statistics


def median(values):
    if len(values) == 0:
        raise ValueError("median of an empty list")
    return float(statistics.median(list(values)))
"""


class Completion(NamedTuple):
    """A buggy completion an autocomplete really produces, and whether the learner sees it."""

    name: str  # finishes "catches the completion that ..."
    code: str
    hidden: bool


BUGGY: tuple[Completion, ...] = (
    Completion(
        "forgets to sort",
        "def median(values):\n"
        "    if not values:\n"
        "        raise ValueError('median of an empty list')\n"
        "    middle = len(values) // 2\n"
        "    if len(values) % 2:\n"
        "        return float(values[middle])\n"
        "    return (values[middle - 1] + values[middle]) / 2\n",
        False,
    ),
    Completion(
        "uses integer division (//) for the even case",
        "def median(values):\n"
        "    if not values:\n"
        "        raise ValueError('median of an empty list')\n"
        "    ordered = sorted(values)\n"
        "    middle = len(ordered) // 2\n"
        "    if len(ordered) % 2:\n"
        "        return float(ordered[middle])\n"
        "    return (ordered[middle - 1] + ordered[middle]) // 2\n",
        False,
    ),
    Completion(
        "takes the wrong middle pair for even length (off by one)",
        "def median(values):\n"
        "    if not values:\n"
        "        raise ValueError('median of an empty list')\n"
        "    ordered = sorted(values)\n"
        "    middle = len(ordered) // 2\n"
        "    if len(ordered) % 2:\n"
        "        return float(ordered[middle])\n"
        "    return (ordered[middle] + ordered[middle + 1]) / 2\n",
        False,
    ),
    Completion(
        "returns None on empty input",
        "def median(values):\n"
        "    if not values:\n"
        "        return None\n"
        "    ordered = sorted(values)\n"
        "    middle = len(ordered) // 2\n"
        "    if len(ordered) % 2:\n"
        "        return float(ordered[middle])\n"
        "    return (ordered[middle - 1] + ordered[middle]) / 2\n",
        False,
    ),
    Completion(
        "returns the mean instead of the median",
        "def median(values):\n"
        "    if not values:\n"
        "        raise ValueError('median of an empty list')\n"
        "    return sum(values) / len(values)\n",
        True,
    ),
    Completion(
        "raises IndexError instead of ValueError on empty input",
        "def median(values):\n"
        "    ordered = sorted(values)\n"
        "    middle = len(ordered) // 2\n"
        "    if len(ordered) % 2:\n"
        "        return float(ordered[middle])\n"
        "    return (ordered[middle - 1] + ordered[middle]) / 2\n",
        True,
    ),
    Completion(
        "rejects a single value",
        "def median(values):\n"
        "    if len(values) < 2:\n"
        "        raise ValueError('median needs at least two values')\n"
        "    ordered = sorted(values)\n"
        "    middle = len(ordered) // 2\n"
        "    if len(ordered) % 2:\n"
        "        return float(ordered[middle])\n"
        "    return (ordered[middle - 1] + ordered[middle]) / 2\n",
        True,
    ),
    Completion(
        "sorts the caller's list in place",
        "def median(values):\n"
        "    if not values:\n"
        "        raise ValueError('median of an empty list')\n"
        "    values.sort()\n"
        "    middle = len(values) // 2\n"
        "    if len(values) % 2:\n"
        "        return float(values[middle])\n"
        "    return (values[middle - 1] + values[middle]) / 2\n",
        True,
    ),
    Completion(
        "ignores the even case (always the upper middle value)",
        "def median(values):\n"
        "    if not values:\n"
        "        raise ValueError('median of an empty list')\n"
        "    return float(sorted(values)[len(values) // 2])\n",
        True,
    ),
)
TIMEOUT_S = 10.0


def _count(result: SandboxResult) -> int:
    return len(result.tests_passed) + len(result.tests_failed)


def _failed_names(result: SandboxResult) -> str:
    shown = [f"{name}: {result.failures.get(name, '')}" for name in result.tests_failed[:2]]
    return "; ".join(shown)


def check(submission: Submission) -> list[Case]:
    tests = submission.values("TESTS")["TESTS"]
    if not isinstance(tests, str):
        return [Case("TESTS is text", False, "a str of test functions", type(tests).__name__)]
    codes = [CORRECT, ANOTHER_CORRECT, *(c.code for c in BUGGY)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda code: run_code(code, tests=tests, timeout=TIMEOUT_S), codes))
    correct, another, *buggy = results
    if _count(correct) == 0:
        reason = correct.reason or correct.status
        raise SubmissionError(f"your tests do not run against a correct median: {reason}")
    cases = [
        Case(
            "all your tests pass on a correct implementation",
            correct.status == "ok",
            "every test passes (a test that fails on correct code has a wrong expectation)",
            _failed_names(correct) or correct.reason,
        ),
        Case(
            "all your tests pass on another correct implementation",
            another.status == "ok",
            "every test passes: test what median returns, not how it is written",
            _failed_names(another) or another.reason,
            hidden=True,
        ),
    ]
    for completion, result in zip(BUGGY, buggy, strict=True):
        caught = bool(result.tests_failed)
        cases.append(
            Case(
                f"catches the completion that {completion.name}",
                caught,
                "at least one of your tests fails on it",
                "" if caught else _slipped(result),
                completion.hidden,
            )
        )
    return cases


def _slipped(result: SandboxResult) -> str:
    """Why a buggy completion was not rejected, in one line."""
    if result.status == "ok":
        return f"all {_count(result)} tests passed: this completion slipped through"
    return f"no test failed ({result.reason or result.status})"


STUB = '''# Your tests, as one string of Python. Each test is a function named test_...; it can call
# median directly (no import needed) and uses plain assert. For example:
#
# TESTS = """
# def test_single_value():
#     assert median([5.0]) == 5.0
# """
TESTS = None
'''

EXERCISE = register(
    Exercise(
        slug="02-tests-for-completions",
        title="Tests that catch a plausible completion",
        chapter="book/02-autocomplete",
        instructions=f"""
Autocomplete is where you learn how a model behaves: it proposes the *most plausible* next
lines, and plausible is not the same as correct. A suggested `median` looks right at a
glance, runs, and returns a number. Whether it returns the *right* number for an even-length
list, an unsorted list or an empty one is something you only learn by asking, and the
cheapest way to ask, every time and for every suggestion, is a test.

Here is the signature and docstring you typed; the autocomplete is about to fill in the
body:

```python
{SIGNATURE}
```

**Write `TESTS`**: a string holding Python test functions (`def test_...():` with plain
`assert`s). Your tests call `median` directly, without importing it. To test that an
exception is raised, use `try` / `except ValueError` (pytest may not be installed where the
tests run).

The checker runs your tests against correct implementations, written in different ways,
where every test must pass (a failing test there means the test's expectation is wrong: test
what `median` returns, not how it is written), and against plausible buggy completions,
where at least one test must fail. The visible ones are completions that:

- forget to sort the values;
- use integer division (`//`) when averaging the two middle values;
- take the wrong pair of middle values for an even length (off by one);
- return `None` for an empty list instead of raising `ValueError`.

More buggy completions are hidden: each breaks a different promise of the docstring, so test
every sentence of it. A case named "catches the completion that ..." tells you which bug
slipped through your tests.
""",
        answers=(Answer("TESTS", "text", STUB),),
        hints=(
            "Read the docstring sentence by sentence: each sentence is a promise, and each "
            "promise deserves at least one test. Happy-path inputs (odd length, already "
            "sorted, symmetric) pass on most wrong versions too.",
            "Use inputs where the bugs give different answers: unsorted values, an even length "
            "whose two middles average to a non-integer, negative numbers, a single value, a "
            "list you check is unchanged afterwards, and an empty list.",
            "For example `assert median([3.0, -1.0, 2.0]) == 2.0`, `assert median([4, 1, 3, 2]) "
            "== 2.5`, `assert median([7.5]) == 7.5`, and for the empty list `try: median([])` "
            "`except ValueError: pass` `else: assert False, 'no ValueError'`.",
        ),
        check=check,
        wrong={
            "wrong-happy-path": "catches the completion that forgets to sort",
            "wrong-expected-value": "all your tests pass on a correct implementation",
            "wrong-broad-except": "raises IndexError instead of ValueError",
        },
    )
)
