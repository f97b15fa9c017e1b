"""run_tool: run a whole program (a coding tool such as aider) in the sandbox, on one folder.

The "tool" profile of the sandbox. run_code gives a snippet a fresh folder; run_tool gives
a real program write access to one existing folder (a throwaway git repository) and one
scratch home, and nothing else: read-only filesystem, empty home, own PID namespace, and
its own network namespace with only a loopback interface. The one way out is a bridge per
`bridges` entry: inside, 127.0.0.1:PORT is forwarded over a Unix socket to the same port on
the host's loopback (the model server), by socat on both sides. Every run has a wall-clock
deadline; when it passes, everything the program started is killed.

It needs bubblewrap: rlimits alone cannot cut the network, so without it the run is refused.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from codegen_hero.sandbox.bwrap import BWRAP_LEVEL, bwrap_argv, choose_isolation, python_paths
from codegen_hero.sandbox.capture import CappedReader
from codegen_hero.sandbox.limits import sandbox_env
from codegen_hero.sandbox.reaper import kill_group

LAUNCHER = Path(__file__).resolve().with_name("tool_launcher.py")
READER_JOIN_S = 3.0
BRIDGE_WAIT_S = 5.0
OK, TIMEOUT, REFUSED = "ok", "timeout", "refused"


@dataclass(frozen=True)
class ToolRun:
    """What happened: status ok (the program exited by itself), timeout, or refused."""

    status: str
    exit_code: int | None = None
    duration_s: float = 0.0
    output: str = ""  # stdout and stderr, in order, capped
    truncated: bool = False
    reason: str = ""
    isolation: str = ""
    network: dict[str, object] = field(default_factory=dict)  # what the program could see

    @property
    def loopback_only(self) -> bool:
        """True when the run's network namespace had only `lo` and no route at all."""
        return self.network.get("interfaces") == ["lo"] and self.network.get("routes") == []


def missing_for_tools(bridged: bool) -> str:
    """Why the tool profile cannot run here, or "" when it can."""
    isolation = choose_isolation()
    if isolation.level != BWRAP_LEVEL:
        return (
            "running a tool needs bubblewrap to cut its network (install the 'bubblewrap' "
            f"package): {isolation.explanation}"
        )
    if bridged and shutil.which("socat") is None:
        return "the bridge to the model server needs socat (install the 'socat' package)"
    return ""


def _host_bridge(sock: str, port: int) -> subprocess.Popen[bytes]:
    listen = f"UNIX-LISTEN:{sock},fork,mode=600"
    process = subprocess.Popen(
        ["socat", listen, f"TCP:127.0.0.1:{port}"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + BRIDGE_WAIT_S
    while not os.path.exists(sock) and time.monotonic() < deadline:
        time.sleep(0.02)
    return process


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        kill_group(process.pid)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=5)


def run_tool(
    command: Sequence[str],
    *,
    workdir: str | Path,
    timeout: float,
    env: Mapping[str, str] | None = None,
    bridges: Sequence[int] = (),
    readable: Sequence[str | Path] = (),
    max_output_bytes: int = 400_000,
) -> ToolRun:
    """Run `command` in `workdir` (the only folder it may change) for at most `timeout` s.

    `env` is added to the sandbox's clean environment (HOME is a scratch folder that is
    thrown away). `bridges` lists loopback ports the program may reach (the model server),
    `readable` folders under a hidden root (/tmp, home) it may read, such as its own venv.
    """
    if timeout <= 0:
        raise ValueError(f"timeout must be a positive number of seconds, not {timeout!r}")
    root = os.path.realpath(workdir)
    missing = missing_for_tools(bool(bridges))
    if missing:
        return ToolRun(REFUSED, reason=missing, isolation=choose_isolation().level)
    if not os.path.isdir(root):
        return ToolRun(REFUSED, reason=f"{root} is not a folder", isolation=BWRAP_LEVEL)
    isolation = choose_isolation()
    scratch = os.path.realpath(tempfile.mkdtemp(prefix="hero-tool-"))
    home, sockets = Path(scratch, "home"), Path(scratch, "sockets")
    home.mkdir()
    sockets.mkdir()
    report = Path(scratch, "network.json")
    helpers: list[subprocess.Popen[bytes]] = []
    try:
        pairs = []
        for port in bridges:
            sock = str(sockets / f"{port}.sock")
            helpers.append(_host_bridge(sock, port))
            pairs.append(f"{port}={sock}")
        clean = sandbox_env(root, "/tmp", os.urandom(8).hex(), {"HOME": str(home), **(env or {})})
        inner = [sys.executable, "-I", str(LAUNCHER), str(report), *pairs, "--", *command]
        keep = [*python_paths(), *(os.path.realpath(p) for p in readable), str(LAUNCHER.parent)]
        argv = bwrap_argv(
            isolation, workdir=root, env=clean, command=inner, keep_paths=keep, writable=[scratch]
        )
        return _run(argv, clean, root, timeout, max_output_bytes, report)
    finally:
        for helper in helpers:
            _stop(helper)
        shutil.rmtree(scratch, ignore_errors=True)


def _run(
    argv: list[str], env: dict[str, str], cwd: str, timeout: float, cap: int, report: Path
) -> ToolRun:
    started = time.monotonic()
    read_end, write_end = os.pipe()  # one pipe for both streams keeps their order
    try:
        process = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=write_end,
            stderr=write_end,
            env=env,
            cwd=cwd,
            start_new_session=True,
        )
    finally:
        os.close(write_end)
    output = CappedReader(os.fdopen(read_end, "rb"), cap, "output")
    output.start()
    timed_out = False
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
    finally:
        if process.poll() is None:
            kill_group(process.pid)
            process.wait()
        output.join(READER_JOIN_S)
    network: dict[str, object] = {}
    with contextlib.suppress(OSError, ValueError):
        network = json.loads(report.read_text(encoding="utf-8"))
    return ToolRun(
        status=TIMEOUT if timed_out else OK,
        exit_code=None if timed_out else process.returncode,
        duration_s=round(time.monotonic() - started, 2),
        output=output.text(),
        truncated=output.truncated,
        reason=f"stopped after {timeout:g} s (the wall-clock bound)" if timed_out else "",
        isolation=BWRAP_LEVEL,
        network=network,
    )


def port_answers(port: int) -> bool:
    """Is something listening on the host's 127.0.0.1:port (the model server)?"""
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True
