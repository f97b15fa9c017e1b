"""The exercise notebook's cell tags: the one contract between the notebooks and the grader.

`hero exercises build` writes these tags; the check cell, `hero check`, the workshop grader
and the release read them through this module only.

* parameters: the first code cell; papermill injects `solution`, `graded`, `verdict_path`.
* answer: one code cell per answer, the learner's work; the only cells a checker judges.
* check: the cell that asks for a verdict; the grader stubs it out and runs its own.
* hints: the cell that shows the three hints.
"""

from __future__ import annotations

from typing import Any

PARAMETERS = "parameters"
INJECTED_PARAMETERS = "injected-parameters"  # papermill's copy of the parameters cell
ANSWER = "answer"
CHECK = "check"
HINTS = "hints"
PARAMETER_DEFAULTS = {"solution": "None", "graded": "False", "verdict_path": "None"}


def tags(cell: Any) -> list[str]:
    """A cell's tags, whatever shape its metadata has."""
    metadata = cell.get("metadata", {}) if hasattr(cell, "get") else {}
    found = metadata.get("tags", []) if isinstance(metadata, dict) else []
    return [tag for tag in found if isinstance(tag, str)] if isinstance(found, list) else []


def is_code(cell: Any, tag: str) -> bool:
    return cell.get("cell_type") == "code" and tag in tags(cell)


def answer_sources(notebook: Any) -> list[str]:
    """The answer cells' sources, in order: what every checker judges."""
    return [source(cell) for cell in notebook.cells if is_code(cell, ANSWER)]


def source(cell: Any) -> str:
    """A cell's source as one string (a notebook file may store it as a list of lines)."""
    text = cell.get("source", "")
    return "".join(text) if isinstance(text, list) else str(text)
