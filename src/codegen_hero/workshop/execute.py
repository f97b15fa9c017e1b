"""Run a learner's notebook top to bottom with papermill, inside the sandbox.

Grading asks two questions: does the notebook run at all (this module), and what does the
exercise's own checker say about its answer cells (grade.py). The notebook runs in the
sandbox like any learner code: a wall-clock deadline, a memory cap, no network. The Jupyter
kernel talks to papermill over loopback TCP; bubblewrap's fresh network namespace still has
`lo` (bwrap brings it up), so that works there. Where it does not, `probe_kernel` finds out
once and this step falls back to rlimits only, and every row says so.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from typing import Any, Literal

from codegen_hero.models.errors import HeroError
from codegen_hero.sandbox import SandboxResult, run_code
from codegen_hero.sandbox.bwrap import BWRAP_LEVEL, RLIMITS_LEVEL, choose_isolation
from codegen_hero.sandbox.notebook_driver import MARK

Outcome = Literal["ok", "exception", "timeout", "crashed", "too much output", "grader error"]
DEFAULT_MEMORY_MB = 1024
DEFAULT_OUTPUT_KB = 2048
__all__ = ["MARK", "Execution", "GradingUnavailable", "Mode", "probe_kernel", "run_notebook"]


class GradingUnavailable(HeroError):
    """No Jupyter kernel can run in the sandbox here, even with rlimits only."""


@dataclass(frozen=True)
class Execution:
    """How the papermill run went, in one line; `isolation` is what it actually ran under."""

    outcome: Outcome
    message: str
    isolation: str = ""

    @property
    def ok(self) -> bool:
        return self.outcome == "ok"


@dataclass(frozen=True)
class Mode:
    """Where notebooks run for this grading session: the sandbox's choice or rlimits only."""

    isolation: str | None = None  # None: whatever run_code chooses (bwrap where it works)
    note: str = ""  # appended to every row's message when not fully isolated
    hide: tuple[str, ...] = ()  # grader-only folders the notebook must not see


def _events(stdout: str) -> list[dict[str, Any]]:
    events = []
    for line in stdout.splitlines():
        if line.startswith(MARK):
            try:
                events.append(json.loads(line[len(MARK) :]))
            except ValueError:
                continue
    return events


def interpret(result: SandboxResult, timeout: float, cap_kb: int = DEFAULT_OUTPUT_KB) -> Execution:
    """From the sandbox's verdict and the driver's report to one outcome and one line."""
    events = _events(result.stdout)
    cells = [e for e in events if e.get("event") == "cell"]
    where = f" in cell {int(cells[-1]['index']) + 1}" if cells else ""
    done = next((e for e in reversed(events) if e.get("event") == "done"), None)
    iso = result.isolation
    if result.status == "timeout":
        return Execution("timeout", f"still running after {timeout:g} s{where}", iso)
    if done is None:
        if result.status == "killed":
            return Execution("crashed", f"stopped{where}: {result.reason}", iso)
        if "MemoryError" in result.stderr:
            why = "the notebook runner ran out of memory before reporting (is --memory-mb too low?)"
            return Execution("crashed", why, iso)
        reason = result.reason or result.stderr.strip().splitlines()[-1:] or ["no report"]
        detail = reason if isinstance(reason, str) else reason[0]
        return Execution("grader error", f"the notebook runner did not report: {detail}", iso)
    outcome = str(done.get("outcome"))
    if outcome == "ok":
        return Execution("ok", "runs top to bottom", iso)
    if outcome == "exception":
        cell = int(done.get("index", 0)) + 1
        text = f"{done.get('ename')}: {done.get('evalue')}".strip(": ")
        return Execution("exception", f"cell {cell} raised {text}", iso)
    if outcome == "too much output":
        cell = int(done.get("index", 0)) + 1
        return Execution("too much output", f"cell {cell} printed more than {cap_kb} kB", iso)
    if outcome == "crashed":
        if not cells:
            why = "the kernel died before running a cell (is --memory-mb too low?)"
            return Execution("crashed", why, iso)
        return Execution("crashed", f"the kernel died{where} (os._exit, a crash or a limit)", iso)
    if outcome == "timeout":
        return Execution("timeout", f"a cell did not finish{where}", iso)
    return Execution("grader error", str(done.get("detail", "unknown failure")), iso)


def run_notebook(
    notebook_json: str,
    *,
    mode: Mode | None = None,
    timeout: float = 60.0,
    memory_mb: int = DEFAULT_MEMORY_MB,
    output_kb: int = DEFAULT_OUTPUT_KB,
) -> Execution:
    """Execute one (already validated, outputs cleared) notebook in the sandbox."""
    mode = mode or Mode()
    result = run_code(
        notebook_json,
        language="notebook",
        timeout=timeout,
        memory_mb=memory_mb,
        max_output_bytes=output_kb * 1024,
        isolation=mode.isolation,
        hide=mode.hide,
    )
    return interpret(result, timeout, output_kb)


PROBE_NOTEBOOK = {
    "cells": [
        {
            "cell_type": "code",
            "execution_count": None,
            "id": "probe",
            "metadata": {},
            "outputs": [],
            "source": "print(1 + 1)",
        }
    ],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
    "nbformat": 4,
    "nbformat_minor": 5,
}


@functools.lru_cache(maxsize=8)
def probe_kernel(
    memory_mb: int = DEFAULT_MEMORY_MB, timeout: float = 60.0, hide: tuple[str, ...] = ()
) -> Mode:
    """Can a Jupyter kernel start in the sandbox here? Decided once per process."""
    text = json.dumps(PROBE_NOTEBOOK)
    first = run_notebook(text, mode=Mode(hide=hide), timeout=timeout, memory_mb=memory_mb)
    if first.ok and first.isolation == BWRAP_LEVEL:
        return Mode(hide=hide)
    if first.ok:  # the sandbox itself is rlimits-only here (no bwrap): say so on every row
        note = "notebook ran with rlimits only: no bubblewrap on this machine"
        return Mode(note=note, hide=hide)
    if choose_isolation().level != BWRAP_LEVEL:
        raise GradingUnavailable(f"cannot run a Jupyter kernel in the sandbox: {first.message}")
    fallback = Mode(RLIMITS_LEVEL, hide=hide)
    second = run_notebook(text, mode=fallback, timeout=timeout, memory_mb=memory_mb)
    if not second.ok:
        raise GradingUnavailable(f"no Jupyter kernel runs even with rlimits only: {second.message}")
    note = f"notebook ran with rlimits only: the kernel failed under bubblewrap ({first.message})"
    return Mode(RLIMITS_LEVEL, note=note, hide=hide)
