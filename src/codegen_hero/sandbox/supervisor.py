"""Runs one sandboxed program and makes sure nothing it started outlives it.

A standalone script (stdlib only), copied into the working directory and started as the
sandbox's first process, inside bubblewrap when available. Why a separate process:

* rlimits go on the program only, never on this supervisor, so it can always clean up;
* it keeps the wall-clock deadline and a cap on the number of processes (RLIMIT_NPROC does
  nothing for root, so the cap is also watched here);
* on Linux it is a child subreaper (prctl), so orphans, even a double-forked daemon that
  called setsid, are re-parented to it; when the program ends it kills every descendant;
* it reports on a pipe the program never gets, so the program cannot forge the verdict.

Outside Linux only the program's process group can be killed. In rlimits-only mode the
program runs as the same user and can kill this supervisor; the host then cleans up as best
it can. That mode is not a security sandbox.

Usage: python -I supervisor.py CONFIG_JSON -- PROGRAM [ARGS...]
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import resource
import signal
import sys
import time
from typing import Any

PR_SET_CHILD_SUBREAPER = 36
POLL_S = 0.02
KILL_PATIENCE_S = 3.0
HAVE_PROC = os.path.isdir("/proc/self/task")


def become_subreaper() -> bool:
    """Ask Linux to hand us every orphaned descendant; False where that is not possible."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def apply_rlimits(rlimits: dict[str, list[int]]) -> None:
    """Lower each limit (never raise one past the hard limit we were given)."""
    for name, (soft, hard) in rlimits.items():
        which = getattr(resource, name, None)
        if which is None:
            continue
        _, current_hard = resource.getrlimit(which)
        if current_hard != resource.RLIM_INFINITY:
            hard = min(hard, current_hard)
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(which, (min(soft, hard), hard))


