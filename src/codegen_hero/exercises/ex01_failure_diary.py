"""Stage 1, optimism: file every model attempt into a diary category, then count.

"It can't do anything" is a conclusion drawn from two memorable failures. A diary that files
each attempt by what actually happened turns the feeling into numbers, and each category
points at a different fix.
"""

from __future__ import annotations

from typing import Any

from codegen_hero.exercises.framework import Answer, Case, Exercise, register
from codegen_hero.exercises.submission import Submission

CATEGORIES = ("works", "wrong-logic", "does-not-run", "no-code", "cut-off")

CODE_ANSWER = "Here you go:\n\n```python\ndef slugify(title):\n    return title.lower()\n```\n"
PARTIAL_ANSWER = (
    "Sure! Here is a complete parser with error handling:\n\n```python\n"
    "def parse(line):\n    key, _, value = line.partition('=')\n    return (key.strip(),"
)


def _result(
    status: str,
    passed: tuple[str, ...] = (),
    failed: tuple[str, ...] = (),
    reason: str = "",
    finish: str = "stop",
) -> dict[str, Any]:
    """A diary entry's result: the sandbox's verdict plus the model's finish reason."""
    return {
        "status": status,
        "tests_passed": list(passed),
        "tests_failed": list(failed),
        "reason": reason,
        "finish_reason": finish,
    }


# (case name, answer text, result, expected category, hidden)
Entry = tuple[str, str, dict[str, Any] | None, str, bool]

VISIBLE: list[Entry] = [
    (
        "three tests ran and passed -> works",
        CODE_ANSWER,
        _result("ok", ("test_lower", "test_spaces", "test_empty")),
        "works",
        False,
    ),
    (
        "one test ran and passed -> works",
        "```python\ndef add(a, b):\n    return a + b\n```",
        _result("ok", ("test_add",)),
        "works",
        False,
    ),
    (
        "passing code wrapped in a long explanation -> works",
        "Great question! Let me explain first.\n\n" * 5 + CODE_ANSWER + "\nHope this helps!",
        _result("ok", ("test_one", "test_two")),
        "works",
        False,
    ),
    (
        "one test of three failed -> wrong-logic",
        CODE_ANSWER,
        _result(
            "fail",
            ("test_lower", "test_empty"),
            ("test_spaces",),
            "1 of 3 tests failed: test_spaces",
        ),
        "wrong-logic",
        False,
    ),
    (
        "every test failed -> wrong-logic",
        CODE_ANSWER,
        _result("fail", (), ("test_lower", "test_spaces"), "2 of 2 tests failed"),
        "wrong-logic",
        False,
    ),
    (
        "a TypeError raised inside a test -> wrong-logic",
        CODE_ANSWER,
        _result(
            "fail",
            ("test_lower",),
            ("test_none",),
            "1 of 2 tests failed: test_none (TypeError: 'NoneType' object is not callable)",
        ),
        "wrong-logic",
        False,
    ),
    (
        "a SyntaxError while importing -> does-not-run",
        "```python\ndef slugify(title)\n    return title.lower()\n```",
        _result(
            "error",
            reason="the solution failed while being imported: SyntaxError: expected ':'",
        ),
        "does-not-run",
        False,
    ),
    (
        "an ImportError for a missing library -> does-not-run",
        "```python\nimport numpy as np\n\ndef mean(xs):\n    return np.mean(xs)\n```",
        _result(
            "error",
            reason="the solution failed while being imported: "
            "ModuleNotFoundError: No module named 'numpy'",
        ),
        "does-not-run",
        False,
    ),
    (
        "an endless loop stopped by the timeout -> does-not-run",
        "```python\ndef wait():\n    while True:\n        pass\n```",
        _result("timeout", reason="wall-clock timeout after 10 s"),
        "does-not-run",
        False,
    ),
    (
        "a refusal -> no-code",
        "I'm sorry, but I can't help with that request.",
        None,
        "no-code",
        False,
    ),
    (
        "an explanation in prose only -> no-code",
        "To slugify a title, lower-case it, replace spaces with hyphens and drop anything "
        "that is not a letter, digit or hyphen. A regular expression does the last step.",
        None,
        "no-code",
        False,
    ),
    (
        "a clarifying question -> no-code",
        "Which language would you like this in, and should it handle Unicode titles?",
        None,
        "no-code",
        False,
    ),
    (
        "cut off at max_tokens, partial code raised SyntaxError -> cut-off",
        PARTIAL_ANSWER,
        _result(
            "error",
            reason="the solution failed while being imported: SyntaxError: '(' was never closed",
            finish="length",
        ),
        "cut-off",
        False,
    ),
    (
        "cut off at max_tokens, yet the tests it reached passed -> cut-off",
        CODE_ANSWER + "\nNow let me walk you through every line of this in deta",
        _result("ok", ("test_lower",), finish="length"),
        "cut-off",
        False,
    ),
    (
        "cut off at max_tokens, a test failed -> cut-off",
        PARTIAL_ANSWER,
        _result("fail", (), ("test_parse",), "1 of 1 tests failed", finish="length"),
        "cut-off",
        False,
    ),
]

