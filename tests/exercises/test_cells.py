"""The cell-tag contract: what `hero exercises build` writes is what the grader reads."""

from __future__ import annotations

import nbformat

from codegen_hero.exercises import all_exercises, cells
from codegen_hero.exercises.notebook import build_notebook
from codegen_hero.workshop.intake import parse_submission


def test_built_notebooks_carry_each_tag_where_the_grader_looks() -> None:
    for exercise in all_exercises().values():
        notebook = build_notebook(exercise)
        code = [c for c in notebook.cells if c.cell_type == "code"]
        assert cells.PARAMETERS in cells.tags(code[0])
        assert cells.answer_sources(notebook) == [a.stub.strip() for a in exercise.answers]
        assert sum(cells.is_code(c, cells.CHECK) for c in code) == 1
        assert sum(cells.is_code(c, cells.HINTS) for c in code) == 1


def test_odd_metadata_is_read_as_no_tags() -> None:
    assert cells.tags({"metadata": {"tags": "answer"}}) == []
    assert cells.tags({"metadata": []}) == []
    assert not cells.is_code({"cell_type": "markdown", "metadata": {"tags": ["answer"]}}, "answer")


def test_the_grader_reads_a_notebook_once_for_both_steps() -> None:
    exercise = all_exercises()["01-failure-diary"]
    parsed = parse_submission(nbformat.writes(build_notebook(exercise)).encode())
    assert parsed.answers == [answer.stub.strip() for answer in exercise.answers]
    ran = nbformat.reads(parsed.text, as_version=4)
    check = next(c for c in ran.cells if cells.is_code(c, cells.CHECK))
    assert "the grader runs the exercise's checker itself" in check.source
