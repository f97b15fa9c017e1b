"""Run a "your turn" check inside Pyodide, in a Web Worker of the reader's browser.

The reader's (or the model's) code is written to solution.py and the chapter's checks import
it; each test_* function runs on its own, so one failure does not hide the others.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
import traceback
import types

WORKDIR = "/home/pyodide/tryit"


def _fresh_module(name: str, source: str) -> types.ModuleType:
    module = types.ModuleType(name)
    module.__file__ = f"{WORKDIR}/{name}.py"
    sys.modules[name] = module
    exec(compile(source, module.__file__, "exec"), module.__dict__)
    return module


def run_checks(solution: str, checks: str) -> str:
    """JSON: whether the solution loaded, and each test's name, outcome and message."""
    sys.modules.pop("solution", None)
    sys.modules.pop("checks", None)
    out = io.StringIO()
    report: dict = {"loaded": True, "error": "", "tests": [], "output": ""}
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        try:
            _fresh_module("solution", solution)
            module = _fresh_module("checks", checks)
        except BaseException:  # noqa: BLE001 - the reader's code may raise anything
            report["loaded"] = False
            report["error"] = traceback.format_exc(limit=-3)
        else:
            for name, test in vars(module).items():
                if not (name.startswith("test_") and callable(test)):
                    continue
                try:
                    test()
                except BaseException as exc:  # noqa: BLE001
                    detail = f"{type(exc).__name__}: {exc}".rstrip(": ")
                    report["tests"].append({"name": name, "passed": False, "message": detail})
                else:
                    report["tests"].append({"name": name, "passed": True, "message": ""})
    report["output"] = out.getvalue()[-2000:]
    return json.dumps(report)
