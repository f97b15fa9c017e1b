"""Run labs top to bottom and keep only the outputs that nbval compares.

nbval checks the stored output of cells tagged `nbval-check-output` (deterministic facts such
as a packed prompt's size or a table's columns); every other output is cleared so the
repository holds no model text and no keys. Run this after editing a lab:

    .venv/bin/python scripts/store_checked_outputs.py notebooks/05-ai-ide.ipynb [...]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from codegen_hero.kernels import use_encrypted_kernels

CHECKED = "nbval-check-output"


def coalesce(outputs: list) -> list:
    """Consecutive prints to one stream become one output, as Jupyter shows them."""
    merged: list = []
    for output in outputs:
        last = merged[-1] if merged else None
        if (
            last is not None
            and output.output_type == "stream" == last.output_type
            and output.name == last.name
        ):
            last.text += output.text
        else:
            merged.append(output)
    return merged


def store(path: Path) -> float:
    use_encrypted_kernels()
    notebook = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    resources = {"metadata": {"path": str(path.parent)}}
    NotebookClient(notebook, timeout=600, resources=resources).execute()
    elapsed = time.perf_counter() - start
    count = 0
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        if CHECKED in cell.metadata.get("tags", []):
            count += 1
            cell.execution_count = count
            cell.outputs = coalesce(cell.outputs)
            for output in cell.outputs:
                if "execution_count" in output:
                    output["execution_count"] = count
        else:
            cell.outputs = []
            cell.execution_count = None
        cell.metadata.pop("execution", None)
    notebook.metadata.pop("widgets", None)
    nbformat.write(notebook, path)
    return elapsed


def main(paths: list[str]) -> None:
    for name in paths:
        seconds = store(Path(name))
        print(f"{name}: ran in {seconds:.0f} s; checked outputs stored")


if __name__ == "__main__":
    main(sys.argv[1:])
