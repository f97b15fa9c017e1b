"""Stage 3, chat: a review prompt that keeps the code the question is about.

A chat pane answers well when it sees what you see: the file's name (which hints at its role
and language), the code itself, untouched, and a precise question. When the file is too long
for the budget, cutting it from the top may cut out the very function you asked about; the
honest move is to choose what to keep around the line in question and say where you cut.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from codegen_hero.exercises.answer_key import hidden_value
from codegen_hero.exercises.framework import Answer, Case, Exercise, beside, register
from codegen_hero.exercises.submission import Submission
from codegen_hero.exercises.tokens import approx_tokens

SLUG = "03-review-prompt"
TAGS = {".py": "python", ".js": "javascript", ".go": "go"}
FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})(?P<info>[^`\n]*)$")
MARKER = "omitted"

SHORT_PY = """import json


def load_settings(path):
    with open(path) as handle:
        settings = json.load(handle)
    if "timeout" in settings:
        settings["timeout"] = int(settings["timeout"])
    return settings
"""

HANDLERS = ("create", "update", "cancel", "refund", "ship", "archive", "restore", "audit")


def _long_python() -> str:
    """A long, realistic-looking module: many small handlers of one pattern."""
    parts = [
        '"""Order handlers for the shop backend."""\n\n'
        "import logging\n\nfrom shop.store import Store\n\nlog = logging.getLogger(__name__)\n"
    ]
    for name in HANDLERS:
        parts.append(
            f"\n\ndef {name}_order(store: Store, order_id, user):\n"
            f'    """{name.capitalize()} one order on behalf of a user."""\n'
            "    order = store.get(order_id)\n"
            "    if order is None:\n"
            f'        log.warning("{name}: no order %s", order_id)\n'
            "        return None\n"
            "    if not user.can_edit(order):\n"
            f'        raise PermissionError("{name} not allowed")\n'
            f'    order.history.append(("{name}", user.name))\n'
            f'    order.status = "{name}"\n'
            "    store.save(order)\n"
            "    return order\n"
        )
    return "".join(parts)


def line_of(code: str, text: str, after: str = "") -> int:
    """The 1-based number of the first line equal to `text` (after the line `after`, if given)."""
    lines = code.splitlines()
    start = lines.index(after) + 1 if after else 0
    return lines.index(text, start) + 1


class Scenario(NamedTuple):
    label: str
    code: str
    filename: str
    question: str
    focus: int  # the line the question is about, 1-based
    function: tuple[int, int]  # the enclosing function's first and last line, 1-based
    budget: int
    fits: bool  # whether the whole code fits the budget (a test checks this stays true)
    hidden: bool


LONG_PY = _long_python()
_RESTORE = "def restore_order(store: Store, order_id, user):"

VISIBLE = (
    Scenario(
        "short Python file",
        SHORT_PY,
        "app/settings.py",
        "If the JSON file has no 'timeout' key, what does load_settings return, and "
        "should it fill in a default?",
        line_of(SHORT_PY, '    if "timeout" in settings:'),
        (4, 9),
        400,
        True,
        False,
    ),
    Scenario(
        "long Python file, question about a late function",
        LONG_PY,
        "shop/orders.py",
        "In restore_order, the order is saved with status 'restore': should it get back the "
        "status it had before it was archived?",
        line_of(LONG_PY, "    store.save(order)", after=_RESTORE),
        (line_of(LONG_PY, _RESTORE), line_of(LONG_PY, "    return order", after=_RESTORE)),
        300,
        False,
        False,
    ),
)


def tag_for(filename: str) -> str:
    for extension, tag in TAGS.items():
        if filename.endswith(extension):
            return tag
    return ""


def is_import(line: str) -> bool:
    """An import line, in the languages the exercise uses (Python, JavaScript, Go)."""
    text = line.strip()
    return text.startswith(("import ", "from ")) or "require(" in text


def fenced_block(prompt: str) -> tuple[str, list[str]] | None:
    """The first fenced block: its info string and body lines (to the end if unclosed)."""
    lines = prompt.splitlines()
    for start, line in enumerate(lines):
        opening = FENCE.match(line)
        if not opening:
            continue
        fence = opening["fence"]
        body: list[str] = []
        for inner in lines[start + 1 :]:
            closing = FENCE.match(inner)
            if closing and closing["fence"].startswith(fence) and not closing["info"].strip():
                break
            body.append(inner)
        return opening["info"].strip(), body
    return None


def _trim(lines: list[str]) -> list[str]:
    """Without blank lines at either end: a fence or a marker may or may not sit beside one."""
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return lines[start:end]


class Reading(NamedTuple):
    """How the fenced body lines up with the file: which lines it kept, whether cuts are marked."""

    in_order: bool  # every run of kept lines is unchanged and in the file's order
    kept: frozenset[int]  # 0-based numbers of the file's lines that were kept
    unmarked_cut: bool  # lines left out with no marker line where they were cut
    markers: int


def read_body(body: list[str], code_lines: list[str]) -> Reading:
    """Split the body at marker lines; find each run of kept lines in the file, in order."""
    runs: list[tuple[bool, list[str]]] = []  # (a marker line comes before it, its lines)
    current: list[str] = []
    marked = False
    markers = 0
    for line in body:
        if MARKER in line.lower():
            runs.append((marked, current))
            current, marked, markers = [], True, markers + 1
        else:
            current.append(line)
    runs.append((marked, current))
    cursor, kept, unmarked = 0, set[int](), False
    for before, lines in runs:
        run = _trim(lines)
        if not run:
            continue
        at = _find(code_lines, run, cursor)
        found = list(range(at, at + len(run))) if at is not None else None
        found = found or _scattered(code_lines, run, cursor)
        if found is None:
            return Reading(False, frozenset(kept), unmarked, markers)
        skipped = [n for n in range(cursor, found[-1] + 1) if n not in found]
        if any(code_lines[n].strip() for n in skipped[: found[0] - cursor] if not before):
            unmarked = True  # a cut before this run with no marker line
        if any(code_lines[n].strip() for n in skipped[found[0] - cursor :]):
            unmarked = True  # lines left out inside the run, with no marker line
        kept.update(found)
        cursor = found[-1] + 1
    trailing = runs[-1][0] and not _trim(runs[-1][1])
    if not trailing and any(line.strip() for line in code_lines[cursor:]):
        unmarked = True
    return Reading(True, frozenset(kept), unmarked, markers)


def _scattered(code_lines: list[str], run: list[str], start: int) -> list[int] | None:
    """Where the run's lines sit when lines were left out between them: first match each."""
    found: list[int] = []
    at = start
    for line in run:
        while at < len(code_lines) and code_lines[at] != line:
            at += 1
        if at == len(code_lines):
            return None
        found.append(at)
        at += 1
    return found


