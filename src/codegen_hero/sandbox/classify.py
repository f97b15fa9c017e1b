"""From raw facts about a finished run to one status and a one-line reason.

The order matters: the wall clock first, then the supervisor's own verdicts (process cap,
signals), then resource limits seen as exceptions, then the test report, then the exit code.
"""

from __future__ import annotations

import errno
import re
import signal
from dataclasses import dataclass, field
from typing import Any

from codegen_hero.sandbox.result import Status

LIMIT_SIGNALS = {
    signal.SIGXCPU: "CPU time limit exceeded",
    signal.SIGXFSZ: "file size limit exceeded",
}
MEMORY_MARKERS = ("JavaScript heap out of memory", "Fatal process out of memory", "MemoryError")


@dataclass
class RunFacts:
    """What the runner learned; every field may be missing when something went badly."""

    timeout_s: float
    memory_mb: int
    max_file_mb: int
    test_mode: bool
    supervisor: dict[str, Any] | None = None
    started: bool = True
    report: dict[str, Any] | None = None
    report_problem: str = ""
    host_timeout: bool = False
    host_returncode: int | None = None
    stderr: str = ""
    extras: dict[str, Any] = field(default_factory=dict)


@dataclass
class Verdict:
    status: Status
    exit_code: int | None
    reason: str = ""
    tests_passed: list[str] = field(default_factory=list)
    tests_failed: list[str] = field(default_factory=list)
    failures: dict[str, str] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)


def signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def classify(facts: RunFacts) -> Verdict:
    sup = facts.supervisor
    exit_code = sup.get("exit_code") if sup else facts.host_returncode
    signum = sup.get("signal") if sup else None
    code = exit_code if signum is None else -signum
    if facts.host_timeout or (sup and sup.get("why") == "timeout"):
        return Verdict("timeout", code, f"wall-clock timeout after {facts.timeout_s:g} s")
    if sup is None and not facts.started:
        last = facts.stderr.strip().splitlines()[-1:] or [f"exit code {facts.host_returncode}"]
        return Verdict("error", facts.host_returncode, f"the sandbox failed to start: {last[0]}")
    if sup is None:
        why = "the sandbox supervisor died before reporting (did the code kill its parent?)"
        return Verdict("killed", facts.host_returncode, why)
    if sup.get("why") == "processes":
        return Verdict("killed", code, f"more than {sup.get('max_processes')} processes")
    if sup.get("why") == "stopped":
        name = signal_name(int(sup.get("stop_signal") or signal.SIGTERM))
        return Verdict("killed", code, f"the sandbox was stopped by {name}")
    limit = _resource_limit(facts, signum, code)
    if limit:
        return Verdict("killed", code, limit)
    if signum is not None:
        return Verdict("killed", code, f"killed by {signal_name(signum)}")
    return _tests_verdict(facts, code) if facts.test_mode else _script_verdict(facts, code)


def _resource_limit(facts: RunFacts, signum: int | None, code: int | None) -> str:
    report = facts.report or {}
    if code == 0:
        return ""
    if signum in LIMIT_SIGNALS:
        return LIMIT_SIGNALS[signal.Signals(signum)]
    if report.get("type") == "MemoryError" or (
        signum is not None and any(marker in facts.stderr for marker in MEMORY_MARKERS)
    ):
        return f"memory limit ({facts.memory_mb} MB) exceeded"
    if report.get("errno") == errno.EFBIG or (
        report.get("type") is None and "File too large" in facts.stderr[-2000:]
    ):
        return f"file size limit ({facts.max_file_mb} MB) exceeded"
    if signum == signal.SIGKILL:
        return "killed by SIGKILL (by the code itself, the hard CPU limit or the OOM killer)"
    if signum == signal.SIGSEGV:
        return "segmentation fault (often a stack overflow from very deep recursion)"
    return ""


def _tests_verdict(facts: RunFacts, code: int | None) -> Verdict:
    report = facts.report
    if report is None:
        problem = facts.report_problem or "the test harness did not report"
        return Verdict("error", code, f"{problem} (exit code {code})")
    if report.get("outcome") == "exception":
        kind, message = report.get("type", "Exception"), report.get("message", "")
        if report.get("phase") == "solution":
            status: Status = "fail" if kind == "AssertionError" else "error"
            return Verdict(status, code, f"the solution failed while being imported: {message}")
        return Verdict("error", code, f"the tests could not be loaded: {message}")
    passed = list(report.get("passed", []))
    failed = list(report.get("failed", []))
    failures = {str(k): str(v) for k, v in dict(report.get("failures", {})).items()}
    values = {str(k): v for k, v in dict(report.get("values", {})).items()}
    if not passed and not failed:
        return Verdict("error", code, "no test_* functions found in the tests")
    if failed:
        reason = f"{len(failed)} of {len(passed) + len(failed)} tests failed: {', '.join(failed)}"
        return Verdict("fail", code, reason, passed, failed, failures, values)
    return Verdict("ok", code, "", passed, failed, failures, values)


def _script_verdict(facts: RunFacts, code: int | None) -> Verdict:
    report = facts.report or {}
    if code == 0:
        return Verdict("ok", code)
    if report.get("outcome") == "exception":
        status: Status = "fail" if report.get("type") == "AssertionError" else "error"
        return Verdict(status, code, str(report.get("message", "")))
    tail = facts.stderr[-4000:]
    if "AssertionError" in tail:
        return Verdict("fail", code, "an assertion failed")
    errors = re.findall(r"^(?:\w*Error|panic)\b:? ?.*$", tail, re.MULTILINE)
    detail = f": {errors[-1].strip()[:200]}" if errors else ""
    return Verdict("error", code, f"exited with code {code}{detail}")
