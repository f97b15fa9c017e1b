"""Learner-like notebooks built from the exercises: for rehearsing the grader before the day.

An instructor can fill a SUBMISSIONS folder with right, wrong and broken work and check that
`hero workshop grade` says what they expect; the tests and the grading benchmark do the same.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import nbformat

from codegen_hero.exercises import cells as tags


def exercise_notebook(slug: str) -> Any:
    """The notebook a learner starts from, exactly as `hero exercises build` writes it."""
    from codegen_hero.exercises import get
    from codegen_hero.exercises.notebook import build_notebook

    return build_notebook(get(slug))


def solution_code(slug: str, name: str = "reference") -> str:
    from codegen_hero.exercises.submission import solutions_dir

    return (solutions_dir() / slug / f"{name}.py").read_text(encoding="utf-8")


def answered(slug: str, code: str) -> Any:
    """The learner's notebook with `code` in the first answer cell (the rest emptied)."""
    notebook = exercise_notebook(slug)
    first = True
    for cell in notebook.cells:
        if tags.is_code(cell, tags.ANSWER):
            cell.source = code if first else "# answered above"
            first = False
    return notebook


def solved(slug: str, name: str = "reference") -> Any:
    return answered(slug, solution_code(slug, name))


def with_cell(notebook: Any, source: str) -> Any:
    """A cell of the learner's own, added just before the check cell."""
    at = next(
        (i for i, c in enumerate(notebook.cells) if tags.is_code(c, tags.CHECK)),
        len(notebook.cells),
    )
    cell = nbformat.v4.new_code_cell(source)
    cell["id"] = f"learner-{len(notebook.cells)}"
    notebook.cells.insert(at, cell)
    return notebook


def write(notebook: Any, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, path)
    return path


def mixed_room(folder: Path, count: int, seed: int = 7) -> dict[Path, str]:
    """`count` submissions across every exercise: references, known-wrong ones and stubs.

    Returns each file and the status it should get (passed, failed or not attempted).
    """
    from codegen_hero.exercises import all_exercises

    exercises = all_exercises()
    rng = random.Random(seed)
    expected: dict[Path, str] = {}
    slugs = list(exercises)
    for number in range(count):
        slug = slugs[number % len(slugs)]
        roll = rng.random()
        learner = folder / f"learner{number // len(slugs):02d}"
        if roll < 0.5:
            notebook, status = solved(slug), "passed"
        elif roll < 0.85:
            wrong = rng.choice(sorted(exercises[slug].wrong))
            notebook, status = solved(slug, wrong), "failed"
        else:
            notebook, status = exercise_notebook(slug), "not attempted"
        expected[write(notebook, learner / f"{slug}.ipynb")] = status
    return expected
