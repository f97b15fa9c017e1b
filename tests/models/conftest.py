from __future__ import annotations

import pytest

from tests.fakes.llm_server import FakeLLMServer

CANARY_KEY = "sk-ant-canary-0123456789-do-not-persist-ABCDEFGH"


@pytest.fixture
def fake_server(monkeypatch):
    """A loopback server speaking both wire formats; both SDKs point at it with a canary key."""
    with FakeLLMServer() as server:
        monkeypatch.setenv("ANTHROPIC_BASE_URL", server.url)
        monkeypatch.setenv("ANTHROPIC_API_KEY", CANARY_KEY)
        monkeypatch.setenv("OPENAI_BASE_URL", server.url + "/v1")
        monkeypatch.setenv("OPENAI_API_KEY", CANARY_KEY)
        monkeypatch.setenv("HERO_TIMEOUT_S", "5")
        yield server
