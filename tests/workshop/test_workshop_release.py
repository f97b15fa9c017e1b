"""The student copy: outputs gone, and not one line of a solution or a hidden case in it."""

from __future__ import annotations

import hashlib
import importlib
import json
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest

from codegen_hero.exercises import all_exercises, judge
from codegen_hero.exercises.submission import Submission
from codegen_hero.workshop.release import ReleaseError, release

ROOT = Path(__file__).resolve().parents[2]
SOLUTIONS = ROOT / "exercises" / "solutions"
DIARY = "01-failure-diary"


def lab_with_outputs(extra_source: str = "", output_text: str = "4") -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('solution = "reference"\ngraded = True')
    params.metadata["tags"] = ["parameters"]
    injected = nbformat.v4.new_code_cell('solution = "wrong-reads-none"')
    injected.metadata["tags"] = ["injected-parameters"]
    code = nbformat.v4.new_code_cell("2 + 2" + extra_source, execution_count=7)
    code.outputs = [nbformat.v4.new_output("stream", name="stdout", text=output_text)]
    code.metadata["execution"] = {"iopub.status.busy": "2026-01-01T00:00:00"}
    nb.cells = [nbformat.v4.new_markdown_cell("# A lab"), params, injected, code]
    nb.metadata["papermill"] = {"parameters": {"solution": "reference"}}
    return nb


def course(tmp_path: Path, lab: nbformat.NotebookNode) -> Path:
    """A course folder: the real exercises (solutions included) and one lab of our own."""
    source = tmp_path / "course"
    shutil.copytree(ROOT / "exercises", source / "exercises")
    (source / "notebooks").mkdir(parents=True)
    nbformat.write(lab, source / "notebooks" / "lab.ipynb")
    (source / "notebooks" / "data.csv").write_text("x,y\n1,2\n")
    (source / "notebooks" / ".ipynb_checkpoints").mkdir()
    (source / "notebooks" / ".ipynb_checkpoints" / "lab-checkpoint.ipynb").write_text("{}")
    return source


def public_text() -> str:
    """What learners get on purpose (the exercise notebooks) and the package's own source."""
    parts = [p.read_text() for p in (ROOT / "exercises").glob("*.ipynb")]
    parts += [p.read_text() for p in (ROOT / "src" / "codegen_hero").rglob("*.py")]
    return "\n".join(parts)


def forbidden_strings() -> dict[str, str]:
    """Distinctive strings from every solution file and every hidden case -> their origin."""
    public = public_text()
    found: dict[str, str] = {}
    for path in SOLUTIONS.rglob("*.py"):
        for line in path.read_text().splitlines():
            line = line.strip()
            if len(line) >= 30 and line not in public:
                found[line] = str(path.relative_to(ROOT))
    for slug, exercise in all_exercises().items():
        verdict = judge(exercise, Submission.from_solution(exercise, "reference"))
        hidden = [c for c in verdict.cases if c.hidden]
        assert hidden, f"{slug} has no hidden cases to search for"
        for case in hidden:
            found[case.name] = f"hidden case of {slug}"
        module = importlib.import_module(exercise.check.__module__)
        for name, value in vars(module).items():
            if name.startswith("HIDDEN"):
                for line in json.dumps(value, default=repr).split("\\n"):
                    line = line.strip(' "[]{},')
                    if len(line) >= 30 and line not in public.replace("\\n", "\n"):
                        found[line] = f"{module.__name__}.{name}"
    return found


def released_text(path: Path) -> str:
    raw = path.read_text(errors="ignore")
    if path.suffix != ".ipynb":
        return raw
    nb = json.loads(raw)
    cells = "\n".join("".join(c["source"]) + json.dumps(c.get("outputs", [])) for c in nb["cells"])
    return raw + "\n" + cells


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    tmp = tmp_path_factory.mktemp("release")
    source = course(tmp, lab_with_outputs(output_text="hidden: mixed costs: secret output"))
    subprocess.run(["git", "init", "-q", str(source)], check=True)
    subprocess.run(["git", "-C", str(source), "add", "."], check=True)
    subprocess.run(
        [
            "git",
            "-C",
            str(source),
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@t",
            "commit",
            "-qm",
            "course",
        ],
        check=True,
    )
    manifest = release(tmp / "out", source)
    return tmp / "out", manifest


