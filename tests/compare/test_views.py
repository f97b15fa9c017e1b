"""The comparison views, built from real dataclasses: no model calls, no mocks."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402

from codegen_hero.compare import Comparison, Row  # noqa: E402
from codegen_hero.compare.views import (  # noqa: E402
    find_widgets,
    fmt_cost,
    plot,
    render_diff,
    render_html,
)
from codegen_hero.models.request import Completion, Request, Usage  # noqa: E402
from codegen_hero.sandbox import SandboxResult  # noqa: E402

EVIL = "<script>alert('x')</script>"
TESTS = "def test_add():\n    assert add(1, 2) == 3\n"


def answer(
    model: str,
    code: str,
    *,
    cost: float | None = 0.0012,
    latency: float = 1.5,
    cached: bool = False,
    prose: str = "Here you go:",
) -> Completion:
    return Completion(
        text=f"{prose}\n```python\n{code}\n```\n",
        model=model,
        usage=Usage(input_tokens=40, output_tokens=120),
        latency_s=latency,
        cost_usd=cost,
        finish_reason="stop",
        cached=cached,
    )


def ok() -> SandboxResult:
    return SandboxResult(status="ok", exit_code=0, tests_passed=["test_add", "test_neg"])


def failed() -> SandboxResult:
    return SandboxResult(
        status="fail",
        exit_code=1,
        tests_passed=["test_neg"],
        tests_failed=["test_add"],
        failures={"test_add": "AssertionError: assert 4 == 3"},
    )


def row(model: str, sample: int, code: str, test: SandboxResult | None, **kw) -> Row:
    return Row(model, sample, completion=answer(model, code, **kw), code=code, test=test)


def comparison(rows: list[Row], tests: str | None = TESTS, prompt: str = "Write add") -> Comparison:
    return Comparison(request=Request.of(prompt), rows=rows, tests=tests, wall_time_s=3.2)


@pytest.fixture
def mixed() -> Comparison:
    """A passing hosted model, a failing local one, an unpriced one and one that errored."""
    return comparison(
        [
            row("anthropic/hosted-test-model", 0, "def add(a, b):\n    return a + b", ok()),
            row(
                "local/small-test-model",
                0,
                "def add(a, b):\n    return a * b",
                failed(),
                cost=0.0,
            ),
            row("openai/unpriced-model", 0, "def add(a, b):\n    return b + a", ok(), cost=None),
            Row("room/shared-test-model", 0, error="ConnectionError: the room server is down"),
        ]
    )


def pane(html: str, model: str) -> str:
    """The HTML of one model's pane (panes are <section>s and never nest)."""
    found = re.search(
        rf'<section class="hero-pane" data-model="{re.escape(model)}".*?</section>', html, re.S
    )
    assert found, f"no pane for {model}"
    return found.group(0)


class TagBalance(HTMLParser):
    """Fails on unclosed or stray tags, so a fragment cannot break the page around it."""

    VOID = {"br", "hr", "img", "input", "meta", "link", "wbr"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()


def test_every_model_gets_a_pane_in_order(mixed: Comparison) -> None:
    html = render_html(mixed)
    assert re.findall(r'class="hero-pane" data-model="([^"]+)"', html) == mixed.models
    assert html.count('class="hero-pane"') == 4
    assert "Write add" in html.split('class="hero-grid"')[0]  # the header


def test_fragment_is_balanced_and_self_contained(mixed: Comparison) -> None:
    html = render_html(mixed)
    checker = TagBalance()
    checker.feed(html)
    checker.close()
    assert checker.stack == []
    assert "<script" not in html.lower()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)


def test_essential_styles_are_inline_for_github(mixed: Comparison) -> None:
    """GitHub drops <style>, so the layout must survive without it."""
    html = re.sub(r"<style>.*?</style>", "", render_html(mixed), flags=re.S)
    grid = re.search(r'class="hero-grid" style="([^"]+)"', html)
    assert grid and "display:grid" in grid.group(1) and "minmax(" in grid.group(1)
    assert 'class="hero-pane" data-model="local/small-test-model" style="' in html
    assert "min-width:0" in pane(html, "local/small-test-model")


def test_model_output_prompt_and_error_are_escaped() -> None:
    evil = comparison(
        [
            Row(
                EVIL,
                0,
                completion=answer(EVIL, f"print('{EVIL}')", prose=f"Sure {EVIL} <b>bold</b>"),
                code=f"print('{EVIL}')",
                test=SandboxResult(
                    status="fail", tests_failed=[EVIL], failures={EVIL: EVIL}, reason=EVIL
                ),
            ),
            Row("m2", 0, error=f"HTTP 500: {EVIL}"),
            Row("m3", 0, completion=answer("m3", "x", prose=EVIL), code=None),
        ],
        prompt=f'Explain {EVIL} and "quotes"',
    )
    html = render_html(evil)
    assert "<script" not in html.lower()
    assert "<b>bold</b>" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert 'data-model="&lt;script&gt;' in html
    assert "HTTP 500: &lt;script&gt;" in html
    assert "Explain &lt;script&gt;" in html and "&quot;quotes&quot;" in html


