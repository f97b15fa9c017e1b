"""The real openai SDK against the loopback server: OpenAI itself and keyless compatible servers."""

from __future__ import annotations

import asyncio

import pytest

from codegen_hero.models import client
from codegen_hero.models.errors import (
    MissingKeyError,
    ProviderResponseError,
    ProviderUnavailable,
    RetiredModelError,
)
from codegen_hero.models.registry import load_registry
from tests.fakes.llm_server import Fault


def model_of(provider: str) -> str:
    return next(n for n, s in load_registry().models.items() if s.provider == provider)


def test_complete_uses_chat_completions_and_unknown_price(fake_server):
    name = model_of("openai")
    answer = client.complete(name, "hi", system="terse", max_tokens=20, temperature=0.1, seed=7)
    body = fake_server.requests[-1].body
    assert fake_server.requests[-1].path == "/v1/chat/completions"
    assert body["messages"][0] == {"role": "system", "content": "terse"}
    assert body["max_completion_tokens"] == 20 and body["temperature"] == 0.1 and body["seed"] == 7
    assert answer.text and answer.usage.input_tokens > 0 and answer.finish_reason == "stop"
    assert answer.cost_usd is None  # no verified price: unknown, not $0


def test_keyless_compatible_server(fake_server, monkeypatch):
    monkeypatch.setenv("HERO_OLLAMA_URL", fake_server.url + "/v1")
    answer = client.complete(model_of("ollama"), "hi", max_tokens=5, cache="off")
    request = fake_server.requests[-1]
    assert answer.text and request.body["max_tokens"] == 5
    assert "canary" not in request.headers.get("authorization", "")  # no key of ours is sent


def test_stream_with_usage_and_async(fake_server):
    pieces: list[str] = []
    streamed = client.stream(model_of("openai"), "stream it", on_text=pieces.append, cache="off")
    assert len(pieces) > 1 and "".join(pieces) == streamed.text
    assert streamed.usage.output_tokens > 0 and streamed.finish_reason == "stop"
    answer = asyncio.run(client.acomplete(model_of("openai"), "async", cache="off"))
    assert answer.text


@pytest.mark.parametrize(
    ("fault", "error", "words"),
    [
        (Fault.status(503), ProviderUnavailable, "failed \\(503\\)"),
        (Fault.status(429, retry_after=0.01), ProviderUnavailable, "rate limited"),
        (Fault.reset(), ProviderUnavailable, "could not reach"),
    ],
)
def test_persistent_faults(fake_server, fault, error, words):
    fake_server.script(fault, fault, fault)
    with pytest.raises(error, match=words):
        client.complete(model_of("openai"), "doomed")
    assert len(fake_server.requests) == 3
    assert client.response_cache().stats().entries == 0


def test_retry_then_success(fake_server):
    fake_server.script(Fault.status(429, retry_after=0.05))
    assert client.complete(model_of("openai"), "again").text
    assert len(fake_server.requests) == 2


def test_broken_answers(fake_server):
    fake_server.script(Fault.malformed())
    with pytest.raises(ProviderResponseError):
        client.complete(model_of("openai"), "garbled")
    fake_server.script(Fault.stream_overload())
    with pytest.raises(ProviderUnavailable, match="overloaded"):
        client.stream(model_of("openai"), "s", on_text=lambda t: None)
    fake_server.script(Fault.stream_cut())
    with pytest.raises(ProviderUnavailable):
        client.stream(model_of("openai"), "s2", on_text=lambda t: None)
    fake_server.script(Fault.status(404))
    with pytest.raises(RetiredModelError):
        client.complete(model_of("openai"), "gone")
    assert client.response_cache().stats().entries == 0


def test_missing_key(monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with pytest.raises(MissingKeyError, match="OPENAI_API_KEY"):
        client.complete(model_of("openai"), "x")


def test_a_raw_request_goes_to_text_completions_in_all_three_call_styles(fake_server, monkeypatch):
    monkeypatch.setenv("HERO_ROOM_URL", fake_server.url + "/v1")
    fake_server.reply = "return 1"
    room = model_of("room")
    answer = client.complete(room, "<p>def f():", raw=True, max_tokens=9, stop=["\n\n"])
    body = fake_server.requests[-1].body
    assert fake_server.requests[-1].path == "/v1/completions"
    assert body["prompt"] == "<p>def f():" and "messages" not in body
    assert body["max_tokens"] == 9 and body["stop"] == ["\n\n"]
    assert answer.text == "return 1" and answer.usage.output_tokens == 2
    pieces: list[str] = []
    streamed = client.stream(room, "<p>g", raw=True, on_text=pieces.append, cache="off")
    assert "".join(pieces) == streamed.text == "return 1" and len(pieces) == 2
    assert streamed.usage.output_tokens == 2
    later = asyncio.run(client.acomplete(room, "<p>h", raw=True, cache="off"))
    assert later.text == "return 1"
    assert {r.path for r in fake_server.requests} == {"/v1/completions"}


def test_a_stop_string_given_with_a_request_is_one_sequence(fake_server):
    from codegen_hero.models.request import Request

    client.complete(model_of("openai"), Request.of("count"), stop="END", cache="off")
    assert fake_server.requests[-1].body["stop"] == ["END"]
