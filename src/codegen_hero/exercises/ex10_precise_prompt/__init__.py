"""Epilogue: writing is the core skill now, so turn a vague request into a precise prompt."""

from __future__ import annotations

import re

from codegen_hero.exercises.answer_key import hidden_value
from codegen_hero.exercises.framework import Answer, Case, Exercise, beside, register
from codegen_hero.exercises.submission import Submission

MIN_WORDS, MAX_WORDS = 80, 600
MIN_EXAMPLES, MIN_CRITERIA = 2, 3

# Section -> the words a heading may start with (lower case) to count as that section.
SLUG = "10-precise-prompt"
SECTIONS: dict[str, tuple[str, ...]] = {
    "Inputs": ("input", "parameter", "argument"),
    "Outputs": ("output", "return", "result"),
    "Constraints": ("constraint", "requirement", "rule", "limit"),
    "Examples": ("example",),
    "Acceptance criteria": ("acceptance", "definition of done", "done when", "test"),
}
FILLER = ("etc", "and so on", "somehow", "nice", "stuff", "whatever", "various", "and more")
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
ERROR_WORDS = ("raise", "raises", "error", "exception", "none", "invalid")

HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
FENCE = re.compile(r"^\s*(```|~~~)")
BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(.*\S)\s*$")
CODE_SPAN = re.compile(r"`+([^`\n]+)`+")
QUOTED = re.compile(r'"[^"\n]+"|“[^”\n]+”|(?<!\w)\'[^\'\n]+\'(?!\w)')
SIGNATURE = re.compile(r"\b[A-Za-z_]\w*\s*\(\s*[A-Za-z_*]")
ARROW = re.compile(r"^(.*?\S)\s*(?:->|→|=>)\s*(\S.*)$")
INPUT_LINE = re.compile(r"^\**input\**\s*:\**\s*(.*)$", re.IGNORECASE)
OUTPUT_LINE = re.compile(r"^\**(?:output|expected|returns?)\**\s*:\**\s*(.*)$", re.IGNORECASE)
ONE_LINE_PAIR = re.compile(
    r"^\**input\**\s*:\**\s*(.+?)[\s,;]+\**(?:output|expected|returns?)\**\s*:\**\s*(.+)$",
    re.IGNORECASE,
)


def _words(phrases: tuple[str, ...], text: str) -> list[str]:
    """Which of the phrases occur in the text as whole words, case-insensitively."""
    return [p for p in phrases if re.search(rf"(?<!\w){re.escape(p)}(?!\w)", text, re.I)]


def sections(text: str) -> dict[str, list[str]]:
    """Each named section's body lines: from its heading to the next heading as high or higher.

    The first heading that matches a section wins; a subheading stays inside its parent.
    """
    lines = text.splitlines()
    headings: list[tuple[int, int, str]] = []  # (line index, level, title)
    in_fence = False
    for index, line in enumerate(lines):
        if FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence and (match := HEADING.match(line)):
            headings.append((index, len(match[1]), match[2]))
    found: dict[str, list[str]] = {}
    for position, (index, level, title) in enumerate(headings):
        key = re.sub(r"^[^a-z]+", "", title.lower())
        for section, starts in SECTIONS.items():
            if section not in found and key.startswith(starts):
                end = next(
                    (i for i, lvl, _ in headings[position + 1 :] if lvl <= level), len(lines)
                )
                found[section] = lines[index + 1 : end]
                break
    return found


def _clean(side: str) -> str:
    """An example's input or output without markup, for comparing two of them."""
    side = re.sub(r"^\s*(?:[-*+]|\d+[.)]|>>>)\s*", "", side)
    return " ".join(side.strip().strip("`*").strip().split())


