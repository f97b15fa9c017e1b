"""Stage 1, optimism: measure N attempts at your own task against your own test.

"It can't do anything" is a conclusion drawn from two memorable failures. The learner writes
a small task and a test that tells a right answer from a wrong one (proven here: it passes
their right implementation and fails their wrong one), files attempts into diary categories
(graded on recorded attempts) and then runs N attempts on the default local model, which is
not graded: a checker has to be deterministic, a model is not.
"""

from __future__ import annotations

import ast
import builtins
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from codegen_hero import pysyntax
from codegen_hero.exercises.answer_key import hidden_value, sandbox_hide
from codegen_hero.exercises.framework import Answer, Case, Exercise, beside, register
from codegen_hero.exercises.submission import Submission
from codegen_hero.sandbox import SandboxResult, run_code

SLUG = "01-failure-diary"
CATEGORIES = ("works", "wrong-logic", "does-not-run", "no-code", "cut-off")
MIN_ATTEMPTS = 5
MIN_TESTS = 2
TIMEOUT_S = 10.0
OWN = ("TASK", "TESTS", "RIGHT", "WRONG", "ATTEMPTS")

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


def _classified(submission: Submission) -> list[Case]:
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


def called_names(tests: str) -> set[str]:
    """The names the tests call that they neither define nor get from Python: the task's."""
    tree = pysyntax.parse(tests)
    defined = {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
    }
    defined |= {
        alias.asname or alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for alias in node.names
    }
    called = {
        node.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }
    return called - defined - set(dir(builtins))


def _own(values: dict[str, Any]) -> list[Case]:
    """The learner's own task, judged without a model: the test must tell right from wrong."""
    task, tests, right, wrong, attempts = (values[name] for name in OWN)
    cases = [
        Case(
            f"ATTEMPTS: at least {MIN_ATTEMPTS} attempts",
            isinstance(attempts, int) and attempts >= MIN_ATTEMPTS,
            f"an int, {MIN_ATTEMPTS} or more (two attempts are an anecdote)",
            repr(attempts),
        )
    ]
    texts = {"TASK": task, "TESTS": tests, "RIGHT": right, "WRONG": wrong}
    not_text = [name for name, value in texts.items() if not isinstance(value, str)]
    if not_text:
        return [
            *cases,
            *(Case(f"{n} is text", False, "a str", type(texts[n]).__name__) for n in not_text),
        ]
    try:
        names = called_names(tests)
        count = sum(
            1
            for node in ast.walk(pysyntax.parse(tests))
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test")
        )
    except SyntaxError as exc:
        return [*cases, Case("TESTS is valid Python", False, "test functions", str(exc))]
    named = sorted(name for name in names if name in task)
    cases += [
        Case(
            f"TESTS: at least {MIN_TESTS} test functions",
            count >= MIN_TESTS,
            f"{MIN_TESTS} or more functions named test_...",
            f"{count}",
        ),
        Case(
            "TASK names the function your TESTS call",
            bool(named),
            f"one of {sorted(names)} in the prompt" if names else "a test that calls a function",
            "none of them" if names else "the tests call no function of the task",
        ),
    ]
    hide = sandbox_hide()

    def run(code: str) -> SandboxResult:
        return run_code(code, tests=tests, timeout=TIMEOUT_S, hide=hide)

    with ThreadPoolExecutor(max_workers=2) as pool:
        on_right, on_wrong = pool.map(run, [right, wrong])
    return [
        *cases,
        Case(
            "your TESTS pass your RIGHT implementation",
            on_right.status == "ok",
            "status ok: every test passes",
            f"{on_right.status}: {on_right.reason}",
        ),
        Case(
            "your TESTS reject your WRONG implementation",
            on_wrong.status == "fail",
            "status fail: it runs, and a test catches the mistake",
            f"{on_wrong.status}: {on_wrong.reason or 'every test passed'}",
        ),
    ]


def check(submission: Submission) -> list[Case]:
    cases = _classified(submission)  # a stub here: not attempted
    probe = submission.probe({name: name for name in OWN})
    values = {name: probe.value(name) if probe.ok(name) else None for name in OWN}
    missing = [name for name, value in values.items() if value in (None, "")]
    if missing:
        return [
            *cases,
            *(Case(f"{name} is written", False, "your own", "still empty") for name in missing),
        ]
    return [*cases, *_own(values)]


STUB = beside(__file__, "stub.py")  # the answer cell a learner starts from

EXERCISE = register(
    Exercise(
        slug=SLUG,
        title="A failure diary: measure your own task before you conclude",
        chapter="book/01-optimism",
        instructions=beside(__file__, "instructions.md"),
        answers=(
            Answer("classify_attempt", "function", STUB),
            Answer("TASK", "text", beside(__file__, "stub_task.py")),
            Answer("TESTS", "text", beside(__file__, "stub_tests.py")),
            Answer("RIGHT", "text", beside(__file__, "stub_right.py")),
            Answer("WRONG", "text", beside(__file__, "stub_wrong.py")),
            Answer("ATTEMPTS", "data", beside(__file__, "stub_attempts.py")),
        ),
        hints=(
            "Pick a task you could solve in five minutes yourself, with one rule that is easy "
            "to get wrong (an edge case, a unit, a boundary). Name the function and its "
            "signature in TASK, so every attempt can be tested the same way.",
            "For WRONG, make the mistake a model would make: the boundary off by one, the unit "
            "forgotten, the empty input not handled. If TESTS still pass it, add the test that "
            "pins that rule. In classify_attempt, the order of the questions matters: can "
            "anything be run at all, was the answer complete, and only then what the sandbox "
            "said.",
            "The statuses map onto categories in groups: `ok` alone is works, `fail` alone is "
            "wrong-logic, and the other three all mean the code never really ran. A "
            "`finish_reason` of `length` outranks every status, and a missing result outranks "
            "everything.",
        ),
        check=check,
        wrong={
            "wrong-non-ok-is-wrong-logic": "a SyntaxError while importing -> does-not-run",
            "wrong-ignores-finish-reason": "cut off at max_tokens",
            "wrong-reads-none": "a refusal -> no-code",
            "wrong-weak-tests": "your TESTS reject your WRONG implementation",
            "wrong-two-attempts": "at least 5 attempts",
        },
    )
)
