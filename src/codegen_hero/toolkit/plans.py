"""Structure checks for the planning artifacts: spec.md, prompt_plan.md and todo.md.

The checks read shape, not prose, and are deterministic, so a table of them can compare
what different models wrote:

    from codegen_hero.toolkit.plans import check_artifacts
    for check in check_artifacts(spec, plan, todo):
        print(check.artifact, check.name, check.passed, check.detail)

spec: a heading for each of the five topics, with some text under it. plan: numbered steps
(`## Step N: title` headings, or a numbered list when there are none), numbered 1..N without
gaps, each saying what its tests check, the last one wiring everything together. todo: a
checkbox list with one item per step, in the plan's order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
FENCE = re.compile(r"^\s*(```|~~~)\s*([\w+-]*)")
STEP_TITLE = re.compile(r"^\W*(?:step\s+)?(\d+)\s*[:.)\-\u2013\u2014]?\s*(.*)$", re.IGNORECASE)
STEP_LINE = re.compile(
    r"^(?:[-*]\s+)?(?:\*\*|__)?(?:step\s+(\d+)|(\d+)[.)])\s*[:.)\-\u2013\u2014]?\s*(.*)$",
    re.IGNORECASE,
)
CHECKBOX = re.compile(r"^\s*[-*+]\s+\[( |x|X)\]\s+(.*\S)\s*$")
WORD = re.compile(r"[a-z][a-z0-9']*")
TESTS = re.compile(r"\btest", re.IGNORECASE)
WIRING = re.compile(
    r"\b(wir(e|es|ed|ing)|integrat\w*|connect\w*|hook\w*\s+(it\s+|them\s+|everything\s+)?up|"
    r"tie\w*\s+(it\s+|them\s+|everything\s+)?together)\b",
    re.IGNORECASE,
)
MIN_SECTION_WORDS = 5
MIN_STEPS = 3
SPEC_TOPICS = {
    "requirements": ("requirement", "feature", "functional", "scope", "goal", "user stor"),
    "architecture": ("architecture", "design", "component", "structure", "module"),
    "data handling": ("data", "input", "output", "storage", "persistence", "format"),
    "error handling": ("error", "failure", "exception", "edge case"),
    "testing plan": ("test", "verification", "quality"),
}
_STOP = frozenset(
    ("the", "and", "for", "with", "step", "into", "from", "that", "this", "then", "all", "its")
    + ("are", "use", "using", "add", "make", "write", "create", "implement", "build", "new")
)


@dataclass(frozen=True)
class Section:
    level: int
    title: str
    body: str


@dataclass(frozen=True)
class Step:
    number: int
    title: str
    body: str


@dataclass(frozen=True)
class Check:
    artifact: str  # spec, plan or todo
    name: str
    passed: bool
    detail: str = ""


def extract_markdown(answer: str) -> str:
    """A model's document without the ```markdown fence it often wraps around the whole."""
    lines = answer.strip().splitlines()
    opening = FENCE.match(lines[0]) if lines else None
    if opening and opening[2].lower() in ("", "markdown", "md"):
        end = next((i for i in range(len(lines) - 1, 0, -1) if FENCE.match(lines[i])), None)
        return "\n".join(lines[1:end]).strip() + "\n"
    return answer.strip() + "\n"


def words(text: str) -> list[str]:
    return WORD.findall(text.lower())


def sections(markdown: str) -> list[Section]:
    """Each heading and the text under it, down to the next heading of its level or above.

    Lines inside fenced code are body text, never headings (`# a comment` in code).
    """
    lines = markdown.splitlines()
    heads: list[tuple[int, int, str]] = []
    fenced = False
    for index, line in enumerate(lines):
        if FENCE.match(line):
            fenced = not fenced
        elif not fenced and (match := HEADING.match(line)):
            heads.append((index, len(match[1]), match[2].strip("*_ ")))
    out = []
    for n, (index, level, title) in enumerate(heads):
        end = next((i for i, lvl, _ in heads[n + 1 :] if lvl <= level), len(lines))
        out.append(Section(level, title, "\n".join(lines[index + 1 : end])))
    return out


