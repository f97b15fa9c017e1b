from __future__ import annotations

import pytest

from tests.fakes.llm_server import FakeLLMServer

CANARY_KEY = "sk-canary-chat-0123456789-never-stored"


@pytest.fixture
def server(monkeypatch):
    """A loopback OpenAI-compatible server (test double) that the `openai/...` names reach."""
    with FakeLLMServer(chunk_delay=0.01) as fake:
        monkeypatch.setenv("OPENAI_BASE_URL", fake.url + "/v1")
        monkeypatch.setenv("OPENAI_API_KEY", CANARY_KEY)
        monkeypatch.setenv("HERO_TIMEOUT_S", "5")
        yield fake


@pytest.fixture
def hosted() -> str:
    """A model name on the OpenAI endpoint that no registry entry prices: cost unknown."""
    return "openai/chat-test-model"
