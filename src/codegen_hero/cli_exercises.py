"""`hero check` and `hero exercises …`: the same verdicts as the notebooks, from a terminal."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from codegen_hero.cli_common import friendly, out, print_json, show_table

exercises_app = typer.Typer(help="The course's exercises.", no_args_is_help=True)


@exercises_app.command("list")
@friendly
def list_(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead.")] = False,
) -> None:
    """Every exercise with its chapter and known-wrong variants."""
    from codegen_hero.exercises import all_exercises

    exercises = all_exercises()
    if as_json:
        print_json(
            [
                {"slug": slug, "title": e.title, "chapter": e.chapter, "wrong": list(e.wrong)}
                for slug, e in exercises.items()
            ]
        )
        return
    table = Table("exercise", "title", "chapter", "wrong variants CI proves it rejects")
    for slug, exercise in exercises.items():
        table.add_row(slug, exercise.title, exercise.chapter, ", ".join(exercise.wrong))
    show_table(table)


@exercises_app.command()
@friendly
def build(
    folder: Annotated[Path, typer.Argument(help="Where to write the notebooks.")] = Path(
        "exercises"
    ),
) -> None:
    """(Re)generate the exercise notebooks from their definitions."""
    from codegen_hero.exercises.notebook import write_notebooks

    for path in write_notebooks(folder):
        out.print(f"wrote {path}")


def check_command(
    exercise: Annotated[str, typer.Argument(help="Exercise slug (see `hero exercises list`).")],
    notebook: Annotated[
        Path | None, typer.Argument(help="A learner's notebook; omit with --solution.")
    ] = None,
    solution: Annotated[
        str | None, typer.Option(help="Check a named solution (reference, wrong-…) instead.")
    ] = None,
    graded: Annotated[bool, typer.Option(help="Hide the details of hidden checks.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Check a notebook's answer cells (run only in the sandbox); exit 0 when it passes."""
    from codegen_hero.exercises import check, check_notebook, get

    get(exercise)  # an unknown slug is a one-line error before anything else
    if notebook is None and solution is None:
        raise ValueError("give a notebook to check, or --solution NAME")
    if notebook is not None and not notebook.is_file():
        raise FileNotFoundError(f"no such notebook: {notebook}")
    if notebook is not None:
        verdict = check_notebook(exercise, notebook, graded=graded)
    else:
        verdict = check(exercise, solution=solution, graded=graded)
    if as_json:
        print_json(verdict.to_dict())
    else:
        colour = {"passed": "green", "failed": "red"}.get(verdict.status, "yellow")
        out.print(f"[{colour}]{verdict}[/]", highlight=False, markup=True)
    if not verdict.passed:
        raise typer.Exit(1)


check_command = friendly(check_command)
