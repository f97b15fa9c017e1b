"""Run by the sandbox (as its solution.py): pytest over the test_*.py files of the folder.

tally's later steps need pytest's fixtures (tmp_path, capsys, monkeypatch) and parametrize,
which the sandbox's own stdlib harness does not have. pytest's report goes to stderr, where a
traceback would be; one last stdout line carries the verdict per test as JSON.
"""

import contextlib
import io
import json
import sys
from pathlib import Path

MARKER = "TALLY-PYTEST-RESULT "


class Collect:
    def __init__(self) -> None:
        self.passed: list[str] = []
        self.failed: dict[str, str] = {}

    def pytest_runtest_logreport(self, report) -> None:  # type: ignore[no-untyped-def]
        name = report.nodeid.split("::")[-1]
        if report.failed:
            lines = [ln for ln in report.longreprtext.splitlines() if ln.startswith("E ")]
            self.failed[name] = (lines[0][1:].strip() if lines else "failed")[:300]
        elif report.passed and report.when == "call":
            self.passed.append(name)

    def pytest_collectreport(self, report) -> None:  # type: ignore[no-untyped-def]
        if report.failed:
            self.failed[report.nodeid or "collection"] = "could not be collected"


def main() -> int:
    try:
        import pytest
    except ImportError:
        print("pytest is not installed: install the course with its [dev] extra", file=sys.stderr)
        return 3
    files = sorted(str(p) for p in Path.cwd().glob("test_*.py") if p.name != "test_solution.py")
    collect = Collect()
    args = ["-q", "--tb=short", "--no-header", "-p", "no:cacheprovider", *files]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = pytest.main(args, plugins=[collect])
    sys.stderr.write(out.getvalue())
    print(MARKER + json.dumps({"passed": collect.passed, "failed": collect.failed}))
    return int(code)


if __name__ == "__main__":
    sys.exit(main())
