"""`hero workshop …` and `hero serve`: the instructor's commands, thin over the modules.

Mounted by the main CLI as `app.add_typer(workshop_app, name="workshop")` and
`app.add_typer(serve_app, name="serve")`; `python -m codegen_hero.workshop.cli` runs both alone.
"""

from __future__ import annotations

import signal
from collections import Counter
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from codegen_hero.cli_common import err, friendly, out, print_json, show_table

workshop_app = typer.Typer(
    help="Run the course for a room: release, grade, record, cost, doctor.",
    no_args_is_help=True,
)


@workshop_app.command("release")
@friendly
def release_command(
    folder: Annotated[Path, typer.Argument(help="Where to write the student copy.")],
    source: Annotated[
        Path | None, typer.Option(help="The course folder (default: found from here).")
    ] = None,
) -> None:
    """Student copy of labs and exercises: no outputs, no solutions, no hidden cases."""
    from codegen_hero.workshop.release import ReleaseError, release

    try:
        manifest = release(folder, source)
    except ReleaseError as exc:
        for hit in exc.hits[:20]:
            err.print(f"  leak: {hit}", highlight=False, soft_wrap=True)
        raise
    out.print(
        f"released {len(manifest['files'])} files ({len(manifest['exercises'])} exercises, "
        f"{len(manifest['labs'])} labs) to {folder}; searched them for "
        f"{manifest['secrets_checked']} solution and hidden-case strings: none found.",
        highlight=False,
    )


@workshop_app.command("grade")
@friendly
def grade_command(
    submissions: Annotated[Path, typer.Argument(help="SUBMISSIONS/<learner>/<exercise>.ipynb")],
    out_dir: Annotated[Path, typer.Option("--out", help="Where the gradebook goes.")],
    workers: Annotated[
        int | None, typer.Option(help="Notebooks graded at once (default: cores).")
    ] = None,
    timeout: Annotated[float, typer.Option(help="Seconds per notebook run.")] = 60.0,
    memory_mb: Annotated[int, typer.Option(help="Memory cap per notebook run.")] = 1024,
    fresh: Annotated[bool, typer.Option(help="Ignore results cached by earlier runs.")] = False,
) -> None:
    """Run each notebook in the sandbox, re-run its exercise's checker, write the gradebook."""
    from codegen_hero.workshop.grade import DEFAULT_WORKERS, Options, grade

    workers = DEFAULT_WORKERS if workers is None else workers
    opts = Options(workers=workers, timeout=timeout, memory_mb=memory_mb, fresh=fresh)
    report = grade(submissions, out_dir, opts, progress=True)
    counts = Counter(row.status for row in report.rows)
    summary = ", ".join(f"{n} {status}" for status, n in counts.most_common())
    out.print(f"{len(report.rows)} files: {summary}", highlight=False)
    for note in report.notes:
        out.print(f"[yellow]note:[/] {note}", highlight=False)
    cached = f" ({report.from_cache} unchanged, from cache)" if report.from_cache else ""
    out.print(
        f"gradebook: {out_dir / 'gradebook.csv'} and {out_dir / 'gradebook.html'}, "
        f"{report.seconds:.1f} s{cached}",
        highlight=False,
    )


@workshop_app.command("doctor")
def doctor_command(
    root: Annotated[Path | None, typer.Option(help="The course folder.")] = None,
    kernel: Annotated[bool, typer.Option(help="Start a Jupyter kernel to check it.")] = True,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead.")] = False,
) -> None:
    """The learner's check before the day: every problem with how to fix it."""
    from dataclasses import asdict

    from codegen_hero.workshop.doctor import workshop_checks

    findings = workshop_checks(root, kernel=kernel)
    failed = [f.what for f in findings if f.level == "fail"]
    if as_json:
        print_json([asdict(f) for f in findings])
        if failed:
            raise typer.Exit(1)
        return
    colour = {"ok": "green", "warn": "yellow", "fail": "red"}
    table = Table("check", "", "detail", "how to fix", title="hero workshop doctor")
    for f in findings:
        table.add_row(f.what, f"[{colour[f.level]}]{f.level}[/]", f.detail, f.fix)
    show_table(table)
    if failed:
        out.print(f"[red]Needed before the workshop:[/] {', '.join(failed)}")
        raise typer.Exit(1)
    out.print("[green]Ready for the workshop.[/]")


