"""The hand-written JupyterLab extension, run in Node against a stand-in JupyterLab.

The browser test proves it works in the real JupyterLab; these show, fast and one case at a
time, what it asks the server and what it hands JupyterLab back.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from importlib import resources
from pathlib import Path

import pytest

NODE = shutil.which("node")
HARNESS = Path(__file__).with_name("labextension_harness.js")
ENTRY = resources.files("codegen_hero.lab").joinpath("labextension", "static", "remoteEntry.js")
pytestmark = pytest.mark.skipif(NODE is None, reason="node is not installed")


def run(**scenario) -> dict:
    done = subprocess.run(
        [NODE, str(HARNESS), json.dumps(scenario), str(ENTRY)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_container_hands_jupyterlab_a_plugin_on_its_own_completer_token():
    out = run(text="x = ", offset=4, reply={"suggestion": "1"})
    assert out["esModule"] and out["pluginCount"] == 2 and out["autoStart"]  # + the chat keys
    assert out["requiresTheSharedToken"]  # the newest shared version, not the stale one
    assert out["loaded"] == ["completer 4.6.6", "services 7.6.6"]
    assert out["identifier"] == "codegen-hero"
    assert out["schemaDefault"]["enabled"] is True and out["schemaDefault"]["timeout"] >= 10000
    assert "has no module ./nothing" in out["missing"]


def test_it_sends_the_code_around_the_cursor_with_the_cells_above_as_context():
    text = "def f(é):\n    return é\n\nprint(f(2))"
    cursor = text.index("\n\nprint")  # JupyterLab's offset counts code points
    out = run(
        text=text,
        offset=cursor,
        cells_above=[["code", "import math"], ["markdown", "# Notes"], ["code", "y = 2"]],
        reply={"suggestion": " + 1"},
    )
    (request,) = out["requests"]
    assert request["url"] == "/base/codegen-hero/complete" and request["method"] == "POST"
    assert request["token"] == "tok"  # the app's own server settings carry the login
    assert request["body"] == {
        "prefix": "import math\n\ny = 2\n\ndef f(é):\n    return é",
        "suffix": "\n\nprint(f(2))",
    }
    assert out["result"] == {"items": [{"insertText": " + 1"}]}


def test_nothing_is_asked_outside_python_or_before_any_code():
    assert run(text="# Title", offset=7, mimeType="text/x-ipythongfm", reply={})["requests"] == []
    blank = run(text="   ", offset=3, reply={"suggestion": "x"})
    assert blank["requests"] == [] and blank["result"] == {"items": []}


def test_an_empty_suggestion_shows_nothing_and_an_error_shows_its_one_line():
    assert run(text="x = ", offset=4, reply={"suggestion": ""})["result"] == {"items": []}
    failed = run(text="x = ", offset=4, status=503, reply={"error": "model not installed"})
    assert failed["result"]["items"][0]["error"] == {"message": "model not installed"}
    gone = run(text="x = ", offset=4, network_error=True, reply={})
    message = gone["result"]["items"][0]["error"]["message"]
    assert "did not answer" in message and "connection refused" in message
