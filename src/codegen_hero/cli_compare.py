"""`hero compare`: one prompt, several models, answers side by side with their numbers."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer
from rich.panel import Panel
from rich.syntax import Syntax
from rich.table import Table
from rich.text import Text

from codegen_hero.cli_common import friendly, out, print_json, show_table
from codegen_hero.compare import Comparison, Row

MAX_LINES = 40
PANEL_BORDERS = 6  # a panel's edges and the spaces around its title


def _cost(value: float | None) -> str:
    if value is None:
        return "cost unknown"
    return "$0" if value == 0 else f"${value:.5f}"


def _verdict(row: Row) -> str:
    if row.test is None:
        return ""
    colour = "green" if row.passed else "red"
    passed, failed = len(row.test.tests_passed), len(row.test.tests_failed)
    counts = f"{passed}/{passed + failed}"
    label = "PASS" if row.passed else row.test.status.upper()
    return f" · [{colour}]{label} {counts}[/]"


def _tokens(value: int | None) -> str:
    return "?" if value is None else str(value)


def _body(row: Row) -> str:
    c = row.completion
    body = (row.code if row.code else c.text) if c is not None else (row.error or "no answer")
    lines = body.splitlines()
    if len(lines) > MAX_LINES:
        body = "\n".join(lines[:MAX_LINES]) + f"\n… {len(lines) - MAX_LINES} more lines"
    return body


def _subtitle(row: Row) -> str:
    c = row.completion
    if c is None:
        return "no answer"
    return (
        f"{c.latency_s:.2f} s · {_tokens(c.usage.input_tokens)}/"
        f"{_tokens(c.usage.output_tokens)} tok · "
        f"{_cost(c.cost_usd)}{' · cached' if c.cached else ''}{_verdict(row)}"
    )


def _panel(row: Row, language: str) -> Panel:
    title = f"{row.model} #{row.sample}"
    if row.completion is None:
        return Panel(Text(_body(row), style="red"), title=title, border_style="red")
    body = _body(row)
    shown = Syntax(body, language, word_wrap=True) if row.code else Text(body)
    border = "green" if row.passed else ("red" if row.passed is False else "blue")
    return Panel(shown, title=title, subtitle=_subtitle(row), border_style=border)


def _panels_fit(comparison: Comparison, width: int) -> bool:
    """Side by side only when every panel's title and numbers fit whole in its column."""
    column = width // max(1, len(comparison.models)) - PANEL_BORDERS
    labels = [f"{row.model} #{row.sample}" for row in comparison.rows]
    labels += [Text.from_markup(_subtitle(row)).plain for row in comparison.rows]
    return all(len(label) <= column for label in labels)


def _print_plain(comparison: Comparison) -> None:
    """In a pipe: one answer after another, each under a header line naming model and sample."""
    for row in comparison.rows:
        header = Text.from_markup(f"== {row.model} #{row.sample} · {_subtitle(row)}").plain
        out.print(header, markup=False, highlight=False, soft_wrap=True)
        out.print(_body(row), markup=False, highlight=False, soft_wrap=True)


def _side_by_side(comparison: Comparison) -> Table:
    """One column per model, one line per sample, sharing the terminal's width."""
    grid = Table.grid(expand=True, padding=(0, 1))
    for _ in comparison.models:
        grid.add_column(ratio=1)
    samples = max(len(comparison.for_model(m)) for m in comparison.models)
    for i in range(samples):
        cells = []
        for model in comparison.models:
            rows = comparison.for_model(model)
            cells.append(_panel(rows[i], comparison.language) if i < len(rows) else "")
        grid.add_row(*cells)
    return grid


def _summary_table(comparison: Comparison) -> Table:
    table = Table("model", "answered", "mean latency", "output tokens", "cost", "passed", "pass@1")
    for s in comparison.summary():
        table.add_row(
            s.model,
            f"{s.answered}/{s.samples}",
            "-" if s.mean_latency_s is None else f"{s.mean_latency_s:.2f} s",
            _tokens(s.output_tokens),
            _cost(s.cost_usd) if s.answered else "-",
            "-" if s.passed is None else f"{s.passed}/{s.samples}",
            "-" if s.pass_at_1 is None else f"{s.pass_at_1:.2f}",
        )
    return table


def compare_command(
    prompt: Annotated[str, typer.Argument(help="The prompt every model gets.")],
    model: Annotated[
        list[str] | None, typer.Option("-m", "--model", help="Repeat for each model.")
    ] = None,
    n: Annotated[int, typer.Option("--n", help="Samples per model.")] = 1,
    tests: Annotated[
        Path | None, typer.Option(help="Python file of test_* functions to run on each answer.")
    ] = None,
    language: Annotated[str, typer.Option(help="Language of the code to extract.")] = "python",
    max_tokens: Annotated[int, typer.Option(help="Upper bound on each answer.")] = 512,
    system: Annotated[str | None, typer.Option(help="A system prompt.")] = None,
    cache: Annotated[str | None, typer.Option(help="auto, record, replay or off.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead.")] = False,
) -> None:
    """Send one prompt to several models at once; show answers side by side, run the tests."""
    from codegen_hero.compare import compare

    test_source = None
    if tests is not None:
        if not tests.is_file():
            raise FileNotFoundError(f"no such tests file: {tests}")
        test_source = tests.read_text(encoding="utf-8")
    result = compare(
        prompt,
        model or None,
        n=n,
        tests=test_source,
        language=language,
        max_tokens=max_tokens,
        system=system,
        cache=cache,
        progress=not as_json,
    )
    if as_json:
        payload = {
            "rows": [
                {**row.as_record(), "test": row.test.to_dict() if row.test else None}
                for row in result.rows
            ],
            "summary": [asdict(s) for s in result.summary()],
            "wall_time_s": result.wall_time_s,
        }
        print_json(payload)
    else:
        if _panels_fit(result, out.width):
            out.print(_side_by_side(result))
        else:
            _print_plain(result)
        show_table(_summary_table(result))
        out.print(f"[dim]wall time {result.wall_time_s:.2f} s[/]")
    if all(row.completion is None for row in result.rows):
        raise typer.Exit(1)


compare_command = friendly(compare_command)
