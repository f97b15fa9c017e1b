"""The supervisor script on its own: exit statuses, deadline, process cap, clean-up, limits.

It runs here without bwrap and with no host PID namespace given, so it never uses kill(-1).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from codegen_hero.sandbox import supervisor

SCRIPT = supervisor.__file__
linux_only = pytest.mark.skipif(not supervisor.HAVE_PROC, reason="needs Linux /proc")


def supervise(
    command: list[str],
    timeout: float = 5.0,
    max_processes: int = 16,
    rlimits=None,
    poke: float | None = None,
) -> tuple[dict, dict, str]:
    read_end, write_end = os.pipe()
    config = {
        "status_fd": write_end,
        "timeout_s": timeout,
        "rlimits": rlimits or {},
        "max_processes": max_processes,
        "host_pid_ns": "",
    }
    process = subprocess.Popen(
        [sys.executable, "-I", SCRIPT, json.dumps(config), "--", *command],
        pass_fds=(write_end,),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
        text=True,
    )
    os.close(write_end)
    if poke is not None:  # send SIGTERM to the supervisor itself after `poke` seconds
        time.sleep(poke)
        process.terminate()
    out, err = process.communicate(timeout=30)
    with os.fdopen(read_end) as channel:
        events = {event["event"]: event for event in map(json.loads, channel)}
    return events["started"], events["done"], out + err


def python(code: str) -> list[str]:
    return [sys.executable, "-c", code]


def test_exit_code_is_passed_through() -> None:
    _, done, _ = supervise(python("raise SystemExit(7)"))
    assert (done["why"], done["exit_code"], done["signal"]) == ("exited", 7, None)


def test_death_by_signal_is_reported() -> None:
    _, done, _ = supervise(python("import os, signal; os.kill(os.getpid(), signal.SIGTERM)"))
    assert (done["exit_code"], done["signal"]) == (None, 15)


def test_deadline_kills_the_program() -> None:
    started = time.monotonic()
    _, done, _ = supervise(["sleep", "30"], timeout=0.5)
    assert done["why"] == "timeout" and done["signal"] == 9
    assert time.monotonic() - started < 5


def test_rlimits_reach_the_program() -> None:
    code = "import resource; print(resource.getrlimit(resource.RLIMIT_FSIZE))"
    _, done, output = supervise(python(code), rlimits={"RLIMIT_FSIZE": [4096, 4096]})
    assert done["exit_code"] == 0
    assert "(4096, 4096)" in output


def test_a_program_that_cannot_start_exits_127() -> None:
    _, done, output = supervise(["/nonexistent/program"])
    assert done["exit_code"] == 127
    assert "cannot start" in output


@linux_only
def test_double_forked_daemon_is_killed_when_the_program_ends(tmp_path: Path) -> None:
    pid_file = tmp_path / "daemon.pid"
    code = (
        "import os, time\n"
        "if os.fork() == 0:\n"
        "    os.setsid()\n"
        "    if os.fork() == 0:\n"
        f"        open({str(pid_file)!r}, 'w').write(str(os.getpid()))\n"
        "        time.sleep(30)\n"
        "    os._exit(0)\n"
        "time.sleep(0.3)\n"
    )
    started, done, _ = supervise(python(code))
    assert started["subreaper"] is True
    assert done["exit_code"] == 0 and done["leftovers"] == 0
    daemon = int(pid_file.read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(daemon, 0)


@linux_only
def test_too_many_processes_ends_the_run() -> None:
    code = "import os, time\nfor _ in range(12):\n    if os.fork() == 0:\n        time.sleep(30)\n"
    code += "time.sleep(30)"
    _, done, _ = supervise(python(code), max_processes=5)
    assert done["why"] == "processes"


def test_kill_minus_one_needs_a_different_pid_namespace() -> None:
    assert not supervisor.in_private_pid_namespace("")
    if supervisor.HAVE_PROC:
        assert not supervisor.in_private_pid_namespace(os.readlink("/proc/self/ns/pid"))


def test_sigterm_to_the_supervisor_ends_the_run_cleanly() -> None:
    _, done, _ = supervise(["sleep", "30"], poke=0.5)
    assert done["why"] == "stopped" and done["stop_signal"] == 15
    assert done["signal"] == 9 and done["leftovers"] == 0