@workshop_app.command("record")
@friendly
def record_command(
    labs: Annotated[
        list[Path] | None, typer.Argument(help="Lab notebooks or folders (default: notebooks/).")
    ] = None,
    out_file: Annotated[Path, typer.Option("--out", help="The file to hand out.")] = Path(
        "workshop-responses.jsonl"
    ),
    offline_models: Annotated[
        bool, typer.Option(help="No key needed: record only the local models' answers.")
    ] = False,
    executed: Annotated[
        Path | None, typer.Option(help="Keep the executed notebooks in this folder.")
    ] = None,
    merge: Annotated[bool, typer.Option(help="Also add them to this machine's cache.")] = True,
    timeout: Annotated[float, typer.Option(help="Seconds per cell.")] = 600.0,
) -> None:
    """Run every lab once under HERO_CACHE=record and export the answers as one file."""
    from codegen_hero.workshop.record import LabRun, record

    def show(run: LabRun) -> None:
        mark = "[green]ok[/]" if run.ok else f"[red]failed[/]: {run.message}"
        err.print(f"  {run.lab}: {mark} ({run.seconds:.0f} s)", highlight=False, soft_wrap=True)

    result = record(
        out_file,
        labs,
        offline_models=offline_models,
        executed=executed,
        merge=merge,
        timeout=timeout,
        on_lab=show,
    )
    models = ", ".join(f"{m}: {n}" for m, n in sorted(result.by_model.items())) or "none"
    out.print(f"recorded {result.responses} responses ({models}) to {out_file}", highlight=False)
    out.print(
        f"learners: `hero cache import {out_file.name}`, then HERO_CACHE=replay works offline",
        highlight=False,
    )
    if result.failed:
        names = ", ".join(run.lab for run in result.failed)
        err.print(f"[red]error:[/] {len(result.failed)} lab(s) did not run through: {names}")
        raise typer.Exit(1)


