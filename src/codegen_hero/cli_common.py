"""Pieces every `hero` sub-command shares: one-line errors, the consoles, tables and JSON."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any, TypeVar

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from codegen_hero.models.errors import HeroError

F = TypeVar("F", bound=Callable[..., Any])
err = Console(stderr=True)
out = Console()
COLUMN_GAP = "  "
BORDERS = 4  # a rich table's edge and padding around its first column
MIN_OTHER_COLUMN = 8


def friendly(func: F) -> F:
    """Bad input ends in one readable line and exit code 1, never a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (HeroError, ValueError, OSError) as exc:
            err.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            err.print("[yellow]interrupted[/]")
            raise typer.Exit(130) from None

    return wrapper  # type: ignore[return-value]


def _plain(cell: Any) -> str:
    if isinstance(cell, Text):
        return cell.plain
    if isinstance(cell, str):
        return Text.from_markup(cell).plain
    return str(cell)


def table_lines(table: Table) -> list[str]:
    """The table as plain aligned text: no markup, no box, nothing cut, one row per line."""
    # Whitespace is collapsed so that every row stays on one line (for grep and cut).
    columns = [
        [" ".join(_plain(cell).split()) for cell in (c.header, *c.cells)] for c in table.columns
    ]
    if not columns:
        return []
    widths = [max(map(len, column)) for column in columns]
    lines = []
    for cells in zip(*columns, strict=True):
        padded = [cell.ljust(width) for cell, width in zip(cells[:-1], widths, strict=False)]
        lines.append(COLUMN_GAP.join([*padded, cells[-1]]).rstrip())
    return lines


def show_table(table: Table, console: Console | None = None) -> None:
    """A rich table in a terminal wide enough for the first column whole (other cells fold,
    never elided); plain text otherwise, and in a pipe or a file, so `| grep` finds whole
    names."""
    console = console or out
    first = table.columns[0] if table.columns else None
    longest = max((len(_plain(c)) for c in [first.header, *first.cells]), default=0) if first else 0
    others = MIN_OTHER_COLUMN * (len(table.columns) - 1)
    if not console.is_terminal or longest + BORDERS + others > console.width:
        for line in table_lines(table):
            console.print(line, markup=False, highlight=False, soft_wrap=True, emoji=False)
        return
    for column in table.columns:
        column.overflow = "fold"
    if first is not None:
        first.no_wrap, first.min_width = True, longest
    console.print(table)


def print_json(data: Any) -> None:
    """What `--json` prints: indented, UTF-8, to stdout, and nothing else."""
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
