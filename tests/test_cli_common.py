"""Tables and JSON as every `hero` command prints them: nothing cut, plain text in a pipe."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table

from codegen_hero import cli_common
from codegen_hero.models.registry import load_registry

HERO = Path(sys.executable).with_name("hero")
LONG = "local/a-model-name-long-enough-to-be-cut-in-any-narrow-column"


def hero(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    return subprocess.run(
        [str(HERO), *args], capture_output=True, text=True, env=env, timeout=300
    )  # stdout is a pipe, as in `hero models | grep …`


def sample() -> Table:
    table = Table("model", "what", "available", title="Models")
    table.add_row(LONG, "a description\nover two lines", "[green]yes[/]: installed")
    table.add_row("local/x", "short", "[yellow]no[/]: needs a key")
    return table


def test_plain_lines_keep_every_name_whole_and_drop_markup():
    lines = cli_common.table_lines(sample())
    assert lines[0].split() == ["model", "what", "available"]
    assert lines[1].startswith(LONG + "  ") and lines[1].endswith("yes: installed")
    assert "[green]" not in "\n".join(lines) and len(lines) == 3  # one line per row
    assert lines[1].index("a description") == lines[2].index("short")  # aligned columns


def test_a_narrow_terminal_never_cuts_the_name_column():
    for width in (50, 100):  # too narrow for the table: plain lines; wide enough: the table
        console = Console(force_terminal=True, width=width, record=True, no_color=True)
        cli_common.show_table(sample(), console)
        text = console.export_text()
        assert LONG in text and "local/x" in text
        assert ("━" in text) == (width == 100)


def test_a_pipe_gets_plain_text_with_every_model_name_whole():
    result = hero("models")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    for name in load_registry().models:
        assert any(line.split()[0] == name for line in lines), name  # `| grep NAME` finds it
    assert "…" not in result.stdout and "━" not in result.stdout and "\x1b[" not in result.stdout


def test_every_listing_command_has_json():
    models = json.loads(hero("models", "--json").stdout)
    registry = load_registry()
    assert [m["name"] for m in models] == list(registry.models)
    default = next(m for m in models if m["default"])
    assert default["name"] == registry.default and default["price_usd_per_million"]["as_of"]
    assert all(
        m["price_usd_per_million"] is None for m in models if m["name"].startswith("openai/")
    )
    exercises = json.loads(hero("exercises", "list", "--json").stdout)
    assert exercises and {"slug", "title", "chapter", "wrong"} <= set(exercises[0])
    stats = json.loads(hero("cache", "stats", "--json").stdout)
    assert stats["entries"] == 0 and stats["path"] == os.environ["HERO_CACHE_PATH"]
    checks = json.loads(hero("models", "check", "--json").stdout)
    assert any(c["status"].startswith("skipped") for c in checks)
    doctor = hero("doctor", "--json")
    assert {c["level"] for c in json.loads(doctor.stdout)} <= {"ok", "warn", "fail"}
    workshop = json.loads(hero("workshop", "doctor", "--no-kernel", "--json").stdout)
    assert all({"what", "level", "detail", "fix"} <= set(f) for f in workshop)
