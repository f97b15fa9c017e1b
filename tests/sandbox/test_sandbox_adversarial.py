"""Hostile snippets: each must be contained, get the right status, and change nothing outside
its temporary directory. Every case runs under bubblewrap and in rlimits-only mode; where
rlimits-only mode cannot block something (it is not a security sandbox), the case says so
and the test checks that the difference is real rather than hiding it."""

from __future__ import annotations

import contextlib
import os
import socket
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from codegen_hero.sandbox import SandboxResult, run_code
from tests.sandbox.sandbox_helpers import CANARY_SECRETS, home_listing, snapshot

OUTPUT_CAP = 20_000


@dataclass(frozen=True)
class Hostile:
    """One snippet, the statuses that count as contained, and extra checks."""

    name: str
    code: str
    statuses: frozenset[str]
    tests: str | None = None
    timeout: float = 2.0
    touches_canary_without_bwrap: bool = False
    reason_has: str = ""
    stdout_has: str = ""
    stdout_lacks: tuple[str, ...] = ()
    stderr_has: str = ""
    extra: Callable[[SandboxResult, str], None] | None = field(default=None, compare=False)


def _truncated(result: SandboxResult, mode: str) -> None:
    assert result.stdout_truncated
    assert len(result.stdout.encode()) <= OUTPUT_CAP


def _fast(result: SandboxResult, mode: str) -> None:
    assert result.duration_s < 5


def _named_failures(result: SandboxResult, mode: str) -> None:
    assert result.tests_passed == ["test_one"]
    assert result.tests_failed == ["test_two", "test_three"]
    assert "assert add(2, 2) == 5" in result.failures["test_two"]
    assert "ZeroDivisionError" in result.failures["test_three"]


def _exit_code_3(result: SandboxResult, mode: str) -> None:
    assert result.exit_code == 3


SECRETS = tuple(CANARY_SECRETS.values())
S = frozenset

