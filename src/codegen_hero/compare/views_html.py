"""The HTML side-by-side view of a Comparison, readable in the book, in Jupyter and on GitHub.

GitHub's notebook renderer strips `<style>` elements, so every style that matters is inline;
the `<style>` block only adds niceties. Colours are either translucent (they work on light and
dark backgrounds) or explicit foreground/background pairs, so dark mode stays readable.
Everything a model (or a learner) wrote is escaped: answers may contain `<script>`.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from codegen_hero.compare.comparison import Comparison, Row
    from codegen_hero.sandbox import SandboxResult

PROMPT_CHARS = 160
FAILURE_CHARS = 300

FONT = "font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;"
MONO = "font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;"
ROOT = f"{FONT}font-size:14px;line-height:1.45;color:inherit;max-width:100%;"
GRID = (
    "display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,300px),1fr));"
    "gap:12px;align-items:start;margin-top:10px;"
)
PANE = (
    "min-width:0;border:1px solid rgba(127,127,127,.45);border-radius:8px;padding:10px 12px;"
    "background:rgba(127,127,127,.06);color:inherit;"
)
SAMPLE = "border-top:1px dashed rgba(127,127,127,.45);margin-top:10px;padding-top:8px;"
PRE = (
    f"{MONO}font-size:12.5px;line-height:1.4;margin:6px 0;padding:8px;border-radius:6px;"
    "background:rgba(127,127,127,.12);color:inherit;border:1px solid rgba(127,127,127,.25);"
    "overflow:auto;max-height:28em;white-space:pre;tab-size:4;"
)
PRE_WRAP = PRE.replace("white-space:pre;", "white-space:pre-wrap;overflow-wrap:anywhere;")
CODE = "color:inherit;background:transparent;padding:0;border:0;font-size:inherit;"
BADGE = (
    "display:inline-block;margin:2px 4px 2px 0;padding:1px 7px;border-radius:10px;"
    "font-size:12px;line-height:18px;white-space:nowrap;"
)
NEUTRAL = "border:1px solid rgba(127,127,127,.55);color:inherit;background:transparent;"
CELL = "padding:3px 10px;border:0;border-bottom:1px solid rgba(127,127,127,.3);"
NOTE = (
    "margin:6px 0;padding:6px 10px;border-left:4px solid #bc4c00;border-radius:4px;"
    "background:rgba(188,76,0,.10);color:inherit;overflow-wrap:anywhere;"
)

# Foreground/background pairs that read well on both light and dark pages.
STATUS_LOOK: dict[str, tuple[str, str]] = {
    "ok": ("passed", "#1a7f37"),
    "fail": ("failed", "#cf222e"),
    "error": ("error", "#bc4c00"),
    "timeout": ("timed out", "#bc4c00"),
    "killed": ("killed", "#bc4c00"),
    "skipped": ("skipped", "#57606a"),
}

NICETIES = """<style>
.hero-cmp details > summary { cursor: pointer; }
.hero-cmp pre { scrollbar-width: thin; }
.hero-cmp .hero-pane:hover { border-color: rgba(127,127,127,.8); }
</style>"""


def esc(value: object) -> str:
    """Escape for both text and attribute values."""
    return html.escape(str(value), quote=True)


def fmt_cost(cost: float | None) -> str:
    """Unknown stays "unknown", never "$0"; tiny costs never round down to "$0"."""
    if cost is None:
        return "unknown"
    if cost == 0:
        return "$0"
    if cost < 0.0001:
        return "<$0.0001"
    return f"${cost:.4f}" if cost < 1 else f"${cost:.2f}"


def fmt_latency(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds:.2f} s"


def badge(text: str, colour: str | None = None, title: str | None = None) -> str:
    look = f"background:{colour};color:#fff;border:1px solid {colour};" if colour else NEUTRAL
    tip = f' title="{esc(title)}"' if title else ""
    return f'<span class="hero-badge" style="{BADGE}{look}"{tip}>{esc(text)}</span>'


def cost_badge(cost: float | None) -> str:
    tip = None
    if cost is None:
        tip = "no verified price for this model"
    elif cost == 0:
        tip = "no per-token price: a local or free model"
    return badge(f"cost {fmt_cost(cost)}", title=tip)


def prompt_line(comparison: Comparison, limit: int = PROMPT_CHARS) -> str:
    """The last user message on one line, shortened: the full prompt belongs in the notebook."""
    text = " ".join(comparison.request.messages[-1].content.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def render_header(comparison: Comparison) -> str:
    models = comparison.models
    n = max((len(comparison.for_model(m)) for m in models), default=0)
    facts = [f"{len(models)} model{'s' if len(models) != 1 else ''}"]
    if n > 1:
        facts.append(f"{n} samples each")
    facts.append("tests given" if comparison.tests is not None else "no tests")
    if comparison.wall_time_s:
        facts.append(f"wall time {comparison.wall_time_s:.1f} s")
    full = comparison.request.messages[-1].content
    return (
        f'<div class="hero-header" style="margin:0 0 6px 0;overflow-wrap:anywhere;">'
        f'<strong>Prompt:</strong> <span title="{esc(full)}">{esc(prompt_line(comparison))}'
        f'</span> <span style="opacity:.75;">· {esc(" · ".join(facts))}</span></div>'
    )


def render_summary(comparison: Comparison) -> str:
    """One line per model; wrapped in a scroller so a narrow screen never scrolls the page."""
    tested = comparison.tests is not None
    heads = ["model", "answered", "mean latency", "output tokens", "cost"]
    heads += ["passed", "pass@1"] if tested else []
    th = "".join(
        f'<th style="{CELL}text-align:{"left" if i == 0 else "right"};font-weight:600;">'
        f"{esc(h)}</th>"
        for i, h in enumerate(heads)
    )
    body = []
    for s in comparison.summary():
        cells = [
            s.model,
            f"{s.answered}/{s.samples}",
            fmt_latency(s.mean_latency_s),
            "unknown" if s.output_tokens is None else f"{s.output_tokens:,}",
            fmt_cost(s.cost_usd) if s.answered else "—",
        ]
        if tested:
            cells.append(f"{s.passed}/{s.samples}")
            cells.append("—" if s.pass_at_1 is None else f"{s.pass_at_1:.2f}")
        tds = "".join(
            f'<td style="{CELL}text-align:{"left" if i == 0 else "right"};'
            f'{"font-weight:600;" if i == 0 else ""}">{esc(c)}</td>'
            for i, c in enumerate(cells)
        )
        body.append(f'<tr style="background:transparent;color:inherit;">{tds}</tr>')
    return (
        '<div class="hero-summary" style="overflow-x:auto;max-width:100%;">'
        '<table style="border-collapse:collapse;table-layout:auto;width:auto;margin:0;'
        'background:transparent;color:inherit;font-size:13px;">'
        f'<thead><tr style="background:transparent;color:inherit;">{th}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def verdict_badges(test: SandboxResult | None, row: Row, tested: bool) -> list[str]:
    if test is None:
        if tested and row.completion is not None:
            return [badge("not run: no code found", "#57606a")]
        return []
    label, colour = STATUS_LOOK.get(test.status, (test.status, "#57606a"))
    out = [badge(label, colour, title=test.reason or None)]
    if test.tests_passed or test.tests_failed:
        out.append(
            badge(f"tests {len(test.tests_passed)} passed / {len(test.tests_failed)} failed")
        )
    return out


def render_failures(test: SandboxResult | None) -> str:
    """Which tests failed, and why in a fold: the first thing a learner wants to see."""
    if test is None or test.status == "ok":
        return ""
    parts = []
    if test.tests_failed:
        names = ", ".join(f'<code style="{CODE}{MONO}">{esc(n)}</code>' for n in test.tests_failed)
        parts.append(f'<div class="hero-failing" style="margin:4px 0;">failing: {names}</div>')
    if test.reason and not test.tests_failed:  # else the names above already say it
        parts.append(f'<div style="margin:4px 0;opacity:.85;">{esc(test.reason)}</div>')
    if test.failures:
        why = "\n\n".join(f"{name}: {msg[:FAILURE_CHARS]}" for name, msg in test.failures.items())
        parts.append(
            f'<details style="margin:4px 0;"><summary>why they failed</summary>'
            f'<pre style="{PRE_WRAP}"><code style="{CODE}">{esc(why)}</code></pre></details>'
        )
    return "".join(parts)


def render_row(row: Row, tested: bool, language: str, label: str | None) -> str:
    """One answer: badges, code, full text, test verdict and error, all escaped."""
    c = row.completion
    badges = []
    if c is not None:
        badges.append(badge(f"{c.latency_s:.2f} s", title="latency"))
        badges.append(badge("tokens " + c.usage.describe().removesuffix(" tokens")))
        badges.append(cost_badge(c.cost_usd))
        if c.cached:
            badges.append(badge("replayed", "#8250df", title="answer replayed from the cache"))
        if c.finish_reason == "length":
            badges.append(badge("cut off at max_tokens", "#9a6700"))
    else:
        badges.append(badge("no answer", "#57606a"))
    badges += verdict_badges(row.test, row, tested)
    parts = []
    if label:
        parts.append(f'<div style="font-weight:600;opacity:.8;">{esc(label)}</div>')
    parts.append(f'<div class="hero-badges">{"".join(badges)}</div>')
    parts.append(render_failures(row.test))
    if row.error:
        parts.append(f'<div class="hero-error" style="{NOTE}">{esc(row.error)}</div>')
    if row.code is not None:
        parts.append(
            f'<pre style="{PRE}"><code class="language-{esc(language)}" style="{CODE}">'
            f"{esc(row.code)}</code></pre>"
        )
        parts.append(
            '<details style="margin:4px 0;"><summary>full answer</summary>'
            f'<pre style="{PRE_WRAP}"><code style="{CODE}">{esc(row.text)}</code></pre></details>'
        )
    elif c is not None:
        parts.append(f'<pre style="{PRE_WRAP}"><code style="{CODE}">{esc(row.text)}</code></pre>')
    style = SAMPLE if label and row.sample != 0 else ""
    return (
        f'<div class="hero-sample" data-sample="{row.sample}" style="{style}">'
        f"{''.join(parts)}</div>"
    )


def render_pane(
    model: str,
    rows: Iterable[Row],
    tested: bool,
    language: str = "python",
    many: bool | None = None,
) -> str:
    """A model's pane; with several samples they stack inside it so models stay side by side."""
    rows = list(rows)
    many = len(rows) > 1 if many is None else many
    head = f'<div style="font-weight:700;font-size:15px;overflow-wrap:anywhere;">{esc(model)}</div>'
    if many and tested and len(rows) > 1:
        passed = sum(1 for r in rows if r.passed)
        head += f'<div style="opacity:.8;">{passed}/{len(rows)} samples passed</div>'
    body = "".join(
        render_row(r, tested, language, f"sample #{r.sample}" if many else None) for r in rows
    )
    return (
        f'<section class="hero-pane" data-model="{esc(model)}" style="{PANE}">{head}{body}'
        "</section>"
    )