def examples(body: list[str]) -> list[tuple[str, str]]:
    """(input, expected output) pairs: `a -> b` lines, Input:/Output: lines, or doctests."""
    pairs: list[tuple[str, str]] = []
    pending: str | None = None
    lines = [_clean(line) if not line.strip().startswith(">>>") else line for line in body]
    for number, line in enumerate(lines):
        if line.strip().startswith(">>>"):
            following = lines[number + 1].strip() if number + 1 < len(lines) else ""
            if following and not following.startswith(("```", "~~~", ">>>")):
                pairs.append((_clean(line), _clean(following)))
        elif match := ONE_LINE_PAIR.match(line):
            pairs.append((_clean(match[1]), _clean(match[2])))
        elif match := INPUT_LINE.match(line):
            pending = _clean(match[1])
        elif (match := OUTPUT_LINE.match(line)) and pending:
            pairs.append((pending, _clean(match[1])))
            pending = None
        elif match := ARROW.match(line):
            pairs.append((_clean(match[1]), _clean(match[2])))
    return [(given, want) for given, want in pairs if given and want]


def criteria(body: list[str]) -> list[str]:
    return [match[1] for line in body if (match := BULLET.match(line))]


def is_testable(criterion: str) -> bool:
    """Checkable by someone else: it names a code span, a quoted string or a number."""
    return bool(CODE_SPAN.search(criterion) or QUOTED.search(criterion)) or any(
        ch.isdigit() for ch in criterion
    )


def _prose(text: str) -> str:
    """The text without fenced blocks and code spans: filler words only count in prose."""
    kept, in_fence = [], False
    for line in text.splitlines():
        if FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence:
            kept.append(CODE_SPAN.sub(" ", line))
    return "\n".join(kept)


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


def _short(items: list[str], limit: int = 3) -> str:
    return "; ".join(repr(i[:60]) for i in items[:limit]) + (" …" if len(items) > limit else "")


def grade(prompt: str) -> list[Case]:
    """The properties of a prompt precise enough to implement without asking back."""
    found = sections(prompt)
    missing = [name for name in SECTIONS if name not in found]
    pairs = examples(found.get("Examples", []))
    bullets = criteria(found.get("Acceptance criteria", []))
    vague = [b for b in bullets if not is_testable(b)]
    signatures = [span for span in _code(prompt) if SIGNATURE.search(span)]
    error_lines = [
        item for item in statements(prompt) if _words(BAD_INPUT, item) and _words(OUTCOME, item)
    ]
    filler = _words(FILLER, _prose(prompt))
    words = len(prompt.split())
    hidden_cases = hidden_value(SLUG, "cases", lambda *_: [])(pairs, bullets)
    return [
        Case(
            "has sections for Inputs, Outputs, Constraints, Examples, Acceptance criteria",
            not missing,
            "a markdown heading for each of the five",
            f"no heading for {', '.join(missing)}",
        ),
        Case(
            f"has at least {MIN_EXAMPLES} examples with an input and its expected output",
            len(pairs) >= MIN_EXAMPLES,
            f"{MIN_EXAMPLES}+ examples under the Examples heading",
            f"{len(pairs)} found",
        ),
        Case(
            f"has at least {MIN_CRITERIA} acceptance criteria as bullet items",
            len(bullets) >= MIN_CRITERIA,
            f"{MIN_CRITERIA}+ bullets under the Acceptance criteria heading",
            f"{len(bullets)} found",
        ),
        Case(
            "every acceptance criterion is testable (a code span, a quoted string or a number)",
            bool(bullets) and not vague,
            "each bullet names something concrete to check",
            f"not testable: {_short(vague)}" if vague else "no criteria",
        ),
        Case(
            "states the function's name and signature in a code span",
            bool(signatures),
            "e.g. `name(param: type) -> type`",
            "no code span with a name and parameters",
        ),
        Case(
            "says what happens on invalid input (raise or return)",
            bool(error_lines),
            "a bullet or paragraph naming bad input and what the function raises or returns",
            "no such bullet or paragraph",
        ),
        Case(
            "uses no vague filler words",
            not filler,
            f"none of {', '.join(FILLER)}",
            f"found {', '.join(filler)}",
        ),
        Case(
            f"is between {MIN_WORDS} and {MAX_WORDS} words",
            MIN_WORDS <= words <= MAX_WORDS,
            f"{MIN_WORDS}-{MAX_WORDS} words",
            f"{words} words",
        ),
        *hidden_cases,
    ]


