"""Local model files cut into byte parts for the published book's in-browser panels.

GitHub Pages refuses files over 100 MB, and llama.cpp's own split cannot bring our 0.5B file
under it (one tensor alone is 145 MB), so the verified GGUF is cut into plain byte ranges that
the page fetches and joins into one Blob. Each part's sha256 goes into a manifest; every build
checks the parts against it, and the joined bytes against the registry's sha256.

Run as `python -m codegen_hero.models.web_parts OUT [MODEL ...]` (default: the offline models).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from codegen_hero.models.errors import HeroError, ModelFileError
from codegen_hero.models.local_files import CHUNK, ensure_ready
from codegen_hero.models.registry import ModelSpec, load_registry

PART_BYTES = 90_000_000  # under GitHub Pages' 100 MB per-file limit, with room to spare
MANIFEST = "manifest.json"
# Qwen-style fill-in-the-middle tokens; a model whose vocabulary lacks them cannot do FIM here.
FIM_TOKENS = (b"<|fim_prefix|>", b"<|fim_suffix|>", b"<|fim_middle|>")
HEADER_SCAN = 32 * 1024 * 1024  # the GGUF vocabulary sits in the header, well inside this


@dataclass(frozen=True)
class Part:
    path: str  # relative to the manifest
    size: int
    sha256: str


@dataclass(frozen=True)
class WebModel:
    name: str
    display: str
    context: int
    size: int
    sha256: str
    fim: bool
    parts: tuple[Part, ...]


def slug(name: str) -> str:
    """A folder name for a model: its registry name without the provider, safe for URLs."""
    return "".join(c if c.isalnum() or c in "-." else "-" for c in name.split("/", 1)[-1])


def has_fim_tokens(path: Path) -> bool:
    with path.open("rb") as fh:
        header = fh.read(HEADER_SCAN)
    return all(token in header for token in FIM_TOKENS)


def split_file(source: Path, dest: Path, part_bytes: int | None = None) -> tuple[list[Part], str]:
    """Cut `source` into numbered parts in `dest`; returns the parts and the whole file's sha256."""
    part_bytes = part_bytes or PART_BYTES
    dest.mkdir(parents=True, exist_ok=True)
    whole = hashlib.sha256()
    parts: list[Part] = []
    with source.open("rb") as fh:
        index = 0
        while True:
            digest = hashlib.sha256()
            name = f"part-{index:02d}.bin"
            partial = dest / f"{name}.partial-{os.getpid()}"
            written = 0
            with partial.open("wb") as out:
                while written < part_bytes and (chunk := fh.read(min(CHUNK, part_bytes - written))):
                    out.write(chunk)
                    digest.update(chunk)
                    whole.update(chunk)
                    written += len(chunk)
            if written == 0:
                partial.unlink()
                break
            os.replace(partial, dest / name)
            parts.append(Part(f"{dest.name}/{name}", written, digest.hexdigest()))
            index += 1
    return parts, whole.hexdigest()


def check_parts(root: Path, model: WebModel) -> None:
    """Hash every part and the joined bytes; refuse any difference from the manifest."""
    whole = hashlib.sha256()
    for part in model.parts:
        path = root / part.path
        if not path.is_file() or path.stat().st_size != part.size:
            raise ModelFileError(f"{model.name}: browser part {path} is missing or truncated")
        digest = hashlib.sha256()
        with path.open("rb") as fh:
            while chunk := fh.read(CHUNK):
                digest.update(chunk)
                whole.update(chunk)
        if digest.hexdigest() != part.sha256:
            raise ModelFileError(f"{model.name}: sha256 mismatch for browser part {path}")
    if model.sha256 and whole.hexdigest() != model.sha256:
        raise ModelFileError(f"{model.name}: the joined browser parts do not match the registry")


def read_manifest(root: Path) -> dict[str, WebModel]:
    try:
        data = json.loads((root / MANIFEST).read_text())
    except (OSError, ValueError):
        return {}
    models = {}
    for item in data.get("models", []):
        parts = tuple(Part(**p) for p in item.pop("parts"))
        models[item["name"]] = WebModel(**item, parts=parts)
    return models


def write_manifest(root: Path, models: list[WebModel]) -> None:
    ordered = sorted(models, key=lambda m: m.size)  # the smallest first: the page's default
    text = json.dumps({"part_bytes": PART_BYTES, "models": [asdict(m) for m in ordered]}, indent=1)
    (root / MANIFEST).write_text(text + "\n")


def prepare(spec: ModelSpec, root: Path, known: WebModel | None) -> WebModel:
    """The model's parts in `root`: reused when the manifest matches and they check out."""
    if known is not None and known.sha256 == spec.sha256:
        try:
            check_parts(root, known)
            return known
        except ModelFileError:
            pass  # cut again below
    source = ensure_ready(spec)
    parts, whole = split_file(source, root / slug(spec.name))
    if spec.sha256 and whole != spec.sha256:
        raise ModelFileError(f"{spec.name}: {source} changed while it was being cut into parts")
    return WebModel(
        name=spec.name,
        display=spec.display or spec.name,
        context=spec.context,
        size=sum(p.size for p in parts),
        sha256=whole,
        fim=has_fim_tokens(source),
        parts=tuple(parts),
    )


def build(root: Path, names: list[str]) -> list[WebModel]:
    root.mkdir(parents=True, exist_ok=True)
    registry = load_registry()
    known = read_manifest(root)
    models = []
    for name in names:
        spec = registry.get(name)
        if spec.endpoint.kind != "local":
            raise ModelFileError(f"{name} is not a local model; only local files run in the page")
        print(f"    {name}: checking the browser parts", file=sys.stderr, flush=True)
        models.append(prepare(spec, root, known.get(name)))
    write_manifest(root, models)
    return models


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder for the parts and manifest.json")
    parser.add_argument("models", nargs="*", help="registry names (default: the offline role)")
    args = parser.parse_args(argv)
    names = args.models or load_registry().role("offline")
    try:
        for model in build(args.out, names):
            print(f"    {model.name}: {len(model.parts)} part(s), {model.size:,} bytes, sha256 ok")
    except HeroError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
