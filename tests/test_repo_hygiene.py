"""What the repository ships: clean notebooks and no secrets."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from tests.repo_files import shipped_files

ROOT = Path(__file__).resolve().parents[1]
KEY_PATTERN = re.compile(
    r"(sk-ant-[A-Za-z0-9_-]{8,}|sk-[A-Za-z0-9]{32,}|hero-room-[A-Za-z0-9_-]{32,})"
)


NOTEBOOKS = sorted(
    p.relative_to(ROOT).as_posix()
    for p in shipped_files()
    if p.suffix == ".ipynb" and p.parts[len(ROOT.parts)] in ("notebooks", "exercises")
)


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebooks_ship_without_outputs_except_checked_cells(name: str):
    notebook = nbformat.read(ROOT / name, as_version=4)
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        checked = "nbval-check-output" in cell.metadata.get("tags", [])
        if not checked:
            assert cell.outputs == [], f"{name} cell {index} ships outputs"
            assert cell.execution_count is None, f"{name} cell {index} has an execution count"


def test_no_key_like_string_in_any_shipped_file():
    hits = []
    for path in shipped_files():
        if path.suffix in {".gguf", ".png", ".whl", ".sqlite3"}:
            continue
        text = path.read_text(encoding="utf-8", errors="ignore")
        for match in KEY_PATTERN.finditer(text):
            if "canary" not in match.group(0):  # the tests' own fake keys say so
                hits.append(f"{path.relative_to(ROOT)}: {match.group(0)[:12]}…")
    assert hits == []