def process_table() -> dict[int, list[tuple[int, bool]]]:
    """parent pid -> [(child pid, is_zombie)], read from /proc."""
    table: dict[int, list[tuple[int, bool]]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        fields = stat[stat.rfind(b")") + 2 :].split()
        if len(fields) < 2:
            continue
        table.setdefault(int(fields[1]), []).append((int(entry), fields[0] == b"Z"))
    return table


def descendants(root: int) -> list[tuple[int, bool]]:
    if not HAVE_PROC:
        return []
    table = process_table()
    found: list[tuple[int, bool]] = []
    stack = [root]
    while stack:
        for child in table.get(stack.pop(), []):
            found.append(child)
            stack.append(child[0])
    return found


def live_descendants(root: int) -> list[int]:
    return [pid for pid, zombie in descendants(root) if not zombie]


def spawn(command: list[str], rlimits: dict[str, list[int]]) -> int:
    """fork + exec by hand so the child gets its own process group and the limits."""
    pid = os.fork()
    if pid:
        return pid
    try:
        os.setpgid(0, 0)
        for name in ("SIGPIPE", "SIGXFSZ", "SIGTERM", "SIGINT", "SIGHUP"):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
        apply_rlimits(rlimits)
        os.execvp(command[0], command)
    except BaseException as exc:  # noqa: BLE001 - report and leave, whatever happened
        with contextlib.suppress(OSError):
            os.write(2, f"sandbox: cannot start {command[0]}: {exc}\n".encode())
    os._exit(127)


REAPED: dict[int, int] = {}  # wait statuses collected early where waitid is missing


def target_finished(pid: int) -> bool:
    """Has the program exited?  Peek without reaping, so its process group stays ours."""
    if hasattr(os, "waitid") and hasattr(os, "WNOWAIT"):
        return os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None
    done, status = os.waitpid(pid, os.WNOHANG)  # pragma: no cover - no waitid: reap it now
    if done:  # pragma: no cover
        REAPED[pid] = status
    return bool(done)  # pragma: no cover


def collect(pid: int) -> int:
    """The program's wait status, reaping it if nobody has yet."""
    return REAPED.pop(pid) if pid in REAPED else os.waitpid(pid, 0)[1]


STOP: list[int] = []


def on_signal(signum: int, _frame: Any) -> None:
    """SIGTERM and friends end the run cleanly instead of orphaning the program."""
    STOP.append(signum)


def reap_others(target: int) -> None:
    """Collect exited orphans so zombies neither pile up nor count as processes."""
    if not (hasattr(os, "waitid") and hasattr(os, "WNOWAIT")):
        return
    while True:
        try:
            info = os.waitid(os.P_ALL, 0, os.WEXITED | os.WNOHANG | os.WNOWAIT)
        except ChildProcessError:
            return
        if info is None or info.si_pid == target:
            return
        with contextlib.suppress(ChildProcessError):
            os.waitpid(info.si_pid, 0)


def wait_for(
    target: int, deadline: float, max_processes: int, stop: list[int], private_pid_ns: bool
) -> str:
    """Why the wait ended: exited, timeout, processes (too many) or stopped (we got a signal)."""
    rounds = 0
    scan_every = 1 if private_pid_ns else 5  # /proc is tiny inside a PID namespace
    while True:
        if target_finished(target):
            return "exited"
        reap_others(target)
        if stop:
            return "stopped"
        if time.monotonic() >= deadline:
            return "timeout"
        rounds += 1
        scan = HAVE_PROC and rounds % scan_every == 0
        if scan and len(live_descendants(os.getpid())) > max_processes:
            return "processes"
        time.sleep(POLL_S)


def in_private_pid_namespace(host_pid_ns: str) -> bool:
    """kill(-1) is only safe where it can reach nothing but the sandbox."""
    try:
        return bool(host_pid_ns) and os.readlink("/proc/self/ns/pid") != host_pid_ns
    except OSError:
        return False


def kill_everything(target: int, private_pid_ns: bool) -> int:
    """SIGKILL the program's group and every descendant until none is left; returns leftovers."""
    me = os.getpid()
    give_up = time.monotonic() + KILL_PATIENCE_S
    while True:
        if private_pid_ns:
            with contextlib.suppress(OSError):
                os.kill(-1, signal.SIGKILL)
        with contextlib.suppress(OSError):
            os.killpg(target, signal.SIGKILL)
        for pid in live_descendants(me):
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        reap_others(target)
        left = live_descendants(me)
        if not left:
            return 0
        if time.monotonic() > give_up:
            return len(left)
        time.sleep(0.005)


def reap_all() -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def send(channel: Any, message: dict[str, Any]) -> None:
    with contextlib.suppress(OSError, ValueError):
        channel.write(json.dumps(message) + "\n")
        channel.flush()


def main(argv: list[str]) -> int:
    separator = argv.index("--")
    config = json.loads(argv[1])
    command = argv[separator + 1 :]
    status_fd = int(config["status_fd"])
    os.set_inheritable(status_fd, False)
    channel = os.fdopen(status_fd, "w")
    for name in ("SIGTERM", "SIGINT", "SIGHUP"):
        signal.signal(getattr(signal, name), on_signal)
    subreaper = become_subreaper()
    private_pid_ns = in_private_pid_namespace(config.get("host_pid_ns", ""))
    started = time.monotonic()
    target = spawn(command, config["rlimits"])
    send(channel, {"event": "started", "pid": target, "subreaper": subreaper})
    deadline = started + float(config["timeout_s"])
    why = wait_for(target, deadline, config["max_processes"], STOP, private_pid_ns)
    duration = time.monotonic() - started
    leftovers = kill_everything(target, private_pid_ns)
    code = os.waitstatus_to_exitcode(collect(target))
    reap_all()
    send(
        channel,
        {
            "event": "done",
            "why": why,
            "exit_code": code if code >= 0 else None,
            "signal": -code if code < 0 else None,
            "stop_signal": STOP[0] if STOP else None,
            "duration_s": duration,
            "leftovers": leftovers,
            "max_processes": config["max_processes"],
        },
    )
    channel.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
