"""Cache modes and the ledger, around real calls to the smallest local model."""

from __future__ import annotations

import pytest

from codegen_hero.models import client
from codegen_hero.models.cost import LEDGER
from codegen_hero.models.errors import CacheMiss

PROMPT = "Reply with one word: yes or no?"


@pytest.mark.slow
def test_auto_records_then_replays(local_model_ready, smallest):
    first = client.complete(smallest, PROMPT, max_tokens=4)
    again = client.complete(smallest, PROMPT, max_tokens=4)
    assert not first.cached and again.cached and again.text == first.text
    assert client.response_cache().stats().entries == 1
    assert LEDGER.total.calls == 2 and LEDGER.total.cached_calls == 1


@pytest.mark.slow
def test_replay_hit_and_a_clear_miss(local_model_ready, smallest, monkeypatch):
    client.complete(smallest, PROMPT, max_tokens=4, cache="record")
    monkeypatch.setenv("HERO_CACHE", "replay")
    assert client.complete(smallest, PROMPT, max_tokens=4).cached
    with pytest.raises(CacheMiss, match="nothing was recorded for local/") as info:
        client.complete(smallest, "a prompt nobody recorded", max_tokens=4)
    assert "a prompt nobody recorded" in str(info.value)
    assert "\n" not in str(info.value)


@pytest.mark.slow
def test_off_and_record_modes(local_model_ready, smallest):
    client.complete(smallest, PROMPT, max_tokens=4, cache="off")
    assert client.response_cache().stats().entries == 0
    client.complete(smallest, PROMPT, max_tokens=4, cache="record")
    again = client.complete(smallest, PROMPT, max_tokens=4, cache="record")
    assert not again.cached  # record always asks the model
    assert client.response_cache().stats().entries == 1


@pytest.mark.slow
def test_stream_replays_in_one_piece(local_model_ready, smallest):
    client.complete(smallest, PROMPT, max_tokens=4)
    pieces: list[str] = []
    replayed = client.stream(smallest, PROMPT, max_tokens=4, on_text=pieces.append)
    assert replayed.cached and pieces == [replayed.text]


def test_bad_cache_mode_is_named(monkeypatch):
    smallest = "local/any"
    monkeypatch.setenv("HERO_CACHE", "sometimes")
    with pytest.raises(ValueError, match="HERO_CACHE='sometimes'"):
        client.complete(smallest, PROMPT)


def test_fill_in_middle_sends_the_fim_prompt_and_trims_the_answer(fake_server, monkeypatch):
    """Against the loopback server (a test double): the wire request and the ghost text."""
    from codegen_hero.models.cost import LEDGER
    from codegen_hero.models.registry import load_registry

    monkeypatch.setenv("HERO_ROOM_URL", fake_server.url + "/v1")
    registry = load_registry()
    room = next(n for n in registry.fim_models() if n.startswith("room/"))
    tokens = registry.get(room).fim
    fake_server.reply = "    return n % 2 == 0\n\nprint(is_even(5))"
    ghost = client.fill_in_middle(room, "def is_even(n):\n    ", "\n\nprint(is_even(4))")
    body = fake_server.requests[-1].body
    assert body["prompt"] == (
        f"{tokens.prefix}def is_even(n):\n    {tokens.suffix}\n\nprint(is_even(4)){tokens.middle}"
    )
    assert set(tokens.stop) <= set(body["stop"]) and "\ndef " in body["stop"]
    assert body["max_tokens"] == 64
    assert ghost.text == "return n % 2 == 0"  # typed indent not doubled; next statement cut
    again = client.fill_in_middle(room, "def is_even(n):\n    ", "\n\nprint(is_even(4))")
    assert again.cached and again.text == ghost.text and len(fake_server.requests) == 1
    assert LEDGER.total.calls == 2 and LEDGER.total.cached_calls == 1
    whole = client.fill_in_middle(room, "def is_even(n):\n    ", "", trim=False, cache="off")
    assert whole.text == "return n % 2 == 0\n\nprint(is_even(5))"
    fake_server.reply = "a, b)\nprint(x)"
    line = client.fill_in_middle(room, "x = max(", ")\n", cache="off", stop="]")
    assert fake_server.requests[-1].body["stop"] == [*tokens.stop, "]"]
    assert line.text == "a, b"  # mid-line: the rest of the line, without the ")" already there


def test_fill_in_middle_refuses_a_model_without_fim_tokens_in_one_line():
    from codegen_hero.models.errors import CapabilityError
    from codegen_hero.models.registry import load_registry

    registry = load_registry()
    plain = next(n for n in registry.role("offline") if registry.get(n).fim is None)
    with pytest.raises(CapabilityError, match="cannot fill in the middle") as info:
        client.fill_in_middle(plain, "def f():\n", "")
    assert registry.autocomplete in str(info.value) and "\n" not in str(info.value)
