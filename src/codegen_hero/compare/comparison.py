"""The result of asking several models the same thing: one row per model and sample."""

from __future__ import annotations

import difflib
import statistics
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from codegen_hero.models.request import Completion, Request
from codegen_hero.sandbox import SandboxResult, pass_at_k

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure


@dataclass
class Row:
    """One answer (or one failure to answer) and, when tests were given, how its code did."""

    model: str
    sample: int
    completion: Completion | None = None
    code: str | None = None
    test: SandboxResult | None = None
    error: str | None = None

    @property
    def text(self) -> str:
        return self.completion.text if self.completion else ""

    @property
    def passed(self) -> bool | None:
        """True or False when tests ran; None when there were no tests or no answer."""
        if self.test is None:
            return None
        return self.test.status == "ok"

    def as_record(self) -> dict[str, Any]:
        c = self.completion
        return {
            "model": self.model,
            "sample": self.sample,
            "latency_s": c.latency_s if c else None,
            "input_tokens": c.usage.input_tokens if c else None,
            "output_tokens": c.usage.output_tokens if c else None,
            "cost_usd": c.cost_usd if c else None,
            "cached": c.cached if c else False,
            "finish_reason": c.finish_reason if c else "error",
            "status": self.test.status if self.test else None,
            "tests_passed": len(self.test.tests_passed) if self.test else None,
            "tests_failed": len(self.test.tests_failed) if self.test else None,
            "passed": self.passed,
            "error": self.error,
            "text": self.text,
            "code": self.code,
        }


def _known_sum(counts: Iterable[int | None]) -> int | None:
    """The sum, or None if any count is unknown: a partial sum would read as the whole."""
    values = list(counts)
    return None if None in values else sum(v for v in values if v is not None)


@dataclass
class ModelSummary:
    model: str
    samples: int
    answered: int
    errors: int
    mean_latency_s: float | None
    output_tokens: int | None  # None when any answer's count is unknown
    cost_usd: float | None
    passed: int | None
    pass_rate: float | None
    pass_at_1: float | None


@dataclass
class Comparison:
    request: Request
    rows: list[Row]
    tests: str | None = None
    language: str = "python"
    wall_time_s: float = 0.0
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def models(self) -> list[str]:
        return list(dict.fromkeys(row.model for row in self.rows))

    def for_model(self, model: str) -> list[Row]:
        return [row for row in self.rows if row.model == model]

    def pass_at_k(self, model: str, k: int = 1) -> float | None:
        """Unbiased pass@k over this model's samples (None without tests)."""
        rows = self.for_model(model)
        if self.tests is None or not rows:
            return None
        passed = sum(1 for row in rows if row.passed)
        return pass_at_k(len(rows), passed, min(k, len(rows)))

    def summary(self) -> list[ModelSummary]:
        out = []
        for model in self.models:
            rows = self.for_model(model)
            answered = [r.completion for r in rows if r.completion is not None]
            costs = [c.cost_usd for c in answered]
            passed = sum(1 for r in rows if r.passed) if self.tests is not None else None
            out.append(
                ModelSummary(
                    model=model,
                    samples=len(rows),
                    answered=len(answered),
                    errors=sum(1 for r in rows if r.error),
                    mean_latency_s=(
                        statistics.mean(c.latency_s for c in answered) if answered else None
                    ),
                    output_tokens=_known_sum(c.usage.output_tokens for c in answered),
                    # One unknown price makes the total unknown: never count it as $0.
                    cost_usd=None
                    if not costs or None in costs
                    else sum(c for c in costs if c is not None),
                    passed=passed,
                    pass_rate=None if passed is None else passed / len(rows),
                    pass_at_1=self.pass_at_k(model, 1),
                )
            )
        return out

    def to_frame(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame([row.as_record() for row in self.rows])

    def summary_frame(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame([asdict(s) for s in self.summary()]).set_index("model")

    def diff(self, a: int | Row, b: int | Row, *, code: bool = True) -> str:
        """A unified diff of two answers (their code by default), for the side-by-side view."""
        left = self.rows[a] if isinstance(a, int) else a
        right = self.rows[b] if isinstance(b, int) else b
        pick = (lambda r: r.code or r.text) if code else (lambda r: r.text)
        return "".join(
            difflib.unified_diff(
                pick(left).splitlines(keepends=True),
                pick(right).splitlines(keepends=True),
                fromfile=f"{left.model} #{left.sample}",
                tofile=f"{right.model} #{right.sample}",
            )
        )

    def to_html(self) -> str:
        from codegen_hero.compare.views import render_html

        return render_html(self)

    def _repr_html_(self) -> str:
        return self.to_html()

    def show(self) -> Any:
        """An interactive side-by-side view in Jupyter (ipywidgets)."""
        from codegen_hero.compare.views import widget

        return widget(self)

    def plot(self) -> Figure:
        """Latency, cost and pass rate per model, as one matplotlib figure."""
        from codegen_hero.compare.views import plot

        return plot(self)

    def __repr__(self) -> str:
        parts = []
        for s in self.summary():
            passed = "" if s.passed is None else f", {s.passed}/{s.samples} passed"
            parts.append(f"{s.model}: {s.answered}/{s.samples} answered{passed}")
        return f"<Comparison {'; '.join(parts)}>"
