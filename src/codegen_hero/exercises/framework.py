"""What an exercise is, what a check returns, and the registry of all exercises.

Checkers grade properties of the learner's work (does the prompt carry the failing frame's
source? does the plan end with a wiring step?), never exact model text, so they survive model
drift. Learner code only ever runs in the sandbox; checkers judge the data it sends back.
"""

from __future__ import annotations

import html
import importlib
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from codegen_hero.models.errors import HeroError

if TYPE_CHECKING:
    from codegen_hero.exercises.submission import Submission

Status = Literal["passed", "failed", "not attempted", "error"]
AnswerKind = Literal["function", "text", "data"]


@dataclass(frozen=True)
class Answer:
    """A name the learner defines: a function, a text (markdown, prompt) or plain data."""

    name: str
    kind: AnswerKind
    stub: str  # the code cell the learner starts from; it must run and do nothing harmful


@dataclass(frozen=True)
class Case:
    name: str
    passed: bool
    expected: str = ""
    got: str = ""
    hidden: bool = False


@dataclass
class Verdict:
    exercise: str
    status: Status
    cases: list[Case] = field(default_factory=list)
    message: str = ""
    graded: bool = False

    @property
    def score(self) -> int:
        return sum(1 for case in self.cases if case.passed)

    @property
    def max_score(self) -> int:
        return len(self.cases)

    @property
    def passed(self) -> bool:
        return self.status == "passed"

    def lines(self) -> list[str]:
        """The verdict as text: which case failed, what was expected, what came back."""
        head = {
            "passed": f"PASSED {self.exercise}: all {self.max_score} checks pass.",
            "failed": f"FAILED {self.exercise}: {self.score}/{self.max_score} checks pass.",
            "not attempted": f"NOT ATTEMPTED {self.exercise}: replace the stub(s) and run again.",
            "error": f"ERROR {self.exercise}: {self.message}",
        }[self.status]
        out = [head]
        if self.message and self.status != "error":
            out.append(self.message)
        for number, case in enumerate(self.cases, start=1):
            name = self.shown_name(case, number)
            if case.passed:
                out.append(f"  ok    {name}")
                continue
            out.append(f"  FAIL  {name}")
            if case.hidden:  # the behaviour is named; its data and expectation stay secret
                continue
            if case.expected:
                out.append(f"        expected: {case.expected}")
            if case.got:
                out.append(f"        got:      {case.got}")
        return out

    def shown_name(self, case: Case, number: int) -> str:
        """A hidden case shows the behaviour it checks; graded, not even that."""
        return f"hidden check {number}" if case.hidden and self.graded else case.name

    def __str__(self) -> str:
        return "\n".join(self.lines())

    __repr__ = __str__  # what a notebook shows as text/plain

    def _repr_html_(self) -> str:
        colour = {"passed": "#1a7f37", "failed": "#cf222e"}.get(self.status, "#9a6700")
        body = html.escape(str(self))
        return (
            f'<pre style="border-left:4px solid {colour};padding:0.5em 0.8em;'
            f'white-space:pre-wrap">{body}</pre>'
        )

    def to_dict(self) -> dict[str, Any]:
        cases = [
            {
                "name": self.shown_name(c, i),
                "passed": c.passed,
                "hidden": c.hidden,
                "expected": "" if c.hidden else c.expected,
                "got": "" if c.hidden else c.got,
            }
            for i, c in enumerate(self.cases, start=1)
        ]
        return {
            "exercise": self.exercise,
            "status": self.status,
            "score": self.score,
            "max_score": self.max_score,
            "message": self.message,
            "cases": cases,
            "text": str(self),
        }


CheckFn = Callable[["Submission"], list[Case]]


@dataclass
class Exercise:
    slug: str
    title: str
    chapter: str  # the book chapter's path without suffix, e.g. "book/04-copy-paste"
    instructions: str  # markdown
    answers: tuple[Answer, ...]
    hints: tuple[str, str, str]
    check: CheckFn
    # The mistake each known-wrong solution makes, and a phrase its verdict must contain.
    wrong: dict[str, str] = field(default_factory=dict)

    def answer(self, name: str) -> Answer:
        return next(a for a in self.answers if a.name == name)


class UnknownExercise(HeroError, KeyError):
    pass


REGISTRY: dict[str, Exercise] = {}


def register(exercise: Exercise) -> Exercise:
    if exercise.slug in REGISTRY:
        raise ValueError(f"exercise {exercise.slug!r} is registered twice")
    if len(exercise.hints) != 3:
        raise ValueError(f"{exercise.slug}: an exercise has exactly three hints")
    REGISTRY[exercise.slug] = exercise
    return exercise


def all_exercises() -> dict[str, Exercise]:
    """Import every `ex*.py` module in this package once, then return them in order."""
    import codegen_hero.exercises as package

    for info in pkgutil.iter_modules(package.__path__):
        if info.name.startswith("ex"):
            importlib.import_module(f"{package.__name__}.{info.name}")
    return dict(sorted(REGISTRY.items()))


def get(slug: str) -> Exercise:
    exercises = all_exercises()
    if slug not in exercises:
        known = ", ".join(exercises) or "none"
        raise UnknownExercise(f"no exercise {slug!r}; known: {known} (see `hero exercises list`)")
    return exercises[slug]


def beside(module_file: str, name: str) -> str:
    """A file from an exercise's folder (its text, stub or test doubles), read as text."""
    return Path(module_file).with_name(name).read_text(encoding="utf-8")


PLACEHOLDER = re.compile(r"\{\{([A-Z_]+)\}\}")


def instructions_beside(module_file: str, **values: str) -> str:
    """An exercise's instructions.md with each `{{NAME}}` replaced by the code's value.

    The text stays a Markdown file an editor can read; only data the checker also uses (a
    signature, a sample repository) is filled in, so the two cannot drift apart.
    """
    text = beside(module_file, "instructions.md")
    wanted = set(PLACEHOLDER.findall(text))
    if wanted != set(values):
        raise ValueError(f"instructions.md placeholders {sorted(wanted)} != {sorted(values)}")
    return PLACEHOLDER.sub(lambda found: values[found.group(1)], text)
