"""Runs solution.py, or its tests, inside the sandbox and reports what happened.

A standalone script (stdlib only, no pytest), copied into the working directory. Two modes:

* script: run solution.py as __main__, like `python solution.py`;
* tests: import solution (so its `if __name__ == "__main__":` block stays quiet), import
  test_solution.py, call every test_* function and catch what each raises. What a test
  returns comes back as JSON data: a checker can call a learner's function here and judge
  the result in its own process.

The report goes to a file, signed with HMAC under a key the harness reads and deletes before
any of the code under test runs. Printing "all tests passed" on stdout proves nothing, and a
report the code wrote itself fails the signature check. (Code in the same process could still
dig the key out of memory: this resists accidents and casual cheating, not a determined
attacker.)

Usage: python -I harness.py script|tests CONTROL_DIR [IMPORT_ROOT]
(IMPORT_ROOT: where the caller's own package is imported from, searched after the workdir.)
"""

from __future__ import annotations

import builtins
import contextlib
import hashlib
import hmac
import importlib
import json
import os
import sys
import traceback
import types
from typing import Any

SOLUTION_FILE = "solution.py"
SOLUTION_MODULE = "solution"
TESTS_MODULE = "test_solution"
MESSAGE_LIMIT = 300
VALUE_LIMIT = 100_000  # characters of JSON per returned value
HARNESS_FILE = os.path.abspath(__file__)


def make_reporter(control_dir: str) -> Any:
    """Read and delete the key now; return a function that writes a signed report later."""
    key_path = os.path.join(control_dir, "key")
    with open(key_path, "rb") as handle:
        key = handle.read()
    os.unlink(key_path)
    result_path = os.path.join(control_dir, "result.json")

    def report(payload: dict[str, Any]) -> None:
        body = json.dumps(payload)
        mac = hmac.new(key, body.encode(), hashlib.sha256).hexdigest()
        with open(result_path, "w", encoding="utf-8") as handle:
            handle.write(json.dumps({"payload": body, "mac": mac}))

    return report


def user_traceback(exc: BaseException) -> str:
    """The traceback without the harness's and importlib's own frames."""
    tb = exc.__traceback__
    while tb is not None and _is_plumbing(tb.tb_frame.f_code.co_filename):
        tb = tb.tb_next
    try:
        return "".join(traceback.format_exception(type(exc), exc, tb))
    except MemoryError:
        return f"{type(exc).__name__} (no memory left to format the traceback)\n"


def _is_plumbing(filename: str) -> bool:
    return filename == HARNESS_FILE or filename.startswith("<frozen importlib")


def short_message(exc: BaseException) -> str:
    """One line for a failure: the exception, or the failing assert's source for a bare one."""
    text = str(exc).strip()
    if isinstance(exc, SystemExit):
        return f"SystemExit({exc.code!r}) raised inside the test"
    if not text and isinstance(exc, AssertionError):
        frames = traceback.extract_tb(exc.__traceback__)
        line = (frames[-1].line or "").strip() if frames else ""
        text = line[line.find("assert ") :] if "assert " in line else line
        text = text or "assertion failed"
    message = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
    message = " ".join(message.split())
    return message if len(message) <= MESSAGE_LIMIT else message[: MESSAGE_LIMIT - 1] + "…"


def describe(exc: BaseException) -> dict[str, Any]:
    return {
        "type": type(exc).__name__,
        "errno": getattr(exc, "errno", None) if isinstance(exc, OSError) else None,
        "message": short_message(exc),
    }


def flush_streams() -> None:
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()


