"""SEARCH/REPLACE blocks: parsing what models write, and applying all or nothing."""

from __future__ import annotations

import copy

import pytest

from codegen_hero.exercises.answer_key import hidden_value
from codegen_hero.exercises.ex05_apply_edits import SLUG, VISIBLE
from codegen_hero.toolkit.edits import (
    Edit,
    apply_edits,
    build_edit_prompt,
    changed_files,
    format_block,
    parse_edits,
)

# The exercise's scenarios, visible and hidden (the tests are on the grader's side).
SCENARIOS = (*VISIBLE, *hidden_value(SLUG, "SCENARIOS", ()))
GREET = 'def greet(name):\n    return "Hello, " + name + "!"\n'


def block(path: str, search: str, replace: str) -> str:
    return f"{path}\n<<<<<<< SEARCH\n{search}=======\n{replace}>>>>>>> REPLACE\n"


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_every_scenario_of_the_exercise(scenario):
    files = copy.deepcopy(scenario.files)
    if scenario.expected is None:
        with pytest.raises(ValueError) as refused:
            apply_edits(files, scenario.edits)
        assert scenario.names in str(refused.value)
    else:
        result = apply_edits(files, scenario.edits)
        assert result == scenario.expected
        assert result is not files
    assert files == scenario.files  # never modified, applied or refused


def test_parse_tolerates_prose_fences_and_decorated_names():
    answer = (
        "Here is the change:\n\n**greet.py**\n```python\n<<<<<<< SEARCH\n"
        '    return "Hello, " + name + "!"\n=======\n    return f"Hello, {name}!"\n'
        ">>>>>>> REPLACE\n```\n\nThat is all.\n"
    )
    assert parse_edits(answer) == [
        Edit("greet.py", '    return "Hello, " + name + "!"\n', '    return f"Hello, {name}!"\n')
    ]
    assert parse_edits(block("# File: `a.py`", "x\n", "y\n"))[0].path == "a.py"
    assert parse_edits("no blocks here") == []


def test_parse_refuses_incomplete_or_unnamed_blocks():
    with pytest.raises(ValueError, match="greet.py: the edit block at line 2 is incomplete"):
        parse_edits("greet.py\n<<<<<<< SEARCH\nold\n>>>>>>> REPLACE\n")
    with pytest.raises(ValueError, match="incomplete"):  # the next block starts first
        parse_edits("a.py\n<<<<<<< SEARCH\nx\n" + block("a.py", "y\n", "z\n"))
    with pytest.raises(ValueError, match="no file name"):
        parse_edits("<<<<<<< SEARCH\nold\n=======\nnew\n>>>>>>> REPLACE\n")


def test_apply_refuses_missing_ambiguous_and_unknown_with_the_file_named():
    files = {"greet.py": GREET + GREET.replace("greet", "welcome")}
    with pytest.raises(ValueError, match=r"greet.py: block 1's SEARCH text is not found"):
        apply_edits(files, block("greet.py", "    return 'Hi'\n", "x\n"))
    with pytest.raises(ValueError, match=r"found 2 times \(ambiguous\)"):
        apply_edits(files, block("greet.py", '    return "Hello, " + name + "!"\n', "x\n"))
    with pytest.raises(ValueError, match="other.py: no such file"):
        apply_edits(files, block("other.py", "x\n", "y\n"))
    with pytest.raises(ValueError, match="empty SEARCH"):
        apply_edits(files, block("greet.py", "", "x\n"))
    with pytest.raises(ValueError, match="no SEARCH/REPLACE blocks"):
        apply_edits(files, "I rewrote the whole file for you:\n```python\n...\n```")
    assert apply_edits(files, "", allow_empty=True) == files


def test_a_later_failure_undoes_everything():
    files = {"greet.py": GREET}
    edits = block("greet.py", "def greet(name):\n", "def greet(name='you'):\n") + block(
        "greet.py", "def missing():\n", "x\n"
    )
    with pytest.raises(ValueError, match="block 2"):
        apply_edits(files, edits)
    assert files == {"greet.py": GREET}


def test_edit_objects_and_changed_files():
    before = {"a.py": "x = 1\n", "b.py": "y = 2\n"}
    after = apply_edits(before, [Edit("a.py", "x = 1\n", "x = 10\n"), Edit("c.py", "", "z\n")])
    assert after == {"a.py": "x = 10\n", "b.py": "y = 2\n", "c.py": "z\n"}
    assert changed_files(before, after) == ["a.py", "c.py"]


def test_the_prompt_shows_the_file_and_the_format():
    prompt = build_edit_prompt({"greet.py": GREET}, "Greet strangers.")
    assert GREET in prompt and "Task: Greet strangers." in prompt
    for marker in ("greet.py\n<<<<<<< SEARCH\n", "\n=======\n", "\n>>>>>>> REPLACE\n"):
        assert marker in prompt


def test_format_block_round_trips():
    text = format_block("a.py", "x = 1", "x = 2\n")
    assert text == "a.py\n<<<<<<< SEARCH\nx = 1\n=======\nx = 2\n>>>>>>> REPLACE\n"
    assert parse_edits(text) == [Edit("a.py", "x = 1\n", "x = 2\n")]
    assert parse_edits(format_block("new.py", "", "")) == [Edit("new.py", "", "")]


def test_the_hidden_scenarios_are_part_of_these_tests():
    assert len(SCENARIOS) > len(VISIBLE)  # the answer key was found and read
