"""One ghost-text request, against the loopback LLM server (a test double) as the model."""

from __future__ import annotations

import asyncio

import pytest

from codegen_hero.lab.suggest import Suggester, autocomplete_model
from codegen_hero.models.errors import CapabilityError
from codegen_hero.models.registry import load_registry
from tests.fakes.llm_server import FakeLLMServer


@pytest.fixture
def room_model(monkeypatch):
    """The registry's FIM-capable room model, pointed at the loopback server."""
    with FakeLLMServer(reply="return n % 2 == 0\n\nprint(1)") as server:
        monkeypatch.setenv("HERO_ROOM_URL", server.url + "/v1")
        name = next(n for n in load_registry().fim_models() if n.startswith("room/"))
        monkeypatch.setenv("HERO_AUTOCOMPLETE", name)
        yield server


def test_the_model_is_the_registrys_unless_chosen(monkeypatch):
    monkeypatch.delenv("HERO_AUTOCOMPLETE", raising=False)
    assert autocomplete_model() == load_registry().autocomplete
    monkeypatch.setenv("HERO_AUTOCOMPLETE", "room/other")
    assert autocomplete_model() == "room/other"


def test_a_suggestion_for_the_code_around_the_cursor(room_model):
    reply = asyncio.run(Suggester().suggest({"prefix": "def is_even(n):\n    ", "suffix": ""}))
    assert reply["suggestion"] == "return n % 2 == 0" and reply["model"].startswith("room/")
    body = room_model.requests[-1].body
    assert body["max_tokens"] == 64 and "def is_even(n):" in body["prompt"]


def test_long_context_is_cut_to_what_the_model_can_read(room_model):
    prefix, suffix = "x = 1\n" * 5000, "y = 2\n" * 5000
    asyncio.run(Suggester().suggest({"prefix": prefix, "suffix": suffix}))
    assert len(room_model.requests[-1].body["prompt"]) < 9000


def test_only_the_newest_waiting_request_runs(room_model):
    room_model.latency = 0.3

    async def typing():
        suggester = Suggester()
        first = asyncio.create_task(suggester.suggest({"prefix": "a = "}))
        await asyncio.sleep(0.05)  # the first is running; two more arrive while it does
        stale = asyncio.create_task(suggester.suggest({"prefix": "a = 1"}))
        newest = asyncio.create_task(suggester.suggest({"prefix": "a = 12"}))
        return await asyncio.gather(first, stale, newest)

    first, stale, newest = asyncio.run(typing())
    assert first["suggestion"] and newest["suggestion"]
    assert stale == {"suggestion": "", "skipped": "a newer request arrived"}
    assert len(room_model.requests) == 2


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (["x"], "send JSON like"),
        ({"suffix": "x"}, "send JSON like"),
        ({"prefix": "a", "suffix": 3}, "suffix must be"),
    ],
)
def test_bad_requests_are_one_line(body, words):
    with pytest.raises(ValueError, match=words) as info:
        asyncio.run(Suggester().suggest(body))
    assert "\n" not in str(info.value)


def test_a_model_that_cannot_fill_in_the_middle_is_named(monkeypatch):
    registry = load_registry()
    plain = next(n for n in registry.role("offline") if registry.get(n).fim is None)
    monkeypatch.setenv("HERO_AUTOCOMPLETE", plain)
    with pytest.raises(CapabilityError, match=plain):
        asyncio.run(Suggester().suggest({"prefix": "x = "}))
