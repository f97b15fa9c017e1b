"""A "your turn" pick in a real JupyterLab: buttons appear, nothing is revealed before a click,
and the click reveals under the buttons. Proves that a kernel started by JupyterLab counts as
interactive (the unattended path is covered in tests/toolkit/test_toolkit_yourturn.py).
"""

from __future__ import annotations

import os
import secrets
import subprocess
from collections.abc import Iterator

import nbformat
import pytest

from tests.browser.test_jupyterlab import JUPYTER, free_port, wait_until_up

pytestmark = pytest.mark.slow

PICK_CELL = """\
from codegen_hero.toolkit.yourturn import choose


def reveal(pick):
    print(f"revealed after the pick: {pick}")


choice = choose(["A", "B", "C"], reveal)"""


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """JupyterLab on loopback over a one-cell notebook that offers a pick; yields its URL."""
    folder = tmp_path_factory.mktemp("choice")
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(PICK_CELL)]
    # Without a kernelspec JupyterLab asks which kernel to start, and nothing runs.
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    nbformat.write(notebook, folder / "pick.ipynb")
    token, port = secrets.token_hex(16), free_port()
    log = folder.parent / "jupyter-lab-choice.log"
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("HERO_INTERACTIVE", "JPY_SESSION_NAME")
    }
    env.update(
        JUPYTER_CONFIG_DIR=str(folder.parent / "config"),
        JUPYTER_RUNTIME_DIR=str(folder.parent / "runtime"),
    )
    as_root = ["--allow-root"] if os.geteuid() == 0 else []
    with log.open("w") as sink:
        server = subprocess.Popen(
            [
                str(JUPYTER),
                "lab",
                "--no-browser",
                "--ServerApp.ip=127.0.0.1",
                f"--ServerApp.port={port}",
                "--ServerApp.port_retries=0",
                f"--IdentityProvider.token={token}",
                f"--ServerApp.root_dir={folder}",
                "--LabApp.news_url=",
                "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
                *as_root,
            ],
            stdout=sink,
            stderr=subprocess.STDOUT,
            env=env,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{base}/api/status?token={token}", server, log)
        yield f"{base}/lab/tree/pick.ipynb?token={token}"
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


def test_a_click_records_the_pick_and_only_then_reveals(lab: str, browser) -> None:
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.goto(lab, wait_until="domcontentloaded", timeout=120_000)
    tab.wait_for_selector(".jp-Notebook .jp-Cell", timeout=120_000)
    tab.wait_for_function(
        "() => [...document.querySelectorAll('.jp-StatusBar-TextItem, .jp-Toolbar-kernelStatus')]"
        ".some(e => /Idle/i.test(e.textContent || e.getAttribute('title') || ''))",
        timeout=120_000,
    )
    tab.click("text=Run", timeout=30_000)
    tab.click("text=Run All Cells", timeout=30_000)
    choice = tab.wait_for_selector(".hero-choice", timeout=120_000)
    buttons = choice.query_selector_all(".hero-choice-button")
    assert [b.inner_text().strip() for b in buttons] == ["A", "B", "C"]
    assert "revealed" not in choice.inner_text()  # nothing shown before the click

    buttons[1].click()
    tab.wait_for_function(
        "() => document.querySelector('.hero-choice').textContent"
        ".includes('revealed after the pick: B')",
        timeout=60_000,
    )
    assert all(b.is_disabled() for b in choice.query_selector_all(".hero-choice-button"))
    assert errors == []
    context.close()