# Entries the learner never sees: other texts, other test names, the statuses not shown above.
HIDDEN: list[Entry] = [
    (
        "seven tests passed on a different task -> works",
        "```python\nclass Stack:\n    def __init__(self):\n        self.items = []\n```",
        _result("ok", tuple(f"test_stack_{i}" for i in range(7))),
        "works",
        True,
    ),
    (
        "one of seven tests failed -> wrong-logic",
        "```python\ndef is_leap(year):\n    return year % 4 == 0\n```",
        _result(
            "fail",
            tuple(f"test_year_{i}" for i in range(6)),
            ("test_year_1900",),
            "1 of 7 tests failed: test_year_1900 (AssertionError: assert True is False)",
        ),
        "wrong-logic",
        True,
    ),
    (
        "killed at the memory limit -> does-not-run",
        "```python\ndef grow():\n    return [0] * 10**12\n```",
        _result("killed", reason="memory limit (512 MB) exceeded"),
        "does-not-run",
        True,
    ),
    (
        "a NameError at import -> does-not-run",
        "```python\nresult = helper(3)\n```",
        _result(
            "error",
            reason="the solution failed while being imported: NameError: "
            "name 'helper' is not defined",
        ),
        "does-not-run",
        True,
    ),
    (
        "pseudo-code in prose that mentions functions -> no-code",
        "First define a function that takes the list; then loop over it, keeping a running "
        "maximum, and finally return that maximum to the caller.",
        None,
        "no-code",
        True,
    ),
    (
        "cut off at max_tokens inside an endless loop -> cut-off",
        "```python\ndef serve():\n    while True:\n        handle(",
        _result("timeout", reason="wall-clock timeout after 10 s", finish="length"),
        "cut-off",
        True,
    ),
    (
        "cut off at max_tokens, killed -> cut-off",
        "```python\ndata = [0] * 10**12\nfor item in da",
        _result("killed", reason="memory limit (512 MB) exceeded", finish="length"),
        "cut-off",
        True,
    ),
]


def check(submission: Submission) -> list[Case]:
    entries = VISIBLE + HIDDEN
    calls = {
        f"entry_{number}": f"classify_attempt({answer!r}, {result!r})"
        for number, (_, answer, result, _, _) in enumerate(entries)
    }
    probe = submission.probe(calls)
    cases: list[Case] = []
    for number, (name, _, _, expected, hidden) in enumerate(entries):
        key = f"entry_{number}"
        if not probe.ok(key):
            cases.append(Case(name, False, repr(expected), probe.error(key), hidden))
            continue
        got = probe.value(key)
        cases.append(Case(name, got == expected, repr(expected), repr(got), hidden))
    return cases


