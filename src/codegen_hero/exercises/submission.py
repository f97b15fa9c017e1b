"""A learner's work as code, wherever it comes from, and the one way to run it: the sandbox.

The same `Submission` is built from a live notebook's namespace (the check cell), from a
notebook file (`hero check`, the workshop grader) or from a reference/wrong solution file
(CI). Its code never runs in our process: `probe` runs it in the sandbox and brings back
plain data for the checker to judge.
"""

from __future__ import annotations

import ast
import inspect
import json
import linecache
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from codegen_hero import pysyntax
from codegen_hero.exercises.answer_key import (
    HIDDEN_FILE,
    AnswerKeyMissing,
    answer_key,
    sandbox_hide,
    solution_names,
)
from codegen_hero.exercises.cells import ANSWER, answer_sources
from codegen_hero.exercises.framework import Exercise
from codegen_hero.sandbox import SandboxResult, run_code

STUB_MARKER = "NotImplementedError"


class NotAttempted(Exception):
    """The learner has not replaced a stub yet: a friendly verdict, not a failure."""


class SubmissionError(Exception):
    """The work cannot be checked at all (it does not run, the notebook is broken, …)."""


def _cell_source(func: Any) -> str:
    """The whole cell a function was defined in (so its helpers and imports come along)."""
    code = getattr(func, "__code__", None)
    if code is not None:
        lines = linecache.getlines(code.co_filename)
        if lines:
            return "".join(lines)
    try:
        return inspect.getsource(func)
    except (OSError, TypeError):
        raise SubmissionError(
            f"cannot read the source of {getattr(func, '__name__', func)!r}; define it in a "
            "notebook cell"
        ) from None


def _defining_cell(history: Any, name: str) -> str | None:
    """The last notebook cell that assigns `name` at top level (IPython keeps them in `In`).

    Its source is judged, like a function's cell and like `hero check`, so the value the
    kernel computed (perhaps from files only the learner's machine has) counts for nothing.
    """
    if not isinstance(history, list):
        return None
    for source in reversed(history):
        if not isinstance(source, str) or name not in source:
            continue
        try:
            tree = pysyntax.parse(source)
        except SyntaxError:  # magics, or a cell that never ran
            continue
        for node in tree.body:
            targets = node.targets if isinstance(node, ast.Assign) else []
            if isinstance(node, ast.AnnAssign):
                targets = [node.target]
            if any(isinstance(t, ast.Name) and t.id == name for t in targets):
                return source
    return None


def _literal(name: str, value: Any) -> str:
    text = repr(value)
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        raise SubmissionError(
            f"{name} must be plain data (text, numbers, lists, dicts), not {type(value).__name__}"
        ) from None
    return f"{name} = {text}"


@dataclass(frozen=True)
class Probe:
    """What the sandbox sent back: each probe's value, or why it failed."""

    result: SandboxResult

    def ok(self, name: str) -> bool:
        return f"test_{name}" in self.result.tests_passed

    def value(self, name: str, default: Any = None) -> Any:
        return self.result.values.get(f"test_{name}", default)

    def error(self, name: str) -> str:
        return self.result.failures.get(f"test_{name}", self.result.reason or "did not run")


@dataclass(frozen=True)
class Submission:
    exercise: Exercise
    code: str

    @classmethod
    def from_namespace(cls, exercise: Exercise, namespace: Mapping[str, Any]) -> Submission:
        parts: list[str] = []
        for answer in exercise.answers:
            if answer.name not in namespace:
                raise NotAttempted(f"{answer.name} is not defined yet: run its cell first")
            value = namespace[answer.name]
            if answer.kind == "function":
                if not callable(value):
                    raise SubmissionError(f"{answer.name} should be a function")
                source = _cell_source(value)
                if source not in parts:
                    parts.append(source)
            else:
                cell = _defining_cell(namespace.get("In"), answer.name)
                part = cell if cell is not None else _literal(answer.name, value)
                if part not in parts:
                    parts.append(part)
        return cls(exercise, "\n\n".join(parts))

    @classmethod
    def from_notebook(cls, exercise: Exercise, path: Path) -> Submission:
        """The cells tagged `answer`, read as text: nothing of the notebook runs here."""
        import nbformat

        try:
            notebook = nbformat.read(path, as_version=4)
        except Exception as exc:  # nbformat raises many kinds for broken files
            raise SubmissionError(f"{path.name} is not a readable notebook ({exc})") from None
        return cls.from_answers(exercise, answer_sources(notebook), path.name)

    @classmethod
    def from_answers(cls, exercise: Exercise, sources: list[str], where: str) -> Submission:
        """The answer cells' sources, already read from a notebook (by the grader, once)."""
        if not sources:
            raise SubmissionError(f"{where} has no cells tagged '{ANSWER}'")
        return cls(exercise, "\n\n".join(sources))

    @classmethod
    def from_solution(cls, exercise: Exercise, name: str) -> Submission:
        path = solutions_dir() / exercise.slug / f"{name}.py"
        if not path.is_file() or path.name == HIDDEN_FILE:
            known = solution_names(exercise.slug)
            raise SubmissionError(f"no solution {name!r} for {exercise.slug} (have: {known})")
        return cls(exercise, path.read_text(encoding="utf-8"))

    def probe(self, calls: Mapping[str, str], setup: str = "", timeout: float = 15.0) -> Probe:
        """Run the learner's code, then evaluate each expression; bring back the values.

        `calls` maps a probe name to a Python expression over the learner's names, with any
        case data inlined as literals (repr), e.g. {"short": "build_prompt('x', 100)"}.
        `setup` is code run before the probes, beside the learner's names: test doubles such
        as a scripted model live there. Values must be plain data (str, numbers, lists, dicts).
        """
        tests = setup.strip() + "\n\n\n" if setup.strip() else ""
        tests += "\n\n".join(
            f"def test_{name}():\n    return {expression}" for name, expression in calls.items()
        )
        result = run_code(self.code, tests=tests, timeout=timeout, hide=sandbox_hide())
        if result.status in ("timeout", "killed"):
            raise SubmissionError(f"your code was stopped: {result.reason or result.status}")
        if not result.tests_passed and not result.tests_failed:
            reason = result.reason or result.status
            raise SubmissionError(f"your code does not run: {reason}")
        failures = list(result.failures.values())
        if not result.tests_passed and failures and all(STUB_MARKER in f for f in failures):
            raise NotAttempted("the stub still raises NotImplementedError")
        return Probe(result)

    def values(self, *names: str) -> dict[str, Any]:
        """The learner's text/data answers; a stub left as None counts as not attempted."""
        probe = self.probe({name: name for name in names})
        out = {}
        for name in names:
            if not probe.ok(name):
                raise SubmissionError(f"{name} could not be read: {probe.error(name)}")
            value = probe.value(name)
            if value is None or value == "" or value == {"repr": "Ellipsis"}:
                raise NotAttempted(f"{name} is still empty")
            out[name] = value
        return out


def solutions_dir() -> Path:
    """Reference and known-wrong solutions live in the answer key, not in the package."""
    try:
        return answer_key()
    except AnswerKeyMissing as exc:
        raise SubmissionError(str(exc)) from None
