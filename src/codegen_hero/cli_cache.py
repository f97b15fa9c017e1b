"""`hero cache …`: inspect, share and clear recorded responses."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from codegen_hero.cli_common import friendly, out, print_json, show_table

cache_app = typer.Typer(help="The record/replay cache of model responses.", no_args_is_help=True)


def _cache():
    from codegen_hero.models.client import response_cache

    return response_cache()


@cache_app.command()
@friendly
def stats(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead.")] = False,
) -> None:
    """How many responses are recorded, for which models, and where."""
    info = _cache().stats()
    if as_json:
        print_json(
            {
                "path": str(info.path),
                "bytes_on_disk": info.bytes_on_disk,
                "entries": info.entries,
                "by_model": dict(sorted(info.by_model.items())),
            }
        )
        return
    out.print(
        f"cache: {info.path} ({info.bytes_on_disk / 1e6:.1f} MB), {info.entries} responses",
        highlight=False,
        soft_wrap=True,
    )
    if info.by_model:
        table = Table("model", "responses")
        for model, count in sorted(info.by_model.items()):
            table.add_row(model, str(count))
        show_table(table)


@cache_app.command("export")
@friendly
def export_(file: Annotated[Path, typer.Argument(help="JSON-lines file to write.")]) -> None:
    """Write every recorded response to one file that learners can import."""
    count = _cache().export(file)
    out.print(f"exported {count} responses to {file}")


@cache_app.command("import")
@friendly
def import_(file: Annotated[Path, typer.Argument(help="A file made by `hero cache export`.")]):
    """Merge an exported file into this machine's cache (checked line by line first)."""
    if not file.is_file():
        raise FileNotFoundError(f"no such file: {file}")
    count = _cache().import_file(file)
    out.print(f"imported {count} responses from {file}")


@cache_app.command()
@friendly
def clear(yes: Annotated[bool, typer.Option("--yes", help="Do not ask.")] = False) -> None:
    """Delete every recorded response."""
    if not yes:
        typer.confirm(f"Delete all recorded responses in {_cache().path}?", abort=True)
    out.print(f"deleted {_cache().clear()} responses")
