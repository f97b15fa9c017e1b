"""Which models the pane offers."""

from __future__ import annotations

from codegen_hero.chat.models import chat_models
from codegen_hero.models.registry import load_registry


def test_hosted_models_need_their_key_and_the_room_its_url(monkeypatch, tmp_path):
    monkeypatch.setenv("HERO_MODEL_DIR", str(tmp_path))  # no local files installed here
    registry = load_registry()
    hosted = [n for n, s in registry.models.items() if s.endpoint.name == "openai"]
    room = [n for n, s in registry.models.items() if s.endpoint.name == "room"]
    assert chat_models() == []
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    monkeypatch.setenv("HERO_ROOM_URL", "http://127.0.0.1:9/v1")
    offered = chat_models()
    assert set(hosted) | set(room) == set(offered)


def test_the_conversations_own_model_is_always_offered(monkeypatch, tmp_path):
    monkeypatch.setenv("HERO_MODEL_DIR", str(tmp_path))
    default = load_registry().default
    assert chat_models(include=default) == [default]