def test_unknown_cost_is_unknown_never_zero(mixed: Comparison) -> None:
    html = render_html(mixed)
    unpriced = pane(html, "openai/unpriced-model")
    assert "cost unknown" in unpriced
    assert "$" not in unpriced
    only_unknown = render_html(comparison([mixed.rows[2]]))
    assert "unknown" in only_unknown and "$" not in only_unknown  # the summary table too
    assert fmt_cost(None) == "unknown"
    assert fmt_cost(0.00000123) == "<$0.0001"  # tiny is not free


def test_local_cost_is_zero_and_priced_cost_shows_dollars(mixed: Comparison) -> None:
    html = render_html(mixed)
    assert "cost $0<" in pane(html, "local/small-test-model")
    assert "cost $0.0012" in pane(html, "anthropic/hosted-test-model")
    assert fmt_cost(0.0) == "$0" and fmt_cost(2.5) == "$2.50"


def test_an_error_row_is_a_calm_finding(mixed: Comparison) -> None:
    html = render_html(mixed)
    down = pane(html, "room/shared-test-model")
    assert "no answer" in down
    summary_row = re.search(r"<tr[^>]*><td[^>]*>room/shared-test-model</td>.*?</tr>", html)
    assert summary_row and ">0/1<" in summary_row.group(0) and ">—<" in summary_row.group(0)
    assert 'class="hero-error"' in down and "ConnectionError: the room server is down" in down
    assert "<pre" not in down  # nothing to show, and nothing crashed


def test_pass_and_fail_badges_with_counts_and_failing_names(mixed: Comparison) -> None:
    html = render_html(mixed)
    good = pane(html, "anthropic/hosted-test-model")
    bad = pane(html, "local/small-test-model")
    assert ">passed</span>" in good and "#1a7f37" in good
    assert "tests 2 passed / 0 failed" in good and "failing:" not in good
    assert ">failed</span>" in bad and "#cf222e" in bad
    assert "tests 1 passed / 1 failed" in bad
    assert re.search(r"failing: <code[^>]*>test_add</code>", bad)
    assert "AssertionError: assert 4 == 3" in bad
    assert "<th" in html and ">pass@1<" in html and ">1/1<" in html and ">0/1<" in html


def test_code_full_answer_and_replayed_badge() -> None:
    cached = comparison([row("m", 0, "def add(a, b):\n    return a + b", ok(), cached=True)])
    html = render_html(cached)
    assert re.search(r'<pre[^>]*><code class="language-python"[^>]*>def add\(a, b\):', html)
    assert "<summary>full answer</summary>" in html and "Here you go:" in html
    assert ">replayed</span>" in html
    assert "tokens 40 in / 120 out" in html and "1.50 s" in html


def test_answer_without_code_shows_the_text_and_no_tests_hides_verdicts() -> None:
    prose = Row("m", 0, completion=answer("m", "", prose="I cannot help with that."), code=None)
    html = render_html(comparison([prose], tests=None))
    assert "I cannot help with that." in html
    assert "pass@1" not in html and "passed" not in html and "no tests" in html
    tested = render_html(comparison([prose]))
    assert "not run: no code found" in tested


def test_several_samples_stack_inside_one_pane() -> None:
    rows = [
        row("a", 0, "def add(a, b):\n    return a + b", ok()),
        row("a", 1, "def add(a, b):\n    return a - b", failed()),
        row("a", 2, "def add(a, b):\n    return sum((a, b))", ok()),
        row("b", 0, "def add(a, b):\n    return a + b", ok()),
        row("b", 1, "def add(a, b):\n    return a + b", ok()),
        row("b", 2, "def add(a, b):\n    return a + b", ok()),
    ]
    html = render_html(comparison(rows))
    assert html.count('class="hero-pane"') == 2
    first = pane(html, "a")
    assert re.findall(r'data-sample="(\d)"', first) == ["0", "1", "2"]
    assert "sample #0" in first and "sample #2" in first and "2/3 samples passed" in first
    assert ">2/3<" in html and ">0.67<" in html  # summary: passed k/n and pass@1


def test_html_survives_a_notebook_round_trip(mixed: Comparison) -> None:
    nbformat = pytest.importorskip("nbformat")
    html = mixed._repr_html_()
    assert html == mixed.to_html() == render_html(mixed)
    cell = nbformat.v4.new_code_cell("compare(...)")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": html})]
    nb = nbformat.v4.new_notebook(cells=[cell])
    again = nbformat.reads(nbformat.writes(nb), as_version=4)
    nbformat.validate(again)
    assert again.cells[0].outputs[0]["data"]["text/html"] == html


