"""Exercise 10: the precise-prompt checker grades the shape of precision, deterministically."""

from __future__ import annotations

import pytest

from codegen_hero.exercises import get, judge
from codegen_hero.exercises.ex10_precise_prompt import (
    examples,
    grade,
    is_testable,
    sections,
    statements,
)
from codegen_hero.exercises.submission import Submission, solutions_dir

SLUG = "10-precise-prompt"
EXERCISE = get(SLUG)


def reference_prompt() -> str:
    namespace: dict = {}
    exec((solutions_dir() / SLUG / "reference.py").read_text(), namespace)  # our own file
    return namespace["PROMPT"]


def failed(prompt: str) -> list[str]:
    return [c.name for c in grade(prompt) if not c.passed]


def test_syntax_error_is_an_error():
    verdict = judge(EXERCISE, Submission(EXERCISE, 'PROMPT = """unclosed\n'))
    assert verdict.status == "error"


def test_a_prompt_that_is_not_text_fails_without_crashing():
    verdict = judge(EXERCISE, Submission(EXERCISE, "PROMPT = ['## Inputs', '## Outputs']\n"))
    assert verdict.status == "failed"
    assert "PROMPT is text" in str(verdict)


def test_passing_the_visible_checks_with_a_repeated_example_fails_a_hidden_one():
    prompt = reference_prompt().replace('parse_date("01.03.2024")', 'parse_date("2024-03-01")')
    cases = grade(prompt)
    assert all(c.passed for c in cases if not c.hidden)
    assert [c.name for c in cases if not c.passed] == [
        "examples: every input appears once (no repeated or contradicting examples)"
    ]
    verdict = judge(EXERCISE, Submission(EXERCISE, f"PROMPT = {prompt!r}\n"), graded=True)
    assert verdict.status == "failed" and "hidden check" in str(verdict)


def test_copied_criteria_and_criteria_without_the_error_case_fail_hidden_checks():
    base = reference_prompt().split("## Acceptance criteria")[0]
    same = base + "## Acceptance criteria\n" + '- `parse_date("2024-03-01")` works.\n' * 3
    assert failed(same) == [
        "acceptance criteria: no two are the same",
        "acceptance criteria: one of them checks the error case",
    ]


def test_heading_synonyms_levels_and_numbering_count():
    text = (
        "# Spec\n## 1. Parameters\na\n### Notes\nb\n## Return value\nc\n## Rules\nd\n"
        "## Examples\n### Example 1\nx -> y\n## Definition of done\n- e\n"
    )
    found = sections(text)
    assert set(found) == {"Inputs", "Outputs", "Constraints", "Examples", "Acceptance criteria"}
    assert found["Inputs"] == ["a", "### Notes", "b"]  # a subheading stays in its section
    assert examples(found["Examples"]) == [("x", "y")]


def test_headings_inside_code_blocks_do_not_count():
    assert sections("```\n# Inputs\n```\n") == {}


def test_the_three_example_formats_are_read():
    body = [
        '- `parse_date("2024-03-01")` -> `date(2024, 3, 1)`',
        '**Input:** `"01.03.2024"`',
        "**Output:** `date(2024, 3, 1)`",
        "Input: `x` Output: `y`",
        "```python",
        '>>> parse_date("3 March 2024")',
        "datetime.date(2024, 3, 3)",
        "```",
    ]
    assert examples(body) == [
        ('parse_date("2024-03-01")', "date(2024, 3, 1)"),
        ('"01.03.2024"', "date(2024, 3, 1)"),
        ("x", "y"),
        ('parse_date("3 March 2024")', "datetime.date(2024, 3, 3)"),
    ]


@pytest.mark.parametrize(
    ("criterion", "expected"),
    [
        ("`parse_date('x')` raises", True),
        ('returns "2024-03-01"', True),
        ("accepts 3 formats", True),
        ("rejects 'bad' input", True),
        ("it's fast and doesn't crash", False),
        ("works well on all inputs", False),
    ],
)
def test_testable_means_code_quote_or_number(criterion, expected):
    assert is_testable(criterion) is expected


def test_error_case_may_wrap_over_lines_but_not_across_bullets():
    wrapped = "- Invalid input (an empty string or\n  a bad format) raises `ValueError`.\n"
    assert statements(wrapped) == [
        "- Invalid input (an empty string or a bad format) raises `ValueError`."
    ]
    split = "- Invalid input is possible.\n- The function raises nothing else.\n"
    assert len(statements(split)) == 2
    assert "says what happens on invalid input (raise or return)" in failed(split)


def test_filler_words_count_in_prose_only():
    prompt = reference_prompt()
    assert "uses no vague filler words" not in failed(prompt + "\n`stuff` ```\n")
    assert "uses no vague filler words" in failed(prompt + "\nAnd so on.\n")
    assert "uses no vague filler words" not in failed(prompt + "\nA nicer API.\n")  # whole words


def test_length_limits():
    prompt = reference_prompt()
    assert "is between 80 and 600 words" in failed(prompt + " word" * 600)
    assert "is between 80 and 600 words" not in failed(prompt)
