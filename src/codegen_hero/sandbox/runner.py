"""run_code: run code written by a model or a learner somewhere it cannot hurt us.

The code never runs in our process. Each run gets a fresh temporary directory (removed
afterwards), a stripped environment, a wall-clock deadline, rlimits, and a supervisor that
kills everything the code started. With bubblewrap that is a real sandbox (read-only
filesystem, no network, own PID namespace); without it the result says "rlimits-only", which
bounds resources but is NOT a security sandbox.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import math
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import Any

from codegen_hero.sandbox.bwrap import (
    BWRAP_LEVEL,
    UNAVAILABLE_LEVEL,
    Isolation,
    bwrap_argv,
    choose_isolation,
    python_paths,
)
from codegen_hero.sandbox.capture import CappedReader
from codegen_hero.sandbox.cgroup import create_pids_cgroup
from codegen_hero.sandbox.classify import RunFacts, classify
from codegen_hero.sandbox.languages import (
    CONTROL_DIR,
    Plan,
    UnsupportedRequest,
    missing_toolchain,
    normalise_language,
    plan_for,
)
from codegen_hero.sandbox.limits import MB, Limits, sandbox_env
from codegen_hero.sandbox.reaper import kill_group, kill_strays
from codegen_hero.sandbox.result import SandboxResult

HOST_GRACE_S = 5.0  # on top of the timeout, before we stop trusting the supervisor
READER_JOIN_S = 3.0
STATUS_CAP = 64 * 1024
SUPERVISOR_SCRIPT = Path(__file__).resolve().with_name("supervisor.py")
MIN_MEMORY_MB = 32


def run_code(
    code: str,
    *,
    tests: str | None = None,
    language: str = "python",
    timeout: float = 10.0,
    memory_mb: int = 512,
    max_output_bytes: int = 64_000,
    files: dict[str, str] | None = None,
    stdin: str = "",
    max_file_mb: int = 64,
    max_processes: int = 64,
    isolation: str | None = None,
    hide: Sequence[str] = (),
) -> SandboxResult:
    """Run `code` (and `tests`, if given) in the sandbox and say what happened.

    The code is written to solution.py (solution.js, main.go); `tests` holds test_* functions
    that `from solution import *`. `files` adds more files (relative paths) to the working
    directory. stdin is fed to the program and then closed, so reading it never hangs.
    Every process the code starts is killed when it ends or when `timeout` seconds pass.

    language="notebook" runs `code` (a notebook's JSON) top to bottom with papermill; its
    cells may print at most `max_output_bytes`. `isolation` ("auto", "bwrap", "rlimits")
    overrides HERO_SANDBOX for this run. `hide` names folders the code must not see (under
    bubblewrap they become empty), on top of the source checkout our package comes from.
    """
    _validate(code, timeout, memory_mb, max_output_bytes, max_file_mb, max_processes)
    language = normalise_language(language)
    chosen = choose_isolation(isolation)
    base = SandboxResult(
        status="skipped", isolation=chosen.level, warning=chosen.warning, language=language
    )
    if os.name != "posix":
        return replace(base, reason="the sandbox needs Linux or macOS")
    if chosen.level == UNAVAILABLE_LEVEL:
        return replace(base, status="error", reason=chosen.explanation)
    missing = missing_toolchain(language)
    if missing:
        return replace(base, reason=missing)
    limits = Limits(
        timeout_s=float(timeout),
        memory_mb=memory_mb,
        max_file_mb=max_file_mb,
        max_processes=max_processes,
    )
    workdir = make_workdir()
    try:
        try:
            plan = plan_for(
                language,
                code=code,
                tests=tests,
                workdir=workdir,
                limits=limits,
                output_cap=max_output_bytes,
            )
        except UnsupportedRequest as exc:
            return replace(base, reason=str(exc))
        write_files(workdir, files or {}, plan.files)
        return _execute(plan, chosen, workdir, stdin, max_output_bytes, base, hide)
    finally:
        remove_workdir(workdir)


def _validate(
    code: str, timeout: float, memory_mb: int, max_output: int, max_file_mb: int, procs: int
) -> None:
    if not isinstance(code, str):
        raise TypeError(f"code must be a str, not {type(code).__name__}")
    if not (isinstance(timeout, int | float) and math.isfinite(timeout) and timeout > 0):
        raise ValueError(f"timeout must be a positive number of seconds, not {timeout!r}")
    if memory_mb < MIN_MEMORY_MB:
        raise ValueError(f"memory_mb must be at least {MIN_MEMORY_MB}, not {memory_mb}")
    if max_output < 0:
        raise ValueError(f"max_output_bytes must be >= 0, not {max_output}")
    if max_file_mb < 1 or procs < 1:
        raise ValueError("max_file_mb and max_processes must be at least 1")


def make_workdir() -> str:
    """A fresh private directory; its real path, because bwrap binds it by that path."""
    return os.path.realpath(tempfile.mkdtemp(prefix="hero-sandbox-"))


def remove_workdir(path: str) -> None:
    """Remove it even if the code chmod-ed things read-only."""

    def unlock_and_retry(func: Any, failed: str, _exc: Any) -> None:
        with contextlib.suppress(OSError):
            os.chmod(os.path.dirname(failed), 0o700)
            os.chmod(failed, 0o700)
        with contextlib.suppress(OSError):
            func(failed)

    shutil.rmtree(path, onerror=unlock_and_retry)


def write_files(workdir: str, extra: dict[str, str], own: dict[str, str]) -> None:
    """Write the caller's files and ours; refuse paths that escape or replace ours."""
    for name in extra:
        parts = PurePosixPath(name).parts
        if not parts or PurePosixPath(name).is_absolute() or ".." in parts:
            raise ValueError(f"files: {name!r} must be a relative path inside the workdir")
        if name in own or parts[0] == CONTROL_DIR:
            raise ValueError(f"files: {name!r} is written by the sandbox itself")
    for name, content in {**extra, **own}.items():
        target = Path(workdir, name)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")


def _host_pid_namespace() -> str:
    try:
        return os.readlink("/proc/self/ns/pid")
    except OSError:
        return ""


def _execute(
    plan: Plan,
    isolation: Isolation,
    workdir: str,
    stdin: str,
    max_output: int,
    base: SandboxResult,
    hide: Sequence[str] = (),
) -> SandboxResult:
    control = Path(workdir, CONTROL_DIR)
    control.mkdir(exist_ok=True)
    key = secrets.token_bytes(32)
    (control / "key").write_bytes(key)
    (control / "stdin").write_text(stdin, encoding="utf-8")
    (control / "supervisor.py").write_text(SUPERVISOR_SCRIPT.read_text(encoding="utf-8"))
    sandboxed = isolation.level == BWRAP_LEVEL
    tmpdir = "/tmp" if sandboxed else str(Path(workdir, ".tmp"))
    os.makedirs(tmpdir, exist_ok=True)
    run_tag = secrets.token_hex(16)
    env = sandbox_env(workdir, tmpdir, run_tag, plan.env)
    status_read, status_write = os.pipe()
    config = {
        "status_fd": status_write,
        "timeout_s": plan.limits.timeout_s,
        "rlimits": plan.limits.rlimits(),
        "max_processes": plan.limits.max_processes,
        "host_pid_ns": _host_pid_namespace(),
    }
    command = [sys.executable, "-I", str(control / "supervisor.py"), json.dumps(config), "--"]
    command += plan.command
    if sandboxed:
        command = bwrap_argv(
            isolation,
            workdir=workdir,
            env=env,
            command=command,
            keep_paths=[*python_paths(), *plan.keep_paths],  # the supervisor is Python
            tmpfs_bytes=plan.limits.memory_mb * MB,
            hide=hide,
        )
    cgroup = create_pids_cgroup(plan.limits.max_tasks(), run_tag)
    if cgroup is not None:
        command = cgroup.wrap(command)
    started = time.monotonic()
    try:
        with open(control / "stdin", "rb") as stdin_file:
            process = subprocess.Popen(
                command,
                stdin=stdin_file,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=env,
                cwd=workdir,
                start_new_session=True,
                pass_fds=(status_write,),
            )
    except BaseException:
        os.close(status_read)
        if cgroup is not None:
            cgroup.remove()
        raise
    finally:
        os.close(status_write)
    assert process.stdout is not None and process.stderr is not None
    out = CappedReader(process.stdout, max_output, "stdout")
    err = CappedReader(process.stderr, max_output, "stderr")
    status = CappedReader(os.fdopen(status_read, "rb"), STATUS_CAP, "status")
    for reader in (out, err, status):
        reader.start()
    host_timeout = False
    try:
        process.wait(timeout=plan.limits.timeout_s + HOST_GRACE_S)
    except subprocess.TimeoutExpired:
        host_timeout = True
    finally:
        if process.poll() is None:  # our timeout, or KeyboardInterrupt: take it all down
            kill_group(process.pid)
            process.wait()
        status.join(READER_JOIN_S)
        if cgroup is not None:
            cgroup.remove()
        if not sandboxed:  # bwrap's PID namespace already took everything with it
            kill_strays(run_tag, workdir)
        out.join(READER_JOIN_S)
        err.join(READER_JOIN_S)
    elapsed = time.monotonic() - started
    supervisor = _last_event(status.data(), "done")
    report, problem = _read_report(control / "result.json", key)
    facts = RunFacts(
        timeout_s=plan.limits.timeout_s,
        memory_mb=plan.limits.memory_mb,
        max_file_mb=plan.limits.max_file_mb,
        test_mode=plan.test_mode,
        supervisor=supervisor,
        started=_last_event(status.data(), "started") is not None,
        report=report,
        report_problem=problem,
        host_timeout=host_timeout,
        host_returncode=process.returncode,
        stderr=err.text(),
    )
    verdict = classify(facts)
    return replace(
        base,
        status=verdict.status,
        exit_code=verdict.exit_code,
        duration_s=float(supervisor["duration_s"]) if supervisor else elapsed,
        stdout=out.text(),
        stderr=err.text(),
        stdout_truncated=out.truncated,
        stderr_truncated=err.truncated,
        tests_passed=verdict.tests_passed,
        tests_failed=verdict.tests_failed,
        failures=verdict.failures,
        values=verdict.values,
        reason=verdict.reason,
    )


def _last_event(raw: bytes, name: str) -> dict[str, Any] | None:
    found = None
    for line in raw.decode("utf-8", errors="replace").splitlines():
        with contextlib.suppress(ValueError):
            event = json.loads(line)
            if isinstance(event, dict) and event.get("event") == name:
                found = event
    return found


def _read_report(path: Path, key: bytes) -> tuple[dict[str, Any] | None, str]:
    """The harness's signed report, or (None, why it cannot be trusted)."""
    try:
        envelope = json.loads(path.read_text(encoding="utf-8"))
        body, mac = str(envelope["payload"]), str(envelope["mac"])
    except FileNotFoundError:
        return None, "the test harness did not report (did the code end the process early?)"
    except (OSError, ValueError, KeyError, TypeError):
        return None, "the test report is unreadable (tampered with?)"
    expected = hmac.new(key, body.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, mac):
        return None, "the test report failed its integrity check (tampered with?)"
    payload = json.loads(body)
    return (payload, "") if isinstance(payload, dict) else (None, "the test report is malformed")
