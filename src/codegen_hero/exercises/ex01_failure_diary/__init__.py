"""Stage 1, optimism: file every model attempt into a diary category, then count.

"It can't do anything" is a conclusion drawn from two memorable failures. A diary that files
each attempt by what actually happened turns the feeling into numbers, and each category
points at a different fix.
"""

from __future__ import annotations

from typing import Any

from codegen_hero.exercises.answer_key import hidden_value
from codegen_hero.exercises.framework import Answer, Case, Exercise, beside, register
from codegen_hero.exercises.submission import Submission

SLUG = "01-failure-diary"
CATEGORIES = ("works", "wrong-logic", "does-not-run", "no-code", "cut-off")

CODE_ANSWER = "Here you go:\n\n```python\ndef slugify(title):\n    return title.lower()\n```\n"
PARTIAL_ANSWER = (
    "Sure! Here is a complete parser with error handling:\n\n```python\n"
    "def parse(line):\n    key, _, value = line.partition('=')\n    return (key.strip(),"
)


def diary_result(
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
        diary_result("ok", ("test_lower", "test_spaces", "test_empty")),
        "works",
        False,
    ),
    (
        "one test ran and passed -> works",
        "```python\ndef add(a, b):\n    return a + b\n```",
        diary_result("ok", ("test_add",)),
        "works",
        False,
    ),
    (
        "passing code wrapped in a long explanation -> works",
        "Great question! Let me explain first.\n\n" * 5 + CODE_ANSWER + "\nHope this helps!",
        diary_result("ok", ("test_one", "test_two")),
        "works",
        False,
    ),
    (
        "one test of three failed -> wrong-logic",
        CODE_ANSWER,
        diary_result(
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
        diary_result("fail", (), ("test_lower", "test_spaces"), "2 of 2 tests failed"),
        "wrong-logic",
        False,
    ),
    (
        "a TypeError raised inside a test -> wrong-logic",
        CODE_ANSWER,
        diary_result(
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
        diary_result(
            "error",
            reason="the solution failed while being imported: SyntaxError: expected ':'",
        ),
        "does-not-run",
        False,
    ),
    (
        "an ImportError for a missing library -> does-not-run",
        "```python\nimport numpy as np\n\ndef mean(xs):\n    return np.mean(xs)\n```",
        diary_result(
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
        diary_result("timeout", reason="wall-clock timeout after 10 s"),
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
        diary_result(
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
        diary_result("ok", ("test_lower",), finish="length"),
        "cut-off",
        False,
    ),
    (
        "cut off at max_tokens, a test failed -> cut-off",
        PARTIAL_ANSWER,
        diary_result("fail", (), ("test_parse",), "1 of 1 tests failed", finish="length"),
        "cut-off",
        False,
    ),
]

def check(submission: Submission) -> list[Case]:
    entries = VISIBLE + hidden_value(SLUG, "ENTRIES", [])
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


STUB = beside(__file__, "stub.py")  # the answer cell a learner starts from

EXERCISE = register(
    Exercise(
        slug=SLUG,
        title="A failure diary: measure before you conclude",
        chapter="book/01-optimism",
        instructions=beside(__file__, "instructions.md"),
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
