"""The chat pane in a real JupyterLab, typed into as a learner would (slow: starts a server).

The model is the loopback test double (an OpenAI-compatible server on 127.0.0.1), so the test
is about the pane: typing, Enter to send, Shift+Enter for a new line, the streamed answer,
the numbers under it, Escape to stop, and no error in the page.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.test_jupyterlab import free_port, wait_until_up
from tests.fakes.llm_server import FakeLLMServer

JUPYTER = Path(sys.executable).with_name("jupyter")
MODEL = "openai/chat-pane-browser-test"
pytestmark = pytest.mark.slow

NOTEBOOK = {
    "cells": [
        {
            "cell_type": "code",
            "execution_count": None,
            "id": "pane",
            "metadata": {},
            "outputs": [],
            "source": f"from codegen_hero.chat import Chat\n\nChat({MODEL!r}).pane()",
        }
    ],
    "metadata": {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
    },
    "nbformat": 4,
    "nbformat_minor": 5,
}


@pytest.fixture(scope="module")
def chat_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("chatlab")
    (folder / "chat.ipynb").write_text(json.dumps(NOTEBOOK), encoding="utf-8")
    token, port = secrets.token_hex(16), free_port()
    log = folder.parent / "jupyter-lab-chat.log"
    with FakeLLMServer(chunk_delay=0.3) as fake:
        env = {
            **os.environ,
            "OPENAI_BASE_URL": fake.url + "/v1",
            "OPENAI_API_KEY": "sk-chat-pane-browser-test",
            "JUPYTER_CONFIG_DIR": str(folder.parent / "config"),
            "JUPYTER_RUNTIME_DIR": str(folder.parent / "runtime"),
        }
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
            yield f"{base}/lab/tree/chat.ipynb?token={token}"
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()


def test_type_enter_stream_and_stop_in_the_pane(chat_lab: str, browser, tmp_path):
    context = browser.new_context(viewport={"width": 1300, "height": 1000})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.goto(chat_lab, wait_until="domcontentloaded", timeout=120_000)
    tab.wait_for_selector(".jp-Notebook .jp-Cell", timeout=120_000)
    tab.wait_for_function(
        "() => [...document.querySelectorAll('.jp-StatusBar-TextItem, .jp-Toolbar-kernelStatus')]"
        ".some(e => /Idle/i.test(e.textContent || e.getAttribute('title') || ''))",
        timeout=120_000,
    )
    tab.click("text=Run", timeout=30_000)
    tab.click("text=Run All Cells", timeout=30_000)
    box = tab.wait_for_selector(".hero-chat-input textarea", timeout=120_000)

    box.click()
    box.type("first line")
    box.press("Shift+Enter")
    box.type("second line")
    assert box.input_value() == "first line\nsecond line"
    box.press("Enter")
    answer = tab.wait_for_selector(
        ".hero-chat-assistant:has(.hero-chat-meta:has-text('tokens'))", timeout=60_000
    )
    assert "Fake reply" in answer.inner_text()
    assert "cost unknown" in answer.inner_text()
    assert box.input_value() == ""
    user = tab.query_selector(".hero-chat-user")
    assert user is not None and "second line" in user.inner_text()

    box.type("a slow one")
    box.press("Enter")
    tab.wait_for_selector(".hero-chat-assistant:has-text('answering')", timeout=60_000)
    box.press("Escape")
    tab.wait_for_selector(".hero-chat-assistant:has-text('stopped by you')", timeout=60_000)
    tab.screenshot(path=str(tmp_path / "chat-pane.png"))
    assert errors == []
    context.close()
