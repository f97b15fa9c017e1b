"""The mutation-testing checker: mutants are deterministic and killable, verdicts are right."""

from __future__ import annotations

import ast
from functools import partial

import pytest

from codegen_hero.exercises import check, get
from codegen_hero.exercises.answer_key import hidden
from codegen_hero.exercises.ex08_mutation_tests import REFERENCE, mutants
from tests.exercises.harness import judge_code

SLUG = "08-mutation-tests"
EXERCISE = get(SLUG)
run = partial(judge_code, EXERCISE)

# Value tests at every boundary but no test that expects a ValueError: enough mutants die
# to pass the visible threshold, the hidden buggy versions (bad validation) survive.
NO_ERROR_TESTS = '''TESTS = """
def test_values():
    assert discount(80.0, 25) == 60.0
    assert discount(19.99, 15) == 16.99
    assert discount(0, 50) == 0
    assert discount(80.0, 0) == 80.0
    assert discount(80.0, 100) == 0
"""
'''


def test_reference_passes_and_kills_every_mutant() -> None:
    verdict = check(SLUG, solution="reference")
    assert verdict.status == "passed", str(verdict)
    total = len(mutants())
    assert f"({total}/{total} killed" in str(verdict)  # so no mutant is equivalent


def test_happy_path_verdict_names_the_survivors() -> None:
    verdict = check(SLUG, solution="wrong-happy-path")
    assert "survivors: line 3: `price < 0` -> `price <= 0`" in str(verdict)


def test_empty_string_is_not_attempted() -> None:
    assert run("TESTS = '   '\n").status == "not attempted"


def test_syntax_error_is_an_error() -> None:
    assert run("TESTS = '''\ndef test_x():\n").status == "error"


def test_skipping_error_cases_passes_visible_but_fails_hidden() -> None:
    verdict = run(NO_ERROR_TESTS)
    assert verdict.status == "failed"
    assert all(case.passed for case in verdict.cases if not case.hidden), str(verdict)
    assert all(not case.passed for case in verdict.cases if case.hidden)


def test_broken_test_source_fails_without_crashing() -> None:
    verdict = run("TESTS = 'def test_x(:\\n    pass\\n'\n")
    assert verdict.status == "failed"
    assert "SyntaxError" in str(verdict)


@pytest.mark.parametrize("value", ["['def test_x(): pass']", "42"])
def test_tests_that_are_not_a_string_fail(value: str) -> None:
    verdict = run(f"TESTS = {value}\n")
    assert verdict.status == "failed"
    assert "TESTS is a string" in str(verdict)


def test_source_inspection_cannot_tell_the_reference_from_a_mutant() -> None:
    code = 'TESTS = """\nimport inspect\ndef test_src():\n    inspect.getsource(discount)\n"""\n'
    verdict = run(code)
    assert verdict.status == "failed"
    assert any("all pass on the reference" in c.name and not c.passed for c in verdict.cases)


def test_imports_from_solution_work_too() -> None:
    code = (
        'TESTS = """\nfrom solution import discount\n\n'
        'def test_value():\n    assert discount(80.0, 25) == 60.0\n"""\n'
    )
    verdict = run(code)
    assert any("all pass on the reference" in c.name and c.passed for c in verdict.cases)


def test_mutants_are_deterministic_distinct_and_a_few_dozen() -> None:
    first, second = mutants(), mutants()
    assert first == second
    assert 10 <= len(first) <= 40
    reference = ast.unparse(ast.parse(REFERENCE))
    sources = list(first.values())
    assert len(set(sources)) == len(sources)
    assert reference not in sources
    for source in sources:
        compile(source, "<mutant>", "exec")


def test_hidden_bugs_define_discount() -> None:
    for source in hidden(SLUG).BUGS.values():
        names = [n.name for n in ast.parse(source).body if isinstance(n, ast.FunctionDef)]
        assert names == ["discount"]
