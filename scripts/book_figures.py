"""Draw the book's figures as plain SVG from book/figures/figures.toml and the model registry.

The figures are data, not drawings: a stage, a step or a price changes in the TOML file (or
in registry.toml) and this script redraws every SVG, with no plotting library and no network.
Run it after editing either file and commit the SVGs with the data:

    python scripts/book_figures.py            # writes book/figures/*.svg
    python scripts/book_figures.py --check    # exit 1 if a committed SVG is out of date
"""

from __future__ import annotations

import argparse
import math
import sys
import tomllib
from collections.abc import Iterable
from pathlib import Path
from xml.sax.saxutils import escape

from codegen_hero.models.registry import Price
from codegen_hero.toolkit.session_cost import (
    SessionCost,
    SessionShape,
    breakeven_hours,
    project_session,
)

ROOT = Path(__file__).resolve().parents[1]
FIGURES = ROOT / "book" / "figures"
REGISTRY = ROOT / "src" / "codegen_hero" / "models" / "registry.toml"

FONT = "font-family='system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif'"
INK, MUTED, LINE = "#1f2937", "#6b7280", "#9ca3af"
FILLS = {  # fill, stroke
    "you": ("#dbeafe", "#2563eb"),
    "model": ("#fef3c7", "#d97706"),
    "gap": ("#f3f4f6", "#9ca3af"),
    "ours": ("#2563eb", "#1d4ed8"),
    "need": ("#d97706", "#b45309"),
    "step": ("#eef2ff", "#4f46e5"),
    "exit": ("#fee2e2", "#dc2626"),
    "plain": ("#e5e7eb", "#6b7280"),
    "cached": ("#16a34a", "#15803d"),
}
FILLS["model_bar"] = ("#9333ea", "#7e22ce")


def wrap(text: str, width_px: float, size: float = 13) -> list[str]:
    """Greedy word wrap with an average glyph width: good enough for labels in boxes."""
    per_line = max(4, int(width_px / (size * 0.55)))
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if len(candidate) <= per_line or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines


def text_block(
    lines: Iterable[str],
    x: float,
    y: float,
    size: float = 13,
    weight: str = "normal",
    anchor: str = "middle",
    color: str = INK,
) -> str:
    """Lines centred vertically on y."""
    lines = list(lines)
    step = size * 1.25
    top = y - step * (len(lines) - 1) / 2
    return "".join(
        f"<text x='{x:.1f}' y='{top + i * step:.1f}' {FONT} font-size='{size}' "
        f"font-weight='{weight}' text-anchor='{anchor}' dominant-baseline='middle' "
        f"fill='{color}'>{escape(line)}</text>"
        for i, line in enumerate(lines)
    )


def box(x: float, y: float, w: float, h: float, kind: str, dashed: bool = False) -> str:
    fill, stroke = FILLS[kind]
    dash = " stroke-dasharray='5 4'" if dashed else ""
    return (
        f"<rect x='{x:.1f}' y='{y:.1f}' width='{w:.1f}' height='{h:.1f}' rx='8' "
        f"fill='{fill}' stroke='{stroke}' stroke-width='1.5'{dash}/>"
    )


def svg(width: float, height: float, title: str, body: str) -> str:
    return (
        f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width:.0f} {height:.0f}' "
        f"width='{width:.0f}' height='{height:.0f}' role='img'>"
        f"<title>{escape(title)}</title>"
        "<defs><marker id='arrow' viewBox='0 0 10 10' refX='9' refY='5' markerWidth='7' "
        f"markerHeight='7' orient='auto-start-reverse'><path d='M0,0 L10,5 L0,10 z' fill='{LINE}'/>"
        "</marker></defs>"
        f"<rect width='100%' height='100%' fill='white'/>{body}</svg>\n"
    )


def arrow(points: list[tuple[float, float]], dashed: bool = False) -> str:
    path = " ".join(f"{'M' if i == 0 else 'L'}{x:.1f},{y:.1f}" for i, (x, y) in enumerate(points))
    dash = " stroke-dasharray='5 4'" if dashed else ""
    return (
        f"<path d='{path}' fill='none' stroke='{LINE}' stroke-width='1.6'{dash} "
        "marker-end='url(#arrow)'/>"
    )


def legend(entries: dict[str, str], x: float, y: float) -> str:
    parts = []
    for kind, label in entries.items():
        fill_kind = "model_bar" if kind == "model" and entries.get("ours") else kind
        parts.append(box(x, y - 7, 14, 14, fill_kind, dashed=kind == "gap"))
        parts.append(text_block([label], x + 20, y, 12, anchor="start", color=MUTED))
        x += 30 + len(label) * 6.6
    return "".join(parts)


def heading(title: str, width: float) -> str:
    return text_block([title], width / 2, 22, 15, "600")


