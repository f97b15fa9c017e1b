"""What came in: every file under SUBMISSIONS classified, and a notebook checked as data.

Nothing here runs a learner's code; it reads bytes and JSON only, so a hostile file costs at
most its size (capped) in parsing.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import warnings
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

MAX_NOTEBOOK_MB = 50
# The grader runs the checker itself, outside the notebook; the notebook's own check cell
# would only repeat it, nested in the sandbox where its sandbox cannot work reliably (its
# process cap is computed inside the PID namespace, so threads fail on a busy machine).
SKIPPED_CHECK = "verdict = None  # the grader runs the exercise's checker itself"


class InvalidNotebook(Exception):
    """The file cannot be a notebook of this course; the message is the row's reason."""


@dataclass(frozen=True)
class Item:
    """One file (or an empty folder) to report on; `status` is set when no run is needed."""

    learner: str
    exercise: str
    path: Path | None = None
    status: str | None = None
    message: str = ""


def discover(root: Path, known: Collection[str]) -> list[Item]:
    """Every file under SUBMISSIONS, each classified; nothing is skipped."""
    if not root.is_dir():
        raise ValueError(f"{root} is not a folder of learner folders")
    items: list[Item] = []
    for entry in sorted(root.iterdir()):
        if entry.is_dir() and not entry.is_symlink():
            items += _learner_items(entry, known)
        elif entry.is_symlink():
            items.append(
                Item("", entry.name, entry, "stray file", "a symbolic link (not followed)")
            )
        else:
            why = "not inside a learner folder (expected SUBMISSIONS/<learner>/<exercise>.ipynb)"
            items.append(Item("", entry.name, entry, "stray file", why))
    return items


def _learner_items(folder: Path, known: Collection[str]) -> list[Item]:
    learner, found = folder.name, []
    for base, dirs, files in os.walk(folder):
        dirs.sort()
        found += [Path(base, name) for name in sorted(files)]
        found += [Path(base, name) for name in dirs if Path(base, name).is_symlink()]
    if not found:
        return [Item(learner, "", folder, "empty", "no files in this learner's folder")]
    items = []
    for path in found:
        relative = path.relative_to(folder).as_posix()
        if path.is_symlink():
            items.append(Item(learner, relative, path, "stray file", "a symbolic link, not a file"))
        elif "/" in relative:
            why = "in a subfolder; expected <learner>/<exercise>.ipynb"
            items.append(Item(learner, relative, path, "stray file", why))
        elif path.suffix.lower() != ".ipynb":
            why = f"{relative} is not a notebook (.ipynb)"
            items.append(Item(learner, relative, path, "not a notebook", why))
        elif path.stem not in known:
            close = difflib.get_close_matches(path.stem, list(known), n=1)
            hint = f"; did you mean {close[0]}.ipynb?" if close else "; see `hero exercises list`"
            why = f"no exercise named {path.stem!r}{hint}"
            items.append(Item(learner, path.stem, path, "unknown exercise", why))
        else:
            items.append(Item(learner, path.stem, path))
    return items


@dataclass(frozen=True)
class Parsed:
    """One notebook, read once: the copy to run, and its answer cells for the checker."""

    text: str
    answers: list[str]


def load_submission(data: bytes) -> str:
    """The copy to run: outputs cleared, check cell stubbed out; or InvalidNotebook, why."""
    return parse_submission(data).text


def parse_submission(data: bytes) -> Parsed:
    """Parse and validate once; or InvalidNotebook, why."""
    import nbformat

    from codegen_hero.exercises import cells as tags

    if len(data) > MAX_NOTEBOOK_MB * 1024 * 1024:
        size = len(data) / 1024 / 1024
        raise InvalidNotebook(f"{size:.0f} MB, over the {MAX_NOTEBOOK_MB} MB limit")
    try:
        raw = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise InvalidNotebook("not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise InvalidNotebook(f"invalid JSON ({exc.msg} at line {exc.lineno})") from None
    if not isinstance(raw, dict) or not ({"cells", "worksheets", "nbformat"} & set(raw)):
        raise InvalidNotebook("JSON, but not a notebook (no cells)")
    if raw.get("nbformat") != 4:
        raise InvalidNotebook(
            f"nbformat {raw.get('nbformat')}; the course needs nbformat 4 (save it from Jupyter)"
        )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        notebook = nbformat.from_dict(raw)
        try:
            nbformat.validate(notebook)
        except nbformat.ValidationError as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else "schema error"
            raise InvalidNotebook(f"not a valid nbformat 4 notebook: {first}") from None
    answers = tags.answer_sources(notebook)
    if not answers:
        raise InvalidNotebook(f"no cells tagged '{tags.ANSWER}' (deleted or untagged)")
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
            if tags.is_code(cell, tags.CHECK):
                cell.source = SKIPPED_CHECK
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Parsed(nbformat.writes(notebook), answers)


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
