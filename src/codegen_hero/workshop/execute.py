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
from codegen_hero.sandbox.bwrap import (
    BWRAP_LEVEL,
    RLIMITS_LEVEL,
    RLIMITS_WARNING,
    Isolation,
    choose_isolation,
)

Outcome = Literal["ok", "exception", "timeout", "crashed", "too much output", "grader error"]
MARK = "@@hero-grade@@"
NOTEBOOK_FILE = "submission.ipynb"
DEFAULT_MEMORY_MB = 1024
DEFAULT_OUTPUT_KB = 2048
START_TIMEOUT_S = 30

# Runs as solution.py in the sandbox (script mode). It reports on stdout with a marker; the
# kernel's own prints go to papermill over zmq, never to this process's stdout.
DRIVER = """
import json, os, sys
MARK = {mark!r}
OUTPUT_CAP = {cap!r}
os.environ.update({{"HERO_SANDBOX": "rlimits", "HERO_CACHE": "replay", "MPLBACKEND": "Agg",
                    "HERO_PROGRESS": "0", "PYDEVD_DISABLE_FILE_VALIDATION": "1"}})
# The kernel over encrypted TCP (codegen_hero.kernels), if its provisioner loads in here.
from importlib.metadata import entry_points
for provisioner in entry_points(group={group!r}, name={provisioner!r}):
    try:
        provisioner.load()
    except Exception:
        break
    os.environ.setdefault({env!r}, {provisioner!r})

def say(event, **data):
    sys.stdout.write(MARK + json.dumps(dict(event=event, **data)) + "\\n")
    sys.stdout.flush()

import nbclient.client as nbc
from nbclient.exceptions import CellTimeoutError, DeadKernelError
import papermill
from papermill.exceptions import PapermillExecutionError

class OutputTooLarge(Exception):
    pass

seen = [0]
original_output = nbc.NotebookClient.output

def capped_output(self, outs, msg, display_id, cell_index):
    seen[0] += len(json.dumps(msg.get("content", {{}})))
    if seen[0] > OUTPUT_CAP:
        raise OutputTooLarge(cell_index)
    return original_output(self, outs, msg, display_id, cell_index)

nbc.NotebookClient.output = capped_output

def on_start(cell=None, cell_index=0, **_):
    say("cell", index=cell_index)

try:
    papermill.execute_notebook({notebook!r}, None, kernel_name="python3", progress_bar=False,
                               cwd=".", start_timeout={start!r}, on_cell_start=on_start,
                               shutdown_kernel="immediate")
    say("done", outcome="ok")
except PapermillExecutionError as exc:
    say("done", outcome="exception", index=exc.cell_index, ename=str(exc.ename),
        evalue=str(exc.evalue)[:300])
except OutputTooLarge as exc:
    say("done", outcome="too much output", index=exc.args[0])
except DeadKernelError as exc:
    say("done", outcome="crashed", detail=str(exc)[:200])
except CellTimeoutError as exc:
    say("done", outcome="timeout", detail=str(exc)[:200])
except BaseException as exc:
    detail = (type(exc).__name__ + ": " + str(exc))[:300]
    say("done", outcome="crashed" if "Kernel died" in detail else "grader error", detail=detail)
"""


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

    isolation: Isolation | None  # None: whatever run_code chooses (bwrap where it works)
    note: str = ""  # appended to every row's message when not fully isolated


def driver_code(output_kb: int = DEFAULT_OUTPUT_KB) -> str:
    from codegen_hero import kernels

    return DRIVER.format(
        mark=MARK,
        cap=output_kb * 1024,
        notebook=NOTEBOOK_FILE,
        start=START_TIMEOUT_S,
        group=kernels.GROUP,
        provisioner=kernels.PROVISIONER,
        env=kernels.ENV,
    )


def _rlimits_only(why: str) -> Isolation:
    return Isolation(RLIMITS_LEVEL, f"{RLIMITS_WARNING} ({why})")


def _run(
    mode: Mode, code: str, files: dict[str, str], timeout: float, memory_mb: int
) -> SandboxResult:
    """run_code, or the same runner with a given isolation for the rlimits fallback."""
    if mode.isolation is None:
        return run_code(code, files=files, timeout=timeout, memory_mb=memory_mb)
    # run_code has no isolation parameter; this mirrors its body for the fallback only.
    from codegen_hero.sandbox import runner
    from codegen_hero.sandbox.languages import plan_for
    from codegen_hero.sandbox.limits import Limits

    limits = Limits(timeout_s=float(timeout), memory_mb=memory_mb)
    base = SandboxResult(
        status="skipped", isolation=mode.isolation.level, warning=mode.isolation.warning
    )
    workdir = runner.make_workdir()
    try:
        plan = plan_for("python", code=code, tests=None, workdir=workdir, limits=limits)
        runner.write_files(workdir, files, plan.files)
        return runner._execute(plan, mode.isolation, workdir, "", 64_000, base)
    finally:
        runner.remove_workdir(workdir)


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
    mode = mode or Mode(None)
    files = {NOTEBOOK_FILE: notebook_json}
    result = _run(mode, driver_code(output_kb), files, timeout, memory_mb)
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
def probe_kernel(memory_mb: int = DEFAULT_MEMORY_MB, timeout: float = 60.0) -> Mode:
    """Can a Jupyter kernel start in the sandbox here? Decided once per process."""
    text = json.dumps(PROBE_NOTEBOOK)
    first = run_notebook(text, timeout=timeout, memory_mb=memory_mb)
    if first.ok and first.isolation == BWRAP_LEVEL:
        return Mode(None)
    if first.ok:  # the sandbox itself is rlimits-only here (no bwrap): say so on every row
        return Mode(None, note="notebook ran with rlimits only: no bubblewrap on this machine")
    if choose_isolation().level != BWRAP_LEVEL:
        raise GradingUnavailable(f"cannot run a Jupyter kernel in the sandbox: {first.message}")
    fallback = Mode(_rlimits_only(f"a kernel could not start under bubblewrap: {first.message}"))
    second = run_notebook(text, mode=fallback, timeout=timeout, memory_mb=memory_mb)
    if not second.ok:
        raise GradingUnavailable(f"no Jupyter kernel runs even with rlimits only: {second.message}")
    note = f"notebook ran with rlimits only: the kernel failed under bubblewrap ({first.message})"
    return Mode(fallback.isolation, note=note)
