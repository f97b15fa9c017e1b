"""Running a notebook with papermill inside the sandbox, and reading what happened."""

from __future__ import annotations

import json

import pytest

from codegen_hero.sandbox import SandboxResult
from codegen_hero.workshop import execute
from codegen_hero.workshop.execute import (
    MARK,
    PROBE_NOTEBOOK,
    Execution,
    GradingUnavailable,
    Mode,
    interpret,
    run_notebook,
)


def report(*events: dict, status: str = "ok", reason: str = "") -> SandboxResult:
    stdout = "".join(MARK + json.dumps(e) + "\n" for e in events)
    return SandboxResult(status=status, stdout=stdout, reason=reason, isolation="bwrap")


def test_a_kernel_runs_under_bubblewrap_with_only_loopback():
    """nbclient talks to the kernel over loopback TCP: bwrap's fresh namespace still has lo."""
    notebook = dict(PROBE_NOTEBOOK)
    notebook["cells"] = [
        {**PROBE_NOTEBOOK["cells"][0], "source": "print(open('/proc/net/dev').read())"}
    ]
    result = run_notebook(json.dumps(notebook), timeout=60)
    assert result == Execution("ok", "runs top to bottom", result.isolation)
    if result.isolation != "bwrap":
        pytest.skip(f"bubblewrap is not usable here ({result.isolation})")


def test_the_memory_cap_holds_inside_the_notebook():
    notebook = dict(PROBE_NOTEBOOK)
    notebook["cells"] = [{**PROBE_NOTEBOOK["cells"][0], "source": "hog = bytearray(2 * 1024**3)"}]
    result = run_notebook(json.dumps(notebook), timeout=60, memory_mb=768)
    assert result == Execution("exception", "cell 1 raised MemoryError", result.isolation)


def test_a_cap_too_small_for_a_kernel_says_so():
    result = run_notebook(json.dumps(PROBE_NOTEBOOK), timeout=60, memory_mb=128)
    assert result.outcome == "crashed" and "--memory-mb" in result.message


def test_the_rlimits_fallback_runs_a_kernel_too():
    fallback = Mode("rlimits")
    result = run_notebook(json.dumps(PROBE_NOTEBOOK), mode=fallback, timeout=60)
    assert result.ok and result.isolation == "rlimits-only"


class Bwrap:
    level = "bwrap"


def test_probe_falls_back_to_rlimits_and_says_why(monkeypatch):
    execute.probe_kernel.cache_clear()
    calls = []

    def fake_run(text, *, mode=None, timeout=60.0, memory_mb=1024, output_kb=2048):
        calls.append(mode)
        if mode is None or mode.isolation is None:
            return Execution("grader error", "Kernel didn't respond in 30 seconds", "bwrap")
        return Execution("ok", "runs top to bottom", "rlimits-only")

    monkeypatch.setattr(execute, "run_notebook", fake_run)
    monkeypatch.setattr(execute, "choose_isolation", Bwrap)
    mode = execute.probe_kernel(512, 5.0)
    execute.probe_kernel.cache_clear()
    assert mode.isolation == "rlimits-only"
    assert "rlimits only" in mode.note and "Kernel didn't respond" in mode.note
    assert len(calls) == 2


def test_probe_gives_up_in_one_line_when_nothing_runs(monkeypatch):
    execute.probe_kernel.cache_clear()
    monkeypatch.setattr(
        execute, "run_notebook", lambda *a, **k: Execution("grader error", "no kernel", "bwrap")
    )
    monkeypatch.setattr(execute, "choose_isolation", Bwrap)
    with pytest.raises(GradingUnavailable, match="rlimits only"):
        execute.probe_kernel(256, 5.0)
    execute.probe_kernel.cache_clear()


@pytest.mark.parametrize(
    ("result", "outcome", "phrase"),
    [
        (report({"event": "cell", "index": 2}, status="timeout"), "timeout", "in cell 3"),
        (
            report({"event": "cell", "index": 0}, status="killed", reason="memory limit"),
            "crashed",
            "memory limit",
        ),
        (
            report(
                {
                    "event": "done",
                    "outcome": "exception",
                    "index": 4,
                    "ename": "KeyError",
                    "evalue": "'x'",
                }
            ),
            "exception",
            "cell 5 raised KeyError: 'x'",
        ),
        (
            report({"event": "done", "outcome": "too much output", "index": 1}),
            "too much output",
            "cell 2 printed",
        ),
        (
            report({"event": "cell", "index": 6}, {"event": "done", "outcome": "crashed"}),
            "crashed",
            "kernel died in cell 7",
        ),
        (report(status="error", reason="exited with code 1"), "grader error", "did not report"),
        (
            SandboxResult(status="error", stderr="Traceback ...\nMemoryError\n", reason="code 1"),
            "crashed",
            "--memory-mb too low?",
        ),
        (report({"event": "done", "outcome": "ok"}), "ok", "runs top to bottom"),
    ],
)
def test_interpret_turns_the_run_into_one_outcome(result, outcome, phrase):
    execution = interpret(result, timeout=12)
    assert execution.outcome == outcome and phrase in execution.message, execution


def test_forged_marker_lines_that_are_not_json_are_ignored():
    result = SandboxResult(
        status="ok", stdout=MARK + "{not json\n" + MARK + '{"event": "done", "outcome": "ok"}\n'
    )
    assert interpret(result, 5).ok
