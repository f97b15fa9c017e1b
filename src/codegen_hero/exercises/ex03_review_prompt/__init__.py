"""Stage 3, chat: a review prompt that gives the model the code, its name and one question.

A chat pane answers well when it sees what you see: the file's name (which hints at its role
and language), the code itself, untouched, and a precise question. When the file is too long
for the budget, the honest move is to cut at a line and say so.
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
MARKER = "truncated"

SHORT_PY = """import json


def load_settings(path):
    with open(path) as handle:
        settings = json.load(handle)
    if "timeout" in settings:
        settings["timeout"] = int(settings["timeout"])
    return settings
"""


def _long_python() -> str:
    """A long, realistic-looking module: many small handlers of one pattern."""
    parts = [
        '"""Order handlers for the shop backend."""\n\n'
        "import logging\n\nlog = logging.getLogger(__name__)\n"
    ]
    for name in ("create", "update", "cancel", "refund", "ship", "archive", "restore", "audit"):
        parts.append(
            f"\n\ndef {name}_order(store, order_id, user):\n"
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


class Scenario(NamedTuple):
    label: str
    code: str
    filename: str
    question: str
    budget: int
    fits: bool  # whether the whole code fits the budget (a test checks this stays true)
    hidden: bool


VISIBLE = (
    Scenario(
        "short Python file",
        SHORT_PY,
        "app/settings.py",
        "If the JSON file has no 'timeout' key, what does load_settings return, and "
        "should it fill in a default?",
        400,
        True,
        False,
    ),
    Scenario(
        "long Python file, tight budget",
        _long_python(),
        "shop/orders.py",
        "Do the handlers check permissions before changing an order? Name any that do not.",
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
    """Without trailing blank lines: a fence may or may not be preceded by one."""
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    return lines


def _cases(prompt: object, scenario: Scenario) -> list[Case]:
    label, code, filename, question, budget, fits, hidden = scenario
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
    kept = _trim([line for line in body if MARKER not in line.lower()])
    marked = any(MARKER in line.lower() for line in prompt.splitlines())
    if fits:
        cases.append(
            Case(
                f"{label}: the whole code, verbatim",
                kept == code_lines and not marked,
                f"all {len(code_lines)} lines unchanged, no truncation marker",
                f"{len(kept)} lines kept" + (", marked truncated" if marked else ""),
                hidden,
            )
        )
        return cases
    prefix = bool(kept) and kept == code_lines[: len(kept)]
    kept_tokens = approx_tokens("\n".join(kept))
    return [
        *cases,
        Case(
            f"{label}: code cut at a line boundary",
            prefix,
            "the first lines of the code, each one whole and unchanged",
            "no code" if not kept else "lines changed, reordered or cut mid-line",
            hidden,
        ),
        Case(
            f"{label}: a marker line says the code was truncated",
            marked,
            f"a line containing {MARKER!r}",
            "none",
            hidden,
        ),
        Case(
            f"{label}: keeps as much code as fits",
            kept_tokens >= budget // 3,
            f"at least {budget // 3} tokens of code",
            f"{kept_tokens} tokens of code",
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
            f"build_review_prompt({s.code!r}, {s.filename!r}, {s.question!r}, {s.budget})"
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
        title="Ask about code: file name, fenced code, one precise question",
        chapter="book/03-chat",
        instructions=f"""
A chat pane beside your editor is good at questions about code, but only about the code it
is shown. "Is this OK?" with half a function pasted gets a vague answer. What works: the
**file name** (it tells the model the language and the file's role), the **code itself,
untouched**, in a fenced block with the right language tag, and **one precise question**
("what does `load_settings` return when the key is missing?"). And when the file is longer
than your context budget, cut it at a line boundary and *say* that you cut it, so the model
knows more code exists instead of assuming the file ends where your paste does.

**Write `build_review_prompt(code, filename, question, budget_tokens)`** returning a prompt
that:

- contains `filename`;
- contains the code in a fenced block (```` ``` ````; the first fenced block of the
  prompt) whose tag comes from the file's extension: `.py` -> `python`, `.js` ->
  `javascript`, `.go` -> `go`; any other file gets a fence with no tag;
- contains `question`, word for word;
- is at most `budget_tokens` tokens, counted with `approx_tokens` (about 4 characters per
  token);
- when everything fits, contains the code verbatim (every line, indentation unchanged) and
  no truncation marker;
- when the code does not fit, still has the file name and the question, keeps the first lines
  of the code (whole lines only, as many as fit: at least a third of the budget should be
  code) and adds a marker line containing the word `{MARKER}`, e.g.
  `# ... truncated: 40 more lines`.

The checker calls your function on a short Python file with a roomy budget, a long Python
file with a tight budget, and on hidden files in other languages.
""",
        answers=(Answer("build_review_prompt", "function", STUB),),
        hints=(
            "Build the parts that must always be there first (file name, question, the fence "
            "lines, the marker), measure them with approx_tokens, and give the code whatever "
            "budget is left.",
            "If the whole code fits, paste it. Otherwise add code lines one at a time while "
            "approx_tokens of the whole prompt stays within the budget, then append the marker "
            "line; never slice the code string by characters.",
            "Sketch: `tag = {'.py': 'python', '.js': 'javascript', '.go': 'go'}.get("
            "os.path.splitext(filename)[1], '')`; `render(lines, cut)` joins `f'File: "
            "{filename}'`, `f'```{tag}'`, the lines, the marker if cut, `'```'` and the "
            "question; keep the longest prefix of `code.splitlines()` whose render fits.",
        ),
        check=check,
        wrong={
            "wrong-no-filename": "carries the file name",
            "wrong-whole-code": "fits the budget",
            "wrong-cuts-mid-line": "code cut at a line boundary",
        },
    )
)
