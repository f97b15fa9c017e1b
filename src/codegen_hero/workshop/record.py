"""Record every lab's model answers once, so a room on flaky Wi-Fi can replay them offline.

Each lab runs top to bottom with papermill under HERO_CACHE=record, writing into a fresh
cache; that cache is exported as one JSON-lines file (`hero cache import FILE` on each
learner's machine, then HERO_CACHE=replay). The cache stores requests and answers only; the
file is still searched for every key-like value in the environment before it is kept.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from codegen_hero.models.errors import HeroError

KEY_VARS = ("ANTHROPIC_API_KEY", "OPENAI_API_KEY")
SECRET_SUFFIXES = ("_KEY", "_TOKEN", "_SECRET", "_PASSWORD")
MIN_SECRET_CHARS = 8


class RecordError(HeroError):
    pass


@dataclass(frozen=True)
class LabRun:
    lab: str
    ok: bool
    seconds: float
    message: str = ""


@dataclass
class Recording:
    out: Path
    responses: int = 0
    by_model: dict[str, int] = field(default_factory=dict)
    labs: list[LabRun] = field(default_factory=list)

    @property
    def failed(self) -> list[LabRun]:
        return [lab for lab in self.labs if not lab.ok]


def find_labs(paths: list[Path] | None) -> list[Path]:
    """Notebooks given (files or folders), or every notebook in the course's notebooks/."""
    if not paths:
        from codegen_hero.workshop.release import find_project_root

        paths = [find_project_root() / "notebooks"]
    labs: list[Path] = []
    for path in paths:
        if path.is_dir():
            labs += sorted(p for p in path.glob("*.ipynb") if not p.name.startswith("."))
        elif path.suffix == ".ipynb" and path.is_file():
            labs.append(path)
        else:
            raise RecordError(f"{path} is neither a notebook nor a folder of notebooks")
    if not labs:
        raise RecordError(f"no lab notebooks in {', '.join(str(p) for p in paths)}")
    return labs


@contextlib.contextmanager
def patched_environ(changes: dict[str, str | None]) -> Iterator[None]:
    """Kernels inherit os.environ when papermill starts them: set it for one lab, then undo."""
    saved = {name: os.environ.get(name) for name in changes}
    try:
        for name, value in changes.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def secret_values() -> list[str]:
    """Every value in the environment that looks like a credential."""
    return [
        value
        for name, value in os.environ.items()
        if name.upper().endswith(SECRET_SUFFIXES) and len(value) >= MIN_SECRET_CHARS
    ]


def refuse_credentials(path: Path) -> None:
    """Delete the export if any credential from the environment made it in."""
    text = path.read_text(encoding="utf-8")
    if any(value in text for value in secret_values()):
        path.unlink()
        raise RecordError(f"the export contained a credential from the environment; {path} deleted")


def run_lab(lab: Path, cache_path: Path, executed: Path, offline: bool, timeout: float) -> LabRun:
    """One lab, top to bottom, recording every answer into `cache_path`."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from codegen_hero.kernels import encrypted_kernel_env

    changes: dict[str, str | None] = {
        "HERO_CACHE": "record",
        "HERO_CACHE_PATH": str(cache_path),
        "HERO_NOTEBOOK": lab.stem,
        "HERO_PROGRESS": "0",
        "MPLBACKEND": "Agg",
        **encrypted_kernel_env(),
    }
    if offline:
        changes.update({name: None for name in KEY_VARS})  # only the local models answer
    started = time.monotonic()
    try:
        with patched_environ(changes):
            papermill.execute_notebook(
                str(lab),
                str(executed / lab.name),
                cwd=str(lab.parent),
                kernel_name="python3",
                progress_bar=False,
                execution_timeout=timeout,
            )
    except PapermillExecutionError as exc:
        why = f"cell {exc.exec_count} raised {exc.ename}: {exc.evalue}"
        return LabRun(lab.name, False, time.monotonic() - started, " ".join(why.split())[:300])
    except Exception as exc:  # noqa: BLE001 - a lab that cannot start is reported, not fatal
        why = f"{type(exc).__name__}: {exc}"
        return LabRun(lab.name, False, time.monotonic() - started, " ".join(why.split())[:300])
    return LabRun(lab.name, True, time.monotonic() - started)


def record(
    out: Path,
    labs: list[Path] | None = None,
    *,
    offline_models: bool = False,
    executed: Path | None = None,
    merge: bool = True,
    timeout: float = 600.0,
    on_lab: Callable[[LabRun], None] | None = None,
) -> Recording:
    """Run every lab once under HERO_CACHE=record, export the answers to `out`."""
    from codegen_hero.models.cache import ResponseCache

    if not offline_models and not os.environ.get("ANTHROPIC_API_KEY"):
        raise RecordError(
            "ANTHROPIC_API_KEY is not set: set it to record the hosted models, or pass "
            "--offline-models to record only the local models' answers"
        )
    notebooks = find_labs(labs)
    recording = Recording(out)
    with tempfile.TemporaryDirectory(prefix="hero-record-") as scratch:
        cache_path = Path(scratch) / "responses.sqlite3"
        target = executed or Path(scratch) / "executed"
        target.mkdir(parents=True, exist_ok=True)
        for lab in notebooks:
            run = run_lab(lab, cache_path, target, offline_models, timeout)
            recording.labs.append(run)
            if on_lab is not None:
                on_lab(run)
        cache = ResponseCache(cache_path)
        recording.by_model = cache.stats().by_model
        out.parent.mkdir(parents=True, exist_ok=True)
        recording.responses = cache.export(out)
    refuse_credentials(out)
    if merge and recording.responses:
        from codegen_hero.models.client import response_cache

        response_cache().import_file(out)  # this machine replays them too
    return recording
