"""POST /codegen-hero/complete on a real Jupyter server on 127.0.0.1, as JupyterLab calls it.

The server extension is enabled the way an install enables it (a config file under a
prefix); the model behind it is the loopback LLM server, a test double.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from codegen_hero.lab.install import install
from codegen_hero.models.registry import load_registry
from codegen_hero.workshop.engine import free_loopback_port
from tests.fakes.llm_server import FakeLLMServer

JUPYTER = Path(sys.executable).with_name("jupyter")


@pytest.fixture(scope="module")
def llm() -> Iterator[FakeLLMServer]:
    with FakeLLMServer(reply="return n % 2 == 0\n\nprint(1)") as server:
        yield server


@pytest.fixture(scope="module")
def jupyter(tmp_path_factory, llm) -> Iterator[tuple[str, str]]:
    prefix = tmp_path_factory.mktemp("prefix")
    install(prefix)
    token, port = secrets.token_hex(8), free_loopback_port()
    registry = load_registry()
    env = {
        **os.environ,
        "JUPYTER_PATH": str(prefix / "share" / "jupyter"),
        "JUPYTER_CONFIG_PATH": str(prefix / "etc" / "jupyter"),
        "JUPYTER_CONFIG_DIR": str(prefix / "config"),
        "JUPYTER_RUNTIME_DIR": str(prefix / "runtime"),
        "HERO_ROOM_URL": llm.url + "/v1",
        "HERO_AUTOCOMPLETE": next(n for n in registry.fim_models() if n.startswith("room/")),
    }
    log = prefix / "server.log"
    as_root = ["--allow-root"] if os.geteuid() == 0 else []
    with log.open("w") as sink:
        server = subprocess.Popen(
            [str(JUPYTER), "server", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
             "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
             f"--ServerApp.root_dir={prefix}", *as_root],
            stdout=sink, stderr=subprocess.STDOUT, env=env,
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"jupyter server did not start:\n{log.read_text()[-3000:]}")
                time.sleep(0.3)
        yield base, token
    finally:
        server.terminate()
        server.wait(timeout=20)


def post(base: str, body: bytes, token: str | None) -> tuple[int, dict]:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"token {token}"
    request = urllib.request.Request(f"{base}/codegen-hero/complete", body, headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        text = error.read()
        return error.code, json.loads(text) if text.startswith(b"{") else {}


def test_a_signed_in_request_gets_a_suggestion(jupyter, llm):
    base, token = jupyter
    body = json.dumps({"prefix": "def is_even(n):\n    ", "suffix": ""}).encode()
    status, reply = post(base, body, token)
    assert status == 200 and reply["suggestion"] == "return n % 2 == 0"
    assert llm.requests[-1].path == "/v1/completions"


def test_no_login_no_model_call(jupyter, llm):
    base, _ = jupyter
    before = len(llm.requests)
    status, _ = post(base, b'{"prefix": "x = "}', None)
    assert status == 403 and len(llm.requests) == before


def test_bad_input_and_a_failing_model_are_one_line_each(jupyter, llm):
    base, token = jupyter
    status, reply = post(base, b"not json", token)
    assert status == 400 and reply["error"].startswith("bad request:")
    status, reply = post(base, b'{"prefix": 1}', token)
    assert status == 400 and "send JSON like" in reply["error"]
    llm.reply = lambda request: (_ for _ in ()).throw(RuntimeError("boom"))  # a 500 upstream
    status, reply = post(base, b'{"prefix": "x = "}', token)
    assert status == 503 and "\n" not in reply["error"] and reply["error"]
