"""run_code's ordinary behaviour: statuses, tests, stdin, files, limits, environment."""

from __future__ import annotations

import json
import os
import shutil

import pytest

from codegen_hero.sandbox import SandboxResult, run_code
from codegen_hero.sandbox import bwrap as bwrap_module
from codegen_hero.sandbox.limits import RUN_TAG_VAR

ADD = "def add(a, b):\n    return a + b\n"
ADD_TESTS = "from solution import *\n\ndef test_add():\n    assert add(2, 3) == 5\n"
ALLOWED_ENV = {
    "PATH",
    "HOME",
    "PWD",
    "TMPDIR",
    "LANG",
    "LC_ALL",
    "PYTHONHASHSEED",
    "PYTHONIOENCODING",
    "PYTHONDONTWRITEBYTECODE",
    "TERM",
    "NO_COLOR",
    "USER",
    "LOGNAME",
    RUN_TAG_VAR,
}


def test_ok_run_reports_output_and_is_json_safe(mode: str) -> None:
    result = run_code("print('héllo')\nimport sys\nprint('warn', file=sys.stderr)", timeout=3)
    assert result.status == "ok"
    assert result.exit_code == 0
    assert result.stdout == "héllo\n"
    assert result.stderr == "warn\n"
    data = json.loads(json.dumps(result.to_dict()))
    for key in ("status", "exit_code", "duration_s", "stdout", "stderr", "tests_passed"):
        assert key in data
    assert data["tests_failed"] == []
    assert 0 < result.duration_s < 3


def test_passing_tests_are_listed(mode: str) -> None:
    tests = ADD_TESTS + "\ndef test_zero():\n    assert add(0, 0) == 0\n"
    result = run_code(ADD, tests=tests, timeout=3)
    assert result.status == "ok"
    assert result.tests_passed == ["test_add", "test_zero"]
    assert result.failures == {}


def test_warning_says_plainly_when_there_is_no_real_sandbox(mode: str) -> None:
    result = run_code("pass", timeout=3)
    if mode == "bwrap":
        assert result.isolation == "bwrap"
        assert result.warning == ""
    else:
        assert result.isolation == "rlimits-only"
        assert "NOT a security sandbox" in result.warning


def test_environment_is_an_allowlist_and_home_is_the_workdir(mode: str) -> None:
    code = "import os, json\nprint(json.dumps({'env': dict(os.environ), 'cwd': os.getcwd()}))"
    result = run_code(code, timeout=3)
    seen = json.loads(result.stdout)
    assert set(seen["env"]) <= ALLOWED_ENV
    assert seen["env"]["HOME"] == seen["cwd"]
    assert not os.path.exists(seen["cwd"])  # removed after the run


def test_stdin_is_fed_then_closed(mode: str) -> None:
    code = "import sys\nlines = sys.stdin.read().splitlines()\nprint(sum(map(int, lines)))"
    result = run_code(code, stdin="1\n2\n39\n", timeout=3)
    assert result.stdout == "42\n"


def test_extra_files_are_importable(mode: str) -> None:
    files = {"helpers/__init__.py": "", "helpers/maths.py": "def double(x):\n    return 2 * x\n"}
    code = "from helpers.maths import double\nprint(double(21), open('data.txt').read())"
    result = run_code(code, files={**files, "data.txt": "payload"}, timeout=3)
    assert result.status == "ok", result.stderr
    assert result.stdout == "42 payload\n"


@pytest.mark.parametrize("name", ["/etc/passwd", "../escape.py", ".hero/key", "solution.py"])
def test_files_that_escape_or_clash_are_refused(name: str) -> None:
    with pytest.raises(ValueError, match="files"):
        run_code("pass", files={name: "x"})


def test_script_assert_is_a_fail_and_exit_codes_matter(mode: str) -> None:
    assert run_code("assert 1 + 1 == 3, 'maths'", timeout=3).status == "fail"
    assert run_code("import sys\nsys.exit(0)", timeout=3).status == "ok"
    exited = run_code("import sys\nsys.exit(2)", timeout=3)
    assert (exited.status, exited.exit_code) == ("error", 2)


def test_main_block_runs_without_tests_but_not_with_them(mode: str) -> None:
    code = ADD + "if __name__ == '__main__':\n    print('main ran')\n"
    assert run_code(code, timeout=3).stdout == "main ran\n"
    assert run_code(code, tests=ADD_TESTS, timeout=3).stdout == ""


def test_model_written_top_level_assert_failing_on_import_is_a_fail(mode: str) -> None:
    result = run_code(ADD + "assert add(1, 1) == 3\n", tests=ADD_TESTS, timeout=3)
    assert result.status == "fail"
    assert "while being imported" in result.reason


def test_broken_tests_file_is_an_error(mode: str) -> None:
    result = run_code(ADD, tests="def test_x(:\n    pass\n", timeout=3)
    assert result.status == "error"
    assert "could not be loaded" in result.reason


def test_tests_without_test_functions_are_an_error(mode: str) -> None:
    result = run_code(ADD, tests="from solution import *\nX = 1\n", timeout=3)
    assert result.status == "error"
    assert "no test_* functions" in result.reason


def test_output_kept_before_a_timeout(mode: str) -> None:
    result = run_code("print('started')\nwhile True:\n    pass", timeout=1)
    assert result.status == "timeout"
    assert result.stdout == "started\n"