def _find(code_lines: list[str], run: list[str], start: int) -> int | None:
    for at in range(start, len(code_lines) - len(run) + 1):
        if code_lines[at : at + len(run)] == run:
            return at
    return None


def _cases(prompt: object, scenario: Scenario) -> list[Case]:
    label, code, filename, question, focus, function, budget, fits, hidden = scenario
    if not isinstance(prompt, str):
        return [Case(f"{label}: returns a string", False, "a str", type(prompt).__name__, hidden)]
    used = approx_tokens(prompt)
    cases = [
        Case(
            f"{label}: fits the budget of {budget} tokens",
            used <= budget,
            f"at most {budget} tokens",
            f"{used} tokens",
            hidden,
        ),
        Case(f"{label}: carries the file name", filename in prompt, filename, "missing", hidden),
        Case(f"{label}: carries the question", question in prompt, question, "missing", hidden),
    ]
    block = fenced_block(prompt)
    if block is None:
        return [*cases, Case(f"{label}: code in a fenced block", False, "```", "none", hidden)]
    info, body = block
    want = tag_for(filename)
    cases.append(
        Case(
            f"{label}: fence tagged {want or 'with no language'}",
            info == want,
            repr(want),
            repr(info),
            hidden,
        )
    )
    code_lines = _trim(code.splitlines())
    reading = read_body(body, code_lines)
    if fits:
        whole = reading.in_order and len(reading.kept) == len(code_lines)
        cases.append(
            Case(
                f"{label}: the whole code, verbatim",
                whole and not reading.markers,
                f"all {len(code_lines)} lines unchanged, no {MARKER!r} marker",
                f"{len(reading.kept)} lines kept"
                + (f", {reading.markers} marker line(s)" if reading.markers else ""),
                hidden,
            )
        )
        return cases
    first, last = function
    span = set(range(first - 1, last))
    imports = {n for n, line in enumerate(code_lines) if is_import(line)}
    code_tokens = approx_tokens("\n".join(code_lines[n] for n in sorted(reading.kept)))
    order = "the kept lines unchanged, in the file's order" if reading.in_order else ""
    return [
        *cases,
        Case(
            f"{label}: kept lines unchanged and in order",
            reading.in_order,
            "whole lines of the file, unchanged, in order, between marker lines",
            order or "a line that is not in the file there (changed, reordered or cut mid-line)",
            hidden,
        ),
        Case(
            f"{label}: keeps the focus line",
            focus - 1 in reading.kept,
            f"line {focus}: {code_lines[focus - 1].strip()}",
            "not kept",
            hidden,
        ),
        Case(
            f"{label}: keeps the whole enclosing function",
            span <= reading.kept,
            f"lines {first}-{last}, every one",
            f"{len(span - reading.kept)} of its {len(span)} lines missing",
            hidden,
        ),
        Case(
            f"{label}: keeps the import lines",
            imports <= reading.kept,
            f"{len(imports)} import line(s)",
            f"{len(imports - reading.kept)} missing",
            hidden,
        ),
        Case(
            f"{label}: a marker line wherever lines were left out",
            reading.in_order and not reading.unmarked_cut and reading.markers > 0,
            f"a line containing {MARKER!r} at each cut",
            "a cut with no marker" if reading.in_order else "cannot tell (lines changed)",
            hidden,
        ),
        Case(
            f"{label}: uses the room: at least a third of the budget is code",
            code_tokens >= budget // 3,
            f"at least {budget // 3} tokens of code",
            f"{code_tokens} tokens of code",
            hidden,
        ),
    ]


