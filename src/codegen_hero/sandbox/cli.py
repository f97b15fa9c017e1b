"""`hero sandbox`: run a file in the sandbox from the shell and see the verdict.

Exit code 0 when the status is ok, 1 otherwise; whatever FILE does, it runs in another
process, so this command survives it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.panel import Panel
from rich.text import Text

from codegen_hero.sandbox.bwrap import BWRAP_LEVEL, isolation_report
from codegen_hero.sandbox.languages import language_for_file
from codegen_hero.sandbox.result import SandboxResult
from codegen_hero.sandbox.runner import run_code

sandbox_app = typer.Typer(
    help="Run untrusted code (a model's or a learner's) in the sandbox.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
STATUS_STYLE = {"ok": "green", "fail": "red", "error": "red", "timeout": "yellow"}
SHOWN_BYTES = 4000


def _read(path: Path, what: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise typer.BadParameter(f"cannot read {what} {path}: {exc}") from exc


@sandbox_app.command("run")
def run(
    file: Annotated[Path, typer.Argument(help="The program to run (.py, .js or .go).")],
    tests: Annotated[
        Path | None, typer.Option("--tests", help="A file of test_* functions to run.")
    ] = None,
    timeout: Annotated[float, typer.Option(help="Wall-clock limit in seconds.")] = 10.0,
    memory_mb: Annotated[int, typer.Option("--memory-mb", help="Memory limit in MB.")] = 512,
    language: Annotated[
        str | None, typer.Option(help="python, javascript or go (default: from FILE's suffix).")
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Run FILE (and its tests) in the sandbox and report the verdict."""
    code = _read(file, "file")
    test_code = _read(tests, "tests") if tests is not None else None
    try:
        result = run_code(
            code,
            tests=test_code,
            language=language or language_for_file(file),
            timeout=timeout,
            memory_mb=memory_mb,
        )
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    if json_output:
        typer.echo(json.dumps(result.to_dict(), indent=2))
    else:
        print_report(result, Console())
    raise typer.Exit(0 if result.status == "ok" else 1)


@sandbox_app.command("isolation")
def isolation() -> None:
    """Say how runs are isolated on this machine (bwrap or rlimits-only) and why."""
    level, explanation = isolation_report()
    style = "green" if level == BWRAP_LEVEL else "yellow"
    Console().print(f"[{style}]{level}[/]: {explanation}", highlight=False)
    raise typer.Exit(0 if level == BWRAP_LEVEL else 1)


def _tail(text: str) -> str:
    return text if len(text) <= SHOWN_BYTES else "…" + text[-SHOWN_BYTES:]


def print_report(result: SandboxResult, console: Console) -> None:
    """A short human report: verdict line, tests, then the (tail of the) output."""
    style = STATUS_STYLE.get(result.status, "magenta")
    headline = Text.assemble(
        (result.status.upper(), f"bold {style}"),
        f"  exit {result.exit_code}  {result.duration_s:.2f} s  [{result.isolation}]",
    )
    if result.reason:
        headline.append(f"\n{result.reason}")
    console.print(Panel(headline, expand=False))
    if result.warning:
        console.print(f"[yellow]warning:[/] {result.warning}", highlight=False)
    for name in result.tests_passed:
        console.print(f"  [green]PASS[/] {name}", highlight=False)
    for name in result.tests_failed:
        message = result.failures.get(name, "")
        console.print(Text.assemble("  ", ("FAIL", "red"), f" {name}  {message}"))
    for label, text, cut in (
        ("stdout", result.stdout, result.stdout_truncated),
        ("stderr", result.stderr, result.stderr_truncated),
    ):
        if text:
            suffix = " (truncated)" if cut else ""
            console.rule(f"{label}{suffix}", style="dim")
            console.print(_tail(text), highlight=False, markup=False, end="")
            if not text.endswith("\n"):
                console.print()


if __name__ == "__main__":  # python -m codegen_hero.sandbox.cli run FILE
    sandbox_app()