CASES = [
    Hostile("infinite_loop", "while True:\n    pass", S({"timeout"}), timeout=1.0),
    Hostile(
        "fork_bomb",
        "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass",
        S({"killed", "timeout", "error"}),
        extra=_fast,
    ),
    Hostile(
        "memory_bomb",
        "hoard = []\nwhile True:\n    hoard.append(bytearray(10**7))",
        S({"killed"}),
        reason_has="memory",
    ),
    Hostile(
        "disk_filler",
        "with open('big.bin', 'wb') as f:\n    while True:\n        f.write(b'x' * (1 << 20))",
        S({"killed"}),
        reason_has="file size",
    ),
    Hostile(
        "deep_recursion",
        "def down(n):\n    return down(n + 1)\ndown(0)",
        S({"error"}),
        stderr_has="RecursionError",
    ),
    Hostile(
        "api_key_from_environment",
        "import os\nprint(dict(os.environ))\nprint(os.environ.get('ANTHROPIC_API_KEY'))",
        S({"ok"}),
        stdout_lacks=SECRETS,
        stdout_has="None",
    ),
    Hostile(
        "proc_self_environ",
        "print(open('/proc/self/environ').read())\nprint(open('/proc/1/environ').read())",
        S({"ok", "error"}),
        stdout_lacks=SECRETS,
    ),
    Hostile(
        "write_outside_workdir",
        "open({canary!r} + '/planted.txt', 'w').write('pwned')\nprint('wrote')",
        S({"error"}),
        touches_canary_without_bwrap=True,
    ),
    Hostile(
        "delete_outside_workdir",
        "import os\nos.remove({canary!r} + '/keep-me.txt')\nprint('deleted')",
        S({"error"}),
        touches_canary_without_bwrap=True,
    ),
    Hostile(
        "giant_output",
        "import sys\nsys.stdout.write('x' * 10_000_000)",
        S({"ok"}),
        extra=_truncated,
    ),
    Hostile(
        "print_loop",
        "while True:\n    print('spam' * 100)",
        S({"timeout"}),
        timeout=1.0,
        extra=_truncated,
    ),
    Hostile(
        "kill_the_parent",
        "import os, signal, time\nos.kill(os.getppid(), signal.SIGKILL)\ntime.sleep(30)",
        S({"killed"}),
        extra=_fast,
    ),
    Hostile(
        "kill_own_process_group",
        "import os, signal\nos.killpg(0, signal.SIGKILL)",
        S({"killed"}),
        reason_has="SIGKILL",
    ),
    Hostile(
        "ignore_sigterm",
        "import signal\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\nwhile True:\n    pass",
        S({"timeout"}),
        timeout=1.0,
    ),
    Hostile("wait_on_stdin_input", "input()", S({"error"}), stderr_has="EOFError"),
    Hostile(
        "read_all_stdin",
        "import sys\nprint(repr(sys.stdin.read()))",
        S({"ok"}),
        stdout_has="''",
    ),
    Hostile("os_exit_3", "import os\nos._exit(3)", S({"error"}), extra=_exit_code_3),
    Hostile("syntax_error", "def broken(:\n    pass", S({"error"}), stderr_has="SyntaxError"),
    Hostile(
        "exception",
        "raise ValueError('boom')",
        S({"error"}),
        stderr_has="ValueError: boom",
        reason_has="ValueError",
    ),
    Hostile(
        "sys_exit_inside_tests",
        "def add(a, b):\n    return a + b",
        S({"fail"}),
        tests="import sys\nfrom solution import *\ndef test_quits():\n    sys.exit(0)",
        reason_has="test_quits",
    ),
    Hostile(
        "failing_tests_are_named",
        "def add(a, b):\n    return a + b",
        S({"fail"}),
        tests=(
            "from solution import *\n"
            "def test_one():\n    assert add(1, 2) == 3\n"
            "def test_two():\n    assert add(2, 2) == 5\n"
            "def test_three():\n    1 / 0\n"
        ),
        extra=_named_failures,
    ),
    Hostile(
        "top_level_prints_and_asserts",
        (
            "def add(a, b):\n    return a + b\n"
            "print('hello from the model')\nassert add(1, 1) == 2\n"
            "if __name__ == '__main__':\n    print(input('never asked on import'))\n"
        ),
        S({"ok"}),
        tests="from solution import *\ndef test_add():\n    assert add(2, 3) == 5",
        stdout_has="hello from the model",
    ),
    Hostile(
        "solution_crashes_on_import",
        "def add(a, b):\n    return a + b\nprint(undefined_name)",
        S({"error"}),
        tests="from solution import *\ndef test_add():\n    assert add(2, 3) == 5",
        stderr_has="NameError",
    ),
    Hostile(
        "fake_pass_then_exit",
        "import os\nprint('2 passed, 0 failed')\nos._exit(0)",
        S({"error"}),
        tests="from solution import *\ndef test_add():\n    assert add(2, 3) == 5",
        reason_has="did not report",
    ),
    Hostile(
        "forged_report",
        (
            "import json, os\n"
            "body = json.dumps({{'mode': 'tests', 'outcome': 'tests', 'passed': ['test_add'],"
            " 'failed': [], 'failures': {{}}}})\n"
            "open('.hero/result.json', 'w').write(json.dumps({{'payload': body, 'mac': '0'}}))\n"
            "os._exit(0)\n"
        ),
        S({"error"}),
        tests="from solution import *\ndef test_add():\n    assert add(2, 3) == 5",
        reason_has="integrity",
    ),
    Hostile(
        "threads_bomb",
        (
            "import threading, time\n"
            "for _ in range(5000):\n"
            "    threading.Thread(target=time.sleep, args=(0.5,), daemon=True).start()"
        ),
        S({"error", "killed", "timeout"}),
        stdout_lacks=SECRETS,
    ),
    Hostile(
        "subprocess_shell",
        (
            "import subprocess\n"
            "done = subprocess.run(['sh', '-c', 'echo key=$ANTHROPIC_API_KEY; "
            "echo pwned > {canary}/from-shell.txt && echo wrote'],"
            " capture_output=True, text=True)\n"
            "print(done.stdout, done.stderr)"
        ),
        S({"ok"}),
        stdout_lacks=SECRETS,
        stdout_has="key=",
        touches_canary_without_bwrap=True,
    ),
    Hostile(
        "open_files_until_it_fails",
        "handles = []\nwhile True:\n    handles.append(open('/dev/null'))",
        S({"error"}),
        stderr_has="Too many open files",
    ),
    Hostile(
        "lock_the_workdir",
        (
            "import os\nos.makedirs('deep/er', exist_ok=True)\n"
            "open('deep/er/f.txt', 'w').write('x')\n"
            "os.chmod('deep/er', 0)\nos.chmod('deep', 0)\nos.chmod('.', 0o500)"
        ),
        S({"ok"}),
    ),
]


