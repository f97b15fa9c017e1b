"""A lab in a real JupyterLab server on 127.0.0.1, run from the browser, shows its widget.

This is what a learner does on a laptop: `jupyter lab`, open the setup check, Run All. The
comparison widget must render in the page (not only as text), with one pane per lab model.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
JUPYTER = Path(sys.executable).with_name("jupyter")
pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_up(url: str, server: subprocess.Popen, log: Path, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"jupyter lab exited early:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"jupyter lab did not answer within {seconds:.0f} s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory, local_model_ready) -> Iterator[str]:
    """A JupyterLab server on loopback over a copy of the setup check; yields the notebook URL."""
    folder = tmp_path_factory.mktemp("lab")
    shutil.copy(ROOT / "notebooks" / "setup_check.ipynb", folder)
    token, port = secrets.token_hex(16), free_port()
    log = folder.parent / "jupyter-lab.log"
    env = {
        **os.environ,
        "HERO_PROGRESS": "0",
        "JUPYTER_CONFIG_DIR": str(folder.parent / "config"),
        "JUPYTER_RUNTIME_DIR": str(folder.parent / "runtime"),
    }
    as_root = ["--allow-root"] if os.geteuid() == 0 else []  # CI containers run as root
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
        yield f"{base}/lab/tree/setup_check.ipynb?token={token}"
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


def test_the_setup_lab_runs_and_shows_its_comparison_widget(lab: str, browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.goto(lab, wait_until="domcontentloaded", timeout=120_000)
    # The kernel is idle once its status says so; then Run All from the Run menu.
    tab.wait_for_selector(".jp-Notebook .jp-Cell", timeout=120_000)
    tab.wait_for_function(
        "() => document.querySelector('.jp-Notebook') !== null && "
        "[...document.querySelectorAll('.jp-StatusBar-TextItem, .jp-Toolbar-kernelStatus')]"
        ".some(e => /Idle/i.test(e.textContent || e.getAttribute('title') || ''))",
        timeout=120_000,
    )
    tab.click("text=Run", timeout=30_000)
    tab.click("text=Run All Cells", timeout=30_000)
    widget = tab.wait_for_selector(".hero-comparison", timeout=300_000)
    panes = widget.query_selector_all(".hero-pane-widget")
    assert len(panes) >= 2, widget.inner_text()[:2000]
    assert "is_even" in widget.inner_text()
    # The last cell (the table's columns) has run too: the whole notebook went through.
    tab.wait_for_function(
        "() => [...document.querySelectorAll('.jp-OutputArea-output')]"
        ".some(e => e.textContent.includes('latency_s'))",
        timeout=120_000,
    )
    failed = tab.query_selector_all(".jp-OutputArea-output[data-mime-type*='error']")
    assert failed == [], [f.inner_text()[:500] for f in failed]
    assert errors == []
    context.close()
