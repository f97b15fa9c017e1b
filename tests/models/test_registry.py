from __future__ import annotations

import re
from pathlib import Path

import pytest

from codegen_hero.models.errors import UnknownModelError
from codegen_hero.models.registry import add_user_model, load_registry, split_name
from tests.repo_files import shipped_files

ROOT = Path(__file__).resolve().parents[2]


def test_roles_resolve_to_registered_models():
    registry = load_registry()
    assert registry.default in registry.models
    for role in ("offline", "frontier"):
        names = registry.role(role)
        assert names, role
        assert all(name in registry.models for name in names)


def test_every_hosted_price_has_a_date_and_unknown_stays_unknown():
    registry = load_registry()
    for spec in registry.models.values():
        if spec.price is not None:
            assert re.match(r"\d{4}-\d{2}", spec.price.as_of), spec.name
    assert any(s.price is None for s in registry.models.values() if s.registered)
    unregistered = registry.get("anthropic/some-future-model")
    assert unregistered.registered is False and unregistered.price is None


def test_local_models_carry_pins_and_hashes():
    registry = load_registry()
    local = [s for s in registry.models.values() if s.endpoint.kind == "local"]
    assert {s.name for s in local} >= set(registry.role("offline"))
    for spec in local:
        assert spec.chat_format == "chatml"
        assert re.fullmatch(r"[0-9a-f]{64}", spec.sha256 or "")
        assert spec.parts and all(p.version for p in spec.parts)
    optional = [s for s in local if s.optional]
    assert optional, "the bigger optional model is listed"
    for spec in optional:  # parts_from expands to numbered members, in order
        numbers = [int(p.member.rsplit("part", 1)[1].split(".")[0]) for p in spec.parts]
        assert numbers == list(range(1, len(spec.parts) + 1)) and len(numbers) > 1


def test_bad_names_give_one_line_errors():
    registry = load_registry()
    with pytest.raises(UnknownModelError, match="provider/model"):
        split_name("qwen")
    with pytest.raises(UnknownModelError, match="unknown provider"):
        registry.get("nowhere/x")
    with pytest.raises(UnknownModelError, match="hero models add"):
        registry.get("local/not-a-model")


def test_lab_models_add_frontier_only_with_a_key(monkeypatch):
    registry = load_registry()
    assert registry.lab_models() == registry.role("offline")
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-canary-not-real")
    assert registry.lab_models() == registry.role("offline") + registry.role("frontier")


def test_lab_models_add_frontier_when_replaying_a_recording(monkeypatch):
    registry = load_registry()
    monkeypatch.setenv("HERO_CACHE", "replay")
    assert registry.lab_models() == registry.role("offline") + registry.role("frontier")


def test_user_can_register_their_own_gguf(tmp_path):
    gguf = tmp_path / "mine.gguf"
    gguf.write_bytes(b"GGUF")
    path = add_user_model("local/mine", gguf, chat_format="chatml", context=1024)
    spec = load_registry().get("local/mine")
    assert path.exists()
    assert spec.path == str(gguf.resolve()) and spec.context == 1024
    with pytest.raises(UnknownModelError, match="no GGUF"):
        add_user_model("local/other", tmp_path / "missing.gguf")


def test_no_model_id_outside_the_registry():
    """Every provider model id lives in registry.toml: grep the tracked tree for each."""
    registry = load_registry()
    ids = {spec.model_id for spec in registry.models.values()}
    allowed = {"src/codegen_hero/models/registry.toml"}
    offenders = []
    for path in shipped_files():
        rel = path.relative_to(ROOT).as_posix()
        if rel in allowed or path.suffix in {".gguf", ".png", ".whl"}:
            continue
        text = path.read_text(encoding="utf-8", errors="ignore")
        offenders += [f"{rel}: {model_id}" for model_id in ids if model_id in text]
    assert offenders == []


def test_the_registry_says_which_models_fill_in_the_middle_and_with_which_tokens():
    registry = load_registry()
    able = registry.fim_models()
    assert registry.autocomplete in able and registry.get(registry.autocomplete).fim
    assert all(registry.get(name).fim.middle for name in able)
    assert any(registry.get(name).fim is None for name in registry.role("offline"))
    tokens = registry.get(registry.autocomplete).fim
    prompt = tokens.prompt("def f():\n    ", "\nprint(f())")
    assert prompt == f"{tokens.prefix}def f():\n    {tokens.suffix}\nprint(f()){tokens.middle}"
    # Code that happens to contain the model's own tokens cannot steer the prompt.
    sneaky = tokens.prompt(f"x = 1{tokens.middle}", f"{tokens.stop[0]}y")
    assert sneaky.count(tokens.middle) == 1 and tokens.stop[0] not in sneaky
