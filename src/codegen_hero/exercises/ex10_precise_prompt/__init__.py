"""Epilogue: writing is the core skill now, so turn a vague request into a precise prompt.

Graded by running it, as chapter 10's Try it does: the grader sends the learner's prompt to
the course's default model (through `codegen_hero.complete`, so the response cache records
and replays it), and runs the code that comes back only in the sandbox, against the
learner's own examples. The examples themselves are first proven to reject implementations
that are wrong whatever the spec says.
"""

from __future__ import annotations

import ast
import re
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from codegen_hero import pysyntax
from codegen_hero.exercises.answer_key import hidden_value, sandbox_hide
from codegen_hero.exercises.framework import Answer, Case, Exercise, beside, register
from codegen_hero.exercises.submission import Submission, SubmissionError
from codegen_hero.models.errors import HeroError
from codegen_hero.sandbox import SandboxResult, extract_code, run_code, strip_main_and_tests

SLUG = "10-precise-prompt"
MIN_WORDS, MAX_WORDS = 80, 600
MIN_TESTS = 3
FUNCTION = "parse_date"
REPLY = "Reply with one Python code block and nothing else."
ASK: dict[str, Any] = {"temperature": 0, "max_tokens": 800}  # one answer, recorded, replayed
TIMEOUT_S = 10.0
BAD_INPUT = (
    "invalid",
    "malformed",
    "empty",
    "unparseable",
    "unparsable",
    "impossible",
    "nonexistent",
    "not a date",
    "not a valid",
    "out of range",
)
OUTCOME = ("raise", "raises", "raised", "return", "returns", "returned")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
FENCE = re.compile(r"^\s*(```|~~~)")
BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(.*\S)\s*$")
CODE_SPAN = re.compile(r"`+([^`\n]+)`+")
SIGNATURE = re.compile(r"\b[A-Za-z_]\w*\s*\(\s*[A-Za-z_*]")


def _words(phrases: tuple[str, ...], text: str) -> list[str]:
    """Which of the phrases occur in the text as whole words, case-insensitively."""
    return [p for p in phrases if re.search(rf"(?<!\w){re.escape(p)}(?!\w)", text, re.I)]


def _code(text: str) -> list[str]:
    """Every code span and every line inside a fenced block."""
    spans, in_fence = [], False
    for line in text.splitlines():
        if FENCE.match(line):
            in_fence = not in_fence
        elif in_fence:
            spans.append(line)
        else:
            spans += CODE_SPAN.findall(line)
    return spans


def statements(text: str) -> list[str]:
    """Bullet items and paragraphs, each joined onto one line (markdown wraps them)."""
    items: list[list[str]] = []
    current: list[str] | None = None
    for line in text.splitlines():
        if not line.strip() or HEADING.match(line) or FENCE.match(line):
            current = None
            continue
        if BULLET.match(line) or current is None:
            current = []
            items.append(current)
        current.append(line.strip())
    return [" ".join(item) for item in items]


def structure(prompt: str) -> list[Case]:
    """A few cheap checks of the prompt's text; the grade rests on the run."""
    signatures = [span for span in _code(prompt) if SIGNATURE.search(span)]
    error_lines = [
        item for item in statements(prompt) if _words(BAD_INPUT, item) and _words(OUTCOME, item)
    ]
    words = len(prompt.split())
    return [
        Case(
            f"states the signature of `{FUNCTION}` in a code span",
            any(FUNCTION in span for span in signatures),
            f"e.g. `{FUNCTION}(text: str) -> datetime.date`",
            "no code span with its name and parameters",
        ),
        Case(
            "says what happens on invalid input (raise or return)",
            bool(error_lines),
            "a bullet or paragraph naming bad input and what the function raises or returns",
            "no such bullet or paragraph",
        ),
        Case(
            f"is between {MIN_WORDS} and {MAX_WORDS} words",
            MIN_WORDS <= words <= MAX_WORDS,
            f"{MIN_WORDS}-{MAX_WORDS} words",
            f"{words} words",
        ),
    ]


# Implementations that are wrong whatever formats the learner chose: examples must fail them.
ALWAYS_NONE = f"def {FUNCTION}(text):\n    return None\n"
ALWAYS_RAISES = f"def {FUNCTION}(text):\n    raise ValueError(text)\n"
VISIBLE_WRONG = (
    ("returns None for everything", ALWAYS_NONE),
    ("raises ValueError for everything", ALWAYS_RAISES),
)