def scenarios() -> tuple[Scenario, ...]:
    """The visible scenarios, then the hidden ones where the answer key is."""
    return (*VISIBLE, *hidden_value(SLUG, "SCENARIOS", ()))


def check(submission: Submission) -> list[Case]:
    scenarios_ = scenarios()
    calls = {
        f"scenario_{number}": (
            f"build_review_prompt({s.code!r}, {s.filename!r}, {s.question!r}, {s.focus}, "
            f"{s.budget})"
        )
        for number, s in enumerate(scenarios_)
    }
    probe = submission.probe(calls)
    cases: list[Case] = []
    for number, scenario in enumerate(scenarios_):
        key = f"scenario_{number}"
        if not probe.ok(key):
            error = probe.error(key)
            cases.append(Case(f"{scenario.label}: runs", False, "a prompt", error, scenario.hidden))
        else:
            cases += _cases(probe.value(key), scenario)
    return cases


STUB = beside(__file__, "stub.py")  # the answer cell a learner starts from

EXERCISE = register(
    Exercise(
        slug=SLUG,
        title="Ask about code: keep what the question is about, say where you cut",
        chapter="book/03-chat",
        instructions=beside(__file__, "instructions.md"),
        answers=(Answer("build_review_prompt", "function", STUB),),
        hints=(
            "Decide which lines you must keep before you fill the budget: the import lines and "
            "the function around the focus line. Then grow a window around that function, a "
            "line above and a line below at a time, while the rendered prompt fits.",
            "The enclosing function starts at the last unindented line at or above the focus "
            "line and runs until the next unindented line (a closing `}` or `});` still belongs "
            "to it). Keep the chosen line numbers in a set; render by walking the file in order, "
            "writing a kept line as it is and one marker line for each run of skipped lines.",
            "Sketch: `render(keep)` builds `File: …`, the fence, the lines and markers, the "
            "question; `keep = imports | set(range(start, end + 1))`; then `lo, hi = start, end` "
            "and step `lo -= 1` / `hi += 1` in turn, keeping each step only if "
            "`approx_tokens(render(keep | {new})) <= budget_tokens`.",
        ),
        check=check,
        wrong={
            "wrong-head-only": "keeps the focus line",
            "wrong-window-only": "keeps the whole enclosing function",
            "wrong-unmarked-cuts": "a marker line wherever lines were left out",
            "wrong-whole-code": "fits the budget",
        },
    )
)
