"""The answer key: what decides a grade, kept where no learner code can reach it.

It lives outside the package, in a grader-only folder (the course's `exercises/solutions/`,
or HERO_SOLUTIONS_DIR): per exercise, the reference and known-wrong solutions, and
`hidden.py` with the hidden cases (their data, expected results and any known-correct or
buggy implementations). The grader reads it at check time, in its own process. The package
never imports it, the sandbox that runs learner code is told to hide it (like the source
checkout), and the student release leaves the whole folder out.

Without an answer key (a student copy) the checkers judge the visible cases only and say so.
"""

from __future__ import annotations

import os
import runpy
import threading
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ENV_VAR = "HERO_SOLUTIONS_DIR"
HIDDEN_FILE = "hidden.py"
FOLDER = ("exercises", "solutions")
_LOCK = threading.Lock()
_LOADED: dict[tuple[str, float], SimpleNamespace] = {}


class AnswerKeyMissing(Exception):
    """No answer key here; the message says where it was looked for."""


def find_answer_key() -> Path | None:
    """HERO_SOLUTIONS_DIR, else `exercises/solutions` above the working directory or the
    package (a source checkout); None in a student copy."""
    if os.environ.get(ENV_VAR):
        folder = Path(os.environ[ENV_VAR])
        return folder if folder.is_dir() else None
    for base in [Path.cwd(), *Path.cwd().parents, *Path(__file__).resolve().parents]:
        candidate = base.joinpath(*FOLDER)
        if candidate.is_dir():
            return candidate
    return None


def answer_key() -> Path:
    found = find_answer_key()
    if found is None:
        raise AnswerKeyMissing(f"cannot find {'/'.join(FOLDER)}; set {ENV_VAR}")
    return found


def solution_names(slug: str) -> list[str]:
    """The solution files of one exercise (reference, wrong-…), without the hidden cases."""
    folder = answer_key() / slug
    return sorted(p.stem for p in folder.glob("*.py") if p.name != HIDDEN_FILE)


def hidden(slug: str) -> SimpleNamespace | None:
    """The exercise's hidden data, loaded in this (the grader's) process; None without a key.

    Loaded by path, never imported: it is not on any import path, so neither a learner's
    kernel nor sandboxed code can `import` it.
    """
    folder = find_answer_key()
    path = folder / slug / HIDDEN_FILE if folder else None
    if path is None or not path.is_file():
        return None
    return load_hidden(path)


def load_hidden(path: Path) -> SimpleNamespace:
    """One hidden-data file's public names, run once per version of the file."""
    stamp = (str(path.resolve()), path.stat().st_mtime)
    with _LOCK:
        if stamp not in _LOADED:
            names: dict[str, Any] = runpy.run_path(str(path), run_name="hidden")
            public = {k: v for k, v in names.items() if not k.startswith("_")}
            _LOADED[stamp] = SimpleNamespace(**public)
        return _LOADED[stamp]


def sandbox_hide() -> tuple[str, ...]:
    """Folders the sandbox must hide from learner code: the answer key, wherever it is."""
    folder = find_answer_key()
    return (str(folder.resolve()),) if folder else ()


def hidden_value(slug: str, name: str, default: Any) -> Any:
    """One name from the exercise's hidden data, or `default` without an answer key."""
    data = hidden(slug)
    return getattr(data, name) if data is not None else default
