"""Stage 4, copy-paste debugging: a traceback becomes a prompt that fits a budget."""

from __future__ import annotations

import re

from codegen_hero.exercises.answer_key import hidden
from codegen_hero.exercises.framework import (
    Answer,
    Case,
    Exercise,
    beside,
    instructions_beside,
    register,
)
from codegen_hero.exercises.submission import Submission
from codegen_hero.exercises.tokens import approx_tokens

SLUG = "04-debug-prompt"
FRAME = re.compile(r'File "(?P<file>[^"]+)", line (?P<line>\d+), in (?P<func>\S+)')

STATS = """import math


def mean(values):
    total = sum(values)
    return total / len(values)


def spread(values):
    centre = mean(values)
    return math.sqrt(sum((v - centre) ** 2 for v in values) / len(values))
"""
REPORT = """from stats import spread


def summarise(groups):
    lines = []
    for name, values in groups.items():
        lines.append(f"{name}: {spread(values):.2f}")
    return "\\n".join(lines)


if __name__ == "__main__":
    print(summarise({"a": [1, 2, 3], "b": []}))
"""
TRACEBACK = """Traceback (most recent call last):
  File "report.py", line 12, in <module>
    print(summarise({"a": [1, 2, 3], "b": []}))
  File "report.py", line 7, in summarise
    lines.append(f"{name}: {spread(values):.2f}")
  File "stats.py", line 10, in spread
    centre = mean(values)
  File "stats.py", line 6, in mean
    return total / len(values)
ZeroDivisionError: division by zero
"""
ROOMY, TIGHT = 600, 120


def frames(traceback_text: str, sources: dict[str, str]) -> list[tuple[str, str]]:
    """(file, source line) of each frame whose file we have, outermost first."""
    found = []
    for match in FRAME.finditer(traceback_text):
        lines = sources.get(match["file"], "").splitlines()
        number = int(match["line"])
        if 1 <= number <= len(lines):
            found.append((match["file"], lines[number - 1].strip()))
    return found


def _cases(
    prompt: object,
    traceback_text: str,
    sources: dict[str, str],
    budget: int,
    label: str,
    hidden: bool,
) -> list[Case]:
    if not isinstance(prompt, str):
        return [Case(f"{label}: returns a string", False, "a str", type(prompt).__name__, hidden)]
    error_line = traceback_text.strip().splitlines()[-1]
    stack = frames(traceback_text, sources)
    innermost_file, innermost_line = stack[-1]
    missing = [line for _, line in stack if line not in prompt]
    used = approx_tokens(prompt)
    return [
        Case(
            f"{label}: fits the budget of {budget} tokens",
            used <= budget,
            f"at most {budget} tokens",
            f"{used} tokens",
            hidden,
        ),
        Case(
            f"{label}: carries the error line", error_line in prompt, error_line, "missing", hidden
        ),
        Case(
            f"{label}: carries the innermost frame's source ({innermost_file})",
            innermost_line in prompt,
            innermost_line,
            "missing",
            hidden,
        ),
        Case(
            f"{label}: asks a question",
            "?" in prompt,
            "a question for the model",
            "no '?' anywhere",
            hidden,
        ),
        *(
            [
                Case(
                    f"{label}: carries every failing frame's source line",
                    not missing,
                    "all frame lines",
                    f"missing {missing[:2]}",
                    hidden,
                )
            ]
            if budget >= ROOMY
            else []
        ),
    ]


def check(submission: Submission) -> list[Case]:
    sources = {"stats.py": STATS, "report.py": REPORT}
    runs = [
        ("roomy budget", TRACEBACK, sources, ROOMY, False),
        ("tight budget", TRACEBACK, sources, TIGHT, False),
    ]
    key = hidden(SLUG)
    if key is not None:
        runs.append(("another program", key.TRACEBACK, key.SOURCES, ROOMY, True))
    calls = {
        f"run_{number}": f"build_debug_prompt({tb!r}, {srcs!r}, {budget})"
        for number, (_, tb, srcs, budget, _) in enumerate(runs)
    }
    probe = submission.probe(calls)
    cases: list[Case] = []
    for number, (label, tb, srcs, budget, is_hidden) in enumerate(runs):
        name = f"run_{number}"
        if not probe.ok(name):
            cases.append(Case(f"{label}: runs", False, "a prompt", probe.error(name), is_hidden))
        else:
            cases += _cases(probe.value(name), tb, srcs, budget, label, is_hidden)
    return cases


STUB = beside(__file__, "stub.py")  # the answer cell a learner starts from

EXERCISE = register(
    Exercise(
        slug=SLUG,
        title="Why did the code break? A debugging prompt that fits",
        chapter="book/04-copy-paste",
        instructions=instructions_beside(
            __file__,
            TRACEBACK=TRACEBACK,
        ),
        answers=(Answer("build_debug_prompt", "function", STUB),),
        hints=(
            "Parse the frames with a regular expression such as "
            '`File "(?P<file>[^"]+)", line (?P<line>\\d+)` and look each line up in '
            "`sources[file].splitlines()[line - 1]`.",
            "Build the prompt from pieces in order of importance (error line, innermost frame, "
            "outer frames, question) and add a piece only if `approx_tokens` of the whole "
            "stays within the budget.",
            "Put the question in the first piece you always keep, e.g. 'Why does this code "
            "raise the error below, and how do I fix it?' so even the tightest prompt asks.",
        ),
        check=check,
        wrong={
            "wrong-whole-files": "fits the budget",
            "wrong-no-source": "innermost frame's source",
        },
    )
)