@workshop_app.command("cost")
@friendly
def cost_command(
    learners: Annotated[int, typer.Option(help="How many learners will run the labs live.")],
    cap: Annotated[float | None, typer.Option(help="A per-learner cap to assess (USD).")] = None,
    recording: Annotated[
        Path | None,
        typer.Option("--from", help="A recording (export or cache); default: this cache."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead.")] = False,
) -> None:
    """Estimate the room's spend from recorded usage, and suggest HERO_BUDGET_USD."""
    from codegen_hero import settings
    from codegen_hero.workshop.costs import advice, estimate, estimate_record, money, read_cache

    source = recording or settings.response_cache_path()
    est = estimate(read_cache(source), learners)
    if as_json:
        print_json({**estimate_record(est), "advice": advice(est, cap)})
        return
    table = Table()
    table.add_column("model", no_wrap=True)
    for heading in ("calls", "tokens in", "tokens out"):
        table.add_column(heading, justify="right")
    table.add_column("USD per M tokens, in / out")
    table.add_column("per learner", justify="right", no_wrap=True)
    for line in est.lines:
        table.add_row(
            line.model,
            str(line.calls),
            "unknown" if line.input_tokens is None else f"{line.input_tokens:,}",
            "unknown" if line.output_tokens is None else f"{line.output_tokens:,}",
            line.price,
            money(line.cost),
        )
    show_table(table)
    for text in advice(est, cap):
        out.print(text, highlight=False, soft_wrap=True)


serve_app = typer.Typer(
    help="Share one local model with the room; `hero serve status` shows who uses it.",
    invoke_without_command=True,
)


@serve_app.callback()
def serve_command(
    ctx: typer.Context,
    model: Annotated[
        str | None, typer.Option("-m", "--model", help="A local/… model (default: the default).")
    ] = None,
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8765,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    allow_network: Annotated[
        bool, typer.Option(help="Listen beyond loopback; every learner then needs a key.")
    ] = False,
    learners: Annotated[
        int, typer.Option(help="Learners expected at once: parallel slots, and keys to make.")
    ] = 8,
    keys: Annotated[
        Path | None,
        typer.Option(help="Learners' keys: read from FILE, or made and saved there if absent."),
    ] = None,
    engine: Annotated[
        str, typer.Option(help="auto (llama-server, else llama-cpp-python), or either one.")
    ] = "auto",
    log: Annotated[Path | None, typer.Option(help="The engine's log file.")] = None,
    threads: Annotated[
        int | None, typer.Option(help="CPU threads (default: HERO_THREADS, else all cores).")
    ] = None,
) -> None:
    """Share one local model with the room (OpenAI-compatible, batched by llama-server)."""
    if ctx.invoked_subcommand is not None:
        return
    from codegen_hero import settings
    from codegen_hero.models.errors import HeroError
    from codegen_hero.models.registry import load_registry
    from codegen_hero.workshop.serve import RoomServer, instructions

    def stop_on_term(*_: Any) -> None:
        raise KeyboardInterrupt

    log = log or settings.cache_root() / "serve.log"
    stops = (signal.SIGINT, signal.SIGTERM)
    previous = {sig: signal.getsignal(sig) for sig in stops}
    server = None
    try:
        if threads is not None and threads < 1:
            raise ValueError(f"--threads must be at least 1, not {threads}")
        name = model or load_registry().default
        server = RoomServer(name, port, host, allow_network, log, threads, learners, keys, engine)
        log.parent.mkdir(parents=True, exist_ok=True)
        # `kill` stops it as cleanly as Ctrl-C; and Ctrl-C works even when started from a
        # script in the background, where the shell hands Python an ignored SIGINT.
        for sig in stops:
            signal.signal(sig, stop_on_term)
        err.print(f"starting the engine (log: {log}) …", highlight=False)
        server.start()
        for line in instructions(server):
            out.print(line, highlight=False, soft_wrap=True)
        out.print("Press Ctrl-C to stop.")
        server.run()  # returns after uvicorn's graceful stop, then re-raises the signal
        err.print("stopped.")
    except KeyboardInterrupt:
        err.print("stopped.")
    except (HeroError, ValueError, OSError) as exc:
        err.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None
    finally:
        if server is not None:
            server.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@serve_app.command("status")
@friendly
def serve_status_command(
    port: Annotated[int, typer.Option(help="The port hero serve listens on.")] = 8765,
    json_out: Annotated[bool, typer.Option("--json", help="The raw status as JSON.")] = False,
) -> None:
    """The instructor's view: the engine, and per learner requests, tokens and last seen."""
    import json

    from codegen_hero.workshop.room_proxy import last_seen_text
    from codegen_hero.workshop.serve import instructor_status

    snap = instructor_status(port)
    if json_out:
        out.print_json(json.dumps(snap))
        return
    restarts = f", {snap['restarts']} engine restarts" if snap["restarts"] else ""
    out.print(
        f"{snap['model']} on {snap['engine']} (pid {snap['engine_pid']}): {snap['state']}"
        f"{restarts}; {snap['slots']} slots of {snap['context_per_learner']} tokens"
        + (f"; {snap['message']}" if snap["message"] else ""),
        highlight=False,
        soft_wrap=True,
    )
    table = Table(title="hero serve status")
    table.add_column("learner", no_wrap=True)
    for heading in ("requests", "errors", "prompt tokens", "answer tokens", "now", "last seen"):
        table.add_column(heading, justify="right")
    table.add_column("last error")
    for row in snap["learners"]:
        table.add_row(
            row["label"],
            str(row["requests"]),
            str(row["errors"]),
            f"{row['prompt_tokens']:,}",
            f"{row['completion_tokens']:,}",
            str(row["active"]),
            last_seen_text(row["last_seen"]),
            row["last_error"],
        )
    out.print(table)


def standalone() -> typer.Typer:
    """Both commands without the main CLI (tests, and before they are mounted)."""
    app = typer.Typer(no_args_is_help=True, pretty_exceptions_enable=False, add_completion=False)
    app.add_typer(workshop_app, name="workshop")
    app.add_typer(serve_app, name="serve")
    return app


if __name__ == "__main__":
    standalone()()
