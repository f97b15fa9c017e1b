"""The context-packing checker: .gitignore, binaries, size limit, headers, order, budget."""

from __future__ import annotations

from functools import partial

import pytest

from codegen_hero.exercises import get
from codegen_hero.exercises.ex04_pack_context import parse_pack, scenarios
from tests.exercises.harness import failed, judge_code, solution_source

SLUG = "04-pack-context"
SCENARIOS = scenarios()  # visible and hidden: the tests run where the answer key is
EXERCISE = get(SLUG)
run = partial(judge_code, EXERCISE)
reference = partial(solution_source, SLUG)


def test_syntax_error_is_an_error() -> None:
    verdict = run("def pack_repo(files, gitignore, budget_tokens, priority)\n    return ''\n")
    assert verdict.status == "error", str(verdict)


def test_hard_coding_the_sample_ignore_list_fails_only_hidden_cases() -> None:
    code = reference().replace(
        "def is_ignored(path, rules):",
        "def is_ignored(path, rules):\n"
        "    return path in {'debug.log', 'secrets.env', 'build/wordtally.js',\n"
        "                    'src/__pycache__/tally.cpython-311.pyc'}\n\n\n"
        "def _unused(path, rules):",
    )
    verdict = run(code)
    assert verdict.status == "failed"
    assert all(case.passed for case in verdict.cases if not case.hidden), str(verdict)
    assert "another repo: .gitignore'd files stay out (the secret must not leak)" in failed(verdict)


def test_reading_a_commented_out_pattern_is_caught() -> None:
    # `# *.md` is a comment; un-commenting it (stripping "# ") would drop every markdown file.
    code = reference().replace(
        'if not line or line.startswith("#"):', 'line = line.lstrip("# ")\n        if not line:'
    )
    verdict = run(code)
    assert verdict.status == "failed"
    assert all(case.passed for case in verdict.cases if not case.hidden), str(verdict)
    assert "another repo: includes every file that is not ignored, binary or too large" in (
        failed(verdict)
    )


def test_other_header_layouts_pass_a_preamble_and_blank_lines_between_files() -> None:
    code = (
        reference()
        .replace(
            'result = ""\n    for path',
            'result = "Packed repository\\n"\n    for path',
        )
        .replace(
            '("" if text.endswith("\\n") else "\\n")',
            '("\\n" if text.endswith("\\n") else "\\n\\n")',
        )
    )
    assert "Packed repository" in code and '"\\n\\n")' in code
    verdict = run(code)
    assert verdict.status == "passed", str(verdict)


def test_unsorted_rest_is_reported_with_the_first_position_that_differs() -> None:
    code = reference().replace(
        "return first + [p for p in sorted(paths) if p not in first]",
        "return first + [p for p in sorted(paths, reverse=True) if p not in first]",
    )
    verdict = run(code)
    names = failed(verdict)
    assert "sample repo: priority files first, then the rest in sorted order" in names
    assert "position 4" in str(verdict)


@pytest.mark.parametrize("returned", ["None", "['=== a ===']", "42"])
def test_wrong_return_type_fails_without_crashing(returned: str) -> None:
    verdict = run(
        f"def pack_repo(files, gitignore, budget_tokens, priority):\n    return {returned}\n"
    )
    assert verdict.status == "failed"
    assert "sample repo: returns a string" in failed(verdict)


def test_a_crash_is_a_failed_case_not_an_error() -> None:
    verdict = run("def pack_repo(files, gitignore, budget_tokens, priority):\n    return 1 / 0\n")
    assert verdict.status == "failed"
    assert "sample repo: runs" in failed(verdict)
    assert "ZeroDivisionError" in str(verdict)


def test_empty_pack_fails_the_header_case() -> None:
    verdict = run("def pack_repo(files, gitignore, budget_tokens, priority):\n    return ''\n")
    assert "sample repo: each file is whole, under its own `=== path ===` header" in failed(verdict)


def test_parse_pack_splits_on_header_lines_only() -> None:
    text = "intro\n=== a.py ===\nx = 1\n=== b/c.md ===\n# title\n=== not a header\n"
    assert parse_pack(text) == [("a.py", "\nx = 1\n"), ("b/c.md", "\n# title\n=== not a header\n")]
    assert parse_pack("no headers") == []


def test_scenarios_are_consistent() -> None:
    for s in SCENARIOS:
        everything = set(s.order) | set(s.ignored) | set(s.skipped)
        assert everything == set(s.files), s.label
        assert s.too_big <= set(s.order), s.label
        assert not any(s.secret in str(s.files[p]) for p in s.order), s.label
        # A file that must not fit is far bigger than the slack: no header format can save it.
        for path in s.too_big:
            assert len(str(s.files[path])) // 4 > 3 * s.slack, path
    assert any(s.hidden for s in SCENARIOS) and any(not s.hidden for s in SCENARIOS)
