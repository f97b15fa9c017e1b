"""A real JupyterLab server on 127.0.0.1 for browser tests, and the clicks every test repeats.

Random port, a fresh token, its own config and runtime folders, no news or update checks; the
server is stopped (killed if it will not stop) however the test ends.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from codegen_hero.workshop.engine import free_loopback_port

JUPYTER = Path(sys.executable).with_name("jupyter")
IDLE = (
    "() => [...document.querySelectorAll('.jp-StatusBar-TextItem, .jp-Toolbar-kernelStatus')]"
    ".some(e => /Idle/i.test(e.textContent || e.getAttribute('title') || ''))"
)


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


@contextmanager
def jupyterlab(
    folder: Path,
    notebook: str,
    *,
    env: Mapping[str, str] | None = None,
    drop: Iterable[str] = (),
) -> Iterator[str]:
    """Serve `folder`; yield the URL that opens `notebook` in it. `env` adds variables to
    the server's (and so its kernels') environment, `drop` removes some."""
    state = folder.parent / f"{folder.name}-jupyter"
    state.mkdir(exist_ok=True)
    environment = {k: v for k, v in os.environ.items() if k not in set(drop)}
    environment.update(
        HERO_PROGRESS="0",
        JUPYTER_CONFIG_DIR=str(state / "config"),
        JUPYTER_RUNTIME_DIR=str(state / "runtime"),
    )
    environment.update(env or {})
    token, port = secrets.token_hex(16), free_loopback_port()
    log = state / "jupyter-lab.log"
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
            env=environment,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{base}/api/status?token={token}", server, log)
        yield f"{base}/lab/tree/{notebook}?token={token}"
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


def run_all_cells(tab: Any) -> None:
    """Wait for the notebook and an idle kernel, then Run > Run All Cells, as a learner does."""
    tab.wait_for_selector(".jp-Notebook .jp-Cell", timeout=120_000)
    tab.wait_for_function(IDLE, timeout=120_000)
    tab.click("text=Run", timeout=30_000)
    tab.click("text=Run All Cells", timeout=30_000)