# ---------------------------------------------------------------------------------- figures
def journey(data: dict) -> str:
    stages = data["stages"]
    width, row_h, top = 860, 50, 78
    cols = [
        (20, 190, "stage"),
        (215, 210, "who types"),
        (430, 210, "who decides"),
        (645, 195, "one turn of your loop"),
    ]
    parts = [heading(data["title"], width)]
    for x, _w, label in cols:
        parts.append(text_block([label], x + 6, top - 16, 12, "600", "start", MUTED))
    low, high = math.log10(1), math.log10(3600)
    for i, stage in enumerate(stages):
        y = top + i * row_h
        parts.append(box(20, y, 190, row_h - 8, "plain"))
        parts.append(
            text_block(
                [f"{stage['n']}  {stage['name']}"], 32, y + row_h / 2 - 4, 14, "600", "start"
            )
        )
        for (x, w, _label), key in zip(cols[1:3], ("types", "decides"), strict=True):
            kind = stage[f"{key}_by"]
            parts.append(box(x, y, w, row_h - 8, kind))
            parts.append(text_block(wrap(stage[key], w - 16, 12), x + w / 2, y + row_h / 2 - 4, 12))
        x0, bar_w = cols[3][0], cols[3][1]
        frac = (math.log10(stage["loop_seconds"]) - low) / (high - low)
        parts.append(box(x0, y + 4, bar_w, 12, "plain"))
        parts.append(box(x0, y + 4, max(10.0, bar_w * frac), 12, "ours"))
        parts.append(text_block([stage["loop"]], x0, y + 30, 11, anchor="start", color=MUTED))
    bottom = top + len(stages) * row_h
    parts.append(
        legend({"you": "mostly you", "model": "mostly the model or its tools"}, 20, bottom + 14)
    )
    parts.append(
        text_block(
            ["loop bar: log scale, 1 second to 1 hour"],
            width - 20,
            bottom + 14,
            12,
            anchor="end",
            color=MUTED,
        )
    )
    return svg(width, bottom + 34, data["title"], "".join(parts))


def flow(data: dict) -> str:
    steps = data["steps"]
    exits = {e["from"]: e["label"] for e in data.get("exits", [])}
    back = data.get("loop_back")
    gap, width = 30, 860
    box_w = (width - 40 - (len(steps) - 1) * gap) / len(steps)
    top = 50 + (44 if back else 0)
    box_h = 74
    parts = [heading(data["title"], width)]
    centers = []
    for i, step in enumerate(steps):
        x = 20 + i * (box_w + gap)
        centers.append(x + box_w / 2)
        parts.append(box(x, top, box_w, box_h, "step"))
        parts.append(text_block(wrap(step, box_w - 14), x + box_w / 2, top + box_h / 2))
        if i:
            parts.append(arrow([(x - gap + 2, top + box_h / 2), (x - 2, top + box_h / 2)]))
    bottom = top + box_h
    if exits:
        ex_top = bottom + 40
        for i, label in exits.items():
            x = centers[i] - box_w / 2
            parts.append(arrow([(centers[i], bottom + 2), (centers[i], ex_top - 2)]))
            lines = wrap(label, box_w - 12, 12)
            parts.append(box(x, ex_top, box_w, 58, "exit"))
            parts.append(text_block(lines, centers[i], ex_top + 29, 12))
        bottom = ex_top + 58
    if back:
        a, b = centers[back["from"]], centers[back["to"]]
        y = top - 26
        parts.append(arrow([(a, top - 2), (a, y), (b, y), (b, top - 2)], dashed=True))
        parts.append(
            text_block([back["label"]], (a + b) / 2 if a != b else a, y - 11, 12, color=MUTED)
        )
    return svg(width, bottom + 16, data["title"], "".join(parts))


def strip(data: dict) -> str:
    rows = data["rows"]
    width, label_w, row_h, top = 860, 140, 56, 50
    usable = width - label_w - 40
    scale = usable / max(sum(c["width"] for c in row["cells"]) for row in rows)
    parts = [heading(data["title"], width)]
    for r, row in enumerate(rows):
        y = top + r * (row_h + 14)
        parts.append(
            text_block(wrap(row["label"], label_w - 10, 13), 20, y + row_h / 2, 13, "600", "start")
        )
        x = 20 + label_w
        for cell in row["cells"]:
            w = cell["width"] * scale
            parts.append(box(x, y, w - 4, row_h, cell["kind"], dashed=cell["kind"] == "gap"))
            parts.append(
                text_block(wrap(cell["text"], w - 14, 12), x + (w - 4) / 2, y + row_h / 2, 12)
            )
            x += w
    bottom = top + len(rows) * (row_h + 14)
    parts.append(legend(data["legend"], 20 + label_w, bottom + 10))
    return svg(width, bottom + 30, data["title"], "".join(parts))


