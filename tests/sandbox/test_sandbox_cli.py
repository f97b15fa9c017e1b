"""`hero sandbox` through typer's CliRunner and as a real process."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from codegen_hero.sandbox.cli import sandbox_app
from tests.sandbox.sandbox_helpers import CANARY_KEY

cli = CliRunner()
REQUIRED_KEYS = {"status", "exit_code", "duration_s", "stdout", "stderr", "tests_passed"}


@pytest.fixture
def program(tmp_path: Path) -> Path:
    path = tmp_path / "solution.py"
    path.write_text("def add(a, b):\n    return a + b\nprint('loaded')\n")
    return path


@pytest.fixture
def tests_file(tmp_path: Path) -> Path:
    path = tmp_path / "tests.py"
    path.write_text(
        "from solution import *\n"
        "def test_one():\n    assert add(1, 2) == 3\n"
        "def test_two():\n    assert add(2, 2) == 5\n"
    )
    return path


def test_json_output_and_exit_zero_when_ok(mode: str, program: Path) -> None:
    outcome = cli.invoke(sandbox_app, ["run", str(program), "--json"])
    assert outcome.exit_code == 0, outcome.output
    data = json.loads(outcome.output)
    assert REQUIRED_KEYS | {"tests_failed"} <= set(data)
    assert (data["status"], data["stdout"]) == ("ok", "loaded\n")


def test_failing_tests_exit_one_and_are_named(mode: str, program: Path, tests_file: Path):
    outcome = cli.invoke(sandbox_app, ["run", str(program), "--tests", str(tests_file), "--json"])
    assert outcome.exit_code == 1
    data = json.loads(outcome.output)
    assert data["status"] == "fail"
    assert (data["tests_passed"], data["tests_failed"]) == (["test_one"], ["test_two"])


def test_human_report_shows_verdict_tests_and_output(program: Path, tests_file: Path) -> None:
    outcome = cli.invoke(sandbox_app, ["run", str(program), "--tests", str(tests_file)])
    assert outcome.exit_code == 1
    for expected in ("FAIL", "PASS test_one", "test_two", "assert add(2, 2) == 5", "loaded"):
        assert expected in outcome.output


def test_timeout_and_memory_options_reach_the_sandbox(tmp_path: Path) -> None:
    loop = tmp_path / "loop.py"
    loop.write_text("while True:\n    pass\n")
    outcome = cli.invoke(sandbox_app, ["run", str(loop), "--timeout", "1", "--json"])
    assert json.loads(outcome.output)["status"] == "timeout"
    hog = tmp_path / "hog.py"
    hog.write_text("x = bytearray(300 * 1024 * 1024)\n")
    outcome = cli.invoke(sandbox_app, ["run", str(hog), "--memory-mb", "128", "--json"])
    assert json.loads(outcome.output)["status"] == "killed"
    assert outcome.exit_code == 1


@pytest.mark.skipif(shutil.which("node") is None, reason="node not found on PATH")
def test_language_follows_the_file_suffix(tmp_path: Path) -> None:
    script = tmp_path / "hello.js"
    script.write_text("console.log('from node')\n")
    outcome = cli.invoke(sandbox_app, ["run", str(script), "--json"])
    data = json.loads(outcome.output)
    assert (data["status"], data["language"], data["stdout"]) == ("ok", "javascript", "from node\n")


def test_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    outcome = cli.invoke(sandbox_app, ["run", str(tmp_path / "nope.py")])
    assert outcome.exit_code == 2
    assert "cannot read" in outcome.output


def test_unknown_language_is_a_usage_error(program: Path) -> None:
    outcome = cli.invoke(sandbox_app, ["run", str(program), "--language", "cobol"])
    assert outcome.exit_code == 2
    assert "unknown language" in outcome.output


def test_isolation_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HERO_SANDBOX", "rlimits")
    outcome = cli.invoke(sandbox_app, ["isolation"])
    assert outcome.exit_code == 1
    assert "rlimits-only" in outcome.output and "NOT a security sandbox" in outcome.output


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}
    return subprocess.run(
        [sys.executable, "-m", "codegen_hero.sandbox.cli", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )


def test_real_process_survives_a_program_that_attacks_it(mode: str, tmp_path: Path) -> None:
    """The program kills its parent, tries our process group, reads our secrets and loops;
    the CLI process must live to print the verdict."""
    hostile = tmp_path / "hostile.py"
    hostile.write_text(
        "import os, signal\n"
        "print('key:', os.environ.get('ANTHROPIC_API_KEY'), flush=True)\n"
        "os.kill(os.getppid(), signal.SIGKILL)\n"
        "while True:\n    pass\n"
    )
    done = run_cli("run", str(hostile), "--timeout", "2", "--json")
    assert done.returncode == 1, done.stderr
    data = json.loads(done.stdout)
    assert data["status"] == "killed"
    assert CANARY_KEY not in done.stdout
    assert "key: None" in data["stdout"]


def test_real_process_reports_ok(program: Path) -> None:
    done = run_cli("run", str(program), "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["status"] == "ok"