def test_no_solution_or_hidden_case_survives(released):
    out, _ = released
    forbidden = forbidden_strings()
    assert len(forbidden) > 100  # the search is not vacuous: it does find the solutions
    solutions = "\n".join(p.read_text() for p in SOLUTIONS.rglob("*.py"))
    assert sum(needle in solutions for needle in forbidden) > 50
    files = [p for p in out.rglob("*") if p.is_file()]
    assert files
    for path in files:
        text = released_text(path)
        leaks = [origin for needle, origin in forbidden.items() if needle in text]
        assert not leaks, f"{path.relative_to(out)} leaks {leaks[:3]}"
    assert not list(out.rglob("solutions")) and not list(out.rglob("reference.py"))


def test_outputs_counts_and_run_metadata_are_cleared(released):
    out, _ = released
    notebooks = list(out.rglob("*.ipynb"))
    assert len(notebooks) == len(all_exercises()) + 1
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        assert "papermill" not in nb.metadata
        for cell in nb.cells:
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None, path.name
                assert "execution" not in cell.metadata
    lab = nbformat.read(out / "notebooks" / "lab.ipynb", as_version=4)
    sources = [c.source for c in lab.cells]
    assert "solution = None\ngraded = False" in sources  # parameters back to their defaults
    assert not any("wrong-reads-none" in s for s in sources)  # injected cell dropped
    assert (out / "notebooks" / "data.csv").read_text() == "x,y\n1,2\n"
    assert not (out / "notebooks" / ".ipynb_checkpoints").exists()


def test_the_manifest_lists_every_file_with_its_hash(released):
    out, manifest = released
    on_disk = json.loads((out / "manifest.json").read_text())
    assert on_disk["exercises"] == list(all_exercises()) and on_disk["labs"] == ["lab.ipynb"]
    assert len(on_disk["source_commit"]) == 40 and on_disk["source_dirty"] is False
    listed = {f["path"]: f for f in on_disk["files"]}
    actual = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert set(listed) == actual - {"manifest.json"}
    for path, entry in listed.items():
        data = (out / path).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest() and entry["bytes"] == len(data)
    assert manifest["secrets_checked"] > 100


def test_a_lab_that_quotes_a_solution_is_refused(tmp_path):
    line = next(
        ln.strip()
        for ln in (SOLUTIONS / DIARY / "reference.py").read_text().splitlines()
        if "finish_reason" in ln
    )
    source = course(tmp_path, lab_with_outputs(extra_source=f"\n# {line}"))
    with pytest.raises(ReleaseError, match="lab.ipynb contains") as caught:
        release(tmp_path / "out", source)
    assert f"solutions/{DIARY}/reference.py" in str(caught.value)
    assert not (tmp_path / "out").exists()


def test_a_folder_that_is_not_a_release_is_not_overwritten(tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "thesis.tex").write_text("precious")
    with pytest.raises(ReleaseError, match="not an earlier release"):
        release(tmp_path / "out", course(tmp_path, lab_with_outputs()))
    assert (tmp_path / "out" / "thesis.tex").read_text() == "precious"


def test_the_course_itself_releases_cleanly(tmp_path):
    """The shipped labs quote no solution: the real course folder passes the leak search."""
    manifest = release(tmp_path / "student", ROOT)
    labs = sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb"))
    exercises = sorted(p.stem for p in (ROOT / "exercises").glob("*.ipynb"))
    assert len(manifest["labs"]) == len(labs) and len(manifest["exercises"]) == len(exercises)
    assert not (tmp_path / "student" / "exercises" / "solutions").exists()
