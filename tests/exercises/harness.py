"""What every checker test needs: judge a code string, list failed cases, read a solution."""

from __future__ import annotations

from codegen_hero.exercises import judge
from codegen_hero.exercises.framework import Exercise, Verdict
from codegen_hero.exercises.submission import Submission, solutions_dir


def judge_code(exercise: Exercise, code: str, graded: bool = False) -> Verdict:
    """The checker's verdict on `code` as the learner's answer cells (run in the sandbox)."""
    return judge(exercise, Submission(exercise, code), graded=graded)


def failed(verdict: Verdict) -> list[str]:
    return [case.name for case in verdict.cases if not case.passed]


def solution_source(slug: str, name: str = "reference") -> str:
    return (solutions_dir() / slug / f"{name}.py").read_text()