@pytest.fixture
def guarded(canary_dir: Path, created_workdirs: list[str]) -> Iterator[Path]:
    """Snapshot what lives outside the workdir; check the run created no lasting changes."""
    before_home = home_listing()
    yield canary_dir
    assert home_listing() == before_home
    for workdir in created_workdirs:
        assert not os.path.exists(workdir), f"workdir {workdir} was not removed"


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_hostile_snippet_is_contained(case: Hostile, mode: str, guarded: Path) -> None:
    before = snapshot(guarded)
    result = run_code(
        case.code.format(canary=str(guarded)),
        tests=case.tests,
        timeout=case.timeout,
        memory_mb=256,
        max_output_bytes=OUTPUT_CAP,
        max_file_mb=8,
    )
    blocked = mode == "bwrap" or not case.touches_canary_without_bwrap
    expected = case.statuses if blocked else S({"ok"})
    assert result.status in expected, result.to_dict()
    assert result.isolation == ("bwrap" if mode == "bwrap" else "rlimits-only")
    if blocked:
        assert snapshot(guarded) == before
    else:  # rlimits-only is not a security sandbox: the snippet did reach outside
        assert snapshot(guarded) != before
    assert case.reason_has in result.reason
    assert case.stdout_has in result.stdout
    assert case.stderr_has in result.stderr
    for secret in case.stdout_lacks:
        assert secret not in result.stdout + result.stderr
    if case.extra is not None:
        case.extra(result, mode)


def test_there_are_at_least_twenty_hostile_snippets() -> None:
    assert len({case.name for case in CASES}) >= 20


@pytest.fixture
def loopback_server() -> Iterator[tuple[int, list[bytes]]]:
    """A TCP server on 127.0.0.1 that records what it receives, until the test ends."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    server.settimeout(0.1)
    received: list[bytes] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except OSError:
                continue
            with connection, contextlib.suppress(OSError):
                connection.settimeout(2)
                received.append(connection.recv(100))

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1], received
    stop.set()
    thread.join(5)
    server.close()


def test_network_to_a_loopback_server(mode: str, loopback_server: tuple[int, list[bytes]]):
    """No network under bwrap; rlimits-only mode does NOT block it, and the test says so."""
    port, received = loopback_server
    code = textwrap.dedent(
        f"""
        import socket
        try:
            with socket.create_connection(("127.0.0.1", {port}), timeout=1) as s:
                s.sendall(b"exfiltrated")
            print("CONNECTED")
        except OSError as exc:
            print("BLOCKED", exc)
        """
    )
    result = run_code(code, timeout=3)
    assert result.status == "ok", result.to_dict()
    if mode == "bwrap":
        assert "BLOCKED" in result.stdout
        time.sleep(0.2)
        assert received == []
    else:
        assert "CONNECTED" in result.stdout


@pytest.mark.skipif(
    not os.path.isdir("/proc/self/ns"), reason="needs Linux namespaces to be safe to run"
)
def test_kill_every_process_is_confined_to_the_pid_namespace(mode: str) -> None:
    """kill(-1) would hit every process we own; only a PID namespace makes that harmless."""
    if mode != "bwrap":
        pytest.skip("kill(-1, SIGKILL) without bwrap would kill the test runner itself")
    result = run_code("import os, signal\nos.kill(-1, signal.SIGKILL)", timeout=2)
    assert result.status == "killed"
    assert os.getpid() > 0  # still here


def test_writing_the_real_home_directory_is_refused(mode: str) -> None:
    if mode != "bwrap":
        pytest.skip("without bwrap the code could write there: not tried on a real home")
    home = str(Path.home())
    before = home_listing()
    code = f"open({home!r} + '/hero-sandbox-was-here.txt', 'w').write('x')"
    result = run_code(code, timeout=2)
    assert result.status == "error"
    assert "Read-only file system" in result.stderr
    assert home_listing() == before


DAEMONS = """
import os, subprocess, sys, time

def daemon(path):
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            time.sleep(1)
            for target in (path, {outside!r} + '/' + os.path.basename(path)):
                try:
                    open(target, 'w').write('I survived')
                except OSError:
                    pass
            os._exit(0)
        os._exit(0)

daemon(os.path.abspath('double-forked.txt'))
subprocess.Popen(
    ['sh', '-c', 'sleep 1; echo survived > clean-env.txt; echo survived > {outside}/clean-env.txt'],
    env={{}}, start_new_session=True, cwd=os.getcwd(),
)
if {kill_supervisor}:
    os.kill(os.getppid(), 9)
print('parent done', flush=True)
"""


@pytest.mark.parametrize("kill_supervisor", [False, True], ids=["normal-exit", "kills-parent"])
def test_daemons_do_not_outlive_the_run(
    mode: str, kept_workdirs: list[str], canary_dir: Path, kill_supervisor: bool
) -> None:
    """A double-forked setsid daemon and a clean-environment session leader both die with
    the run, even when the program first kills its supervisor."""
    before = snapshot(canary_dir)
    code = DAEMONS.format(outside=str(canary_dir), kill_supervisor=kill_supervisor)
    result = run_code(code, timeout=5)
    assert result.status == ("killed" if kill_supervisor else "ok"), result.to_dict()
    time.sleep(2)
    (workdir,) = kept_workdirs
    assert not os.path.exists(os.path.join(workdir, "double-forked.txt"))
    assert not os.path.exists(os.path.join(workdir, "clean-env.txt"))
    assert snapshot(canary_dir) == before
