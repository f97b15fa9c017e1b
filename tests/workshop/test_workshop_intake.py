"""What came in: every file classified, every notebook checked as data (nothing runs here)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import nbformat
import pytest

from codegen_hero.workshop import intake, samples
from codegen_hero.workshop.intake import InvalidNotebook, discover, load_submission

SLUG = "01-failure-diary"
KNOWN = [SLUG, "05-apply-edits"]


def statuses(root: Path) -> dict[tuple[str, str], str | None]:
    return {(i.learner, i.exercise): i.status for i in discover(root, KNOWN)}


def test_every_kind_of_file_is_classified(tmp_path):
    samples.write(samples.exercise_notebook(SLUG), tmp_path / "ada" / f"{SLUG}.ipynb")
    samples.write(samples.exercise_notebook(SLUG), tmp_path / "bob" / "05-apply-edit.ipynb")
    (tmp_path / "bob" / ".ipynb_checkpoints").mkdir()
    (tmp_path / "bob" / ".ipynb_checkpoints" / f"{SLUG}-checkpoint.ipynb").write_text("{}")
    (tmp_path / "bob" / ".DS_Store").write_bytes(b"\0\1")
    (tmp_path / "cy").mkdir()
    (tmp_path / "notes.md").write_text("hi")
    os.symlink("/etc/hostname", tmp_path / "ada" / "05-apply-edits.ipynb")
    assert statuses(tmp_path) == {
        ("ada", SLUG): None,  # to be graded
        ("ada", "05-apply-edits.ipynb"): "stray file",  # a symlink, never followed
        ("bob", "05-apply-edit"): "unknown exercise",
        ("bob", f".ipynb_checkpoints/{SLUG}-checkpoint.ipynb"): "stray file",
        ("bob", ".DS_Store"): "not a notebook",
        ("cy", ""): "empty",
        ("", "notes.md"): "stray file",
    }


def test_a_near_miss_name_gets_a_suggestion(tmp_path):
    samples.write(samples.exercise_notebook(SLUG), tmp_path / "bob" / "05-apply-edit.ipynb")
    (item,) = discover(tmp_path, KNOWN)
    assert "did you mean 05-apply-edits.ipynb?" in item.message


def test_a_missing_folder_is_a_one_line_error(tmp_path):
    with pytest.raises(ValueError, match="not a folder"):
        discover(tmp_path / "nope", KNOWN)


def test_stored_outputs_are_cleared_before_anything_runs():
    notebook = samples.solved(SLUG)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.execution_count = 3
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="x" * 10_000)]
    cleaned = json.loads(load_submission(nbformat.writes(notebook).encode()))
    code = [c for c in cleaned["cells"] if c["cell_type"] == "code"]
    assert all(c["outputs"] == [] and c["execution_count"] is None for c in code)
    checks = [c for c in code if "check" in c["metadata"].get("tags", [])]
    assert checks and all("".join(c["source"]) == intake.SKIPPED_CHECK for c in checks)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\xff\xfe not text", "not UTF-8"),
        (b"[1, 2, 3]", "not a notebook"),
        (b'{"cells": [], "nbformat": 5}', "nbformat 5"),
        (
            b'{"cells": [{"cell_type": "spreadsheet"}], "metadata": {}, "nbformat": 4, '
            b'"nbformat_minor": 5}',
            "not a valid nbformat 4 notebook",
        ),
    ],
)
def test_broken_files_are_invalid_with_a_reason(data, reason):
    with pytest.raises(InvalidNotebook, match=reason):
        load_submission(data)


def test_a_huge_file_is_refused_before_parsing(monkeypatch):
    monkeypatch.setattr(intake, "MAX_NOTEBOOK_MB", 1)
    with pytest.raises(InvalidNotebook, match="over the 1 MB limit"):
        load_submission(b" " * (2 * 1024 * 1024))


def test_the_digest_is_the_files_sha256(tmp_path):
    import hashlib

    path = tmp_path / "f"
    path.write_bytes(b"abc" * 1000)
    assert intake.file_digest(path) == hashlib.sha256(b"abc" * 1000).hexdigest()
