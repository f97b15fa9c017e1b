"""The student copy: labs and exercises with no outputs, no solutions and no hidden cases.

Exercise notebooks are generated afresh from their definitions (what the grader checks);
labs are copied from `notebooks/` with outputs and execution counts cleared. Before anything
lands in OUT, every file is searched for distinctive strings from every solution file and
from the hidden cases; one hit and the release is refused, naming the file and the source.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from codegen_hero.exercises import cells as tags
from codegen_hero.models.errors import HeroError
from codegen_hero.workshop.leaks import all_secrets, scan

SKIP_DIRS = {".ipynb_checkpoints", "__pycache__", "_build", ".git", "solutions"}
DROP_NOTEBOOK_METADATA = ("papermill", "widgets", "execution")
DROP_CELL_METADATA = ("papermill", "execution", "ExecuteTime")


class ReleaseError(HeroError):
    def __init__(self, message: str, hits: list[str] | None = None) -> None:
        super().__init__(message)
        self.hits = hits or []


def find_project_root(start: Path | None = None) -> Path:
    """The folder holding notebooks/ and exercises/: from here upwards, then the package's."""
    import codegen_hero

    here = (start or Path.cwd()).resolve()
    for base in [here, *here.parents, *Path(codegen_hero.__file__).resolve().parents]:
        if (base / "exercises").is_dir() and (base / "notebooks").is_dir():
            return base
    raise ReleaseError(
        "cannot find the course folder (with notebooks/ and exercises/); use --source"
    )


def clean_notebook(notebook: Any) -> Any:
    """Outputs, execution counts, run metadata and injected parameters gone; defaults back."""
    notebook.cells = [c for c in notebook.cells if tags.INJECTED_PARAMETERS not in tags.tags(c)]
    for key in DROP_NOTEBOOK_METADATA:
        notebook.metadata.pop(key, None)
    for cell in notebook.cells:
        for key in DROP_CELL_METADATA:
            cell.metadata.pop(key, None)
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
            if tags.PARAMETERS in tags.tags(cell):
                cell.source = _default_parameters(cell.source)
    return notebook


def _default_parameters(source: str) -> str:
    """A `solution = "reference"` left in a parameters cell goes back to None."""
    for name, default in tags.PARAMETER_DEFAULTS.items():
        source = re.sub(rf"^{name}\s*=.*$", f"{name} = {default}", source, flags=re.M)
    return source


def git_commit(root: Path) -> dict[str, Any]:
    def git(*args: str) -> str:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True)
        if done.returncode:
            raise OSError(done.stderr.strip())
        return done.stdout.strip()

    try:
        return {
            "source_commit": git("rev-parse", "HEAD"),
            "source_dirty": bool(git("status", "--porcelain")),
        }
    except OSError:
        return {"source_commit": None, "source_dirty": None}


def _copy_labs(source: Path, target: Path) -> list[str]:
    import nbformat

    labs: list[str] = []
    if not source.is_dir():
        return labs
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        relative = path.relative_to(source)
        if any(part in SKIP_DIRS or part.startswith(".") for part in relative.parts):
            continue
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix == ".ipynb":
            nbformat.write(clean_notebook(nbformat.read(path, as_version=4)), destination)
            labs.append(relative.as_posix())
        else:
            shutil.copy2(path, destination)
    return labs


def _manifest(folder: Path, root: Path, slugs: list[str], labs: list[str]) -> dict[str, Any]:
    import codegen_hero

    files = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        files.append(
            {
                "path": path.relative_to(folder).as_posix(),
                "sha256": hashlib.sha256(data).hexdigest(),
                "bytes": len(data),
            }
        )
    return {
        "course": "The LLM Codegen Hero's Journey",
        "package_version": codegen_hero.__version__,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        **git_commit(root),
        "exercises": slugs,
        "labs": labs,
        "files": files,
    }


def release(out: Path, source: Path | None = None) -> dict[str, Any]:
    """Build the student copy in a scratch folder, refuse on any leak, then move it to OUT."""
    import nbformat

    from codegen_hero.exercises import all_exercises
    from codegen_hero.exercises.notebook import build_notebook

    root = source.resolve() if source else find_project_root()
    if out.exists() and any(out.iterdir()) and not (out / "manifest.json").is_file():
        raise ReleaseError(f"{out} exists and is not an earlier release; choose an empty folder")
    inside = [root / "notebooks", root / "exercises"]
    if out.resolve() == root or any(
        p == out.resolve() or p in out.resolve().parents for p in inside
    ):
        raise ReleaseError(f"{out} is inside the course sources; choose another folder")
    solutions = root / "exercises" / "solutions"
    if not solutions.is_dir():
        raise ReleaseError(f"no {solutions}: without the solutions there is nothing to check")
    exercises = all_exercises()
    out.parent.mkdir(parents=True, exist_ok=True)
    build = Path(tempfile.mkdtemp(prefix=".release-", dir=out.parent))
    try:
        labs = _copy_labs(root / "notebooks", build / "notebooks")
        for slug, exercise in exercises.items():
            path = build / "exercises" / f"{slug}.ipynb"
            path.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(clean_notebook(build_notebook(exercise)), path)
        labs_source = root / "notebooks"
        secrets = all_secrets(build / "exercises", solutions, list(exercises), labs_source)
        hits = scan(build, secrets)
        if hits:
            more = f" (and {len(hits) - 1} more)" if len(hits) > 1 else ""
            raise ReleaseError(f"refusing to release: {hits[0]}{more}", hits)
        manifest = _manifest(build, root, list(exercises), labs)
        text = json.dumps(manifest, indent=2) + "\n"
        (build / "manifest.json").write_text(text, encoding="utf-8")
        if out.exists():
            shutil.rmtree(out)
        build.rename(out)  # same parent folder: one atomic step
    finally:
        shutil.rmtree(build, ignore_errors=True)
    manifest["secrets_checked"] = len(secrets)
    return manifest
