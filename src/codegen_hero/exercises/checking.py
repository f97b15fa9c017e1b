"""Turn a submission into a verdict, the same way in a notebook, the CLI, CI and grading."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from codegen_hero.exercises.answer_key import find_answer_key
from codegen_hero.exercises.framework import Case, Exercise, Status, Verdict, get
from codegen_hero.exercises.integrity import concerns
from codegen_hero.exercises.submission import NotAttempted, Submission, SubmissionError


def judge(exercise: Exercise, submission: Submission, graded: bool = False) -> Verdict:
    reason = concerns(submission.code)
    if reason:  # it would find nothing (the sandbox hides the key); say why it earns nothing
        message = f"no points: the answer {reason}"
        return Verdict(exercise.slug, "failed", message=message, graded=graded)
    try:
        cases = exercise.check(submission)
    except NotAttempted as exc:
        return Verdict(exercise.slug, "not attempted", message=str(exc), graded=graded)
    except SubmissionError as exc:
        return Verdict(exercise.slug, "error", message=str(exc), graded=graded)
    status: Status = "passed" if cases and all(c.passed for c in cases) else "failed"
    failed = [c for c in cases if not c.passed]
    message = "" if not failed else _first_failure(failed[0], graded)
    if find_answer_key() is None:
        message = " ".join(filter(None, [message, NO_KEY_NOTE]))
    return Verdict(exercise.slug, status, cases, message, graded)


NO_KEY_NOTE = "(visible checks only: the hidden ones run when your work is graded)"


def _first_failure(case: Case, graded: bool) -> str:
    if case.hidden and graded:
        return "a hidden check failed: test your function on more cases of your own."
    return f"first problem: {case.name}"


def check(
    slug: str,
    namespace: Mapping[str, Any] | None = None,
    *,
    solution: str | None = None,
    graded: bool = False,
    save_to: str | os.PathLike[str] | None = None,
) -> Verdict:
    """The check cell: judge the learner's answers (or a named solution, for CI)."""
    exercise = get(slug)
    try:
        if solution:
            submission = Submission.from_solution(exercise, solution)
        else:
            submission = Submission.from_namespace(exercise, namespace or {})
    except NotAttempted as exc:
        verdict = Verdict(slug, "not attempted", message=str(exc), graded=graded)
    except SubmissionError as exc:
        verdict = Verdict(slug, "error", message=str(exc), graded=graded)
    else:
        verdict = judge(exercise, submission, graded)
    target = save_to or os.environ.get("HERO_VERDICT_PATH")
    if target:
        Path(target).write_text(json.dumps(verdict.to_dict(), indent=2), encoding="utf-8")
    return verdict


def check_answers(slug: str, sources: list[str], where: str, graded: bool = False) -> Verdict:
    """The grader's verdict on answer cells it has already read from a notebook."""
    exercise = get(slug)
    try:
        submission = Submission.from_answers(exercise, sources, where)
    except SubmissionError as exc:
        return Verdict(slug, "error", message=str(exc), graded=graded)
    return judge(exercise, submission, graded)


def check_notebook(slug: str, path: Path, graded: bool = False) -> Verdict:
    """`hero check`: judge a notebook file by its answer cells, without running it here."""
    exercise = get(slug)
    try:
        submission = Submission.from_notebook(exercise, path)
    except SubmissionError as exc:
        return Verdict(slug, "error", message=str(exc), graded=graded)
    return judge(exercise, submission, graded)
