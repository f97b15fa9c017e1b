"""Exercises: one per stage, deterministic checkers, three hints, proven both ways in CI."""

from codegen_hero.exercises.checking import check, check_notebook, judge
from codegen_hero.exercises.framework import Answer, Case, Exercise, Verdict, all_exercises, get
from codegen_hero.exercises.notebook import hints

__all__ = [
    "Answer",
    "Case",
    "Exercise",
    "Verdict",
    "all_exercises",
    "check",
    "check_notebook",
    "get",
    "hints",
    "judge",
]
