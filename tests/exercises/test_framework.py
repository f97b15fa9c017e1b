"""The exercise machinery itself: submissions from every source, verdicts, hidden cases."""

from __future__ import annotations

import json
import linecache
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from codegen_hero.exercises import check, check_notebook, get, judge
from codegen_hero.exercises.framework import Case, UnknownExercise, Verdict
from codegen_hero.exercises.notebook import build_notebook
from codegen_hero.exercises.submission import Submission, solutions_dir

SLUG = "04-debug-prompt"
HERO = Path(sys.executable).with_name("hero")


def reference_code() -> str:
    return (solutions_dir() / SLUG / "reference.py").read_text()


def as_ipython_cell(source: str, number: int) -> dict:
    """Define code the way IPython does: compiled from a cell whose lines linecache knows."""
    filename = f"/tmp/ipykernel_0/{number}.py"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    namespace: dict = {}
    exec(compile(source, filename, "exec"), namespace)  # test set-up, not learner code
    return namespace


def test_live_namespace_sends_the_whole_cell_to_the_sandbox():
    namespace = as_ipython_cell(reference_code(), 1)  # helpers and imports come along
    verdict = check(SLUG, namespace)
    assert verdict.status == "passed", str(verdict)


def test_missing_answer_is_not_attempted_and_stub_too():
    assert check(SLUG, {}).status == "not attempted"
    exercise = get(SLUG)
    stub = Submission(exercise, "\n\n".join(a.stub for a in exercise.answers))
    assert judge(exercise, stub).status == "not attempted"


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("def build_debug_prompt(:\n    pass\n", "does not run"),
        ("while True:\n    pass\n", "stopped"),
        ("import os\nos._exit(3)\n", "does not run"),
    ],
    ids=["syntax-error", "endless-loop", "os-exit"],
)
def test_code_that_cannot_be_checked_is_an_error_with_a_reason(code, words):
    exercise = get(SLUG)
    submission = Submission(exercise, code)
    if words == "stopped":
        verdict = judge_with_timeout(exercise, submission)
    else:
        verdict = judge(exercise, submission)
    assert verdict.status == "error" and words in verdict.message
    assert "\n" not in verdict.message


def judge_with_timeout(exercise, submission):
    original = Submission.probe

    def quick(self, calls, setup="", timeout=15.0):
        return original(self, calls, setup, timeout=2.0)

    Submission.probe = quick
    try:
        return judge(exercise, submission)
    finally:
        Submission.probe = original


def test_graded_mode_hides_hidden_cases():
    cases = [
        Case("visible", False, "x", "y"),
        Case("secret data 42", False, "42", "7", True),
        Case("secret name 99", True, hidden=True),
    ]
    plain, graded = Verdict(SLUG, "failed", cases), Verdict(SLUG, "failed", cases, graded=True)
    assert "secret data 42" in str(plain) and "42" in json.dumps(plain.to_dict())
    assert "secret data 42" not in str(graded) and "hidden check 2" in str(graded)
    assert "secret name 99" not in str(graded) and "ok    hidden check 3" in str(graded)
    assert "42" not in json.dumps(graded.to_dict()["cases"])
    assert "99" not in json.dumps(graded.to_dict()["cases"])
    assert graded.score == 1 and graded.max_score == 3


def test_save_to_writes_the_verdict(tmp_path):
    target = tmp_path / "verdict.json"
    check(SLUG, solution="wrong-no-source", save_to=target)
    data = json.loads(target.read_text())
    assert data["status"] == "failed" and data["score"] < data["max_score"]


def test_unknown_exercise_and_solution():
    with pytest.raises(UnknownExercise, match="hero exercises list"):
        get("99-nope")
    assert check(SLUG, solution="wrong-imaginary").status == "error"


def notebook_with(code: str, path: Path) -> Path:
    notebook = build_notebook(get(SLUG))
    for cell in notebook.cells:
        if "answer" in cell.metadata.get("tags", []):
            cell.source = code
    nbformat.write(notebook, path)
    return path


def test_notebook_file_is_read_not_run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    # Writes a file into whatever directory it runs in: ours if it ran in our process.
    code = reference_code() + "\nopen('ran-here', 'w').write('x')\n"
    verdict = check_notebook(SLUG, notebook_with(code, tmp_path / "mine.ipynb"))
    assert verdict.status == "passed", str(verdict)
    assert not (tmp_path / "ran-here").exists()


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("{not json", "not a readable notebook"),
        ('{"cells": [], "nbformat": 4, "nbformat_minor": 5, "metadata": {}}', "no cells tagged"),
    ],
)
def test_broken_notebooks_are_errors(tmp_path, content, words):
    path = tmp_path / "broken.ipynb"
    path.write_text(content)
    verdict = check_notebook(SLUG, path)
    assert verdict.status == "error" and words in verdict.message


def test_hero_check_cli(tmp_path):
    good = notebook_with(reference_code(), tmp_path / "good.ipynb")
    passed = subprocess.run([str(HERO), "check", SLUG, str(good)], capture_output=True, text=True)
    assert passed.returncode == 0 and "PASSED" in passed.stdout
    stub = tmp_path / "stub.ipynb"
    nbformat.write(build_notebook(get(SLUG)), stub)
    fresh = subprocess.run(
        [str(HERO), "check", SLUG, str(stub), "--json"], capture_output=True, text=True
    )
    assert fresh.returncode == 1 and json.loads(fresh.stdout)["status"] == "not attempted"
    wrong = subprocess.run(
        [str(HERO), "check", SLUG, "--solution", "wrong-whole-files"],
        capture_output=True,
        text=True,
    )
    assert wrong.returncode == 1 and "fits the budget" in wrong.stdout


def test_instructions_beside_fills_every_placeholder_and_refuses_a_mismatch(tmp_path) -> None:
    from codegen_hero.exercises.framework import instructions_beside

    module = tmp_path / "__init__.py"
    (tmp_path / "instructions.md").write_text("Write `{{NAME}}`:\n\n{{CODE}}\n{not a placeholder}")
    filled = instructions_beside(str(module), NAME="median", CODE="def median(): ...")
    assert filled == "Write `median`:\n\ndef median(): ...\n{not a placeholder}"
    with pytest.raises(ValueError, match="CODE"):
        instructions_beside(str(module), NAME="median")
    with pytest.raises(ValueError, match="EXTRA"):
        instructions_beside(str(module), NAME="median", CODE="x", EXTRA="y")
