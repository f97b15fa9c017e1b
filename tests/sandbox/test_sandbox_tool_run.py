"""The sandbox's tool profile: one writable folder, loopback only, a bridge, a deadline."""

from __future__ import annotations

import http.server
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from codegen_hero.sandbox import run_tool
from codegen_hero.sandbox.tool_run import missing_for_tools

MISSING = missing_for_tools(bridged=True)
needs_tools = pytest.mark.skipif(bool(MISSING), reason=MISSING or "")

PROBE = r"""
import socket, urllib.request, pathlib, sys
port = int(sys.argv[1])
print("bridge", urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).status)
for host in ("1.1.1.1", sys.argv[2]):
    try:
        socket.create_connection((host, 80), timeout=2)
        print("reached", host)
    except OSError as exc:
        print("unreachable", host, exc.errno)
pathlib.Path("inside.txt").write_text("written")
for target in (sys.argv[3], sys.argv[4]):
    try:
        open(target, "w").write("escaped")
        print("wrote", target)
    except OSError:
        print("refused", target)
"""


@pytest.fixture
def web_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()


def host_address() -> str:
    """An address of this machine that is not loopback (what a leak would reach)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))
            return str(probe.getsockname()[0])
        except OSError:
            return "10.255.255.1"


@needs_tools
def test_a_tool_reaches_the_bridge_and_nothing_else(tmp_path: Path, web_server: int):
    work, outside = tmp_path / "work", tmp_path / "outside"
    work.mkdir()
    outside.mkdir()
    escape = str(outside / "escape.txt")
    home_file = os.path.expanduser("~/hero-tool-escape.txt")
    argv = [sys.executable, "-c", PROBE, str(web_server), host_address(), escape, home_file]
    run = run_tool(argv, workdir=work, timeout=30, bridges=[web_server])
    assert run.status == "ok" and run.exit_code == 0, run.output
    assert "bridge 200" in run.output
    assert "reached" not in run.output and run.output.count("unreachable") == 2
    assert run.loopback_only, run.network  # the namespace's own view: only lo, no route
    assert (work / "inside.txt").read_text() == "written"
    assert "wrote" not in run.output and not Path(escape).exists()
    assert not os.path.exists(home_file)


@needs_tools
def test_without_a_bridge_even_loopback_servers_are_out_of_reach(tmp_path: Path, web_server: int):
    code = (
        "import socket,sys\n"
        "try:\n socket.create_connection(('127.0.0.1', int(sys.argv[1])), timeout=2)\n"
        " print('reached')\nexcept OSError:\n print('refused')"
    )
    run = run_tool([sys.executable, "-c", code, str(web_server)], workdir=tmp_path, timeout=20)
    assert run.output.strip() == "refused"


@needs_tools
def test_the_deadline_kills_the_tool_and_what_it_started(tmp_path: Path):
    code = "import subprocess,time\nsubprocess.Popen(['sleep','317'])\ntime.sleep(300)"
    run = run_tool([sys.executable, "-c", code], workdir=tmp_path, timeout=2)
    assert run.status == "timeout" and run.exit_code is None
    assert 2 <= run.duration_s < 10
    assert "wall-clock" in run.reason
    left = subprocess.run(["pgrep", "-f", "sleep 317"], capture_output=True, text=True)
    assert left.stdout.strip() == "", "a process the tool started outlived the run"


def test_without_bubblewrap_a_tool_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("HERO_SANDBOX", "rlimits")
    run = run_tool(["true"], workdir=tmp_path, timeout=5)
    assert run.status == "refused" and "bubblewrap" in run.reason
    assert list(tmp_path.iterdir()) == []


def test_a_bad_timeout_is_refused(tmp_path: Path):
    with pytest.raises(ValueError, match="timeout"):
        run_tool(["true"], workdir=tmp_path, timeout=0)
