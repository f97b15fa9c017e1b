"""A kernel-enforced cap on the number of tasks, for when we run as root.

RLIMIT_NPROC does not bind root (the kernel exempts uid 0, user namespaces or not), so as
root a fork bomb could exhaust the machine's PIDs before any watchdog gets CPU time. Root can
usually create a `pids` cgroup, though: the run is started inside one with `pids.max` set,
and everything it forks lands there too, which also lets us kill every straggler afterwards.
Other users keep RLIMIT_NPROC; where no cgroup can be made, the supervisor's watchdog is all
that is left.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path

KILL_PATIENCE_S = 3.0


@dataclass(frozen=True)
class PidsCgroup:
    path: Path

    @property
    def procs_file(self) -> str:
        return str(self.path / "cgroup.procs")

    def wrap(self, command: list[str]) -> list[str]:
        """Make the first process join the cgroup, then exec the real command."""
        shell = "/bin/sh" if os.path.exists("/bin/sh") else "sh"
        return [shell, "-c", 'echo $$ > "$0" && exec "$@"', self.procs_file, *command]

    def pids(self) -> list[int]:
        try:
            return [int(line) for line in Path(self.procs_file).read_text().split()]
        except (OSError, ValueError):
            return []

    def kill_all(self) -> int:
        """SIGKILL every task still in the cgroup; returns how many were found."""
        killed = 0
        give_up = time.monotonic() + KILL_PATIENCE_S
        while (pids := self.pids()) and time.monotonic() < give_up:
            for pid in pids:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(pid, signal.SIGKILL)
            killed += len(pids)
            time.sleep(0.01)
        return killed

    def remove(self) -> None:
        self.kill_all()
        give_up = time.monotonic() + KILL_PATIENCE_S
        while time.monotonic() < give_up:
            try:
                self.path.rmdir()
                return
            except FileNotFoundError:
                return
            except OSError:
                time.sleep(0.02)


def _pids_hierarchy() -> Path | None:
    """Where a new pids cgroup can go: beside us in cgroup v1, or at the v2 root if the
    pids controller is enabled there."""
    try:
        mounts = Path("/proc/self/mountinfo").read_text().splitlines()
        membership = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return None
    for line in mounts:
        fields = line.split()
        if " - " not in line:
            continue
        mount_root, mount_point = fields[3], fields[4]
        fstype, _, options = line.split(" - ", 1)[1].split()[:3]
        if fstype == "cgroup" and "pids" in options.split(","):
            own = next(
                (m.split(":", 2)[2] for m in membership if "pids" in m.split(":")[1].split(",")),
                "/",
            )
            relative = os.path.relpath(own, mount_root) if own.startswith(mount_root) else "."
            return Path(mount_point, relative).resolve()
        if fstype == "cgroup2":
            with contextlib.suppress(OSError):
                if "pids" in Path(mount_point, "cgroup.subtree_control").read_text().split():
                    return Path(mount_point)
    return None


def create_pids_cgroup(max_tasks: int, tag: str) -> PidsCgroup | None:
    """A fresh cgroup capped at max_tasks, or None (not root, not Linux, or not allowed)."""
    if not sys.platform.startswith("linux") or os.geteuid() != 0:
        return None
    base = _pids_hierarchy()
    if base is None:
        return None
    path = base / f"hero-sandbox-{tag}"
    try:
        path.mkdir()
    except OSError:
        return None
    try:
        (path / "pids.max").write_text(str(max_tasks))
    except OSError:
        with contextlib.suppress(OSError):
            path.rmdir()
        return None
    return PidsCgroup(path)
