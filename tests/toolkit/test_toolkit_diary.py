"""The diary: every attempt filed into one outcome, in the right order of precedence."""

from __future__ import annotations

import pytest

from codegen_hero.compare import Comparison, Row
from codegen_hero.models.request import Completion, Request, Usage
from codegen_hero.sandbox import SandboxResult
from codegen_hero.toolkit.diary import (
    CATEGORIES,
    FIXES,
    attempt_result,
    classify_row,
    count_diary,
    diary_frame,
    diary_lines,
    plot_diary,
    run_diary,
)

CODE = "def add(a, b):\n    return a + b\n"


def _row(
    model: str = "m/a",
    sample: int = 0,
    *,
    text: str = "```python\n" + CODE + "```",
    code: str | None = CODE,
    status: str | None = "ok",
    finish: str = "stop",
    failed: tuple[str, ...] = (),
    error: str | None = None,
) -> Row:
    if error is not None:
        return Row(model, sample, error=error)
    completion = Completion(text, model, Usage(10, 20), 0.1, 0.0, finish)
    test = None
    if status is not None:
        test = SandboxResult(status, tests_failed=list(failed), reason=f"{status} reason")
    return Row(model, sample, completion=completion, code=code, test=test)


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (_row(status="ok"), "works"),
        (_row(status="fail", failed=("test_add",)), "wrong-logic"),
        (_row(status="error"), "does-not-run"),
        (_row(status="timeout"), "does-not-run"),
        (_row(status="killed"), "does-not-run"),
        (_row(text="I cannot help.", code="", status="fail"), "no-code"),
        (_row(text="Which language?", code=None, status=None), "no-code"),
        (_row(status="ok", finish="length"), "cut-off"),
        (_row(status="error", finish="length"), "cut-off"),
        (_row(status="timeout", finish="length"), "cut-off"),
        (_row(status=None), "untested"),
        (_row(status="skipped"), "untested"),
        (_row(error="ConnectionError: no route"), "no-answer"),
    ],
)
def test_classify_row(row: Row, expected: str) -> None:
    assert classify_row(row) == expected


def test_no_code_wins_over_cut_off() -> None:
    """Same precedence as exercise 01: no code to run is filed as no-code first."""
    assert classify_row(_row(text="Let me think", code="", status=None, finish="length")) == (
        "no-code"
    )


def test_every_outcome_has_a_fix() -> None:
    assert set(CATEGORIES) <= set(FIXES)


def _comparison(rows: list[Row], tests: str | None = "def test_add(): pass") -> Comparison:
    return Comparison(request=Request.of("add"), rows=rows, tests=tests)


def test_count_diary_counts_per_model_with_fixed_columns() -> None:
    rows = [
        _row("m/a", 0),
        _row("m/a", 1, status="fail", failed=("test_add",)),
        _row("m/a", 2, finish="length"),
        _row("m/b", 0, code="", status="fail"),
        _row("m/b", 1, status="error"),
        _row("m/b", 2),
    ]
    table = count_diary(_comparison(rows))
    assert list(table.index) == ["m/a", "m/b"]
    assert list(table.columns) == [*CATEGORIES, "total"]
    assert table.loc["m/a"].to_dict() == {
        "works": 1,
        "wrong-logic": 1,
        "does-not-run": 0,
        "no-code": 0,
        "cut-off": 1,
        "total": 3,
    }
    assert table.loc["m/b", "no-code"] == 1
    assert table.loc["m/b", "does-not-run"] == 1
    assert int(table["total"].sum()) == len(rows)


def test_extra_columns_only_when_they_occur() -> None:
    rows = [_row("m/a", 0), _row("m/a", 1, error="boom")]
    table = count_diary(_comparison(rows))
    assert list(table.columns) == [*CATEGORIES, "no-answer", "total"]
    assert table.loc["m/a", "no-answer"] == 1


def test_diary_frame_has_one_line_per_attempt_with_failing_tests() -> None:
    rows = [_row("m/a", 0), _row("m/a", 1, status="fail", failed=("test_x", "test_y"))]
    frame = diary_frame(_comparison(rows))
    assert len(frame) == 2
    assert list(frame["outcome"]) == ["works", "wrong-logic"]
    assert frame.loc[1, "failed_tests"] == ["test_x", "test_y"]
    assert frame.loc[1, "note"] == "failed: test_x, test_y"
    assert list(frame["has_code"]) == [True, True]


def test_diary_frame_ignores_tests_run_on_no_code() -> None:
    rows = [_row("m/a", 0, text="Sorry.", code="", status="fail", failed=("test_add",))]
    frame = diary_frame(_comparison(rows))
    assert frame.loc[0, "outcome"] == "no-code"
    assert frame.loc[0, "status"] is None
    assert frame.loc[0, "failed_tests"] == []
    assert frame.loc[0, "note"] == "no code found in the answer"


def test_diary_frame_of_an_empty_comparison_keeps_its_columns() -> None:
    frame = diary_frame(_comparison([]))
    assert "outcome" in frame.columns
    assert len(frame) == 0


def test_diary_lines() -> None:
    rows = [_row("m/a", 0), _row("m/a", 1), _row("m/a", 2, status="fail")]
    assert diary_lines(_comparison(rows), "add") == ["add  m/a  3 tries  works 2, wrong-logic 1"]


def test_plot_diary_draws_one_bar_group_per_outcome() -> None:
    rows = [_row("m/a", 0), _row("m/b", 0, status="error")]
    figure = plot_diary(count_diary(_comparison(rows)))
    (axes,) = figure.axes
    assert [label.get_text() for label in axes.get_yticklabels()] == ["m/a", "m/b"]
    assert len(axes.containers) == len(CATEGORIES)


def test_attempt_result_is_what_exercise_01_classifies() -> None:
    assert attempt_result(_row(code=None, status=None)) is None
    assert attempt_result(_row(code="   ")) is None
    result = attempt_result(_row(status="fail", failed=("test_x",), finish="length"))
    assert result == {
        "status": "fail",
        "tests_passed": [],
        "tests_failed": ["test_x"],
        "reason": "fail reason",
        "finish_reason": "length",
    }


def test_run_diary_asks_the_default_model_n_times_and_files_with_your_function(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from codegen_hero.compare import fanout
    from codegen_hero.models.registry import load_registry

    asked: dict[str, object] = {}

    def fake_compare(task, models, *, n, tests, **options):  # type: ignore[no-untyped-def]
        asked.update(task=task, models=models, n=n, tests=tests)
        rows = [_row(sample=0), _row(sample=1, status="fail"), _row(sample=2, error="down")]
        return Comparison(request=Request.of(task), rows=rows, tests=tests)

    monkeypatch.setattr(fanout, "compare", fake_compare)
    monkeypatch.setattr("codegen_hero.compare.compare", fake_compare)
    seen: list[object] = []

    def mine(text: str, result: dict | None) -> str:
        seen.append(result)
        return "works" if result and result["status"] == "ok" else "wrong-logic"

    frame = run_diary("the task", "def test_a():\n    pass\n", n=3, classify=mine)
    assert asked["models"] == [load_registry().default] and asked["n"] == 3
    assert list(frame["yours"]) == ["works", "wrong-logic", "no-answer"]
    assert list(frame["outcome"]) == ["works", "wrong-logic", "no-answer"]
    assert len(seen) == 2
