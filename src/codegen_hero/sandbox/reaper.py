"""Host-side clean-up for rlimits-only mode, where the supervisor itself can be killed.

Under bwrap the PID namespace takes everything down with it. Without it, a program that
kills its supervisor and then daemonises would outlive the run; we look for leftovers by the
run's tag in their environment or a working directory inside the run's, and SIGKILL them.
A program that both clears its environment and leaves the directory escapes: rlimits-only
mode is not a security sandbox.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time

from codegen_hero.sandbox.limits import RUN_TAG_VAR

SWEEPS = 5


def kill_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)


def _belongs_to_run(pid: str, needle: bytes, workdir: str) -> bool:
    try:
        with open(f"/proc/{pid}/environ", "rb") as handle:
            if needle in handle.read().split(b"\0"):
                return True
    except OSError:
        pass
    try:
        cwd = os.readlink(f"/proc/{pid}/cwd")
    except OSError:
        return False
    return cwd == workdir or cwd.startswith(workdir + os.sep)


def kill_strays(run_tag: str, workdir: str) -> int:
    """SIGKILL every process that still carries this run's tag or works in its directory."""
    if not os.path.isdir("/proc/self/task"):
        return 0
    needle = f"{RUN_TAG_VAR}={run_tag}".encode()
    workdir = os.path.realpath(workdir)
    me = str(os.getpid())
    killed = 0
    for _ in range(SWEEPS):
        found = [
            int(pid)
            for pid in os.listdir("/proc")
            if pid.isdigit() and pid != me and _belongs_to_run(pid, needle, workdir)
        ]
        if not found:
            break
        for pid in found:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        killed += len(found)
        time.sleep(0.02)
    return killed
