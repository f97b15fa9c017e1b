"""The `hero` command as a user runs it: a real subprocess for the done-when checks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from codegen_hero.cli import app
from codegen_hero.models import client
from codegen_hero.models.registry import load_registry
from codegen_hero.models.request import Completion, Request, Usage

HERO = Path(sys.executable).with_name("hero")
runner = CliRunner()


def hero(*args: str, env: dict[str, str] | None = None, stdin: str | None = None):
    return subprocess.run(
        [str(HERO), *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        input=stdin,
        timeout=300,
    )


@pytest.mark.slow
def test_ask_prints_code_from_the_default_model(local_model_ready):
    result = hero("ask", "write is_even in python", "-m", local_model_ready.default)
    assert result.returncode == 0, result.stderr
    assert "def is_even" in result.stdout
    assert local_model_ready.default in result.stderr and "tokens" in result.stderr


@pytest.mark.slow
def test_ask_reads_stdin_and_replays(local_model_ready, smallest):
    first = hero("ask", "-", "-m", smallest, "--max-tokens", "8", stdin="Say hi.")
    second = hero("ask", "-", "-m", smallest, "--max-tokens", "8", "--no-stream", stdin="Say hi.")
    assert first.returncode == 0 and second.returncode == 0
    assert first.stdout == second.stdout
    assert "replayed from cache" in second.stderr


@pytest.mark.parametrize(
    ("args", "env", "expected"),
    [
        (["ask", "hi", "-m", "anthropic/any-model"], {}, "set ANTHROPIC_API_KEY"),
        (["ask", "hi", "-m", "nope"], {}, "provider/model"),
        (["ask", "hi", "-m", "local/unknown"], {}, "hero models add"),
        (["ask", "hi"], {"HERO_CACHE": "replay"}, "nothing was recorded"),
        (["ask", "hi"], {"HERO_CACHE": "bogus"}, "HERO_CACHE='bogus'"),
        (["cache", "import", "/no/such/file.jsonl"], {}, "no such file"),
    ],
)
def test_bad_input_is_one_line_and_exit_1(args, env, expected):
    result = hero(*args, env=env)
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:"), result.stderr
    assert expected in result.stderr
    assert "Traceback" not in result.stderr


def test_models_lists_every_registered_model_with_price():
    result = runner.invoke(app, ["models"], env={"COLUMNS": "250"})
    assert result.exit_code == 0
    registry = load_registry()
    for name in registry.models:
        assert name in result.output
    assert "unknown" in result.output  # an unpriced model says so
    assert "as of" in result.output


def test_models_check_skips_without_keys():
    result = runner.invoke(app, ["models", "check"], env={"COLUMNS": "250"})
    assert result.exit_code == 0
    assert "skipped: ANTHROPIC_API_KEY unset" in result.output


def test_models_add_registers_a_gguf(tmp_path):
    gguf = tmp_path / "own.gguf"
    gguf.write_bytes(b"GGUF")
    result = runner.invoke(app, ["models", "add", "local/own", "--gguf", str(gguf)])
    assert result.exit_code == 0, result.output
    assert "local/own" in runner.invoke(app, ["models"], env={"COLUMNS": "250"}).output


def test_cache_commands_round_trip(tmp_path):
    cache = client.response_cache()
    cache.put("local/x", Request.of("q"), Completion("a", "local/x", Usage(1, 1), 0.1, 0.0, "stop"))
    stats = runner.invoke(app, ["cache", "stats"], env={"COLUMNS": "200"})
    assert stats.exit_code == 0 and "1 responses" in stats.output
    target = tmp_path / "out.jsonl"
    assert runner.invoke(app, ["cache", "export", str(target)]).exit_code == 0
    assert json.loads(target.read_text())["model"] == "local/x"
    assert runner.invoke(app, ["cache", "clear", "--yes"]).exit_code == 0
    assert cache.stats().entries == 0
    imported = runner.invoke(app, ["cache", "import", str(target)])
    assert imported.exit_code == 0 and "imported 1" in imported.output
    assert cache.stats().entries == 1


def test_the_instructor_commands_are_mounted_on_hero():
    workshop = runner.invoke(app, ["workshop", "--help"], env={"COLUMNS": "200"})
    assert workshop.exit_code == 0
    for command in ("release", "grade", "doctor", "record", "cost"):
        assert command in workshop.output
    serve = runner.invoke(app, ["serve", "--help"], env={"COLUMNS": "200"})
    assert serve.exit_code == 0 and "--allow-network" in serve.output


def test_ask_with_a_broken_cache_file_says_so_in_one_line_and_answers(tmp_path):
    from tests.fakes.llm_server import FakeLLMServer

    broken = Path(os.environ["HERO_CACHE_PATH"])
    broken.parent.mkdir(parents=True, exist_ok=True)
    broken.write_text("not a database\n" * 50)
    with FakeLLMServer() as server:
        result = hero("ask", "hi", "-m", "ollama/fake", env={"HERO_OLLAMA_URL": server.url + "/v1"})
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and result.stdout.strip()
    notice = [line for line in result.stderr.splitlines() if str(broken) in line]
    assert len(notice) == 1 and "moved it to" in notice[0]
    assert len(list(broken.parent.glob(broken.name + ".broken-*"))) == 1
