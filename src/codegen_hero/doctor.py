"""`hero doctor`: everything a learner's machine needs, checked in one go, with the fix."""

from __future__ import annotations

import importlib.metadata as md
import os
import shutil
import socket
import sys
from dataclasses import asdict, dataclass
from typing import Annotated, Literal
from urllib.parse import urlparse

import typer
from rich.table import Table

from codegen_hero import settings
from codegen_hero.cli_common import out, print_json, show_table
from codegen_hero.models import local_files
from codegen_hero.models.errors import ModelFileError
from codegen_hero.models.registry import load_registry

Level = Literal["ok", "warn", "fail"]
MIN_FREE_GB = 2.0


@dataclass(frozen=True)
class Check:
    what: str
    level: Level
    detail: str


def mask(key: str) -> str:
    """Enough to recognise a key, never enough to use it."""
    return f"set (…{key[-4:]}, {len(key)} characters)" if len(key) > 8 else "set"


def _version(package: str) -> str | None:
    try:
        return md.version(package)
    except md.PackageNotFoundError:
        return None


def check_python() -> Check:
    ok = sys.version_info >= (3, 11)
    return Check("Python", "ok" if ok else "fail", f"{sys.version.split()[0]} (3.11+ needed)")


def check_packages() -> list[Check]:
    checks = []
    for package, needed in (("llama-cpp-python", True), ("anthropic", False), ("openai", False)):
        version = _version(package)
        level: Level = "ok" if version else ("fail" if needed else "warn")
        checks.append(Check(package, level, version or "not installed: make test installs it"))
    return checks


def check_llama_build() -> Check:
    try:
        import llama_cpp
    except Exception as exc:  # a broken native build raises all sorts of errors
        return Check("llama.cpp build", "fail", f"cannot import llama_cpp: {exc}")
    info = llama_cpp.llama_print_system_info().decode(errors="replace")
    features = [f.split("=")[0].strip() for f in info.split("|") if f.strip().endswith("= 1")]
    return Check("llama.cpp build", "ok", ", ".join(features[:8]) or "generic CPU build")


def check_models(verify: bool) -> list[Check]:
    registry = load_registry()
    checks = []
    for name in registry.role("offline"):
        spec = registry.get(name)
        path = local_files.model_path(spec)
        if local_files.is_verified(spec) and not verify:
            checks.append(Check(name, "ok", f"{path} (sha256 verified)"))
            continue
        try:
            local_files.verify(spec, progress=sys.stderr.isatty())
            checks.append(Check(name, "ok", f"{path} (sha256 verified now)"))
        except ModelFileError as exc:
            checks.append(Check(name, "fail", str(exc)))
    return checks


def _reachable(url: str, timeout: float = 1.0) -> bool:
    parsed = urlparse(url)
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    try:
        with socket.create_connection((parsed.hostname or "", port), timeout=timeout):
            return True
    except OSError:
        return False


def check_endpoints() -> list[Check]:
    checks = []
    for endpoint in load_registry().endpoints.values():
        if endpoint.kind == "local":
            continue
        if endpoint.needs_key:
            key = endpoint.key()
            detail = mask(key) if key else "not set (optional: local models need no key)"
            checks.append(Check(endpoint.key_env, "ok" if key else "warn", detail))
        elif endpoint.url():
            up = _reachable(endpoint.url() or "")
            state = "reachable" if up else "not running (optional)"
            checks.append(
                Check(
                    f"{endpoint.name} server", "ok" if up else "warn", f"{endpoint.url()}: {state}"
                )
            )
    return checks


def check_storage() -> list[Check]:
    cache = settings.response_cache_path()
    models = settings.model_dir()
    models.mkdir(parents=True, exist_ok=True)
    writable = os.access(cache.parent if cache.parent.exists() else models, os.W_OK)
    free_gb = shutil.disk_usage(models).free / 1e9
    return [
        Check("response cache", "ok" if writable else "fail", f"{cache} ({settings.cache_mode()})"),
        Check(
            "free disk",
            "ok" if free_gb >= MIN_FREE_GB else "warn",
            f"{free_gb:.1f} GB free at {models}",
        ),
    ]


def check_sandbox() -> Check:
    try:
        from codegen_hero.sandbox import isolation_report
    except ImportError:
        return Check("sandbox", "warn", "sandbox package not available")
    level, detail = isolation_report()
    return Check("sandbox", "ok" if level == "bwrap" else "warn", detail)


def run_checks(verify: bool = False) -> list[Check]:
    return [
        check_python(),
        *check_packages(),
        check_llama_build(),
        *check_models(verify),
        *check_endpoints(),
        *check_storage(),
        check_sandbox(),
    ]


def doctor(
    verify: Annotated[bool, typer.Option(help="Re-hash model files even if stamped.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead.")] = False,
) -> None:
    """Check Python, packages, the llama.cpp build, model files, keys, servers and disk."""
    checks = run_checks(verify)
    failed = [c.what for c in checks if c.level == "fail"]
    if as_json:
        print_json([asdict(check) for check in checks])
        if failed:
            raise typer.Exit(1)
        return
    colour = {"ok": "green", "warn": "yellow", "fail": "red"}
    table = Table("check", "", "detail", title="hero doctor")
    for check in checks:
        table.add_row(check.what, f"[{colour[check.level]}]{check.level}[/]", check.detail)
    show_table(table)
    if failed:
        out.print(f"[red]Needed but missing or broken:[/] {', '.join(failed)}")
        raise typer.Exit(1)
    out.print("[green]Ready: every lab can run on the local models.[/]")
