"""The review prompt: file name, tagged fence, the question, within the budget."""

from __future__ import annotations

import pytest

from codegen_hero.exercises.tokens import approx_tokens
from codegen_hero.toolkit.chat import (
    MARKER,
    build_review_prompt,
    check_answer,
    language_tag,
    mentions,
    truncation_marker,
    without_echo,
)

CHUNK = '''def chunk(items, size):
    """Split items into consecutive lists of at most `size` items."""
    return [items[i:i + size] for i in range(0, len(items) - size, size)]
'''
QUESTION = "Which expression causes this, and what is the smallest fix?"
LONG = "".join(f"def handler_{i}(x):\n    return x + {i}\n\n\n" for i in range(60))


@pytest.mark.parametrize(
    ("filename", "tag"),
    [
        ("batching.py", "python"),
        ("src/app/Main.PY", "python"),
        ("api/routes.js", "javascript"),
        ("cmd/main.go", "go"),
        ("db/schema.sql", ""),
        ("Makefile", ""),
    ],
)
def test_language_tag(filename: str, tag: str) -> None:
    assert language_tag(filename) == tag


def test_short_file_verbatim_with_everything() -> None:
    prompt = build_review_prompt(
        CHUNK,
        "batching.py",
        QUESTION,
        400,
        version="Python 3.11",
        observed="chunk([1, 2, 3, 4, 5], 2) returns [[1, 2], [3, 4]].",
        answer_form="Answer in at most three sentences and one code block.",
    )
    assert prompt.startswith("File `batching.py` (Python 3.11):")
    assert "```python\n" + CHUNK + "```" in prompt
    assert QUESTION in prompt
    assert "returns [[1, 2], [3, 4]]" in prompt
    assert "three sentences" in prompt
    assert MARKER not in prompt
    assert approx_tokens(prompt) <= 400
    assert prompt.index("```python") < prompt.index(QUESTION)


def test_unknown_extension_gets_an_untagged_fence() -> None:
    prompt = build_review_prompt("SELECT 1;\n", "q.sql", "Is this valid?", 100)
    assert "\n```\nSELECT 1;\n```\n" in prompt


def _kept_and_marker(prompt: str) -> tuple[list[str], str]:
    """The code lines inside the first fence, and the marker line that closes them."""
    lines = prompt.splitlines()
    opening = next(i for i, line in enumerate(lines) if line.startswith("```"))
    marker = next(i for i, line in enumerate(lines) if MARKER in line)
    return lines[opening + 1 : marker], lines[marker]


@pytest.mark.parametrize(("filename", "prefix"), [("h.py", "# "), ("h.js", "// "), ("h", "")])
def test_long_file_cut_at_a_line_with_a_marker(filename: str, prefix: str) -> None:
    budget = 300
    prompt = build_review_prompt(LONG, filename, QUESTION, budget)
    assert approx_tokens(prompt) <= budget
    assert filename in prompt
    assert QUESTION in prompt
    kept, marker = _kept_and_marker(prompt)
    lines = LONG.rstrip("\n").splitlines()  # trailing blank lines are not counted
    assert kept == lines[: len(kept)]
    assert approx_tokens("\n".join(kept)) >= budget // 2
    assert marker.startswith(prefix + "...")
    assert marker.endswith(f": {len(lines) - len(kept)} more lines")


@pytest.mark.parametrize("budget", [60, 120, 250, 251, 252, 253, 400, 550])
def test_keeps_the_longest_prefix_that_fits(budget: int) -> None:
    prompt = build_review_prompt(LONG, "h.py", QUESTION, budget)
    assert approx_tokens(prompt) <= budget
    kept, marker = _kept_and_marker(prompt)
    lines = LONG.rstrip("\n").splitlines()
    following = lines[len(kept)]
    more = len(lines) - len(kept)
    bigger = prompt.replace(marker, following + "\n" + truncation_marker("python", more - 1))
    assert approx_tokens(bigger) > budget  # one more whole line would not have fitted


def test_whole_long_file_fits_a_big_budget() -> None:
    prompt = build_review_prompt(LONG, "h.py", QUESTION, 5000)
    assert MARKER not in prompt
    assert LONG.rstrip("\n") in prompt


def test_code_with_backticks_gets_a_longer_fence() -> None:
    code = 'DOC = """\n```python\nx = 1\n```\n"""\n'
    prompt = build_review_prompt(code, "doc.py", "What is DOC?", 200)
    assert "````python\n" + code + "````" in prompt


def test_budget_too_small_for_the_question_raises() -> None:
    with pytest.raises(ValueError, match="budget"):
        build_review_prompt(CHUNK, "batching.py", QUESTION * 10, 50)


def test_truncation_marker() -> None:
    assert truncation_marker("python", 1) == "# ... truncated: 1 more line"
    assert truncation_marker("go", 12) == "// ... truncated: 12 more lines"
    assert truncation_marker("", 3) == "... truncated: 3 more lines"


def test_mentions_ignores_case_whitespace_and_backticks() -> None:
    answer = "The bug is in `range(0, len(items)-size, size)`: the LAST chunk is dropped."
    assert mentions(answer, ["len(items) - size"])
    assert mentions(answer, ["last chunk"])
    assert not mentions(answer, ["off by one"])
    assert not mentions(answer, [" "])


def test_check_answer_is_a_table_of_booleans() -> None:
    checks = {"names the line": ["len(items) - size"], "proposes a fix": ["len(items), size"]}
    assert check_answer("Use range(0, len(items), size).", checks) == {
        "names the line": False,
        "proposes a fix": True,
    }


def test_copied_lines_do_not_count_as_naming_the_bug() -> None:
    echo = "Looks fine to me:\n\n```python\n" + CHUNK + "```\n"
    checks = {"names the line": ["len(items) - size"], "calls it fine": ["looks fine"]}
    assert check_answer(echo, checks) == {"names the line": True, "calls it fine": True}
    assert check_answer(echo, checks, ignore=CHUNK) == {
        "names the line": False,
        "calls it fine": True,
    }
    quoted = "The bound `len(items) - size` in the range is the bug."
    assert check_answer(quoted, checks, ignore=CHUNK)["names the line"]


def test_without_echo_keeps_changed_lines() -> None:
    fixed = CHUNK.replace("len(items) - size", "len(items)")
    kept = without_echo(fixed, CHUNK)
    assert kept.strip() == "return [items[i:i + size] for i in range(0, len(items), size)]"
