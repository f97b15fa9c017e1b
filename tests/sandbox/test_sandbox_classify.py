"""From facts to status: each rule on its own, without running anything."""

from __future__ import annotations

import errno
import signal

import pytest

from codegen_hero.sandbox.classify import RunFacts, classify


def facts(**kwargs) -> RunFacts:
    base = {"timeout_s": 2.0, "memory_mb": 256, "max_file_mb": 8, "test_mode": False}
    return RunFacts(**{**base, **kwargs})


def done(**kwargs) -> dict:
    return {"event": "done", "why": "exited", "exit_code": 0, "signal": None, **kwargs}


@pytest.mark.parametrize(
    ("given", "status", "reason"),
    [
        (facts(host_timeout=True), "timeout", "2 s"),
        (facts(supervisor=done(why="timeout", exit_code=None, signal=9)), "timeout", ""),
        (facts(supervisor=None, started=False, stderr="bwrap: boom\n"), "error", "bwrap: boom"),
        (facts(supervisor=None, host_returncode=-9), "killed", "parent"),
        (facts(supervisor=done(why="processes", max_processes=64)), "killed", "64 processes"),
        (facts(supervisor=done(why="stopped", stop_signal=15)), "killed", "SIGTERM"),
        (facts(supervisor=done(exit_code=None, signal=signal.SIGXCPU)), "killed", "CPU"),
        (facts(supervisor=done(exit_code=None, signal=signal.SIGXFSZ)), "killed", "file size"),
        (facts(supervisor=done(exit_code=None, signal=signal.SIGSEGV)), "killed", "recursion"),
        (facts(supervisor=done(exit_code=None, signal=signal.SIGKILL)), "killed", "SIGKILL"),
        (facts(supervisor=done(exit_code=None, signal=signal.SIGUSR1)), "killed", "SIGUSR1"),
        (
            facts(
                supervisor=done(exit_code=None, signal=signal.SIGABRT),
                stderr="FATAL ERROR: JavaScript heap out of memory",
            ),
            "killed",
            "memory limit (256 MB)",
        ),
        (
            facts(supervisor=done(exit_code=1), report={"type": "MemoryError"}),
            "killed",
            "memory",
        ),
        (
            facts(supervisor=done(exit_code=1), report={"type": "OSError", "errno": errno.EFBIG}),
            "killed",
            "file size limit (8 MB)",
        ),
        (facts(supervisor=done(exit_code=0), stderr="File too large"), "ok", ""),
        (facts(supervisor=done(exit_code=2)), "error", "code 2"),
        (facts(supervisor=done(exit_code=2), stderr="panic: oh no\n"), "error", "panic: oh no"),
        (facts(supervisor=done(exit_code=1), stderr="AssertionError\n"), "fail", "assertion"),
    ],
)
def test_rules(given: RunFacts, status: str, reason: str) -> None:
    verdict = classify(given)
    assert verdict.status == status
    assert reason in verdict.reason


def test_signal_is_reported_as_negative_exit_code() -> None:
    verdict = classify(facts(supervisor=done(exit_code=None, signal=signal.SIGKILL)))
    assert verdict.exit_code == -signal.SIGKILL


def test_test_reports() -> None:
    report = {
        "outcome": "tests",
        "passed": ["test_a"],
        "failed": ["test_b"],
        "failures": {"test_b": "AssertionError: assert 1 == 2"},
    }
    verdict = classify(facts(test_mode=True, supervisor=done(exit_code=1), report=report))
    assert (verdict.status, verdict.tests_passed, verdict.tests_failed) == (
        "fail",
        ["test_a"],
        ["test_b"],
    )
    assert verdict.reason == "1 of 2 tests failed: test_b"
    everything_passed = {**report, "failed": [], "failures": {}}
    passing = classify(facts(test_mode=True, supervisor=done(), report=everything_passed))
    assert passing.status == "ok"


def test_missing_or_forged_report_is_an_error() -> None:
    verdict = classify(
        facts(test_mode=True, supervisor=done(), report_problem="integrity check failed")
    )
    assert (verdict.status, verdict.reason) == ("error", "integrity check failed (exit code 0)")
