"""Pieces every `hero` sub-command shares: one-line errors and the consoles."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import typer
from rich.console import Console

from codegen_hero.models.errors import HeroError

F = TypeVar("F", bound=Callable[..., Any])
err = Console(stderr=True)
out = Console()


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
