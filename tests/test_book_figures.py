"""The book's figures are drawn from data: the committed SVGs and the numbers in the prose agree."""

from __future__ import annotations

import importlib.util
import math
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def load_script():
    spec = importlib.util.spec_from_file_location("book_figures", ROOT / "scripts/book_figures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_svgs_match_their_data():
    figures = load_script()
    stale = [
        name
        for name, content in figures.render_all().items()
        if (figures.FIGURES / name).read_text(encoding="utf-8") != content
    ]
    assert stale == [], "run: python scripts/book_figures.py"


def test_every_figure_is_used_by_a_page():
    figures = load_script()
    pages = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "book").glob("*.md"))
    unused = [name for name in figures.render_all() if f"figures/{name}" not in pages]
    assert unused == []


def test_chapter_08_quotes_the_bill_the_figure_draws():
    figures = load_script()
    data = tomllib.loads((figures.FIGURES / "figures.toml").read_text(encoding="utf-8"))
    registry = tomllib.loads(figures.REGISTRY.read_text(encoding="utf-8"))
    sonnet = next(m for m in registry["models"].values() if m.get("display") == "Claude Sonnet 5")
    plain, cached = figures.step_cost(data["bill"], sonnet["price"])
    chapter = (ROOT / "book" / "08-agentic.md").read_text(encoding="utf-8")
    assert f"\\${plain:.2f}" in chapter and f"\\${cached:.2f}" in chapter
    assert f"\\${plain * 40:.2f}" in chapter and f"\\${cached * 40:.2f}" in chapter


def test_cache_reads_cost_a_tenth_of_fresh_input():
    figures = load_script()
    bill = {"calls": 2, "first_context": 1000, "growth_per_call": 0, "output_per_call": 0}
    price = {"input": 10.0, "output": 0.0, "cache_read": 0.1, "cache_write": 1.25}
    plain, cached = figures.step_cost(bill, price)
    assert plain == 2000 * 10.0 / 1e6
    assert cached == (1000 * 10.0 * 0.1 + 1000 * 10.0 * 1.25) / 1e6


def test_chapter_08_quotes_the_hourly_bill_and_the_breakeven_the_toolkit_computes():
    from codegen_hero.toolkit.session_cost import breakeven_hours

    figures = load_script()
    data = tomllib.loads((figures.FIGURES / "figures.toml").read_text(encoding="utf-8"))
    registry = tomllib.loads(figures.REGISTRY.read_text(encoding="utf-8"))
    sonnet = next(m for m in registry["models"].values() if m.get("display") == "Claude Sonnet 5")
    cost = figures.session(data["bill"], sonnet["price"])
    chapter = (ROOT / "book" / "08-agentic.md").read_text(encoding="utf-8")
    assert f"\\${cost.plain_usd_per_hour:.2f}" in chapter
    assert f"\\${cost.cached_usd_per_hour:.2f}" in chapter
    assert f"as of {sonnet['price']['as_of']}" in chapter
    for plan in data["breakeven"]["plans"]:
        hours = breakeven_hours(plan, cost.cached_usd_per_hour)
        assert f"\\${plan} plan is cheaper after about {hours:.0f}" in chapter or (
            f"\\${plan} plan after about {hours:.0f}" in chapter
        )
    without = breakeven_hours(data["breakeven"]["plans"][0], cost.plain_usd_per_hour)
    assert f"under {math.ceil(without)} hours" in chapter


def test_the_breakeven_figure_marks_where_each_plan_gets_cheaper():
    figures = load_script()
    data = tomllib.loads((figures.FIGURES / "figures.toml").read_text(encoding="utf-8"))
    registry = tomllib.loads(figures.REGISTRY.read_text(encoding="utf-8"))
    drawn = (figures.FIGURES / "agent-breakeven.svg").read_text(encoding="utf-8")
    for spec in figures.priced_models(registry):
        per_hour = figures.session(data["bill"], spec["price"]).cached_usd_per_hour
        assert f"{spec['display']}, ${per_hour:.2f}/h" in drawn
    assert drawn.count("<circle") == sum(
        1
        for spec in figures.priced_models(registry)
        for plan in data["breakeven"]["plans"]
        if plan / figures.session(data["bill"], spec["price"]).cached_usd_per_hour
        <= data["breakeven"]["max_hours"]
    )
