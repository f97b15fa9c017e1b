"""The review-prompt checker: file name, tagged fence, question, budget, and, when the file
does not fit, the focus line, its function and the imports kept, with every cut marked."""

from __future__ import annotations

from functools import partial

import pytest

from codegen_hero.exercises import get
from codegen_hero.exercises.ex03_review_prompt import (
    fenced_block,
    is_import,
    read_body,
    scenarios,
    tag_for,
)
from codegen_hero.exercises.tokens import approx_tokens
from tests.exercises.harness import failed, judge_code, solution_source

SLUG = "03-review-prompt"
SCENARIOS = scenarios()  # visible and hidden: the tests run where the answer key is
EXERCISE = get(SLUG)
run = partial(judge_code, EXERCISE)
SIGNATURE = "def build_review_prompt(code, filename, question, focus_line, budget_tokens):\n"
LONG = next(s for s in SCENARIOS if not s.fits and not s.hidden)


def test_syntax_error_is_an_error() -> None:
    verdict = run(SIGNATURE.replace("):", ")") + "    pass\n")
    assert verdict.status == "error", str(verdict)


def test_tagging_everything_python_fails_only_hidden_cases() -> None:
    code = solution_source(SLUG).replace('TAGS.get(os.path.splitext(filename)[1], "")', '"python"')
    assert '"python"\n' in code
    verdict = run(code)
    assert verdict.status == "failed"
    assert all(case.passed for case in verdict.cases if not case.hidden), str(verdict)
    assert any("fence tagged" in name for name in failed(verdict))


def test_no_fence_is_reported() -> None:
    verdict = run(SIGNATURE + "    return f'{filename}: {question}'\n")
    assert "short Python file: code in a fenced block" in failed(verdict)


def test_always_cutting_fails_the_verbatim_case() -> None:
    verdict = run(
        SIGNATURE + "    head = '\\n'.join(code.splitlines()[:3])\n"
        "    return f'{filename}\\n```python\\n{head}\\n# omitted\\n```\\n{question}'\n"
    )
    assert "short Python file: the whole code, verbatim" in failed(verdict)


def test_dropping_the_imports_fails_keeps_the_import_lines() -> None:
    code = solution_source(SLUG).replace("keep = imports | set(", "keep = set(")
    verdict = run(code)
    assert f"{LONG.label}: keeps the import lines" in failed(verdict)
    assert f"{LONG.label}: keeps the whole enclosing function" not in failed(verdict)


def test_a_changed_line_fails_unchanged_and_in_order() -> None:
    code = solution_source(SLUG).replace("body.append(line)", "body.append(line.strip())")
    verdict = run(code)
    assert f"{LONG.label}: kept lines unchanged and in order" in failed(verdict)


@pytest.mark.parametrize("returned", ["None", "['prompt']", "42"])
def test_wrong_return_type_fails_without_crashing(returned: str) -> None:
    verdict = run(SIGNATURE + f"    return {returned}\n")
    assert verdict.status == "failed"
    assert "short Python file: returns a string" in failed(verdict)


def test_scenarios_are_clearly_roomy_or_tight() -> None:
    for s in SCENARIOS:
        overhead = approx_tokens(s.filename + s.question) + 40
        if s.fits:
            assert approx_tokens(s.code) + overhead <= s.budget, s.label
        else:
            assert approx_tokens(s.code) > 2 * s.budget, s.label
    assert any(s.hidden and tag_for(s.filename) == "" for s in SCENARIOS)
    assert any(not s.hidden and not s.fits for s in SCENARIOS)


def test_tight_scenarios_ask_about_code_a_cut_from_the_top_loses() -> None:
    """The function asked about lies beyond what a cut from the top keeps, and it and the
    imports fit the budget with room to spare."""
    for s in (s for s in SCENARIOS if not s.fits):
        lines = s.code.splitlines()
        first, last = s.function
        assert first <= s.focus <= last, s.label
        assert not lines[first - 1][0].isspace() and lines[s.focus - 1].strip(), s.label
        assert approx_tokens("\n".join(lines[: first - 1])) > s.budget, s.label
        must = [line for line in lines if is_import(line)] + lines[first - 1 : last]
        overhead = approx_tokens(s.filename + s.question) + 40
        assert approx_tokens("\n".join(must)) + overhead < s.budget * 2 // 3, s.label


def test_read_body_finds_runs_and_unmarked_cuts() -> None:
    code = ["import os", "", "def a():", "    return 1", "", "def b():", "    return 2"]
    whole = read_body(code, code)
    assert whole.in_order and whole.kept == frozenset(range(7)) and not whole.unmarked_cut
    marked = read_body(["import os", "# 3 lines omitted", "def b():", "    return 2"], code)
    assert marked.in_order and marked.kept == {0, 5, 6} and not marked.unmarked_cut
    glued = read_body(["import os", "def b():", "    return 2"], code)
    assert glued.in_order and glued.unmarked_cut
    tail = read_body(["import os"], code)
    assert tail.unmarked_cut
    changed = read_body(["import sys"], code)
    assert not changed.in_order


def test_fenced_block_reads_tags_longer_fences_and_unclosed_blocks() -> None:
    assert fenced_block("no code here") is None
    assert fenced_block("x\n```go\na\nb\n```\ny") == ("go", ["a", "b"])
    assert fenced_block("````python\n```\nin\n````\n") == ("python", ["```", "in"])
    assert fenced_block("~~~\nsql\n") == ("", ["sql"])


@pytest.mark.parametrize(
    ("name", "tag"),
    [("a.py", "python"), ("b/c.js", "javascript"), ("main.go", "go"), ("x.rb", ""), ("go", "")],
)
def test_tag_for(name: str, tag: str) -> None:
    assert tag_for(name) == tag
