"""How a Comparison looks: static HTML, an ipywidgets view, and a matplotlib figure.

The three live in their own modules (each imports its heavy library only when called);
`Comparison.to_html()`, `.show()` and `.plot()` reach them through this one.
"""

from __future__ import annotations

from codegen_hero.compare.views_html import fmt_cost, render_diff, render_html, render_pane
from codegen_hero.compare.views_plot import plot
from codegen_hero.compare.views_widget import find_widgets, widget

__all__ = [
    "find_widgets",
    "fmt_cost",
    "plot",
    "render_diff",
    "render_html",
    "render_pane",
    "widget",
]