def test_widget_structure_and_diff_follow_the_dropdowns() -> None:
    ipywidgets = pytest.importorskip("ipywidgets")
    rows = [
        row("a", 0, "def add(a, b):\n    return a + b", ok()),
        row("a", 1, "def add(a, b):\n    return a - b", failed()),
        row("b", 0, "def add(x, y):\n    return x + y", ok()),
    ]
    cmp = comparison(rows)
    view = cmp.show()
    assert isinstance(view, ipywidgets.VBox)
    grid = find_widgets(view, "hero-panes")[0]
    assert isinstance(grid, ipywidgets.GridBox) and len(grid.children) == 2
    panes = find_widgets(view, "hero-pane-html")
    assert [re.search(r'data-model="([^"]+)"', p.value).group(1) for p in panes] == ["a", "b"]

    pickers = find_widgets(view, "hero-sample-select")
    assert len(pickers) == 1  # only "a" has more than one sample
    assert "return a + b" in panes[0].value
    pickers[0].value = 1
    assert "return a - b" in panes[0].value and ">failed</span>" in panes[0].value

    left, right = find_widgets(view, "hero-diff-a")[0], find_widgets(view, "hero-diff-b")[0]
    out = find_widgets(view, "hero-diff-out")[0]
    assert [label for label, _ in left.options] == ["a #0", "a #1", "b #0"]
    assert (left.value, right.value) == (0, 1)
    assert "-    return a + b" in out.value and "+    return a - b" in out.value
    right.value = 2
    assert "+def add(x, y):" in out.value and "b #0" in out.value
    left.value = 2
    assert "identical" in out.value


def test_render_diff_tints_and_escapes() -> None:
    html = render_diff(f"--- a\n+++ b\n@@ -1 +1 @@\n-{EVIL}\n+ok\n")
    assert "<script" not in html and "-&lt;script&gt;" in html
    assert "rgba(46,160,67" in html and "rgba(248,81,73" in html


def test_plot_has_three_labelled_axes_and_labels_unknowns(mixed: Comparison) -> None:
    import matplotlib.pyplot as plt

    untested = comparison(mixed.rows[:3], tests=None)
    for cmp in (mixed, untested):
        fig = cmp.plot()
        try:
            latency, cost, passing = fig.axes
            assert [a.get_title() for a in fig.axes] == ["Mean latency", "Cost", "Pass rate"]
            assert [a.get_xlabel() for a in fig.axes] == ["seconds", "USD", "pass rate (0-1)"]
            ticks = [t.get_text() for t in latency.get_yticklabels()]
            assert ticks == cmp.models
            costs = [t.get_text() for t in cost.texts]
            assert costs[:3] == ["$0.0012", "$0", "unknown"]  # never $0 for unknown
            assert costs[3:] == (["no answer"] if cmp is mixed else [])
            rates = [t.get_text() for t in passing.texts]
            if cmp.tests is None:
                assert rates == ["no tests"] * 3
            else:
                assert rates[:2] == ["1.00 (1/1)", "0.00 (0/1)"]
                assert passing.get_xlim() == (0.0, 1.3)
            assert [t.get_text() for t in latency.texts][-1:] == (
                ["no answer"] if cmp is mixed else ["1.50 s"]
            )
        finally:
            fig.clear()
    assert plt.get_fignums() == []  # built without pyplot: nothing left open


def test_plot_reads_with_six_models() -> None:
    rows = [row(f"provider/model-{i}", 0, "x = 1", ok(), latency=i + 0.5) for i in range(6)]
    fig = plot(comparison(rows))
    assert len(fig.axes) == 3 and len(fig.axes[0].patches) == 6
    assert fig.get_size_inches()[1] >= 4


def test_views_cope_with_no_rows_one_row_and_a_timeout() -> None:
    empty = comparison([])
    assert 'class="hero-grid"' in render_html(empty) and 'class="hero-pane"' not in render_html(
        empty
    )
    assert "no answers" in find_widgets(empty.show(), "hero-diff-out")[0].value
    empty.plot().clear()

    slow = SandboxResult(status="timeout", reason="wall clock limit of 10 s exceeded")
    single = comparison([row("m", 0, "while True:\n    pass", slow)])
    html = render_html(single)
    assert ">timed out</span>" in html and "wall clock limit of 10 s exceeded" in html
    view = single.show()
    assert find_widgets(view, "hero-sample-select") == []
    assert "identical" in find_widgets(view, "hero-diff-out")[0].value


def test_plot_displays_as_png_in_ipython_without_pyplot(mixed: Comparison) -> None:
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    try:
        figure = mixed.plot()
        data, _ = shell.display_formatter.format(figure)
        assert data["image/png"][:4] == b"\x89PNG"
    finally:
        InteractiveShell.clear_instance()


def test_unknown_token_counts_show_as_unknown_never_zero() -> None:
    silent = Completion("```python\ndef add(a, b):\n    return a + b\n```", "room/silent-server")
    known = answer("room/silent-server", "def add(a, b):\n    return a + b")
    both = comparison([Row("room/silent-server", 0, silent), Row("room/silent-server", 1, known)])
    html = render_html(both)
    assert "tokens ? in / ? out" in pane(html, "room/silent-server")
    (summary,) = both.summary()
    assert summary.output_tokens is None  # 120 would read as the whole count
    row = re.search(r"<tr[^>]*><td[^>]*>room/silent-server</td>.*?</tr>", html).group(0)
    assert ">unknown<" in row and ">120<" not in row
