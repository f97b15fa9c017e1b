"""Resource limits and the environment a sandboxed program gets.

rlimits bound what one run can consume (CPU, memory, file size, processes); they do not stop
the code from reading or writing the user's files or using the network. Without bubblewrap,
rlimits are all there is, and that is NOT a security sandbox.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from typing import Literal

MemoryKind = Literal["address-space", "data"]

DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin"
RUN_TAG_VAR = "HERO_SANDBOX_RUN"
# Above the user's current task count: RLIMIT_NPROC counts every task (thread) of the user,
# not only ours, so an absolute small number would stop a busy laptop from forking at all.
NPROC_HEADROOM = 256
MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """The budget for one run; `rlimits()` turns it into what setrlimit takes."""

    timeout_s: float = 10.0
    memory_mb: int = 512
    memory_kind: MemoryKind = "address-space"
    max_file_mb: int = 64
    max_processes: int = 64
    max_open_files: int = 1024

    def cpu_seconds(self) -> int:
        """Soft CPU limit: a little above the wall clock, so the wall clock normally wins."""
        return math.ceil(self.timeout_s) + 1

    def max_tasks(self) -> int:
        """The kernel's cap (pids cgroup) counts threads too, so it is set above the
        process cap the supervisor enforces."""
        return self.max_processes * 2 + 32

    def rlimits(self) -> dict[str, tuple[int, int]]:
        """Names from the `resource` module mapped to (soft, hard)."""
        memory = self.memory_mb * MB
        memory_limit = "RLIMIT_AS" if self.memory_kind == "address-space" else "RLIMIT_DATA"
        cpu = self.cpu_seconds()
        return {
            "RLIMIT_CPU": (cpu, cpu + 1),
            memory_limit: (memory, memory),
            "RLIMIT_FSIZE": (self.max_file_mb * MB, self.max_file_mb * MB),
            "RLIMIT_NPROC": _nproc_limit(),
            "RLIMIT_CORE": (0, 0),
            "RLIMIT_NOFILE": (self.max_open_files, self.max_open_files),
        }


def _nproc_limit() -> tuple[int, int]:
    limit = count_user_tasks() + NPROC_HEADROOM
    return limit, limit


def count_user_tasks(uid: int | None = None) -> int:
    """How many tasks (threads included) this user runs now; 0 where /proc is missing."""
    uid = os.getuid() if uid is None else uid
    if not os.path.isdir("/proc/self/task"):
        return 0
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            if os.stat(f"/proc/{entry}").st_uid != uid:
                continue
            total += len(os.listdir(f"/proc/{entry}/task"))
        except OSError:
            continue
    return total


def sandbox_env(
    workdir: str, tmpdir: str, run_tag: str, extra: dict[str, str] | None = None
) -> dict[str, str]:
    """A fresh environment from an allowlist: no API key, token, secret or password survives.

    Nothing is copied from the parent but PATH (so toolchains resolve); HOME points at the
    working directory so tools that write caches stay inside it.
    """
    env = {
        "PATH": os.environ.get("PATH") or DEFAULT_PATH,
        "HOME": workdir,
        "PWD": workdir,
        "TMPDIR": tmpdir,
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "PYTHONHASHSEED": "0",
        "PYTHONIOENCODING": "utf-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "TERM": "dumb",
        "NO_COLOR": "1",
        "USER": "sandbox",
        "LOGNAME": "sandbox",
        RUN_TAG_VAR: run_tag,
    }
    if extra:
        env.update(extra)
    return env
