"""Exercise 10: the learner's prompt is run on the default model (replayed from
tests/exercises/recorded/ in CI) and its code judged by the learner's own examples."""

from __future__ import annotations

from codegen_hero.exercises import get
from codegen_hero.exercises.ex10_precise_prompt import FUNCTION, statements, structure
from codegen_hero.models.registry import load_registry
from tests.exercises.harness import failed, judge_code, solution_source

SLUG = "10-precise-prompt"
EXERCISE = get(SLUG)
REFERENCE = solution_source(SLUG)
RUN = "the default model's code from your PROMPT passes your EXAMPLES"


def test_syntax_error_is_an_error() -> None:
    verdict = judge_code(EXERCISE, 'PROMPT = """unclosed\n')
    assert verdict.status == "error"


def test_answers_that_are_not_text_fail_without_crashing() -> None:
    code = REFERENCE.replace('PROMPT = """', 'PROMPT = ["## Inputs"]\n_unused = """', 1)
    verdict = judge_code(EXERCISE, code)
    assert verdict.status == "failed"
    assert failed(verdict) == ["PROMPT is text"]


def test_the_reference_passes_on_the_recorded_answer() -> None:
    verdict = judge_code(EXERCISE, REFERENCE)
    assert verdict.status == "passed", str(verdict)
    run = next(c for c in verdict.cases if c.name == RUN)
    assert load_registry().default in run.expected  # the registry's default model wrote it


def test_an_unrecorded_prompt_without_a_model_is_one_line_of_error() -> None:
    """Replay only and nothing recorded stands for "no model here": one line, no traceback."""
    code = REFERENCE.replace("Write only the function", "Write just the function")
    verdict = judge_code(EXERCISE, code)
    assert verdict.status == "error"
    assert verdict.message.startswith("this check runs your PROMPT on the default model")
    assert "\n" not in verdict.message


def test_examples_that_fail_the_right_answer_are_reported_by_the_run() -> None:
    code = REFERENCE.replace(
        "datetime.date(2024, 3, 1)\n\n\ndef test_european", "None\n\n\ndef test_european"
    )
    assert code != REFERENCE
    verdict = judge_code(EXERCISE, code)
    assert failed(verdict) == [RUN], str(verdict)
    run = next(c for c in verdict.cases if c.name == RUN)
    assert "test_iso" in run.got


def test_examples_that_accept_a_datetime_fail_a_hidden_check_only() -> None:
    lenient = (
        'EXAMPLES = """\nimport pytest\n\n'
        "def test_iso():\n    assert str(parse_date('2024-03-01'))[:10] == '2024-03-01'\n\n"
        "def test_european():\n    assert str(parse_date(' 01.03.2024 '))[:10] == '2024-03-01'\n\n"
        "def test_other_formats_raise():\n    with pytest.raises(ValueError):\n"
        "        parse_date('03/01/2024')\n"
        '"""\n'
    )
    code = REFERENCE[: REFERENCE.index("EXAMPLES = ")] + lenient
    verdict = judge_code(EXERCISE, code, graded=True)
    assert verdict.status == "failed"
    assert all(c.passed for c in verdict.cases if not c.hidden), str(verdict)
    assert "hidden check" in str(verdict) and "datetime" not in str(verdict)


def test_the_model_is_not_asked_until_the_examples_are_proven() -> None:
    """A replay miss would be an error: weak examples stop before any model call."""
    code = REFERENCE.replace("Write only the function", "Write just the function")
    code = code.replace("def test_iso():", "def _iso():")
    code = code.replace("def test_european_with_spaces():", "def _european():")
    code = code.replace("def test_returns_a_date_not_a_datetime():", "def _a_date():")
    verdict = judge_code(EXERCISE, code)
    assert verdict.status == "failed"
    run = next(c for c in verdict.cases if c.name == RUN)
    assert run.got.startswith("not run")


def test_structure_reads_signature_error_case_and_length() -> None:
    prompt = (
        f"Write `{FUNCTION}(text: str) -> datetime.date`.\n\n- Empty or malformed text raises "
        "`ValueError`.\n" + "word " * 80
    )
    assert [c.name for c in structure(prompt) if not c.passed] == []
    vague = "Please make a function to parse dates, and handle errors somehow."
    assert len([c for c in structure(vague) if not c.passed]) == 3
    assert statements("- a\n  b\n\npara one\npara two\n") == ["- a b", "para one para two"]
