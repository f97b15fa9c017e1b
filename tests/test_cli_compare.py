"""`hero compare` as a user runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fakes.llm_server import FakeLLMServer

HERO = Path(sys.executable).with_name("hero")
FIZZ_TESTS = """
from solution import fizzbuzz

def test_fizz():
    assert fizzbuzz(3) == "Fizz"

def test_buzz():
    assert fizzbuzz(5) == "Buzz"

def test_fizzbuzz():
    assert fizzbuzz(15) == "FizzBuzz"

def test_number():
    assert fizzbuzz(7) == "7"
"""
GOOD = """Here you go:

```python
def fizzbuzz(n):
    if n % 15 == 0:
        return "FizzBuzz"
    if n % 3 == 0:
        return "Fizz"
    if n % 5 == 0:
        return "Buzz"
    return str(n)
```
"""


def hero(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(HERO), *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "COLUMNS": "160", "HERO_PROGRESS": "0", **(env or {})},
    )


@pytest.fixture
def tests_file(tmp_path) -> Path:
    path = tmp_path / "test_fizz.py"
    path.write_text(FIZZ_TESTS)
    return path


def test_json_output_against_loopback_models(tests_file):
    with FakeLLMServer() as server:
        server.reply = lambda r: GOOD if r.model == "right" else "I cannot write code today."
        result = hero(
            "compare",
            "fizzbuzz",
            "-m",
            "ollama/right",
            "-m",
            "ollama/wrong",
            "--tests",
            str(tests_file),
            "--json",
            env={"HERO_OLLAMA_URL": server.url + "/v1"},
        )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    right, wrong = data["rows"]
    assert right["passed"] is True and right["test"]["tests_passed"] == [
        "test_fizz",
        "test_buzz",
        "test_fizzbuzz",
        "test_number",
    ]
    assert wrong["passed"] is False
    for key in (
        "status",
        "exit_code",
        "duration_s",
        "stdout",
        "stderr",
        "tests_passed",
        "tests_failed",
    ):
        assert key in right["test"]
    assert {s["model"]: s["passed"] for s in data["summary"]} == {
        "ollama/right": 1,
        "ollama/wrong": 0,
    }


def test_every_model_failing_exits_1(monkeypatch):
    result = hero(
        "compare",
        "x",
        "-m",
        "room/none",
        env={"HERO_ROOM_URL": "http://127.0.0.1:9/v1", "HERO_TIMEOUT_S": "1"},
    )
    assert result.returncode == 1
    assert "could not reach" in result.stdout


def test_missing_tests_file_is_one_line():
    result = hero("compare", "x", "-m", "ollama/a", "--tests", "/no/such/tests.py")
    assert result.returncode == 1
    assert result.stderr.strip().startswith("error: no such tests file")


@pytest.mark.slow
def test_two_local_models_side_by_side_with_pass_fail(local_model_ready, tests_file):
    models = local_model_ready.role("offline")
    args = []
    for name in models:
        args += ["-m", name]
    result = hero(
        "compare",
        "Write fizzbuzz(n) in Python",
        *args,
        "--tests",
        str(tests_file),
        "--max-tokens",
        "200",
    )
    assert result.returncode == 0, result.stderr
    first_line = next(line for line in result.stdout.splitlines() if models[0] in line)
    assert all(name in first_line for name in models)  # the panels share one row
    verdicts = ("PASS", "FAIL", "ERROR", "TIMEOUT", "KILLED")
    assert sum(result.stdout.count(v) for v in verdicts) >= len(models)
    assert "pass@1" in result.stdout


def test_a_narrow_pipe_gets_one_answer_after_another_with_whole_names():
    names = ["ollama/a-model-with-a-name-too-long-for-half-a-narrow-pipe", "ollama/short"]
    with FakeLLMServer() as server:
        result = hero(
            "compare",
            "hello",
            "-m",
            names[0],
            "-m",
            names[1],
            env={"HERO_OLLAMA_URL": server.url + "/v1", "COLUMNS": "80"},
        )
    assert result.returncode == 0, result.stderr
    headers = [line for line in result.stdout.splitlines() if line.startswith("== ")]
    assert [h.split()[1] for h in headers] == names and "tok" in headers[0]
    summary = [line.split()[0] for line in result.stdout.splitlines() if line.startswith("ollama/")]
    assert summary == names  # the summary table in plain text, names whole
    assert "…" not in result.stdout and "━" not in result.stdout
