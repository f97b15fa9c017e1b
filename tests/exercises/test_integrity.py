"""The static scan: honest work passes; reaching for the answer key is named."""

from __future__ import annotations

import pytest

from codegen_hero.exercises import all_exercises
from codegen_hero.exercises.answer_key import solution_names
from codegen_hero.exercises.integrity import concerns
from tests.exercises.harness import solution_source
from tests.exercises.peek import peek_source

EXERCISES = all_exercises()


def test_every_solution_and_stub_is_honest() -> None:
    for slug, exercise in EXERCISES.items():
        for name in solution_names(slug):
            assert concerns(solution_source(slug, name)) == "", (slug, name)
        assert concerns("\n\n".join(a.stub for a in exercise.answers)) == "", slug


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("from codegen_hero.exercises.answer_key import hidden\n", "answer_key"),
        ("import codegen_hero.exercises.checking as c\n", "checking"),
        ("from codegen_hero.exercises import check, hints\n", "imports the checker (check)"),
        ("KEY = open('../exercises/solutions/x/reference.py').read()\n", "exercises/solutions"),
        ("ENV = open('/proc/1/environ').read()\n", "/proc/"),
        (
            "TESTS = '''\\nfrom codegen_hero.exercises.answer_key import hidden\\n"
            "def test_a():\\n    pass\\n'''\n",
            "answer_key",
        ),
    ],
)
def test_reaching_for_the_grader_is_named(code: str, words: str) -> None:
    assert words in concerns(code)


def test_the_exercise_modules_own_sample_data_stays_allowed() -> None:
    code = "from codegen_hero.exercises.ex05_apply_edits import FILES, MULTI\nx = FILES\n"
    assert concerns(code) == ""
    assert concerns("from codegen_hero.exercises import hints\n") == ""
    assert concerns("def f(:\n") == ""  # not Python: the checker says so, not this scan


def test_the_plain_peek_is_spotted_and_the_disguised_one_is_not() -> None:
    exercise = EXERCISES["01-failure-diary"]
    assert concerns(peek_source(exercise)) != ""
    assert concerns(peek_source(exercise, disguised=True)) == ""  # only the sandbox stops it
