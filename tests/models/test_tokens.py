"""Token counts from a real `hero serve` (llama-cpp-python's server) on loopback.

That server sends no usage with a streamed answer. We count with the local file of the same
model when it is here, and say "unknown" when it is not; zero is never made up.
"""

from __future__ import annotations

import os
import subprocess
import sys

import openai
import pytest

from codegen_hero.models import client
from codegen_hero.models.cost import LEDGER, worst_case_cost
from codegen_hero.models.errors import BudgetExceeded
from codegen_hero.models.registry import load_registry
from codegen_hero.models.request import Request
from codegen_hero.workshop.engine import FALLBACK
from tests.workshop.room_server import start_serve

PROMPT = "Name three colours."
OPTIONS = {"max_tokens": 12, "temperature": 0.0, "seed": 1, "cache": "off"}


@pytest.fixture(scope="module")
def room(smallest, tmp_path_factory):
    """`hero serve` with llama-cpp-python's server (the engine that reports no usage when
    streaming) for the smallest local model, on loopback; yields (room model name, URL)."""
    served = start_serve(smallest, tmp_path_factory.mktemp("serve"), FALLBACK, keys=False)
    try:
        yield f"room/{load_registry().get(smallest).model_id}", served.url
    finally:
        served.stop()


@pytest.fixture
def room_url(room, monkeypatch):
    name, url = room
    monkeypatch.setenv("HERO_ROOM_URL", url)
    return name


@pytest.mark.slow
def test_the_server_sends_no_usage_when_streaming(room):
    name, url = room
    chunks = openai.OpenAI(base_url=url, api_key="none").chat.completions.create(
        model=name.split("/", 1)[1],
        messages=[{"role": "user", "content": PROMPT}],
        max_tokens=4,
        stream=True,
        stream_options={"include_usage": True},
    )
    assert all(chunk.usage is None for chunk in chunks)  # why we count ourselves


@pytest.mark.slow
def test_a_streamed_answer_is_counted_as_the_server_counts_it(room_url):
    reported = client.complete(room_url, PROMPT, system="Be brief.", **OPTIONS)
    streamed = client.stream(
        room_url, PROMPT, system="Be brief.", on_text=lambda _: None, **OPTIONS
    )
    assert streamed.text == reported.text
    assert reported.usage.input_tokens and reported.usage.output_tokens  # the server's own
    assert streamed.usage == reported.usage


@pytest.mark.slow
def test_without_the_local_file_the_counts_are_unknown_not_zero(room_url, tmp_path, monkeypatch):
    monkeypatch.setenv("HERO_MODEL_DIR", str(tmp_path / "no-models-here"))
    streamed = client.stream(room_url, PROMPT, on_text=lambda _: None, **OPTIONS)
    assert streamed.text
    assert streamed.usage.input_tokens is None and streamed.usage.output_tokens is None
    assert LEDGER.total.input_tokens is None and LEDGER.total.uncounted_calls == 1
    cli = subprocess.run(
        [sys.executable, "-m", "codegen_hero.cli", "ask", PROMPT, "-m", room_url],
        capture_output=True,
        text=True,
        env={**os.environ, "HERO_CACHE": "off"},
        timeout=300,
    )
    assert cli.returncode == 0, cli.stderr
    assert "? in / ? out tokens" in cli.stderr and "0 in / 0 out" not in cli.stderr


@pytest.mark.slow
def test_the_budget_stops_a_loop_whose_calls_report_no_tokens(room_url, tmp_path, monkeypatch):
    registry = tmp_path / "models.toml"
    registry.write_text(  # the same server, priced, and with no tokenizer to count with
        f'[models."{room_url}"]\ndisplay = "priced room"\n'
        'price = { input = 100.0, output = 100.0, as_of = "test" }\n'
    )
    monkeypatch.setenv("HERO_USER_REGISTRY", str(registry))
    spec = load_registry().get(room_url)
    worst = worst_case_cost(spec, Request.of(PROMPT, max_tokens=OPTIONS["max_tokens"]))
    monkeypatch.setenv("HERO_BUDGET_USD", str(worst * 2.5))
    answered = 0
    with pytest.raises(BudgetExceeded):
        for _ in range(5):
            client.stream(room_url, PROMPT, on_text=lambda _: None, **OPTIONS)
            answered += 1
    assert answered == 2
    assert LEDGER.total.unpriced_calls == 2 and LEDGER.total.committed_usd == pytest.approx(
        2 * worst
    )


def test_the_room_entry_counts_with_the_local_model_it_serves():
    registry = load_registry()
    (room,) = [spec for name, spec in registry.models.items() if name.startswith("room/")]
    assert room.tokenizer == f"local/{room.model_id}" and room.tokenizer in registry.models
    alias = registry.role("offline")[-1].split("/", 1)[1]
    assert registry.get(f"room/{alias}").tokenizer == f"local/{alias}"  # as hero serve names it
    assert registry.get("room/not-a-local-model").tokenizer is None
