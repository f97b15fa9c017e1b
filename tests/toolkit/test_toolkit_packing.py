"""The context packer: ignore rules, binaries, size limit, order, budget, and the report."""

from __future__ import annotations

import re

import pytest

from codegen_hero.exercises.answer_key import hidden_value
from codegen_hero.exercises.ex04_pack_context import (
    SAMPLE_FILES,
    SAMPLE_GITIGNORE,
    SAMPLE_ORDER,
    SAMPLE_PRIORITY,
    SLUG,
    VISIBLE,
    _cases,
)
from codegen_hero.exercises.tokens import approx_tokens
from codegen_hero.toolkit.packing import (
    as_text,
    ignored_by,
    pack_directory,
    pack_files,
    parse_gitignore,
    priority_rank,
)

# The exercise's scenarios, visible and hidden (the tests are on the grader's side).
SCENARIOS = (*VISIBLE, *hidden_value(SLUG, "SCENARIOS", ()))
HEADER = re.compile(r"^=== (.+) ===$", re.MULTILINE)


def packed_paths(text: str) -> list[str]:
    return HEADER.findall(text)


def test_gitignore_subset():
    rules = parse_gitignore("# comment\n\n*.log\n!keep.log\nbuild/\nsecrets.env\ndocs/*.tmp\n")
    assert ignored_by("debug.log", rules) is not None
    assert ignored_by("keep.log", rules) is None  # negation: the last match wins
    assert ignored_by("build/app.js", rules) is not None
    assert ignored_by("src/build/x.py", rules) is not None  # a directory anywhere
    assert ignored_by("build", rules) is None  # `build/` matches directories only
    assert ignored_by("config/secrets.env", rules) is not None
    assert ignored_by("docs/a.tmp", rules) is not None  # anchored pattern
    assert ignored_by("other/docs/a.tmp", rules) is None
    assert ignored_by("src/app.py", rules) is None


def test_binary_detection():
    assert as_text(b"caf\xc3\xa9") == "café"
    assert as_text(b"caf\xe9") is None  # latin-1, not UTF-8
    assert as_text(b"ab\x00cd") is None
    assert as_text("plain") == "plain"


def test_priority_rank():
    assert priority_rank("README.md", ["README.md", "src/*.py"]) == 0
    assert priority_rank("src/cli.py", ["README.md", "src/*.py"]) == 1
    assert priority_rank("docs/x.md", ["README.md", "src/*.py"]) == 2


def test_sample_pack_passes_every_check_of_the_exercise():
    for scenario in SCENARIOS:
        pack = pack_files(
            scenario.files,
            scenario.budget,
            gitignore=scenario.gitignore,
            priority=scenario.priority,
        )
        failed = [case.name for case in _cases(pack.text, scenario) if not case.passed]
        assert failed == [], scenario.label


def test_report_says_why_each_file_was_left_out():
    pack = pack_files(SAMPLE_FILES, 5000, gitignore=SAMPLE_GITIGNORE, priority=SAMPLE_PRIORITY)
    assert pack.included == SAMPLE_ORDER
    status = {entry.path: entry.status for entry in pack.entries}
    assert status["secrets.env"] == "ignored"
    assert status["assets/logo.png"] == "binary"
    assert status["data/corpus.txt"] == "too large"
    assert "sk-live" not in pack.text
    reasons = {entry.path: entry.reason for entry in pack.entries}
    assert reasons["debug.log"] == ".gitignore: *.log"
    assert reasons["build/wordtally.js"] == ".gitignore: build/"
    assert reasons["README.md"] == "priority 'README.md'"
    assert len(pack.records()) == len(SAMPLE_FILES)
    assert pack.report().splitlines()[0].endswith(f"{len(SAMPLE_ORDER)} files")


def test_tight_budget_skips_a_big_file_whole_and_keeps_going():
    pack = pack_files(SAMPLE_FILES, 300, gitignore=SAMPLE_GITIGNORE, priority=SAMPLE_PRIORITY)
    assert pack.tokens <= 300
    over = [e for e in pack.entries if e.status == "over budget"]
    assert "docs/design.md" in [e.path for e in over]
    assert "tests/test_tally.py" in pack.included  # smaller, later, still in
    assert over[0].reason.startswith("needs ")
    assert packed_paths(pack.text) == pack.included


def test_preamble_counts_towards_the_budget():
    pack = pack_files({"a.py": "x = 1\n"}, 50, preamble="Repository:\n")
    assert pack.text.startswith("Repository:\n=== a.py ===\nx = 1\n")
    with pytest.raises(ValueError, match="preamble"):
        pack_files({}, 2, preamble="far too long a preamble")
    with pytest.raises(ValueError, match="positive"):
        pack_files({}, 0)


def test_pack_directory_reads_the_tree_and_its_gitignore(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.py").write_text("print('hi')\n")
    (tmp_path / ".gitignore").write_text(".env\n")
    (tmp_path / ".env").write_text("TOKEN=secret-value\n")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config").write_text("[core]\n")
    (tmp_path / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    pack = pack_directory(tmp_path, 200, priority=["src/*"])
    assert pack.included == ["src/app.py", ".gitignore"]
    assert "secret-value" not in pack.text
    assert all(".git/" not in entry.path for entry in pack.entries)
    assert {e.path: e.status for e in pack.skipped} == {".env": "ignored", "logo.png": "binary"}
    assert approx_tokens(pack.text) == pack.tokens <= 200


def test_the_hidden_scenarios_are_part_of_these_tests():
    assert len(SCENARIOS) > len(VISIBLE)  # the answer key was found and read
