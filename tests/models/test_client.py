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
