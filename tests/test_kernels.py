"""Kernels the course starts talk over encrypted TCP, so ipykernel has nothing to warn about.

A real kernel, started by papermill (as the grading and recording do, and as the book build's
nbclient does) in a fresh process: once with the course's provisioner, once without.
"""

from __future__ import annotations

import os
import subprocess
import sys

import nbformat

from codegen_hero import kernels
from codegen_hero.workshop.execute import driver_code

WARNING = "running over TCP without encryption"
RUN = (
    "import papermill, sys; papermill.execute_notebook(sys.argv[1], sys.argv[2], "
    "kernel_name='python3', progress_bar=False)"
)


def run_notebook(tmp_path, env: dict[str, str]) -> subprocess.CompletedProcess:
    notebook = tmp_path / "tiny.ipynb"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(6 * 7)")])
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, notebook)
    out = tmp_path / "out.ipynb"
    command = [sys.executable, "-c", RUN, str(notebook), str(out)]
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=180)
    assert result.returncode == 0, result.stderr
    assert nbformat.read(out, as_version=4).cells[0].outputs[0]["text"] == "42\n"
    return result


def test_the_provisioner_is_registered_and_on_in_this_test_run():
    assert kernels.provisioner_installed(), "reinstall the package: `make test` does"
    assert os.environ[kernels.ENV] == kernels.PROVISIONER  # the pytest plugin in addopts


def test_a_kernel_started_with_the_provisioner_does_not_warn(tmp_path):
    without = {k: v for k, v in os.environ.items() if k != kernels.ENV}
    assert WARNING in run_notebook(tmp_path, without).stderr  # what the default prints
    assert (
        WARNING not in run_notebook(tmp_path, {**without, **kernels.encrypted_kernel_env()}).stderr
    )


def test_grading_asks_for_the_provisioner_only_where_the_sandbox_can_find_it():
    code = driver_code()
    assert f"entry_points(group={kernels.GROUP!r}, name={kernels.PROVISIONER!r})" in code
    assert "provisioner.load()" in code
    assert f"os.environ.setdefault({kernels.ENV!r}, {kernels.PROVISIONER!r})" in code
