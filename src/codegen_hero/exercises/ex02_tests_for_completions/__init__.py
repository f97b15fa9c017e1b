"""Stage 2, autocomplete: write the tests that catch a plausible but wrong completion.

Autocomplete proposes code that looks right. The skill this stage builds is not typing less
but noticing when the suggestion is subtly wrong, and tests are how you notice at scale.
The learner writes tests; the checker runs them against one correct and many buggy
completions of the same docstring.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple

from codegen_hero.exercises.answer_key import hidden, sandbox_hide
from codegen_hero.exercises.framework import (
    Answer,
    Case,
    Exercise,
    beside,
    instructions_beside,
    register,
)
from codegen_hero.exercises.submission import Submission, SubmissionError
from codegen_hero.sandbox import SandboxResult, run_code

SLUG = "02-tests-for-completions"
SIGNATURE = '''def median(values: list[float]) -> float:
    """Return the median of values, as a float.

    The values may come in any order and may be negative. For an even number of values
    the median is the mean of the two middle values. The caller's list is not modified.
    Raises ValueError if values is empty.
    """'''


class Completion(NamedTuple):
    """A buggy completion an autocomplete really produces, and whether the learner sees it."""

    name: str  # finishes "catches the completion that ..."
    code: str
    hidden: bool


# The plausible buggy completions the learner is told about; the hidden ones, and the correct
# implementations every test must pass on, are in the answer key.
VISIBLE: tuple[Completion, ...] = (
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
    key = hidden(SLUG)
    if key is None:
        raise SubmissionError(
            "this checker runs your tests on implementations only the grader holds; "
            "hand in your notebook, or run `hero check` where the answer key is"
        )
    completions = (*VISIBLE, *key.HIDDEN)
    codes = [key.CORRECT, key.ANOTHER_CORRECT, *(c.code for c in completions)]
    hide = sandbox_hide()

    def run(code: str) -> SandboxResult:  # one implementation per run: it sees no other
        return run_code(code, tests=tests, timeout=TIMEOUT_S, hide=hide)

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(run, codes))
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
    # A test that fails on correct code "catches" every bug: such catches do not count.
    green = correct.status == "ok" and another.status == "ok"
    for completion, result in zip(completions, buggy, strict=True):
        caught = green and bool(result.tests_failed)
        why = "not counted: your tests fail on a correct median" if not green else ""
        cases.append(
            Case(
                f"catches the completion that {completion.name}",
                caught,
                "at least one of your tests fails on it",
                "" if caught else why or _slipped(result),
                completion.hidden,
            )
        )
    return cases


def _slipped(result: SandboxResult) -> str:
    """Why a buggy completion was not rejected, in one line."""
    if result.status == "ok":
        return f"all {_count(result)} tests passed: this completion slipped through"
    return f"no test failed ({result.reason or result.status})"


STUB = beside(__file__, "stub.py")  # the answer cell a learner starts from

EXERCISE = register(
    Exercise(
        slug=SLUG,
        title="Tests that catch a plausible completion",
        chapter="book/02-autocomplete",
        instructions=instructions_beside(
            __file__,
            SIGNATURE=SIGNATURE,
        ),
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
