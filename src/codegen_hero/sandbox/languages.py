"""Per language: which files go into the working directory and which command runs them.

Python (required) runs through harness.py. JavaScript runs with `node` and Go with `go run`
when they are on PATH; otherwise the run is skipped with the reason.

Tests per language:
* python: source with test_* functions (plain asserts) that `from solution import *`.
* javascript: source with `function test_x() {...}` (or `const test_x = ...`) that call the
  solution's globals; `assert` is predefined. See harness.js.
* go: not supported yet (the run is skipped with that reason); the program is `main.go`.

Profiles beyond plain languages:
* notebook: the code is a notebook (JSON), run top to bottom by papermill through
  notebook_driver.py; a Jupyter kernel starts inside the sandbox. No tests.
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path

from codegen_hero.sandbox.limits import Limits

CONTROL_DIR = ".hero"
HERE = Path(__file__).resolve().parent
ALIASES = {
    "python": "python",
    "python3": "python",
    "py": "python",
    "javascript": "javascript",
    "js": "javascript",
    "node": "javascript",
    "go": "go",
    "golang": "go",
    "notebook": "notebook",
    "ipynb": "notebook",
}
EXTENSIONS = {
    ".py": "python",
    ".js": "javascript",
    ".mjs": "javascript",
    ".go": "go",
    ".ipynb": "notebook",
}
# The folder our package is imported from: sandboxed Python imports the same package (the
# interpreter's own site-packages may point at another copy, or at one the sandbox hides).
IMPORT_ROOT = str(HERE.parents[1])
NOTEBOOK_FILE = "notebook.ipynb"
KERNEL_START_TIMEOUT_S = 30
# Go compiles first, in its own processes: it gets this much more time and at least this much
# memory, measured as RLIMIT_DATA because the Go runtime reserves far more address space
# than it uses.
GO_EXTRA_TIMEOUT_S = 60.0
GO_MIN_MEMORY_MB = 2048
GO_MIN_PROCESSES = 128


class UnsupportedRequest(Exception):
    """The language cannot do what was asked (e.g. tests for Go); the run is skipped."""


@dataclass(frozen=True)
class Plan:
    """Everything the runner needs for one language, relative to the working directory."""

    command: list[str]
    files: dict[str, str]
    limits: Limits
    env: dict[str, str] = field(default_factory=dict)
    keep_paths: list[str] = field(default_factory=list)
    test_mode: bool = False


def normalise_language(language: str) -> str:
    try:
        return ALIASES[language.strip().lower()]
    except KeyError:
        known = ", ".join(sorted(set(ALIASES.values())))
        raise ValueError(f"unknown language {language!r}; known: {known}") from None


def language_for_file(path: str | os.PathLike[str]) -> str:
    """Guess from the extension; Python when unsure."""
    return EXTENSIONS.get(Path(path).suffix.lower(), "python")


def missing_toolchain(language: str) -> str | None:
    """Why this language cannot run here, or None when it can."""
    if language in ("python", "notebook"):
        return None
    tool = {"javascript": "node", "go": "go"}[language]
    return None if shutil.which(tool) else f"{tool} not found on PATH"


def toolchain_root(tool: str) -> list[str]:
    """The install root of a tool, so bwrap can show it even when it lives under $HOME."""
    found = shutil.which(tool)
    return [str(Path(os.path.realpath(found)).parent.parent)] if found else []


def _script(name: str) -> str:
    return (HERE / name).read_text(encoding="utf-8")


def plan_for(
    language: str,
    *,
    code: str,
    tests: str | None,
    workdir: str,
    limits: Limits,
    output_cap: int = 64_000,
) -> Plan:
    control = os.path.join(workdir, CONTROL_DIR)
    if language == "python":
        return _python_plan(code, tests, control, limits)
    if language == "notebook":
        return _notebook_plan(code, tests, control, limits, output_cap)
    if language == "javascript":
        return _javascript_plan(code, tests, control, limits)
    return _go_plan(code, tests, workdir, limits)


def _python_plan(code: str, tests: str | None, control: str, limits: Limits) -> Plan:
    files = {"solution.py": code, f"{CONTROL_DIR}/harness.py": _script("harness.py")}
    if tests is not None:
        files["test_solution.py"] = tests
    mode = "tests" if tests is not None else "script"
    harness = os.path.join(control, "harness.py")
    command = [sys.executable, "-I", harness, mode, control, IMPORT_ROOT]
    return Plan(command, files, limits, test_mode=tests is not None)


def _notebook_plan(
    notebook: str, tests: str | None, control: str, limits: Limits, output_cap: int
) -> Plan:
    """papermill runs the notebook; `output_cap` bounds what its cells may print."""
    if tests is not None:
        raise UnsupportedRequest("a notebook runs top to bottom; tests do not apply")
    driver_file = "notebook_driver.py"
    files = {NOTEBOOK_FILE: notebook, f"{CONTROL_DIR}/{driver_file}": _script(driver_file)}
    driver = os.path.join(control, driver_file)
    cap, start = str(output_cap), str(KERNEL_START_TIMEOUT_S)
    command = [sys.executable, "-I", driver, NOTEBOOK_FILE, cap, start, IMPORT_ROOT]
    return Plan(command, files, limits)


def _javascript_plan(code: str, tests: str | None, control: str, limits: Limits) -> Plan:
    node = shutil.which("node") or "node"
    limits = replace(limits, memory_kind="data")
    heap_flag = f"--max-old-space-size={max(16, limits.memory_mb * 3 // 4)}"
    files = {"solution.js": code}
    if tests is None:
        command = [node, heap_flag, "solution.js"]
    else:
        files["tests.js"] = tests
        files[f"{CONTROL_DIR}/harness.js"] = _script("harness.js")
        command = [node, heap_flag, os.path.join(control, "harness.js"), control]
    return Plan(
        command, files, limits, keep_paths=toolchain_root("node"), test_mode=tests is not None
    )


def _go_plan(code: str, tests: str | None, workdir: str, limits: Limits) -> Plan:
    if tests is not None:
        raise UnsupportedRequest("tests for go are not supported yet; run main.go without them")
    go = shutil.which("go") or "go"
    limits = replace(
        limits,
        timeout_s=limits.timeout_s + GO_EXTRA_TIMEOUT_S,
        memory_mb=max(limits.memory_mb, GO_MIN_MEMORY_MB),
        memory_kind="data",
        max_processes=max(limits.max_processes, GO_MIN_PROCESSES),
    )
    env = {
        "GOCACHE": os.path.join(workdir, ".cache", "go-build"),
        "GOPATH": os.path.join(workdir, ".gopath"),
        "GOTOOLCHAIN": "local",
        "GOPROXY": "off",
        "GOFLAGS": "-mod=mod",
        "GOTELEMETRY": "off",
        "CGO_ENABLED": "0",
    }
    return Plan([go, "run", "main.go"], {"main.go": code}, limits, env, toolchain_root("go"))