def bars(data: dict) -> str:
    items = data["items"]
    width, label_w, row_h, top = 860, 270, 30, 50
    plot_w = width - label_w - 110
    values = [item["value"] for item in items]
    if data.get("log"):
        low = 10 ** math.floor(math.log10(min(values)))
        high = 10 ** math.ceil(math.log10(max(values)))

        def scale(v: float) -> float:
            return plot_w * (math.log10(v) - math.log10(low)) / (math.log10(high) - math.log10(low))
    else:
        high = max(values) * 1.1

        def scale(v: float) -> float:
            return plot_w * v / high

    parts = [heading(data["title"], width)]
    for i, item in enumerate(items):
        y = top + i * row_h
        kind = "model_bar" if item["kind"] == "model" else item["kind"]
        parts.append(text_block([item["label"]], label_w + 10, y + 10, 12, anchor="end"))
        parts.append(box(label_w + 20, y + 1, max(4.0, scale(item["value"])), 18, kind))
        parts.append(
            text_block(
                [f"{item['value']:,}"],
                label_w + 26 + scale(item["value"]),
                y + 10,
                12,
                anchor="start",
                color=MUTED,
            )
        )
    bottom = top + len(items) * row_h
    parts.append(legend(data["legend"], label_w + 20, bottom + 12))
    if data.get("log"):
        parts.append(
            text_block(
                [f"{data['unit']}, log scale"],
                width - 20,
                bottom + 36,
                12,
                anchor="end",
                color=MUTED,
            )
        )
    return svg(width, bottom + 52, data["title"], "".join(parts))


def session(bill: dict, price: dict) -> SessionCost:
    """The bill's agent session priced by the toolkit (the same function the lab uses)."""
    shape = SessionShape(
        calls_per_hour=bill.get("calls_per_hour", 60),
        first_input_tokens=bill["first_context"],
        growth_per_call=bill["growth_per_call"],
        output_tokens_per_call=bill["output_per_call"],
        calls_per_conversation=bill["calls"],
    )
    return project_session(Price(**{"as_of": "", **price}), shape)


def step_cost(bill: dict, price: dict) -> tuple[float, float]:
    """One step's cost in USD without and with prompt caching (read 0.1x, write 1.25x input)."""
    cost = session(bill, price)
    assert cost.plain_usd is not None and cost.cached_usd is not None  # a price was given
    return cost.plain_usd, cost.cached_usd


def priced_models(registry: dict) -> list[dict]:
    """Every registry model with a price above zero, cheapest first."""
    priced = [m for m in registry["models"].values() if m.get("price", {}).get("input", 0) > 0]
    return sorted(priced, key=lambda m: (m["price"]["input"], m["price"]["output"]))


def bill_figure(bill: dict, registry: dict) -> str:
    width, label_w, top, group_h = 860, 200, 56, 64
    rows = []
    for spec in priced_models(registry):
        plain, cached = step_cost(bill, spec["price"])
        rows.append((spec["display"], spec["price"], plain, cached))
    high = max(r[2] for r in rows) * 1.15
    plot_w = width - label_w - 120
    dates = sorted({str(r[1]["as_of"]) for r in rows})
    title = bill["title"]
    parts = [heading(title, width)]
    for i, (display, price, plain, cached) in enumerate(rows):
        y = top + i * group_h
        parts.append(
            text_block(
                [display, f"${price['input']:g} in / ${price['output']:g} out"],
                label_w,
                y + 22,
                12,
                anchor="end",
            )
        )
        for j, (value, kind, label) in enumerate(
            [(plain, "plain", "no caching"), (cached, "cached", "with caching")]
        ):
            bar_y = y + j * 24
            w = plot_w * value / high
            parts.append(box(label_w + 14, bar_y, w, 20, kind))
            parts.append(
                text_block(
                    [f"${value:.2f}  {label}"],
                    label_w + 20 + w,
                    bar_y + 10,
                    12,
                    anchor="start",
                    color=MUTED,
                )
            )
    bottom = top + len(rows) * group_h
    note = (
        f"{bill['calls']} calls; context {bill['first_context']:,} tokens, "
        f"+{bill['growth_per_call']:,} per call; {bill['output_per_call']:,} output tokens "
        "per call; cache reads 0.1x and writes 1.25x the input price; "
        f"prices per million tokens as of {', '.join(dates)}"
    )
    lines = wrap(note, width - 80, 12)
    parts.append(text_block(lines, width / 2, bottom + 8 + 7 * (len(lines) - 1), 12, color=MUTED))
    return svg(width, bottom + 14 + 16 * len(lines), title, "".join(parts))


