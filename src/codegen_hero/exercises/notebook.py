"""Exercise notebooks: generated from the exercise definitions, so all share one shape.

Cells: instructions; a `parameters` cell (papermill injects `solution`); one `answer` cell per
answer, holding a stub that runs and reports "not attempted"; the check cell; the hints.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nbformat

from codegen_hero.exercises import cells as tags
from codegen_hero.exercises.framework import Exercise, all_exercises, get

KERNEL = {"name": "python3", "display_name": "Python 3", "language": "python"}


class Hints:
    """Three hints, one more each time the button is pressed (plain text outside Jupyter)."""

    def __init__(self, exercise: Exercise) -> None:
        self.exercise = exercise

    def __repr__(self) -> str:
        return "\n".join(f"Hint {i}: {h}" for i, h in enumerate(self.exercise.hints, start=1))

    def _ipython_display_(self) -> None:
        from IPython.display import display

        try:
            import ipywidgets as widgets
        except ImportError:
            print(repr(self))
            return
        shown = widgets.VBox([])
        button = widgets.Button(description="Show hint 1 of 3")

        def reveal(_: Any) -> None:
            count = len(shown.children)
            hint = self.exercise.hints[count]
            shown.children = (*shown.children, widgets.HTML(f"<b>Hint {count + 1}.</b> {hint}"))
            if count + 1 == len(self.exercise.hints):
                button.disabled, button.description = True, "No more hints"
            else:
                button.description = f"Show hint {count + 2} of 3"

        button.on_click(reveal)
        display(widgets.VBox([button, shown]))


def hints(slug: str) -> Hints:
    return Hints(get(slug))


def build_notebook(exercise: Exercise) -> nbformat.NotebookNode:
    md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
    cells = [
        md(
            f"# Exercise {exercise.slug}: {exercise.title}\n\n{exercise.instructions.strip()}\n\n"
            f"This exercise belongs to the chapter [{exercise.chapter.split('/')[-1]}]"
            f"(../{exercise.chapter}.md).\n\n"
            "**How it works.** Replace each stub below with your answer and run the cell; then "
            "run the check cell. The checker runs your code in a sandbox, never in this "
            "notebook's process, and judges what it returns. Stuck? The hints at the end come "
            "one at a time."
        ),
        code(
            "# Parameters (CI injects a solution name here; leave them as they are).\n"
            "solution = None\ngraded = False\nverdict_path = None",
            metadata={"tags": [tags.PARAMETERS]},
        ),
        code("from codegen_hero.exercises import check, hints"),
    ]
    for answer in exercise.answers:
        cells.append(md(f"## Your answer: `{answer.name}`"))
        cells.append(code(answer.stub.strip(), metadata={"tags": [tags.ANSWER]}))
    cells += [
        md("## Check your work"),
        code(
            f'verdict = check("{exercise.slug}", globals(), solution=solution, graded=graded,\n'
            "                save_to=verdict_path)\nverdict",
            metadata={"tags": [tags.CHECK]},
        ),
        md("## Stuck?"),
        code(f'hints("{exercise.slug}")', metadata={"tags": [tags.HINTS]}),
    ]
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = KERNEL
    notebook.metadata["language_info"] = {"name": "python"}
    for number, cell in enumerate(notebook.cells):  # stable ids keep diffs small
        cell["id"] = f"{exercise.slug}-{number}"
    return notebook


def write_notebooks(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for slug, exercise in all_exercises().items():
        path = folder / f"{slug}.ipynb"
        nbformat.write(build_notebook(exercise), path)
        written.append(path)
    return written