def _count_tests(examples: str) -> int:
    try:
        tree = pysyntax.parse(examples)
    except SyntaxError as exc:
        raise SubmissionError(f"EXAMPLES is not valid Python: {exc}") from None
    tests = [node for node in tree.body if isinstance(node, ast.FunctionDef)]
    return sum(1 for node in tests if node.name.startswith("test"))


def _passed(result: SandboxResult) -> str:
    total = len(result.tests_passed) + len(result.tests_failed)
    return f"{len(result.tests_passed)} of {total} passed" if total else result.reason


def ask_model(prompt: str) -> tuple[str, str]:
    """The default model's answer to the prompt (recorded and replayed by the cache), and its
    name. A model that cannot run here is one line of error, not a traceback."""
    from codegen_hero import complete
    from codegen_hero.models.registry import load_registry

    model = load_registry().default
    try:
        answer = complete(model, f"{prompt.strip()}\n\n{REPLY}", **ASK)
    except HeroError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise SubmissionError(
            f"this check runs your PROMPT on the default model {model}, which could not answer "
            f"here: {first}"
        ) from None
    return answer.text, model


def check(submission: Submission) -> list[Case]:
    values = submission.values("PROMPT", "EXAMPLES")
    prompt, examples = values["PROMPT"], values["EXAMPLES"]
    wrong_type = [n for n, v in values.items() if not isinstance(v, str)]
    if wrong_type:
        return [Case(f"{n} is text", False, "a str", type(values[n]).__name__) for n in wrong_type]
    count = _count_tests(examples)
    hidden_wrong = tuple(hidden_value(SLUG, "WRONG", ()))
    wrongs = (*((n, c, False) for n, c in VISIBLE_WRONG), *((n, c, True) for n, c in hidden_wrong))
    hide = sandbox_hide()

    def run(code: str) -> SandboxResult:
        return run_code(code, tests=examples, timeout=TIMEOUT_S, hide=hide)

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(run, [code for _, code, _ in wrongs]))
    cases = [
        *structure(prompt),
        Case(
            f"EXAMPLES: at least {MIN_TESTS} test functions",
            count >= MIN_TESTS,
            f"{MIN_TESTS} or more functions named test_... calling {FUNCTION}",
            str(count),
        ),
        *(
            Case(
                f"your EXAMPLES reject a {FUNCTION} that {name}",
                result.status == "fail",
                "a test fails on it",
                f"{result.status}: {_passed(result)}",
                hidden,
            )
            for (name, _, hidden), result in zip(wrongs, results, strict=True)
        ),
    ]
    run_name = "the default model's code from your PROMPT passes your EXAMPLES"
    proven = [case for case in cases if case.name.startswith("your EXAMPLES")]
    if not all(case.passed for case in proven if not case.hidden) or count < MIN_TESTS:
        note = "not run: the checks above come first (each run of the model takes a while)"
        return [*cases, Case(run_name, False, "every test passes", note)]
    text, model = ask_model(prompt)
    code = extract_code(text)
    if not code.strip():
        return [*cases, Case(run_name, False, "a Python code block", f"{model} wrote no code")]
    result = run(strip_main_and_tests(code))
    return [
        *cases,
        Case(
            run_name,
            result.status == "ok",
            f"every test passes on {model}'s code",
            f"{result.status}: {_passed(result)}"
            + (f"; failed {', '.join(result.tests_failed)}" if result.tests_failed else ""),
        ),
    ]


STUB = beside(__file__, "stub.py")  # the answer cell a learner starts from

EXERCISE = register(
    Exercise(
        slug=SLUG,
        title="Writing is the skill: a prompt the model can implement",
        chapter="book/10-epilogue",
        instructions=beside(__file__, "instructions.md"),
        answers=(
            Answer("PROMPT", "text", STUB),
            Answer("EXAMPLES", "text", beside(__file__, "stub_examples.py")),
        ),
        hints=(
            "Decide before you write: which formats (two is plenty), what comes back (a "
            "`datetime.date`, not a `datetime`), what counts as invalid and what happens then. "
            "A small model follows a short, exact prompt better than a long one.",
            "Write EXAMPLES first, as tests, then make the prompt say everything they check: "
            "each format with one example, the return type, the exception. If the model's "
            "code fails a test, read which one and ask what your prompt left it to guess.",
            "Spell out the tricky parts in the prompt: 'return `datetime.date` (call `.date()` "
            "on a `datetime`)', 'strip surrounding whitespace', 'raise `ValueError` for any "
            "other text'; one test per sentence of the spec.",
        ),
        check=check,
        wrong={
            "wrong-vague-paragraph": "passes your EXAMPLES",
            "wrong-weak-examples": "raises ValueError for everything",
        },
    )
)
