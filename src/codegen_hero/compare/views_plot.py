"""Latency, cost and pass rate per model as one matplotlib figure.

The figure is built with `Figure()`, not pyplot: pyplot would register it too, and Jupyter's
inline backend would then draw it twice (once for pyplot, once for the returned value), and
scripts that call `plot()` in a loop would pile up open figures.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from codegen_hero.compare.views_html import fmt_cost

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from codegen_hero.compare.comparison import Comparison

COLOURS = {"latency": "#4C72B0", "cost": "#DD8452", "pass": "#55A868"}


def _bars(
    ax: Axes,
    values: list[float | None],
    labels: list[str],
    colour: str,
    limit: float | None = None,
) -> None:
    """Bars for known values; a text label (and no bar) where the value is missing."""
    known = [v for v in values if v is not None]
    widths = [0.0 if v is None else v for v in values]
    bars = ax.barh(range(len(values)), widths, color=colour, height=0.6)
    right = limit if limit is not None else (max(known, default=0.0) or 1.0) * 1.35
    ax.set_xlim(0, right)
    ax.bar_label(bars, labels=labels, padding=3, fontsize=9)
    ax.grid(axis="x", alpha=0.3)
    ax.set_axisbelow(True)


def _show_inline() -> None:
    """Let Jupyter draw a bare Figure as PNG (pyplot's inline backend would do it, but we
    do not use pyplot), so `result.plot()` shows a picture without `%matplotlib inline`."""
    try:
        from IPython import get_ipython
        from IPython.core.pylabtools import print_figure
    except ImportError:
        return
    from matplotlib.figure import Figure

    shell = get_ipython()
    if shell is not None:
        formatter = shell.display_formatter.formatters["image/png"]
        formatter.for_type(Figure, lambda fig: print_figure(fig, "png", bbox_inches="tight"))


def plot(comparison: Comparison) -> Figure:
    """Three horizontal bar charts sharing the model axis; unknowns are labelled, not zeroed."""
    from matplotlib.figure import Figure

    summary = comparison.summary()
    models = [s.model for s in summary]
    height = 1.6 + 0.5 * max(len(models), 2)
    _show_inline()
    fig = Figure(figsize=(12, height))
    axes = fig.subplots(1, 3, sharey=True)
    latency, cost, passing = axes

    _bars(
        latency,
        [s.mean_latency_s for s in summary],
        ["no answer" if s.mean_latency_s is None else f"{s.mean_latency_s:.2f} s" for s in summary],
        COLOURS["latency"],
    )
    latency.set_title("Mean latency")
    latency.set_xlabel("seconds")

    _bars(
        cost,
        [s.cost_usd for s in summary],
        [fmt_cost(s.cost_usd) if s.answered else "no answer" for s in summary],
        COLOURS["cost"],
    )
    cost.set_title("Cost")
    cost.set_xlabel("USD")

    rates = [s.pass_rate for s in summary]
    rate_labels = [
        "no tests" if s.pass_rate is None else f"{s.pass_rate:.2f} ({s.passed}/{s.samples})"
        for s in summary
    ]
    _bars(passing, rates, rate_labels, COLOURS["pass"], limit=1.3)
    passing.set_xticks([0, 0.25, 0.5, 0.75, 1.0])
    passing.set_title("Pass rate")
    passing.set_xlabel("pass rate (0-1)")

    latency.set_yticks(range(len(models)), labels=models)
    latency.set_ylabel("model")
    latency.invert_yaxis()  # first model on top, as in the table
    fig.suptitle(f"{len(models)} models compared", fontsize=11)
    fig.tight_layout()
    return fig
