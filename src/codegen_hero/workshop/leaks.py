"""Leak search: distinctive strings of the answer key (solutions, hidden data), and a scan.

Distinctive means: a long line on its own, or two consecutive lines together (a single short
line such as `if isinstance(content, bytes):` turns up in honest labs), and not something
learners get anyway (the exercise notebooks; for solutions, also the package's source).
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

MIN_ALONE_CHARS = 40  # one line this long is specific enough by itself
MIN_PAIRED_CHARS = 8  # shorter lines (`try:`, `pass`) are skipped when pairing lines
MIN_PAIR_CHARS = 30  # two consecutive lines at least this long together
MIN_SENTENCE_CHARS = 24  # hidden case names are sentences


@dataclass(frozen=True)
class Secret:
    text: str
    origin: str  # where it comes from, for the error message


def _strings(value: Any, depth: int = 0) -> Iterator[str]:
    """Every string inside nested data (dicts, lists, tuples, dataclasses)."""
    if depth > 12:
        return
    if isinstance(value, str):
        yield value
    elif isinstance(value, bytes):
        yield value.decode("utf-8", errors="ignore")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key, depth + 1)
            yield from _strings(item, depth + 1)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            yield from _strings(item, depth + 1)
    elif hasattr(value, "__dataclass_fields__") and not isinstance(value, type):
        for name in value.__dataclass_fields__:
            yield from _strings(getattr(value, name), depth + 1)


def normalise(text: str) -> str:
    """Lines stripped, trivial ones (`try:`, `pass`) dropped: how code is compared here."""
    lines = (line.strip() for line in text.splitlines())
    return "\n".join(line for line in lines if len(line) >= MIN_PAIRED_CHARS)


def code_pieces(text: str) -> Iterator[str]:
    """Distinctive pieces of code: a long line alone, or two consecutive lines together.

    A single short line (`if isinstance(content, bytes):`) turns up in honest labs; the same
    two lines in a row, or one long specific line, do not happen by accident.
    """
    lines = normalise(text).splitlines()
    yield from (line for line in lines if len(line) >= MIN_ALONE_CHARS)
    for first, second in zip(lines, lines[1:], strict=False):
        if len(first) + len(second) >= MIN_PAIR_CHARS:
            yield f"{first}\n{second}"


def sentence_pieces(text: str) -> Iterator[str]:
    """Hidden case names and expectations: sentences, distinctive from a modest length."""
    for line in text.splitlines():
        if len(line.strip()) >= MIN_SENTENCE_CHARS:
            yield line.strip()


def secrets_for(
    slug: str, solutions: Path | None, public: str, package: str = "", course: str = ""
) -> list[Secret]:
    """What must never be shipped for one exercise (`public`, `package`: normalised texts).

    Everything in the exercise's folder of the answer key: each solution file and the hidden
    data file, whose strings (case data, expected results, known implementations) are
    searched for too. `public` is what learners get on purpose (the exercise notebooks); a
    solution line that is also in the package's own source (a stub's signature, a shipped
    helper) is not distinctive enough to search for. A piece of hidden data that the course
    material (`course`: the labs as written, visible cases) already shows on purpose, such as a
    textbook median implementation, is not a secret either.
    """
    from codegen_hero.exercises import get, judge
    from codegen_hero.exercises.answer_key import HIDDEN_FILE, load_hidden
    from codegen_hero.exercises.submission import Submission

    exercise = get(slug)
    found: list[Secret] = []
    folder = solutions / slug if solutions else None
    for path in sorted(folder.glob("*.py")) if folder and folder.is_dir() else []:
        origin = f"solutions/{slug}/{path.name}"
        pieces = code_pieces(path.read_text(encoding="utf-8"))
        shown = course if path.name == HIDDEN_FILE else ""  # data the labs show on purpose
        found += [Secret(p, origin) for p in pieces if p not in package and p not in shown]
    key = folder / HIDDEN_FILE if folder else None
    data = load_hidden(key) if key and key.is_file() else None
    for name, value in vars(data or object()).items():
        if isinstance(value, type | ModuleType) or callable(value):
            continue  # its code is in the file, searched above
        for text in _strings(value):
            origin = f"solutions/{slug}/{HIDDEN_FILE}:{name}"
            pieces = code_pieces(text)
            found += [Secret(p, origin) for p in pieces if p not in package and p not in course]
    if folder and (folder / "reference.py").is_file():
        reference = (folder / "reference.py").read_text(encoding="utf-8")
        verdict = judge(exercise, Submission(exercise, reference))
        for case in verdict.cases:
            if case.hidden:
                for text in (case.name, case.expected):
                    found += [Secret(p, f"hidden case of {slug}") for p in sentence_pieces(text)]
    return [s for s in found if s.text not in public]


def all_secrets(
    exercise_notebooks: Path, solutions: Path, slugs: list[str], labs: Path | None = None
) -> list[Secret]:
    """Every exercise's secrets, found in parallel (each runs its reference in the sandbox)."""
    public = "\n".join(notebook_texts(p) for p in exercise_notebooks.glob("*.ipynb"))
    package = package_source()
    course = "\n".join(notebook_texts(p) for p in sorted(labs.rglob("*.ipynb"))) if labs else ""
    course += "\n" + visible_exercise_data()
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        groups = pool.map(lambda slug: secrets_for(slug, solutions, public, package, course), slugs)
        return [secret for group in groups for secret in group]


def visible_exercise_data() -> str:
    """Every string the exercise modules hold (their visible cases), normalised."""
    import importlib

    from codegen_hero.exercises import all_exercises

    texts = []
    for exercise in all_exercises().values():
        module = importlib.import_module(exercise.check.__module__)
        for value in vars(module).values():
            if not (isinstance(value, type | ModuleType) or callable(value)):
                texts += [normalise(text) for text in _strings(value)]
    return "\n".join(texts)


def package_source() -> str:
    import codegen_hero

    root = Path(codegen_hero.__file__).parent
    return normalise("\n".join(p.read_text(encoding="utf-8") for p in sorted(root.rglob("*.py"))))


def notebook_texts(path: Path) -> str:
    """A file's text, normalised; for a notebook, every decoded string (JSON escapes quotes)."""
    raw = path.read_text(encoding="utf-8", errors="ignore")
    if path.suffix == ".ipynb":
        with contextlib.suppress(ValueError):
            raw = "\n".join(_strings(json.loads(raw)))
    return normalise(raw)


def scan(folder: Path, secrets: Iterable[Secret]) -> list[str]:
    """Every (file, origin) where a secret turns up, as readable lines."""
    secrets = list(secrets)
    hits = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        text = notebook_texts(path)
        for secret in secrets:
            if secret.text in text:
                text_one_line = secret.text.replace("\n", " ⏎ ")
                snippet = text_one_line if len(text_one_line) <= 70 else text_one_line[:69] + "…"
                hits.append(f"{path.relative_to(folder)} contains {snippet!r} from {secret.origin}")
    return hits
