"""The review-prompt checker: file name, tagged fence, question, budget, honest truncation."""

from __future__ import annotations

from functools import partial

import pytest

from codegen_hero.exercises import get
from codegen_hero.exercises.ex03_review_prompt import fenced_block, scenarios, tag_for
from codegen_hero.exercises.tokens import approx_tokens
from tests.exercises.harness import failed, judge_code

SLUG = "03-review-prompt"
SCENARIOS = scenarios()  # visible and hidden: the tests run where the answer key is
EXERCISE = get(SLUG)
run = partial(judge_code, EXERCISE)


def test_syntax_error_is_an_error() -> None:
    verdict = run("def build_review_prompt(code, filename, question, budget_tokens)\n    pass\n")
    assert verdict.status == "error", str(verdict)


def test_tagging_everything_python_fails_only_hidden_cases() -> None:
    code = (
        "def build_review_prompt(code, filename, question, budget_tokens):\n"
        "    lines = code.splitlines()\n"
        "    kept = []\n"
        "    def render(kept, cut):\n"
        "        body = '\\n'.join(kept + (['# ... truncated'] if cut else []))\n"
        "        return f'File: {filename}\\n```python\\n{body}\\n```\\n{question}\\n'\n"
        "    if len(render(lines, False)) <= budget_tokens * 4:\n"
        "        return render(lines, False)\n"
        "    for line in lines:\n"
        "        if len(render(kept + [line], True)) + 3 > budget_tokens * 4:\n"
        "            break\n"
        "        kept.append(line)\n"
        "    return render(kept, True)\n"
    )
    verdict = run(code)
    assert verdict.status == "failed"
    assert all(case.passed for case in verdict.cases if not case.hidden), str(verdict)
    assert any("fence tagged" in name for name in failed(verdict))


def test_no_fence_is_reported() -> None:
    verdict = run(
        "def build_review_prompt(code, filename, question, budget_tokens):\n"
        "    return f'{filename}: {question}'\n"
    )
    assert "short Python file: code in a fenced block" in failed(verdict)


def test_always_truncating_fails_the_verbatim_case() -> None:
    verdict = run(
        "def build_review_prompt(code, filename, question, budget_tokens):\n"
        "    head = '\\n'.join(code.splitlines()[:3])\n"
        "    return f'{filename}\\n```python\\n{head}\\n# truncated\\n```\\n{question}'\n"
    )
    assert "short Python file: the whole code, verbatim" in failed(verdict)


def test_dropping_all_code_fails_keeps_as_much_code_as_fits() -> None:
    verdict = run(
        "def build_review_prompt(code, filename, question, budget_tokens):\n"
        "    if len(code) < 1000:\n"
        "        return f'{filename}\\n```python\\n{code}```\\n{question}'\n"
        "    first = code.splitlines()[0]\n"
        "    return f'{filename}\\n```python\\n{first}\\n(truncated)\\n```\\n{question}'\n"
    )
    assert "long Python file, tight budget: keeps as much code as fits" in failed(verdict)


@pytest.mark.parametrize("returned", ["None", "['prompt']", "42"])
def test_wrong_return_type_fails_without_crashing(returned: str) -> None:
    verdict = run(
        f"def build_review_prompt(code, filename, question, budget_tokens):\n"
        f"    return {returned}\n"
    )
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
