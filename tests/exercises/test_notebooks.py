"""Every exercise notebook, run by papermill with its reference and each known-wrong solution.

The matrix proves each checker tells a right answer from every recorded mistake, through the
same notebook a learner uses. (nbval runs the notebooks as shipped: see pyproject's testpaths.)
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from codegen_hero.exercises import all_exercises
from codegen_hero.exercises.notebook import build_notebook

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / "exercises"
EXERCISES = all_exercises()
MATRIX = [
    pytest.param(slug, variant, id=f"{slug}:{variant}")
    for slug, exercise in EXERCISES.items()
    for variant in ["reference", *exercise.wrong]
]


def test_every_exercise_has_a_reference_and_two_wrong_solutions():
    for slug, exercise in EXERCISES.items():
        files = {p.stem for p in (FOLDER / "solutions" / slug).glob("*.py")}
        assert "reference" in files, slug
        assert len(exercise.wrong) >= 2 and set(exercise.wrong) <= files, slug


def test_notebooks_are_generated_from_the_definitions():
    for slug, exercise in EXERCISES.items():
        path = FOLDER / f"{slug}.ipynb"
        assert path.exists(), f"{path.name} missing: run `hero exercises build`"
        expected = nbformat.writes(build_notebook(exercise))
        assert path.read_text() == expected + "\n" or path.read_text() == expected, (
            f"{path.name} is out of date: run `hero exercises build`"
        )


@pytest.mark.parametrize(("slug", "variant"), MATRIX)
def test_papermill_matrix(slug, variant, tmp_path):
    import papermill

    verdict_path = tmp_path / "verdict.json"
    papermill.execute_notebook(
        str(FOLDER / f"{slug}.ipynb"),
        str(tmp_path / "out.ipynb"),
        parameters={"solution": variant, "verdict_path": str(verdict_path)},
        cwd=str(FOLDER),
        progress_bar=False,
        kernel_name="python3",
    )
    verdict = json.loads(verdict_path.read_text())
    if variant == "reference":
        assert verdict["status"] == "passed", verdict["text"]
    else:
        phrase = EXERCISES[slug].wrong[variant]
        assert verdict["status"] == "failed", verdict["text"]
        failing = [case["name"] for case in verdict["cases"] if not case["passed"]]
        assert any(phrase in name for name in failing), (
            f"expected a failing check named with {phrase!r} in:\n{verdict['text']}"
        )


@pytest.mark.slow
@pytest.mark.parametrize("slug", list(EXERCISES))
def test_papermill_peek_earns_nothing(slug, tmp_path):
    """The peek in the answer cells of the notebook a learner runs: its check cell, then
    `hero check` on the saved notebook, both give it nothing."""
    import papermill

    from codegen_hero.exercises import check_notebook
    from tests.exercises.peek import peek_source

    notebook = nbformat.read(FOLDER / f"{slug}.ipynb", as_version=4)
    answers = [c for c in notebook.cells if "answer" in c.metadata.get("tags", [])]
    answers[0].source = peek_source(EXERCISES[slug], disguised=True)
    for cell in answers[1:]:
        cell.source = "# answered above"
    nbformat.write(notebook, tmp_path / "peek.ipynb")
    verdict_path = tmp_path / "verdict.json"
    papermill.execute_notebook(
        str(tmp_path / "peek.ipynb"),
        str(tmp_path / "out.ipynb"),
        parameters={"verdict_path": str(verdict_path)},
        cwd=str(FOLDER),
        progress_bar=False,
        kernel_name="python3",
    )
    verdict = json.loads(verdict_path.read_text())
    assert verdict["score"] == 0 and verdict["status"] != "passed", verdict["text"]
    graded = check_notebook(slug, tmp_path / "out.ipynb", graded=True)
    assert graded.score == 0 and graded.status != "passed", str(graded)
