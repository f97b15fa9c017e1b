"""Cutting a model into browser parts, on small model-like files made here (no real model)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from codegen_hero.models import web_parts
from codegen_hero.models.errors import ModelFileError
from codegen_hero.models.registry import Endpoint, ModelSpec


def tiny_model(tmp_path: Path, data: bytes) -> ModelSpec:
    path = tmp_path / "tiny.gguf"
    path.write_bytes(data)
    return ModelSpec(
        name="local/tiny",
        endpoint=Endpoint("local", "local"),
        path=str(path),
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def test_parts_are_under_the_limit_and_join_back_to_the_file(tmp_path: Path):
    data = bytes(range(256)) * 40  # 10240 bytes
    parts, whole = web_parts.split_file(_write(tmp_path / "m.gguf", data), tmp_path / "m", 4000)
    assert [p.size for p in parts] == [4000, 4000, 2240]
    assert whole == hashlib.sha256(data).hexdigest()
    joined = b"".join((tmp_path / p.path).read_bytes() for p in parts)
    assert joined == data
    for part in parts:
        assert part.sha256 == hashlib.sha256((tmp_path / part.path).read_bytes()).hexdigest()


def test_a_file_of_exactly_one_part_makes_one_part(tmp_path: Path):
    parts, _ = web_parts.split_file(_write(tmp_path / "m.gguf", b"x" * 100), tmp_path / "m", 100)
    assert len(parts) == 1 and not list((tmp_path / "m").glob("*.partial-*"))


def test_build_writes_a_manifest_and_reuses_checked_parts(tmp_path: Path, monkeypatch):
    data = b"GGUF" + b"<|fim_prefix|> <|fim_suffix|> <|fim_middle|>" + bytes(5000)
    spec = tiny_model(tmp_path, data)
    monkeypatch.setattr(web_parts, "load_registry", lambda: _Registry(spec))
    monkeypatch.setattr(web_parts, "PART_BYTES", 2048)
    out = tmp_path / "site"
    [model] = web_parts.build(out, ["local/tiny"])
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["models"][0]["sha256"] == spec.sha256
    assert model.fim is True and len(model.parts) == 3
    first = out / model.parts[0].path
    stamp = first.stat().st_mtime_ns
    web_parts.build(out, ["local/tiny"])  # unchanged: checked, not cut again
    assert first.stat().st_mtime_ns == stamp


def test_a_damaged_part_is_refused_then_cut_again(tmp_path: Path, monkeypatch):
    spec = tiny_model(tmp_path, bytes(3000))
    monkeypatch.setattr(web_parts, "load_registry", lambda: _Registry(spec))
    monkeypatch.setattr(web_parts, "PART_BYTES", 1024)
    out = tmp_path / "site"
    [model] = web_parts.build(out, ["local/tiny"])
    damaged = out / model.parts[1].path
    damaged.write_bytes(b"\x01" * 1024)
    with pytest.raises(ModelFileError, match="sha256 mismatch"):
        web_parts.check_parts(out, model)
    web_parts.build(out, ["local/tiny"])
    assert damaged.read_bytes() == bytes(1024)
    assert web_parts.has_fim_tokens(Path(spec.path)) is False


def test_only_local_models_can_be_cut(tmp_path: Path, monkeypatch):
    hosted = ModelSpec(name="hosted/x", endpoint=Endpoint("hosted", "anthropic"))
    monkeypatch.setattr(web_parts, "load_registry", lambda: _Registry(hosted))
    assert web_parts.main([str(tmp_path), "hosted/x"]) == 1


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


class _Registry:
    """Just enough of the registry for one spec."""

    def __init__(self, spec: ModelSpec) -> None:
        self.spec = spec

    def get(self, name: str) -> ModelSpec:
        assert name == self.spec.name
        return self.spec

    def role(self, role: str) -> list[str]:
        return [self.spec.name]
