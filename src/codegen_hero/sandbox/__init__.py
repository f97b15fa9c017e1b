"""Run untrusted code (written by models or learners) outside our process, and judge it.

    from codegen_hero.sandbox import run_code
    result = run_code("def add(a, b): return a + b", tests="def test_add(): assert add(1, 2) == 3")
    result.status  # "ok"

With bubblewrap installed (Linux) runs are isolated: read-only filesystem, no network, own
PID namespace. Without it they fall back to rlimits only, which is NOT a security sandbox;
`isolation_report()` says which one you get and why. `run_tool` runs a whole program (a
coding tool) on one folder with its network cut but for bridges to the model server.
"""

from codegen_hero.sandbox.bwrap import isolation_report
from codegen_hero.sandbox.extract import extract_code, strip_main_and_tests
from codegen_hero.sandbox.passk import pass_at_k
from codegen_hero.sandbox.result import SandboxResult
from codegen_hero.sandbox.runner import run_code
from codegen_hero.sandbox.tool_run import ToolRun, run_tool

__all__ = [
    "SandboxResult",
    "ToolRun",
    "extract_code",
    "isolation_report",
    "pass_at_k",
    "run_code",
    "run_tool",
    "strip_main_and_tests",
]