def spec_checks(spec: str) -> list[Check]:
    """One check per topic: a heading naming it, with at least a few words under it."""
    found = sections(spec)
    checks = []
    for topic, stems in SPEC_TOPICS.items():
        pattern = re.compile(r"\b(" + "|".join(map(re.escape, stems)) + ")", re.IGNORECASE)
        matching = [s for s in found if pattern.search(s.title)]
        best = max((len(words(s.body)) for s in matching), default=0)
        if matching:
            detail = f"{best} words under {matching[0].title!r}"
        elif any(pattern.search(line) for line in spec.splitlines() if len(words(line)) <= 4):
            detail = "named in a plain line, not as a Markdown heading"
        else:
            detail = "no such heading"
        checks.append(Check("spec", f"has {topic}", best >= MIN_SECTION_WORDS, detail))
    return checks


def plan_steps(plan: str) -> list[Step]:
    """Steps from `Step N` (or `N.`) headings; without any, from a numbered top-level list."""
    steps = []
    for section in sections(plan):
        match = STEP_TITLE.match(section.title)
        if match and (section.title.lower().lstrip("*_ ").startswith("step") or match[2]):
            steps.append(Step(int(match[1]), match[2].strip("*_ "), section.body))
    if steps:
        return steps
    current: tuple[int, str, list[str]] | None = None
    fenced = False
    for line in plan.splitlines():
        if FENCE.match(line):
            fenced = not fenced
        match = None if fenced else STEP_LINE.match(line)
        if match:
            if current:
                steps.append(Step(current[0], current[1], "\n".join(current[2])))
            number = int(match[1] or match[2])
            current = (number, match[3].strip("*_ :"), [])
        elif current:
            current[2].append(line)
    if current:
        steps.append(Step(current[0], current[1], "\n".join(current[2])))
    return steps


def plan_checks(plan: str) -> list[Check]:
    steps = plan_steps(plan)
    numbers = [s.number for s in steps]
    untested = [s.number for s in steps if not TESTS.search(f"{s.title}\n{s.body}")]
    last = f"{steps[-1].title}\n{steps[-1].body}" if steps else ""
    return [
        Check("plan", f"has {MIN_STEPS}+ steps", len(steps) >= MIN_STEPS, f"{len(steps)} steps"),
        Check(
            "plan",
            "steps numbered 1..N",
            bool(steps) and numbers == list(range(1, len(steps) + 1)),
            f"numbers {numbers}",
        ),
        Check(
            "plan",
            "every step has a test",
            bool(steps) and not untested,
            f"no test in steps {untested}" if untested else "",
        ),
        Check(
            "plan",
            "last step wires it together",
            bool(WIRING.search(last)),
            f"last step: {steps[-1].title!r}" if steps else "no steps",
        ),
    ]


def todo_items(todo: str) -> list[tuple[bool, str]]:
    """(done, text) of each `- [ ]` / `- [x]` line."""
    return [(m[1] in "xX", m[2]) for line in todo.splitlines() if (m := CHECKBOX.match(line))]


def _content(text: str) -> set[str]:
    return {w[:5] for w in words(text) if len(w) >= 3 and w not in _STOP}


def todo_checks(todo: str, plan: str) -> list[Check]:
    items = [text for _, text in todo_items(todo)]
    steps = plan_steps(plan)
    unmatched = [
        n
        for n, (step, item) in enumerate(zip(steps, items, strict=False), start=1)
        if not re.search(rf"\bstep\s*{step.number}\b", item, re.IGNORECASE)
        and not _content(step.title) & _content(item)
    ]
    return [
        Check("todo", "is a checklist", bool(items), f"{len(items)} checkbox items"),
        Check(
            "todo",
            "one item per step",
            bool(items) and len(items) == len(steps),
            f"{len(items)} items, {len(steps)} steps",
        ),
        Check(
            "todo",
            "items follow the steps",
            bool(items) and len(items) == len(steps) and not unmatched,
            f"items not matching their step: {unmatched}" if unmatched else "",
        ),
    ]


def check_artifacts(spec: str, plan: str, todo: str) -> list[Check]:
    """Every check on the three documents, spec first."""
    return [*spec_checks(spec), *plan_checks(plan), *todo_checks(todo, plan)]


def as_row(checks: list[Check]) -> dict[str, bool]:
    """{"spec: has requirements": True, ...}, one row of a models-by-properties table."""
    return {f"{c.artifact}: {c.name}": c.passed for c in checks}
