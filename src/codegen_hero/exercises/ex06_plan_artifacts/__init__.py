"""Stage 6, planning before coding: a spec, a prompt plan and a todo list that agree."""

from __future__ import annotations

import re
from dataclasses import dataclass

from codegen_hero.exercises.answer_key import hidden_value
from codegen_hero.exercises.framework import Answer, Case, Exercise, beside, register
from codegen_hero.exercises.submission import Submission

SLUG = "06-plan-artifacts"
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
FENCE = re.compile(r"^\s*(```|~~~)")
STEP = re.compile(r"^step\s+(\d+)\b\s*[:.\-\u2013\u2014)]?\s*(.*)$", re.IGNORECASE)
CHECKBOX = re.compile(r"^\s*[-*+]\s+\[( |x|X)\]\s+(.*\S)\s*$")
WORD = re.compile(r"[a-z][a-z0-9']*")
TESTS = re.compile(r"\btest", re.IGNORECASE)
WIRING = re.compile(r"\b(wir(e|es|ed|ing)|integrat\w*|connect\w*|hook\w*\s+up)\b", re.IGNORECASE)
MIN_WORDS, MAX_STEP_WORDS, MIN_STEPS, MAX_STEPS = 15, 250, 4, 15
COPY_LIMIT = 0.8  # word-set overlap above which two steps count as copies
_STOP = "the and for with step into from that this then all its are use using our out new add "
STOPWORDS = frozenset((_STOP + "make makes will can each one two should must when what").split())

# The spec's sections and the heading words that count for each (a heading "contains" a word
# when one of its words starts with it, so "requirement" also matches "Requirements").
TOPICS = {
    "requirements": ("requirement", "feature", "functional", "scope", "goal", "user stor"),
    "architecture": ("architecture", "design", "component", "structure", "module"),
    "data handling": ("data", "input", "output", "storage", "persistence", "format"),
    "error handling": ("error", "failure", "exception", "edge case"),
    "testing plan": ("test", "verification", "quality"),
}

IDEA = """\
**wordtally**: a command-line tool that tallies words. `wordtally FILE... [--top N] [--json]`
reads one or more UTF-8 text files, counts how often each word occurs across all of them
(lower-cased; punctuation is not part of a word, an apostrophe inside a word is), and prints
the N most common words with their counts (default 10), most common first, ties in
alphabetical order; `--json` prints a JSON object instead. A file that cannot be read is
reported on stderr and the others are still counted; the exit code is 1 if no file could
be read, 2 for bad arguments."""


@dataclass(frozen=True)
class Section:
    level: int
    title: str
    body: str


def sections(markdown: str) -> list[Section]:
    """Every heading with the text under it, down to the next heading of its level or above.

    Lines inside fenced code blocks are body text, never headings (`# a comment` in code).
    """
    heads: list[tuple[int, int, str]] = []  # (line index, level, title)
    lines = markdown.splitlines()
    fenced = False
    for index, line in enumerate(lines):
        if FENCE.match(line):
            fenced = not fenced
        elif not fenced and (match := HEADING.match(line)):
            heads.append((index, len(match[1]), match[2]))
    out = []
    for n, (index, level, title) in enumerate(heads):
        end = next((i for i, lvl, _ in heads[n + 1 :] if lvl <= level), len(lines))
        out.append(Section(level, title, "\n".join(lines[index + 1 : end])))
    return out


def words(text: str) -> list[str]:
    return WORD.findall(text.lower())


def _stems(text: str) -> set[str]:
    """Content words cut to five letters, so 'counting' and 'counts' meet."""
    return {w[:5] for w in words(text) if len(w) >= 3 and w not in STOPWORDS}


def _names(items: list[str]) -> str:
    return ", ".join(items[:5]) + (" …" if len(items) > 5 else "") if items else "none"


def _spec_cases(spec: str) -> list[Case]:
    found = sections(spec)
    cases = []
    for topic, stems in TOPICS.items():
        pattern = re.compile(r"\b(" + "|".join(map(re.escape, stems)) + ")", re.IGNORECASE)
        matching = [s for s in found if pattern.search(s.title)]
        best = max((len(words(s.body)) for s in matching), default=0)
        cases.append(
            Case(
                f"SPEC covers {topic} (a heading with {MIN_WORDS}+ words under it)",
                best >= MIN_WORDS,
                f"a heading with one of: {', '.join(stems)}",
                f"{best} words under the best such heading" if matching else "no such heading",
            )
        )
    return cases


def _plan_steps(plan: str) -> list[tuple[int, str, str]]:
    """(number, title, body) of each `Step N` heading, in order."""
    steps = []
    for section in sections(plan):
        match = STEP.match(section.title)
        if match:
            steps.append((int(match[1]), match[2].strip(), section.body))
    return steps