def run_script(report: Any, workdir: str) -> None:
    """Like `python solution.py`: exceptions and sys.exit behave as they would there."""
    path = os.path.join(workdir, SOLUTION_FILE)
    with open(path, encoding="utf-8") as handle:
        source = handle.read()
    module = types.ModuleType("__main__")
    module.__file__ = path
    module.__builtins__ = builtins  # type: ignore[attr-defined]
    sys.modules["__main__"] = module
    sys.argv = [SOLUTION_FILE]
    try:
        exec(compile(source, path, "exec"), module.__dict__)  # noqa: S102 - that is the job
    except SystemExit as exc:
        report({"mode": "script", "outcome": "exit", "code": repr(exc.code)})
        raise
    except BaseException as exc:  # noqa: BLE001 - every failure is reported
        text = user_traceback(exc)
        facts = describe(exc)
        del exc
        module.__dict__.clear()
        sys.stderr.write(text)
        report({"mode": "script", "outcome": "exception", **facts})
        flush_streams()
        sys.exit(1)
    report({"mode": "script", "outcome": "ok"})


def load_tests(solution: types.ModuleType) -> types.ModuleType:
    """The tests module, with the solution's public names already in scope.

    Tests written by hand often call the function without importing it; an explicit
    `from solution import ...` still works the same.
    """
    path = os.path.join(os.getcwd(), TESTS_MODULE + ".py")
    module = types.ModuleType(TESTS_MODULE)
    module.__file__ = path
    module.__dict__.update({k: v for k, v in vars(solution).items() if not k.startswith("_")})
    sys.modules[TESTS_MODULE] = module
    with open(path, encoding="utf-8") as fh:
        source = fh.read()
    exec(compile(source, path, "exec"), module.__dict__)  # noqa: S102 - that is the job
    return module


def as_value(value: Any) -> Any:
    """A test's return value as plain JSON data, so a checker can judge it outside."""
    try:
        text = json.dumps(value)
    except (TypeError, ValueError):
        text = json.dumps({"repr": repr(value)[:VALUE_LIMIT]})
    if len(text) > VALUE_LIMIT:
        return {"truncated": True, "repr": text[:VALUE_LIMIT]}
    return json.loads(text)


def run_tests(report: Any) -> None:
    """Import the solution, then the tests, then call each test_* function in order."""
    sys.argv = [TESTS_MODULE + ".py"]
    loaded: dict[str, types.ModuleType] = {}
    for phase, name in (("solution", SOLUTION_MODULE), ("tests-import", TESTS_MODULE)):
        try:
            if name == TESTS_MODULE:
                loaded[name] = load_tests(loaded[SOLUTION_MODULE])
            else:
                loaded[name] = importlib.import_module(name)
        except BaseException as exc:  # noqa: BLE001 - a crash at import is a verdict too
            sys.stderr.write(user_traceback(exc))
            report({"mode": "tests", "outcome": "exception", "phase": phase, **describe(exc)})
            flush_streams()
            os._exit(1)
    tests = [
        (name, obj)
        for name, obj in vars(loaded[TESTS_MODULE]).items()
        if name.startswith("test_") and callable(obj) and not isinstance(obj, type)
    ]
    passed: list[str] = []
    failures: dict[str, str] = {}
    values: dict[str, Any] = {}
    for name, test in tests:
        try:
            returned = test()
        except BaseException as exc:  # noqa: BLE001 - SystemExit in a test is a failure
            failures[name] = short_message(exc)
            sys.stderr.write(f"FAILED {name}\n{user_traceback(exc)}")
        else:
            passed.append(name)
            if returned is not None:
                values[name] = as_value(returned)
    flush_streams()
    report(
        {
            "mode": "tests",
            "outcome": "tests",
            "passed": passed,
            "failed": list(failures),
            "failures": failures,
            "values": values,
        }
    )
    os._exit(1 if failures else 0)  # no atexit hooks or stray threads may rewrite the verdict


def main() -> None:
    mode, control_dir = sys.argv[1], sys.argv[2]
    report = make_reporter(control_dir)
    workdir = os.getcwd()
    sys.path.insert(0, workdir)
    if len(sys.argv) > 3:
        sys.path.insert(1, sys.argv[3])
    with contextlib.suppress(AttributeError, ValueError):  # so a timeout keeps earlier prints
        sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]  # -I leaves the script's directory off sys.path
    if mode == "tests":
        run_tests(report)
    else:
        run_script(report, workdir)


if __name__ == "__main__":
    main()