def check(submission: Submission) -> list[Case]:
    prompt = submission.values("PROMPT")["PROMPT"]
    if not isinstance(prompt, str):
        return [Case("PROMPT is text", False, "a str", type(prompt).__name__)]
    return grade(prompt)


STUB = beside(__file__, "stub.py")  # the answer cell a learner starts from

EXERCISE = register(
    Exercise(
        slug=SLUG,
        title="Writing is the skill: a prompt nobody has to ask about",
        chapter="book/10-epilogue",
        instructions=f"""
At the end of the journey the code is cheap and the instructions are not. An agent does
exactly what it was told, fills every gap with a guess, and does not stop to ask which
date formats you meant. So the skill that decides the result is writing: clear, precise
instructions, the kind a colleague could implement without coming back with a question.

Take the request **"make a function to parse dates"** and turn it into `PROMPT`, a
markdown string that a model (or a colleague) could implement without asking anything
back. You decide the details (which formats, what it returns, what counts as invalid);
the checker grades the *shape* of precision, not your choices:

- **Sections**: a markdown heading (`#` … `######`) for each of Inputs, Outputs,
  Constraints, Examples and Acceptance criteria. A heading counts when its text starts
  with one of: Inputs: *input, parameter, argument*; Outputs: *output, return, result*;
  Constraints: *constraint, requirement, rule, limit*; Examples: *example*; Acceptance
  criteria: *acceptance, definition of done, done when, test* (any case, plural or not).
  A section runs to the next heading of the same or a higher level.
- **Examples**: at least {MIN_EXAMPLES} under the Examples heading, each an input with its
  expected output, written as `input -> output` on one line (`→` and `=>` work too), as an
  `Input:` line followed by an `Output:` (or `Expected:`) line, or as a doctest
  (`>>> call` and the result on the next line).
- **Acceptance criteria**: at least {MIN_CRITERIA} bullet items (`-`, `*`, `+` or `1.`)
  under that heading, each *testable*: it contains a code span in backticks, a quoted
  string (`"..."` or `'...'`), or a digit.
- **Signature**: the function's name and parameters in a code span or code block, such as
  `` `name(param: type) -> type` ``.
- **Error case**: one bullet item or paragraph that names bad input (*invalid,
  malformed, empty, unparseable, impossible, nonexistent, not a date, not a valid, out of
  range*) and says what happens: the function *raises* or *returns* something.
- **No filler**: none of these words in the prose (code spans and code blocks are not
  searched), since each leaves a decision to the reader: *{", ".join(FILLER)}*.
- **Length**: {MIN_WORDS} to {MAX_WORDS} words (`len(PROMPT.split())`): long enough to be
  precise, short enough to be read.

A few hidden checks also read the prompt the way a careful colleague would: do your
examples agree with one another, and do your acceptance criteria cover what the prompt
promises?
""",
        answers=(Answer("PROMPT", "text", STUB),),
        hints=(
            "Write the headings first (## Inputs, ## Outputs, ## Constraints, ## Examples, "
            "## Acceptance criteria), then ask yourself the questions a colleague would ask "
            "before starting: which formats? what type comes back? what about '2024-02-30'?",
            "Make every decision concrete: the signature in backticks, the accepted formats "
            "spelled out, one example per format (each with a different input), and one "
            "line saying what invalid input does, e.g. raises ValueError.",
            "Acceptance criteria that pass the checker look like tests: "
            '- `parse_date("2024-03-01")` returns `date(2024, 3, 1)` / '
            '- `parse_date("2024-02-30")` raises `ValueError` / '
            "- accepts no more than 3 formats. Avoid words like etc or nice.",
        ),
        check=check,
        wrong={
            "wrong-vague-paragraph": "has sections for Inputs",
            "wrong-no-examples": "examples with an input and its expected output",
        },
    )
)
