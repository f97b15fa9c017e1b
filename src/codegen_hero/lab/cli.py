"""`hero lab`: JupyterLab with ghost-text completion from the local model, ready to type in."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Annotated

import typer

from codegen_hero.cli_common import err, friendly
from codegen_hero.models.errors import HeroError


def _jupyter() -> str:
    beside = Path(sys.executable).with_name("jupyter")
    found = str(beside) if beside.exists() else shutil.which("jupyter")
    if not found:
        raise HeroError("JupyterLab is not installed here: run scripts/install.sh (or make test)")
    return found


@friendly
def lab_command(
    ctx: typer.Context,
    model: Annotated[
        str | None,
        typer.Option("-m", "--model", help="Model for ghost text (default: the registry's)."),
    ] = None,
) -> None:
    """Start JupyterLab with ghost-text completion (Tab accepts, typing on dismisses).

    Anything after the options goes to `jupyter lab`, e.g. `hero lab notebooks/ --port 8890`.
    """
    from codegen_hero.lab.install import install
    from codegen_hero.lab.suggest import autocomplete_model
    from codegen_hero.models.registry import load_registry

    if model:
        os.environ["HERO_AUTOCOMPLETE"] = model
    name = autocomplete_model()
    if load_registry().get(name).fim is None:
        able = ", ".join(load_registry().fim_models())
        raise HeroError(f"{name} cannot fill in the middle; models that can: {able}")
    try:
        install(Path(sys.prefix))
    except PermissionError as exc:
        raise HeroError(
            f"cannot install the JupyterLab extension into {sys.prefix}: {exc}"
        ) from None
    err.print(f"[dim]ghost text from {name}: pause after typing code; Tab accepts[/]")
    jupyter = _jupyter()
    os.execv(jupyter, [jupyter, "lab", *ctx.args])
