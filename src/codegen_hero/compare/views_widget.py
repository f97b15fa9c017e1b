"""The interactive view for Jupyter: panes side by side, a sample picker, a diff of any two answers.

The panes reuse the HTML renderer, so the static page and the widget never disagree. Widgets
that tests (and curious learners) look for carry a `hero-*` DOM class; `find_widgets` finds them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from codegen_hero.compare.views_html import (
    ROOT,
    render_diff,
    render_header,
    render_pane,
    render_summary,
)

if TYPE_CHECKING:
    import ipywidgets as widgets

    from codegen_hero.compare.comparison import Comparison


def find_widgets(root: widgets.Widget, dom_class: str) -> list[widgets.Widget]:
    """Every widget under `root` (itself included) that carries `dom_class`, depth first."""

    def walk(w: Any) -> Iterator[Any]:
        yield w
        for child in getattr(w, "children", ()):
            yield from walk(child)

    return [w for w in walk(root) if dom_class in getattr(w, "_dom_classes", ())]


def _pane(comparison: Comparison, model: str) -> widgets.Widget:
    """One model's pane; with several samples a dropdown picks which one to show."""
    import ipywidgets as widgets

    rows = comparison.for_model(model)
    tested, language = comparison.tests is not None, comparison.language
    view = widgets.HTML(render_pane(model, rows[:1], tested, language, many=len(rows) > 1))
    view.add_class("hero-pane-html")
    if len(rows) <= 1:
        box = widgets.VBox([view], layout=widgets.Layout(min_width="0"))
    else:
        picker = widgets.Dropdown(
            options=[(f"sample #{r.sample}", i) for i, r in enumerate(rows)],
            value=0,
            description="sample",
            layout=widgets.Layout(width="auto"),
        )
        picker.add_class("hero-sample-select")

        def show(change: dict[str, Any]) -> None:
            row = rows[change["new"]]
            view.value = render_pane(model, [row], tested, language, many=True)

        picker.observe(show, names="value")
        box = widgets.VBox([picker, view], layout=widgets.Layout(min_width="0"))
    box.add_class("hero-pane-widget")
    return box


def _diff_area(comparison: Comparison) -> widgets.Widget:
    """Two pickers over every answer and their unified diff, refreshed on any change."""
    import ipywidgets as widgets

    options = [(f"{r.model} #{r.sample}", i) for i, r in enumerate(comparison.rows)]
    first = 0 if options else None
    second = 1 if len(options) > 1 else first
    left = widgets.Dropdown(options=options, value=first, description="from")
    right = widgets.Dropdown(options=options, value=second, description="to")
    whole = widgets.Checkbox(value=False, description="whole answers, not just code", indent=False)
    out = widgets.HTML()
    for w, cls in ((left, "hero-diff-a"), (right, "hero-diff-b"), (out, "hero-diff-out")):
        w.add_class(cls)

    def update(_: object = None) -> None:
        if not options:
            out.value = "<em>no answers to compare</em>"
            return
        diff = comparison.diff(left.value, right.value, code=not whole.value)
        out.value = render_diff(diff)

    for w in (left, right, whole):
        w.observe(update, names="value")
    update()
    title = widgets.HTML("<strong>Diff of two answers</strong>")
    pickers = widgets.HBox([left, right, whole], layout=widgets.Layout(flex_flow="row wrap"))
    area = widgets.VBox([title, pickers, out])
    area.add_class("hero-diff")
    return area


def widget(comparison: Comparison) -> widgets.Widget:
    """Header and summary, the model panes in a wrapping grid, then the diff area."""
    import ipywidgets as widgets

    top = widgets.HTML(
        f'<div style="{ROOT}">{render_header(comparison)}{render_summary(comparison)}</div>'
    )
    top.add_class("hero-summary-html")
    grid = widgets.GridBox(
        [_pane(comparison, m) for m in comparison.models],
        layout=widgets.Layout(
            grid_template_columns="repeat(auto-fit, minmax(300px, 1fr))",
            grid_gap="12px",
            width="100%",
        ),
    )
    grid.add_class("hero-panes")
    view = widgets.VBox([top, grid, _diff_area(comparison)])
    view.add_class("hero-comparison")
    return view
