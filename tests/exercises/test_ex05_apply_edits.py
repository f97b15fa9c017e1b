"""The search/replace checker: exact single matches, clear refusals, all or nothing."""

from __future__ import annotations

from functools import partial

import pytest

from codegen_hero.exercises import get
from codegen_hero.exercises.ex05_apply_edits import scenarios
from tests.exercises.harness import failed, judge_code, solution_source

SLUG = "05-apply-edits"
SCENARIOS = scenarios()  # visible and hidden: the tests run where the answer key is
EXERCISE = get(SLUG)
run = partial(judge_code, EXERCISE)
reference = partial(solution_source, SLUG)


def test_syntax_error_is_an_error() -> None:
    verdict = run("def apply_edits(files, edits)\n    return files\n")
    assert verdict.status == "error", str(verdict)


def test_hard_coding_the_visible_cases_fails_hidden_ones() -> None:
    answers = {}
    for s in SCENARIOS:
        if not s.hidden:
            answers[s.edits] = ("ok", s.expected) if s.expected else ("error", s.names)
    code = (
        f"ANSWERS = {answers!r}\n\n\n"
        "def apply_edits(files, edits):\n"
        "    kind, value = ANSWERS.get(edits, ('ok', files))\n"
        "    if kind == 'error':\n"
        "        raise ValueError(f'{value}: cannot apply')\n"
        "    return dict(value)\n"
    )
    verdict = run(code)
    assert verdict.status == "failed"
    assert all(case.passed for case in verdict.cases if not case.hidden), str(verdict)
    assert any(case.hidden and not case.passed for case in verdict.cases)


def test_an_empty_search_that_overwrites_an_existing_file_is_caught() -> None:
    code = reference().replace(
        "if path not in new:\n            if search", "if True:\n            if search"
    )
    assert code != reference()
    verdict = run(code)
    assert "another repo: an empty SEARCH for an existing file is refused" in failed(verdict)


def test_a_refusal_must_name_the_file() -> None:
    code = reference().replace(
        'raise ValueError(f"{path}: SEARCH text not found',
        'raise ValueError(f"SEARCH text not found',
    )
    verdict = run(code)
    assert "a SEARCH text that is not in the file is refused" in failed(verdict)
    assert "a ValueError naming cli.py" in str(verdict)


def test_another_exception_than_valueerror_is_reported() -> None:
    code = reference().replace('raise ValueError(f"{path}: no such file")', "raise KeyError(path)")
    verdict = run(code)
    assert "a block for a file that does not exist is refused" in failed(verdict)
    assert "KeyError" in str(verdict)


def test_returning_the_input_itself_is_not_a_new_dict() -> None:
    code = reference().replace("new = dict(files)", "new = files")
    verdict = run(code)
    assert "a clean three-block edit of two files" in failed(verdict)
    assert "edited in place" in str(verdict)


@pytest.mark.parametrize("returned", ["None", "[files]", "'tally.py'"])
def test_wrong_return_type_fails_without_crashing(returned: str) -> None:
    verdict = run(f"def apply_edits(files, edits):\n    return {returned}\n")
    assert verdict.status == "failed"
    assert "a clean three-block edit of two files" in failed(verdict)


def test_scenarios_are_consistent() -> None:
    for s in SCENARIOS:
        assert (s.expected is None) == bool(s.names), s.name
        assert "<<<<<<< SEARCH" in s.edits and s.edits.count("=======\n") >= 1
        if s.expected is not None:
            assert s.expected != s.files, s.name
    assert {s.hidden for s in SCENARIOS} == {True, False}