STUB = '''def classify_attempt(answer_text: str, result: dict | None) -> str:
    """File one model attempt into the diary: one of the five categories.

    answer_text: what the model answered, word for word.
    result: None when the answer held no code to run; otherwise a dict with
        status ("ok" | "fail" | "error" | "timeout" | "killed"), tests_passed (list),
        tests_failed (list), reason (str) and finish_reason ("stop" | "length").
    Returns "works", "wrong-logic", "does-not-run", "no-code" or "cut-off".
    """
    raise NotImplementedError("your code here")
'''

EXERCISE = register(
    Exercise(
        slug="01-failure-diary",
        title="A failure diary: measure before you conclude",
        chapter="book/01-optimism",
        instructions="""
The first step of the journey is an attitude: assume this way of working *can* work. That is
not the same as believing every answer. Blind optimism ignores failures; cynicism remembers
only them ("I tried it twice, LLMs can't do anything"). The grown-up form of optimism is an
experiment: give the model real tasks, run what it writes, and write down what happened,
every time. After twenty attempts you know something; after two you only have a mood.

A diary is useful because each kind of failure has a different fix:

| category | what happened | what you try next |
|---|---|---|
| `works` | ran, every test passed | keep the prompt; raise the difficulty |
| `wrong-logic` | ran, a test failed | a sharper spec, an example, the failing test |
| `does-not-run` | syntax error, import error, timeout | tell it your versions and libraries |
| `no-code` | refusal, question back, prose only | ask explicitly for code; answer it |
| `cut-off` | stopped at `max_tokens` | raise `max_tokens` or ask for less at once |

Counting the categories tells you which fix pays most. Ten attempts that are "6 works,
3 cut-off, 1 no-code" do not say "the model is bad"; they say "raise `max_tokens`".

**Write `classify_attempt(answer_text, result)`** returning one of the five category
strings, exactly as spelled above. `result` is `None` when the answer held no code to run.
Otherwise it is the sandbox's verdict plus the model's finish reason:

```python
{
    "status": "fail",              # "ok" | "fail" | "error" | "timeout" | "killed"
    "tests_passed": ["test_lower"],
    "tests_failed": ["test_spaces"],
    "reason": "1 of 2 tests failed: test_spaces",
    "finish_reason": "stop",       # "stop" | "length" (stopped at max_tokens)
}
```

The sandbox's statuses mean: `ok` every test ran and passed; `fail` the code ran but a test
failed (an exception raised *inside* a test counts as a failed test); `error` the code
could not even be imported (syntax error, missing module, exception at import); `timeout` and
`killed` it was stopped (endless loop, memory limit).

A cut-off answer is filed as `cut-off` whatever its status: the code is incomplete, so
whether the fragment happened to pass or crash says nothing about the model's logic.

The checker feeds your function several diary entries per category (answers and results
like the one above) and more entries you do not see: other tasks, other test names and
statuses that are not among the visible examples.
""",
        answers=(Answer("classify_attempt", "function", STUB),),
        hints=(
            "The answer text is for the human reading the diary; the `result` dict (or its "
            "absence) carries everything you need to decide. Decide in order of precedence.",
            "Check `result is None` first (before you read any key of it), then the finish "
            "reason, then the status. Only one status means `works` and only one means "
            "`wrong-logic`; every other status means the code never really ran.",
            "`if result is None: return 'no-code'`, then `if result.get('finish_reason') == "
            "'length': return 'cut-off'`, then map `ok` to works, `fail` to wrong-logic and "
            "anything else to does-not-run.",
        ),
        check=check,
        wrong={
            "wrong-non-ok-is-wrong-logic": "a SyntaxError while importing -> does-not-run",
            "wrong-ignores-finish-reason": "cut off at max_tokens",
            "wrong-reads-none": "a refusal -> no-code",
        },
    )
)
