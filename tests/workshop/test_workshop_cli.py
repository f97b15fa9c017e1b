"""The commands as an instructor types them: summaries on success, one line on bad input."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import nbformat
from typer.testing import CliRunner

from codegen_hero.workshop import samples
from codegen_hero.workshop.cli import standalone, workshop_app

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()
WIDE = {"COLUMNS": "200"}


def test_grade_prints_a_summary_and_writes_both_files(tmp_path):
    samples.write(
        samples.solved("04-debug-prompt"), tmp_path / "in" / "ada" / "04-debug-prompt.ipynb"
    )
    (tmp_path / "in" / "bob").mkdir()
    args = ["grade", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--workers", "1"]
    result = runner.invoke(workshop_app, [*args, "--timeout", "60"], env=WIDE)
    assert result.exit_code == 0, result.output
    assert "2 files: 1 passed, 1 empty" in result.output
    with (tmp_path / "out" / "gradebook.csv").open() as fh:
        assert [r["status"] for r in csv.DictReader(fh)] == ["passed", "empty"]
    assert (tmp_path / "out" / "gradebook.html").stat().st_size > 1000


def test_grade_refuses_a_missing_folder_in_one_line(tmp_path):
    result = runner.invoke(workshop_app, ["grade", str(tmp_path / "nope"), "--out", str(tmp_path)])
    assert result.exit_code == 1 and "is not a folder" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_grade_refuses_zero_workers(tmp_path):
    args = ["grade", str(tmp_path), "--out", str(tmp_path / "o"), "--workers", "0"]
    result = runner.invoke(workshop_app, args)
    assert result.exit_code == 1 and "--workers must be at least 1" in result.output


def test_release_lists_the_leaks_it_refuses(tmp_path):
    source = tmp_path / "course"
    shutil.copytree(ROOT / "exercises", source / "exercises")
    leaked = (ROOT / "exercises" / "solutions" / "05-apply-edits" / "reference.py").read_text()
    lab = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(leaked)])
    (source / "notebooks").mkdir()
    nbformat.write(lab, source / "notebooks" / "lab.ipynb")
    args = ["release", str(tmp_path / "out"), "--source", str(source)]
    result = runner.invoke(workshop_app, args, env=WIDE)
    assert result.exit_code == 1
    assert "error: refusing to release: notebooks/lab.ipynb contains" in result.output
    assert "leak: notebooks/lab.ipynb" in result.output
    assert not (tmp_path / "out").exists()


def test_both_commands_are_reachable_standalone():
    result = runner.invoke(standalone(), ["--help"], env=WIDE)
    assert result.exit_code == 0 and "workshop" in result.output and "serve" in result.output
    help_text = runner.invoke(standalone(), ["workshop", "--help"], env=WIDE).output
    for command in ("release", "grade", "doctor", "record", "cost"):
        assert command in help_text
