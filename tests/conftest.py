"""Shared fixtures: every test gets its own cache and user registry, and no real keys.

Tests marked `live` keep the real keys and are skipped when the key is absent, so no test
can reach a paid API by accident.
"""

from __future__ import annotations

import os

import pytest

KEY_VARS = ("ANTHROPIC_API_KEY", "OPENAI_API_KEY")
ENDPOINT_VARS = (
    "ANTHROPIC_BASE_URL",
    "OPENAI_BASE_URL",
    "HERO_OLLAMA_URL",
    "HERO_ROOM_URL",
    "HERO_ROOM_KEY",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        marker = item.get_closest_marker("live")
        if marker is None:
            continue
        needed = marker.kwargs.get("key", "ANTHROPIC_API_KEY")
        if not os.environ.get(needed):
            item.add_marker(pytest.mark.skip(reason=f"live test: {needed} is not set"))


@pytest.fixture(autouse=True)
def isolated_hero(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, tmp_path):
    monkeypatch.setenv("HERO_CACHE_PATH", str(tmp_path / "hero-cache" / "responses.sqlite3"))
    monkeypatch.setenv("HERO_USER_REGISTRY", str(tmp_path / "hero-config" / "models.toml"))
    for var in ("HERO_CACHE", "HERO_BUDGET_USD", "HERO_NOTEBOOK", *ENDPOINT_VARS):
        monkeypatch.delenv(var, raising=False)
    if request.node.get_closest_marker("live") is None:
        for var in KEY_VARS:
            monkeypatch.delenv(var, raising=False)
    from codegen_hero.models import client
    from codegen_hero.models.cost import LEDGER
    from codegen_hero.models.providers import reset_providers

    LEDGER.reset()
    LEDGER.budget_usd = None
    reset_providers()
    client._caches.clear()
    yield
    reset_providers()
    client._caches.clear()


@pytest.fixture(scope="session")
def local_model_ready():
    """Make sure the two offline models are assembled and verified (a no-op when they are)."""
    from codegen_hero.models import local_files
    from codegen_hero.models.registry import load_registry

    registry = load_registry()
    for name in registry.role("offline"):
        local_files.install(registry.get(name), progress=False)
    return registry


@pytest.fixture(scope="session")
def smallest(local_model_ready) -> str:
    """The smallest offline model, by file size: the cheapest real model to test with."""
    offline = [local_model_ready.get(n) for n in local_model_ready.role("offline")]
    return min(offline, key=lambda spec: spec.size or 0).name
