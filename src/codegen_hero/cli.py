"""The `hero` command: a thin layer over the package, with one-line errors."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from codegen_hero.cli_common import err, friendly

app = typer.Typer(
    help="The LLM Codegen Hero's Journey: call, compare and check models from the course.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def default_model() -> str:
    from codegen_hero.models.registry import load_registry

    return load_registry().default


@app.command()
@friendly
def ask(
    prompt: Annotated[str, typer.Argument(help="What to ask; '-' reads standard input.")],
    model: Annotated[str | None, typer.Option("-m", "--model", help="provider/model")] = None,
    system: Annotated[str | None, typer.Option(help="A system prompt.")] = None,
    max_tokens: Annotated[int, typer.Option(help="Upper bound on the answer's length.")] = 512,
    temperature: Annotated[float | None, typer.Option(help="Omit for the default.")] = None,
    stream: Annotated[bool, typer.Option(help="Print the answer as it arrives.")] = True,
    cache: Annotated[str | None, typer.Option(help="auto, record, replay or off.")] = None,
) -> None:
    """Ask one model and print its answer (streamed), then its latency, tokens and cost."""
    from codegen_hero.models import client

    text = sys.stdin.read() if prompt == "-" else prompt
    name = model or default_model()
    options: dict[str, Any] = {"system": system, "max_tokens": max_tokens, "cache": cache}
    if temperature is not None:
        options["temperature"] = temperature
    if stream:
        answer = client.stream(name, text, **options)
        if not answer.text.endswith("\n"):
            sys.stdout.write("\n")
    else:
        answer = client.complete(name, text, **options)
        sys.stdout.write(answer.text.rstrip("\n") + "\n")
    sys.stdout.flush()
    if answer.cost_usd is None:
        cost = "cost unknown"
    else:
        cost = "$0" if answer.cost_usd == 0 else f"${answer.cost_usd:.6f}"
    err.print(
        f"[dim]{answer.model} · {answer.latency_s:.2f} s · {answer.usage.describe()} · {cost}"
        f"{' · replayed from cache' if answer.cached else ''} · finish: {answer.finish_reason}[/]",
        highlight=False,
        soft_wrap=True,
    )


PASS_THROUGH = {"allow_extra_args": True, "ignore_unknown_options": True}


def _mount() -> None:
    from codegen_hero.cli_cache import cache_app
    from codegen_hero.cli_compare import compare_command
    from codegen_hero.cli_exercises import check_command, exercises_app
    from codegen_hero.cli_models import models_app
    from codegen_hero.doctor import doctor
    from codegen_hero.lab.cli import lab_command
    from codegen_hero.sandbox.cli import sandbox_app
    from codegen_hero.workshop.cli import serve_command, workshop_app

    app.add_typer(models_app, name="models")
    app.add_typer(cache_app, name="cache")
    app.add_typer(sandbox_app, name="sandbox")
    app.command()(friendly(doctor))
    app.command("compare")(compare_command)
    app.command("check")(check_command)
    app.add_typer(exercises_app, name="exercises")
    app.add_typer(workshop_app, name="workshop")
    app.command("serve")(serve_command)
    app.command("lab", context_settings=PASS_THROUGH)(lab_command)


_mount()


def main() -> None:
    app()


if __name__ == "__main__":  # python -m codegen_hero.cli …
    main()
