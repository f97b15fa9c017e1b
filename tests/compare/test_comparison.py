from __future__ import annotations

import pytest

from codegen_hero.compare import Comparison, Row
from codegen_hero.models.request import Completion, Request, Usage
from codegen_hero.sandbox import SandboxResult


def row(model, sample, cost, status=None, code="x = 1\n", latency=1.0):
    completion = Completion("text", model, Usage(10, 20), latency, cost, "stop")
    test = SandboxResult(status=status) if status else None
    return Row(model, sample, completion=completion, code=code, test=test)


def test_summary_never_turns_unknown_cost_into_zero():
    comparison = Comparison(
        Request.of("p"),
        [row("a/x", 0, 0.01), row("a/x", 1, None), row("b/y", 0, 0.0), Row("c/z", 0, error="boom")],
    )
    summary = {s.model: s for s in comparison.summary()}
    assert summary["a/x"].cost_usd is None
    assert summary["b/y"].cost_usd == 0.0
    assert summary["c/z"].answered == 0 and summary["c/z"].errors == 1
    assert summary["c/z"].mean_latency_s is None and summary["c/z"].cost_usd is None
    assert summary["a/x"].pass_rate is None  # no tests were given


def test_pass_counts_and_pass_at_k():
    rows = [row("a/x", i, 0.0, "ok" if i < 2 else "fail") for i in range(5)]
    comparison = Comparison(Request.of("p"), rows, tests="def test_x(): pass")
    (summary,) = comparison.summary()
    assert summary.passed == 2 and summary.pass_rate == pytest.approx(0.4)
    assert comparison.pass_at_k("a/x", 1) == pytest.approx(0.4)
    assert comparison.pass_at_k("a/x", 5) == 1.0
    assert comparison.pass_at_k("a/x", 2) == pytest.approx(1 - (3 * 2) / (5 * 4))


def test_frames_diff_and_repr():
    comparison = Comparison(
        Request.of("p"),
        [
            row("a/x", 0, 0.0, "ok", code="def f():\n    return 1\n"),
            row("b/y", 0, None, "fail", code="def f():\n    return 2\n"),
        ],
        tests="def test_f(): pass",
    )
    frame = comparison.to_frame()
    assert list(frame["model"]) == ["a/x", "b/y"] and list(frame["passed"]) == [True, False]
    assert comparison.summary_frame().loc["b/y", "passed"] == 0
    diff = comparison.diff(0, 1)
    assert "-    return 1" in diff and "+    return 2" in diff and "a/x #0" in diff
    assert "1/1 passed" in repr(comparison) and "0/1 passed" in repr(comparison)