def test_stderr_is_capped_too(mode: str) -> None:
    result = run_code("import sys\nsys.stderr.write('e' * 50_000)", max_output_bytes=1000)
    assert result.status == "ok"
    assert result.stderr_truncated and len(result.stderr) == 1000


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"timeout": 0}, "timeout"),
        ({"timeout": float("nan")}, "timeout"),
        ({"memory_mb": 1}, "memory_mb"),
        ({"max_output_bytes": -1}, "max_output_bytes"),
        ({"language": "cobol"}, "unknown language"),
    ],
)
def test_bad_arguments_raise_clear_errors(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        run_code("pass", **kwargs)


def test_missing_toolchain_is_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    result = run_code("package main\nfunc main() {}", language="go")
    assert result.status == "skipped"
    assert result.reason == "go not found on PATH"
    js = run_code("console.log(1)", language="javascript")
    assert (js.status, js.reason) == ("skipped", "node not found on PATH")


def test_go_tests_are_skipped_with_a_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: f"/usr/bin/{name}")
    result = run_code("package main\nfunc main() {}", tests="x", language="go")
    assert result.status == "skipped"
    assert "not supported" in result.reason


def test_unknown_hero_sandbox_value_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HERO_SANDBOX", "docker")
    result = run_code("pass")
    assert result.status == "error"
    assert "HERO_SANDBOX" in result.reason


def test_insisting_on_bwrap_where_it_is_missing_is_an_error(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("HERO_SANDBOX", "bwrap")
    monkeypatch.setattr(bwrap_module.shutil, "which", lambda name: None)
    result = run_code("print('never runs')")
    assert result.status == "error"
    assert "bwrap not found" in result.reason
    assert result.stdout == ""


needs_node = pytest.mark.skipif(shutil.which("node") is None, reason="node not found on PATH")


@needs_node
def test_javascript_runs_with_tests(mode: str) -> None:
    code = "function add(a, b) { return a + b }\nconsole.log('loaded')"
    tests = (
        "function test_add() { assert.strictEqual(add(1, 2), 3) }\n"
        "function test_wrong() { assert.strictEqual(add(1, 2), 4) }\n"
        "const test_later = async () => { await new Promise(r => setTimeout(r, 5)) }\n"
    )
    result = run_code(code, tests=tests, language="javascript", timeout=5)
    assert result.status == "fail"
    assert result.tests_passed == ["test_add", "test_later"]
    assert result.tests_failed == ["test_wrong"]
    assert "3 !== 4" in result.failures["test_wrong"]
    assert result.stdout == "loaded\n"


@needs_node
def test_javascript_module_exports_and_own_assert_import(mode: str) -> None:
    code = "const assert = require('assert')\nclass Stack { constructor() { this.items = [] } }\n"
    code += "module.exports = { Stack }\n"
    tests = "const assert = require('assert')\n"
    tests += "function test_stack() { assert.deepStrictEqual(new Stack().items, []) }\n"
    result = run_code(code, tests=tests, language="js", timeout=5)
    assert result.status == "ok", result.stderr
    assert result.tests_passed == ["test_stack"]


@needs_node
@pytest.mark.parametrize(
    ("code", "status", "reason"),
    [
        ("console.log(process.env.ANTHROPIC_API_KEY)", "ok", ""),
        ("const x = ;", "error", "SyntaxError"),
        ("while (true) {}", "timeout", "timeout"),
        ("let a = []; while (true) a.push(new Array(1e6).fill(1))", "killed", "memory"),
    ],
    ids=["env", "syntax", "loop", "memory"],
)
def test_javascript_statuses(mode: str, code: str, status: str, reason: str) -> None:
    result = run_code(code, language="javascript", timeout=2, memory_mb=256)
    assert result.status == status, result.to_dict()
    assert reason in result.reason
    assert "sk-ant" not in result.stdout


def test_result_defaults_are_empty_and_ok_property() -> None:
    result = SandboxResult(status="ok")
    assert result.ok and result.tests_passed == [] and result.to_dict()["reason"] == ""
    assert not SandboxResult(status="fail").ok


def test_tests_see_the_solution_without_importing_it() -> None:
    from codegen_hero.sandbox import run_code

    code = "def double(x):\n    return 2 * x\n\n_private = 1\n"
    bare = "def test_double():\n    assert double(2) == 4\n\ndef test_private_hidden():\n"
    bare += "    assert '_private' not in globals()\n"
    explicit = "from solution import double\n\ndef test_double():\n    assert double(3) == 6\n"
    first = run_code(code, tests=bare, timeout=10)
    second = run_code(code, tests=explicit, timeout=10)
    assert first.status == "ok", first.stderr
    assert first.tests_passed == ["test_double", "test_private_hidden"]
    assert second.status == "ok" and second.tests_passed == ["test_double"]


def test_returned_values_come_back_as_data() -> None:
    from codegen_hero.sandbox import run_code

    code = "def shout(s):\n    return s.upper() + '!'\n"
    tests = (
        "def test_plain():\n    return shout('hi')\n"
        "def test_nested():\n    return {'a': [1, 2], 'b': shout('x')}\n"
        "def test_odd_type():\n    return {1, 2}\n"
        "def test_nothing():\n    assert shout('a') == 'A!'\n"
    )
    result = run_code(code, tests=tests, timeout=10)
    assert result.status == "ok", result.stderr
    assert result.values["test_plain"] == "HI!"
    assert result.values["test_nested"] == {"a": [1, 2], "b": "X!"}
    assert result.values["test_odd_type"] == {"repr": "{1, 2}"}
    assert "test_nothing" not in result.values
    assert result.to_dict()["values"]["test_plain"] == "HI!"
