"""Answers the default model really gave, replayed so that CI never loads a model.

A recording (`tests/exercises/recorded/*.jsonl`) holds one request and its completion per
line, and the sha256 of the GGUF file that answered — not the model's name, which lives in
the registry alone. Replaying binds each answer to the registry's current default model;
if that default now points at another file, the recording is stale and says so.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from codegen_hero.models.cache import ResponseCache
from codegen_hero.models.registry import load_registry
from codegen_hero.models.request import Completion, Request

RECORDED = Path(__file__).with_name("exercises") / "recorded"


def default_model_file() -> tuple[str, str]:
    """The registry's default model and the sha256 of the file behind it."""
    registry = load_registry()
    model = registry.default
    return model, str(registry.get(model).sha256)


def replay_recorded_answers(cache_path: Path) -> int:
    """Store every recorded answer in the cache at `cache_path`; return how many."""
    model, sha256 = default_model_file()
    cache = ResponseCache(cache_path)
    count = 0
    for path in sorted(RECORDED.glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            item: dict[str, Any] = json.loads(line)
            if item["model_sha256"] != sha256:
                raise RuntimeError(
                    f"{path.name} line {number} was answered by another model file than the "
                    "registry's default: record it again (see tests/exercises/conftest.py)"
                )
            request = Request.from_json(item["request"])
            cache.put(model, request, Completion.from_json({**item["completion"], "model": model}))
            count += 1
    return count


def recording_line(request: dict[str, Any], completion: dict[str, Any], sha256: str) -> str:
    """One line of a recording: what `replay_recorded_answers` reads back."""
    answer = {k: v for k, v in completion.items() if k not in {"model", "cached"}}
    return json.dumps(
        {"model_sha256": sha256, "request": request, "completion": answer}, sort_keys=True
    )


def main(export: Path, target: Path) -> None:
    """Turn a `hero cache export` of default-model answers into a recording."""
    model, sha256 = default_model_file()
    lines = []
    for line in export.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        if item["model"] == model:
            lines.append(recording_line(item["request"], item["completion"], sha256))
    target.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    print(f"{len(lines)} answers of the default model written to {target}")


if __name__ == "__main__":
    import sys

    main(Path(sys.argv[1]), Path(sys.argv[2]))
