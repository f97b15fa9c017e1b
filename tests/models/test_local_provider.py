"""The embedded default is a real model: these tests generate real text with it."""

from __future__ import annotations

import asyncio

import pytest

from codegen_hero.models import client
from codegen_hero.models.providers import get_provider
from codegen_hero.models.providers.local import load_model

pytestmark = pytest.mark.slow


def test_generates_real_text_deterministically(local_model_ready, smallest):
    spec = local_model_ready.get(smallest)
    first = client.complete(
        smallest, "Say hello in one short sentence.", max_tokens=24, cache="off"
    )
    second = client.complete(
        smallest, "Say hello in one short sentence.", max_tokens=24, cache="off"
    )
    assert first.text.strip() and first.text == second.text
    assert first.model == smallest and first.finish_reason in ("stop", "length")
    assert 0 < first.usage.output_tokens <= 24 and first.usage.input_tokens > 5
    assert first.cost_usd == 0.0 and spec.price.note
    assert first.latency_s > 0


def test_default_model_writes_code(local_model_ready, smallest):
    answer = client.complete(
        local_model_ready.default,
        "Write a Python function is_even(n) that returns True for even n. Only code.",
        max_tokens=80,
        cache="off",
    )
    assert "def is_even" in answer.text


def test_stream_hands_over_pieces_and_matches_complete(local_model_ready, smallest):
    pieces: list[str] = []
    streamed = client.stream(
        smallest, "Count: one, two,", max_tokens=12, on_text=pieces.append, cache="off"
    )
    assert len(pieces) > 1 and "".join(pieces) == streamed.text
    plain = client.complete(smallest, "Count: one, two,", max_tokens=12, cache="off")
    assert plain.text == streamed.text
    assert streamed.usage.output_tokens > 0 and streamed.usage.input_tokens > 0


def test_model_loaded_once_and_async_calls_take_turns(local_model_ready, smallest):
    spec = local_model_ready.get(smallest)
    assert load_model(spec)[0] is load_model(spec)[0]

    async def both():
        return await asyncio.gather(
            client.acomplete(smallest, "Name a colour.", max_tokens=8, cache="off"),
            client.acomplete(smallest, "Name a fruit.", max_tokens=8, cache="off"),
        )

    colour, fruit = asyncio.run(both())
    assert colour.text and fruit.text
    assert get_provider(spec.endpoint) is get_provider(spec.endpoint)


def test_stop_sequences_and_system_prompt(local_model_ready, smallest):
    answer = client.complete(
        smallest,
        "List three numbers separated by commas.",
        system="You are terse.",
        max_tokens=30,
        stop=[","],
        cache="off",
    )
    assert "," not in answer.text


def test_fill_in_middle_on_the_real_autocomplete_model(local_model_ready):
    """The model reads the code after the cursor too: FIM tokens as special tokens, no chat."""
    model = local_model_ready.autocomplete
    prefix = "def is_even(n):\n    "
    suffix = "\n\nassert is_even(4)\nassert not is_even(7)\n"
    ghost = client.fill_in_middle(model, prefix, suffix, max_tokens=32, cache="off")
    assert "%" in ghost.text and "return" in ghost.text, ghost.text
    assert not ghost.text.startswith(" ") and "assert" not in ghost.text, ghost.text
    assert 0 < ghost.usage.output_tokens <= 32 and ghost.usage.input_tokens > 10
    # A raw request is not wrapped in the chat template: the text continues the prompt.
    pieces: list[str] = []
    raw = client.stream(
        model,
        "import math\n\nradius = 2\narea = math.",
        raw=True,
        max_tokens=6,
        on_text=pieces.append,
        cache="off",
    )
    assert raw.text.startswith("pi") and "".join(pieces) == raw.text, raw.text