def render_html(comparison: Comparison) -> str:
    """Header, summary table and one pane per model, as one self-contained fragment."""
    tested = comparison.tests is not None
    panes = "".join(
        render_pane(m, comparison.for_model(m), tested, comparison.language)
        for m in comparison.models
    )
    return (
        f'<div class="hero-cmp" style="{ROOT}">{NICETIES}'
        f"{render_header(comparison)}{render_summary(comparison)}"
        f'<div class="hero-grid" style="{GRID}">{panes}</div></div>'
    )


def render_diff(diff: str) -> str:
    """A unified diff with added/removed lines tinted (translucent, so dark mode works too)."""
    if not diff:
        return f'<div class="hero-diff" style="{ROOT}opacity:.8;">identical: no differences</div>'
    tints = {"+": "rgba(46,160,67,.22)", "-": "rgba(248,81,73,.22)", "@": "rgba(56,139,253,.18)"}
    lines = []
    for line in diff.splitlines():
        head = line.startswith(("+++", "---"))
        tint = "transparent" if head else tints.get(line[:1], "transparent")
        weight = "font-weight:700;" if head else ""
        lines.append(
            f'<span style="display:block;background:{tint};{weight}">{esc(line) or " "}</span>'
        )
    return f'<pre class="hero-diff" style="{PRE}max-height:40em;">{"".join(lines)}</pre>'