def breakeven_figure(bill: dict, plot: dict, registry: dict) -> str:
    """Dollars a month against busy session-hours a month: one rising line per priced model
    (with caching), one flat line per plan, and a dot where the plan starts to be cheaper."""
    width, left, top, plot_w, plot_h = 860, 70, 64, 600, 300
    max_h, max_usd = plot["max_hours"], plot["max_usd"]

    def at(hours: float, usd: float) -> tuple[float, float]:
        return left + plot_w * hours / max_h, top + plot_h * (1 - usd / max_usd)

    parts = [heading(plot["title"], width)]
    for usd in range(0, max_usd + 1, 100):  # y grid and labels
        x0, y = at(0, usd)
        parts.append(
            f"<line x1='{x0:.1f}' y1='{y:.1f}' x2='{left + plot_w:.1f}' y2='{y:.1f}' "
            "stroke='#e5e7eb'/>"
        )
        parts.append(text_block([f"${usd}"], left - 8, y, 12, anchor="end", color=MUTED))
    for hours in range(0, max_h + 1, 10):  # x labels
        x, y0 = at(hours, 0)
        parts.append(text_block([str(hours)], x, y0 + 14, 12, color=MUTED))
    parts.append(
        text_block(
            ["busy session-hours a month"], left + plot_w / 2, top + plot_h + 34, 12, color=MUTED
        )
    )
    for usd in plot["plans"]:  # flat plans: dashed, labelled at the right
        (x0, y), (x1, _) = at(0, usd), at(max_h, usd)
        parts.append(
            f"<line x1='{x0:.1f}' y1='{y:.1f}' x2='{x1:.1f}' y2='{y:.1f}' stroke='{LINE}' "
            "stroke-width='1.6' stroke-dasharray='6 4'/>"
        )
        parts.append(text_block([f"a ${usd} plan"], x1 + 8, y, 12, anchor="start", color=MUTED))
    strokes = [FILLS[k][1] for k in ("need", "ours", "model_bar")]
    dates = set()
    for spec, stroke in zip(reversed(priced_models(registry)), strokes, strict=False):
        cost = session(bill, spec["price"])
        per_hour = cost.cached_usd_per_hour
        assert per_hour is not None  # priced_models only returns priced models
        dates.add(str(spec["price"]["as_of"]))
        end_h = min(max_h, max_usd / per_hour)
        (x0, y0), (x1, y1) = at(0, 0), at(end_h, per_hour * end_h)
        parts.append(
            f"<line x1='{x0:.1f}' y1='{y0:.1f}' x2='{x1:.1f}' y2='{y1:.1f}' stroke='{stroke}' "
            "stroke-width='2.5'/>"
        )
        label = [f"{spec['display']}, ${per_hour:.2f}/h"]  # above its line's end
        parts.append(text_block(label, x1 - 6, y1 - 10, 12, anchor="end", color=stroke))
        for usd in plot["plans"]:
            hours = breakeven_hours(usd, per_hour)
            if hours is not None and hours <= max_h:
                x, y = at(hours, usd)
                parts.append(f"<circle cx='{x:.1f}' cy='{y:.1f}' r='4' fill='{stroke}'/>")
                parts.append(
                    text_block([f"{hours:.0f} h"], x + 6, y + 11, 11, anchor="start", color=stroke)
                )
    bottom = top + plot_h + 52
    note = (
        f"Per token: the agent session of the figure above, {bill['calls_per_hour']} calls an "
        f"hour, with prompt caching, registry prices as of {', '.join(sorted(dates))}. A plan "
        "is cheaper to the right of its dot, while its usage caps last; plan prices are "
        "examples (about $20 to a few hundred dollars a month as of 2026-12)."
    )
    lines = wrap(note, width - 80, 12)
    parts.append(text_block(lines, width / 2, bottom + 7 * (len(lines) - 1), 12, color=MUTED))
    return svg(width, bottom + 8 + 16 * len(lines), plot["title"], "".join(parts))


def render_all() -> dict[str, str]:
    data = tomllib.loads((FIGURES / "figures.toml").read_text(encoding="utf-8"))
    registry = tomllib.loads(REGISTRY.read_text(encoding="utf-8"))
    out = {
        "journey.svg": journey(data["journey"]),
        "agent-bill.svg": bill_figure(data["bill"], registry),
        "agent-breakeven.svg": breakeven_figure(data["bill"], data["breakeven"], registry),
    }
    out |= {f"{name}.svg": flow(spec) for name, spec in data["flows"].items()}
    out |= {f"{name}.svg": strip(spec) for name, spec in data["strips"].items()}
    out |= {f"{name}.svg": bars(spec) for name, spec in data["bars"].items()}
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if an SVG is out of date")
    args = parser.parse_args()
    stale = []
    for name, content in render_all().items():
        path = FIGURES / name
        if args.check:
            if not path.is_file() or path.read_text(encoding="utf-8") != content:
                stale.append(name)
            continue
        path.write_text(content, encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
    if stale:
        print("out of date (run python scripts/book_figures.py): " + ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