def _plan_cases(steps: list[tuple[int, str, str]]) -> list[Case]:
    numbers = [n for n, _, _ in steps]
    untested = [f"Step {n}" for n, _, body in steps if not TESTS.search(body)]
    sizes = [(n, len(words(body))) for n, _, body in steps]
    badly_sized = [f"Step {n}: {k} words" for n, k in sizes if not MIN_WORDS <= k <= MAX_STEP_WORDS]
    untitled = [f"Step {n}" for n, title, _ in steps if not words(title)]
    last = f"{steps[-1][1]}\n{steps[-1][2]}" if steps else ""
    return [
        Case(
            f"PROMPT_PLAN has {MIN_STEPS} to {MAX_STEPS} `## Step N` headings, numbered 1..N",
            MIN_STEPS <= len(steps) <= MAX_STEPS and numbers == list(range(1, len(steps) + 1)),
            f"Step 1 … Step N, {MIN_STEPS} <= N <= {MAX_STEPS}, no gaps",
            f"steps numbered {numbers}" if steps else "no `## Step N` heading",
        ),
        Case(
            "PROMPT_PLAN: every step has a title (`## Step N: title`)",
            bool(steps) and not untitled,
            "a few words after each step number",
            f"untitled: {_names(untitled)}",
        ),
        Case(
            "PROMPT_PLAN: every step says what its tests check",
            bool(steps) and not untested,
            "test/tests/testing in every step",
            f"no test in: {_names(untested)}",
        ),
        Case(
            f"PROMPT_PLAN: every step is a small prompt ({MIN_WORDS} to {MAX_STEP_WORDS} words)",
            bool(steps) and not badly_sized,
            f"{MIN_WORDS}-{MAX_STEP_WORDS} words per step",
            _names(badly_sized),
        ),
        Case(
            "PROMPT_PLAN: the final step wires everything together",
            bool(WIRING.search(last)),
            "wire/wiring, integrate or connect in the last step",
            f"last step: {steps[-1][1]!r}" if steps else "no steps",
        ),
    ]


def _todo_cases(items: list[str], steps: list[tuple[int, str, str]]) -> list[Case]:
    misnamed = [
        f"item {i}"
        for i, item in enumerate(items, start=1)
        if not re.search(rf"\bstep\s*{i}\b", item, re.IGNORECASE)
    ]
    return [
        Case(
            "TODO is a checkbox list with one item per plan step",
            bool(items) and len(items) == len(steps),
            f"{len(steps)} `- [ ]` items",
            f"{len(items)} checkbox items",
        ),
        Case(
            "TODO: item N names Step N, in the plan's order",
            bool(items) and not misnamed,
            "'Step 1' in the first item, 'Step 2' in the second, …",
            f"wrong or missing step number: {_names(misnamed)}",
        ),
    ]


def check(submission: Submission) -> list[Case]:
    answers = submission.values("SPEC", "PROMPT_PLAN", "TODO")
    wrong_type = [name for name, value in answers.items() if not isinstance(value, str)]
    if wrong_type:
        return [
            Case(f"{name} is a markdown string", False, "a str", type(answers[name]).__name__)
            for name in wrong_type
        ]
    spec, plan, todo = answers["SPEC"], answers["PROMPT_PLAN"], answers["TODO"]
    steps = _plan_steps(plan)
    items = [m[2] for line in todo.splitlines() if (m := CHECKBOX.match(line))]
    return [
        *_spec_cases(spec),
        *_plan_cases(steps),
        *_todo_cases(items, steps),
        *hidden_value(SLUG, "cases", lambda *_: [])(spec, plan, items, steps),
    ]


STUBS = (
    Answer(
        "SPEC",
        "text",
        "# spec.md for wordtally, as one markdown string, e.g.\n"
        '# SPEC = """# wordtally\\n\\n## Requirements\\n...\\n## Architecture\\n..."""\n'
        "SPEC = None\n",
    ),
    Answer(
        "PROMPT_PLAN",
        "text",
        "# prompt_plan.md: one `## Step N: title` section per codegen prompt, e.g.\n"
        '# PROMPT_PLAN = """# Plan\\n\\n## Step 1: ...\\nWrite tests that ...\\n"""\n'
        "PROMPT_PLAN = None\n",
    ),
    Answer(
        "TODO",
        "text",
        "# todo.md: one checkbox per step, e.g.\n"
        '# TODO = """- [ ] Step 1: ...\\n- [ ] Step 2: ...\\n"""\n'
        "TODO = None\n",
    ),
)

INSTRUCTIONS = beside(__file__, "instructions.md")

EXERCISE = register(
    Exercise(
        slug=SLUG,
        title="Spec, prompt plan, todo: plan before the agent codes",
        chapter="book/06-planning",
        instructions=INSTRUCTIONS,
        answers=STUBS,
        hints=(
            "Start from the spec: list what wordtally must do, how the code is split, what "
            "goes in and out, what can go wrong and how you will test it. The plan and todo "
            "follow from it.",
            "Cut the work into steps that each end with passing tests: parse arguments, "
            "tokenise words, count one file, count many, rank and print, JSON output, "
            "unreadable files and exit codes, then a final step that wires the CLI together.",
            "Write TODO last, from the plan's headings: `## Step 3: Count words in one file` "
            "becomes `- [ ] Step 3: count words in one file`. Check that your last step's text "
            "says it wires the pieces together and runs an end-to-end test.",
        ),
        check=check,
        wrong={
            "wrong-no-error-handling": "SPEC covers error handling",
            "wrong-no-wiring": "the final step wires everything together",
            "wrong-todo-mismatch": "one item per plan step",
        },
    )
)
