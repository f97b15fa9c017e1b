"""The room's spend from recorded usage: prices from the registry, unknown stays unknown."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from codegen_hero.models.cache import ResponseCache
from codegen_hero.models.errors import HeroError
from codegen_hero.models.request import Completion, Request, Usage
from codegen_hero.workshop.cli import workshop_app
from codegen_hero.workshop.costs import (
    Estimate,
    ModelLine,
    Recorded,
    advice,
    estimate,
    money,
    nice_ceiling,
    read_cache,
)

REQUEST = {"messages": [{"role": "user", "content": "hi"}], "max_tokens": 100}
# Test models, registered for these tests only (real ids live in registry.toml alone): one
# hosted model priced like a small one, one like a bigger one, one free, one with no price.
CHEAP, DEAR = "anthropic/test-cheap", "anthropic/test-dear"
FREE, UNPRICED = "local/test-free", "openai/test-unpriced"
TEST_MODELS = f"""
[models."{CHEAP}"]
price = {{ input = 1.0, output = 5.0, as_of = "2026-11" }}

[models."{DEAR}"]
price = {{ input = 2.0, output = 10.0, as_of = "2026-11" }}

[models."{FREE}"]
price = {{ input = 0.0, output = 0.0, as_of = "2026-11" }}

[models."{UNPRICED}"]
"""


@pytest.fixture(autouse=True)
def test_models(tmp_path, monkeypatch):
    path = tmp_path / "test-models.toml"
    path.write_text(TEST_MODELS, encoding="utf-8")
    monkeypatch.setenv("HERO_USER_REGISTRY", str(path))


def calls() -> list[Recorded]:
    cheap = [Recorded(CHEAP, REQUEST, Usage(1000, 200))] * 3
    local = [Recorded(FREE, REQUEST, Usage(500, 50))] * 2
    unpriced = [Recorded(UNPRICED, REQUEST, Usage(800, 100))]
    return cheap + local + unpriced


def test_prices_times_tokens_times_learners():
    est = estimate(calls(), learners=30)
    lines = {line.model: line for line in est.lines}
    cheap = lines[CHEAP]
    assert cheap.calls == 3 and cheap.input_tokens == 3000 and cheap.output_tokens == 600
    assert cheap.cost == pytest.approx((3000 * 1.0 + 600 * 5.0) / 1e6)
    assert lines[FREE].cost == 0.0
    assert est.per_learner == pytest.approx(0.006)
    assert est.total == pytest.approx(0.18)


def test_an_unknown_price_is_unknown_never_zero():
    est = estimate(calls(), learners=10)
    line = next(line for line in est.lines if line.model == UNPRICED)
    assert line.cost is None and line.price == "unknown" and money(line.cost) == "unknown"
    assert est.unknown == [UNPRICED]
    text = " ".join(advice(est, None))
    assert f"unknown amount for {UNPRICED}" in text and "refused" in text


def test_unregistered_and_unknown_provider_models_are_unknown_too():
    est = estimate(
        [
            Recorded("anthropic/test-not-registered", REQUEST, Usage(10, 10)),
            Recorded("nowhere/model", REQUEST, Usage(10, 10)),
        ],
        learners=1,
    )
    assert sorted(est.unknown) == ["anthropic/test-not-registered", "nowhere/model"]


def test_the_suggested_cap_leaves_room_and_covers_the_largest_call():
    est = estimate(calls(), learners=30)
    cap = est.suggested_cap()
    assert cap >= 3 * est.per_learner and cap >= 2 * est.largest_call
    assert cap in {nice_ceiling(cap)}  # a round number people can type
    # CHEAP: 100 max_tokens x $5/M output + the prompt: the worst case is about $0.0005
    assert 0.0004 < est.largest_call < 0.001


@pytest.mark.parametrize(
    ("value", "nice"), [(0.018, 0.02), (0.3, 0.5), (1.0, 1.0), (2.2, 2.5), (7.0, 10.0)]
)
def test_nice_ceiling(value, nice):
    assert nice_ceiling(value) == pytest.approx(nice)


def test_advice_explains_the_cap_per_process():
    est = estimate(calls(), learners=30)
    text = " ".join(advice(est, cap=0.05))
    assert "HERO_BUDGET_USD=" in text and "per Python process" in text
    assert "With --cap 0.05: about 8.3 run-throughs" in text and "$1.50" in text


def test_a_cap_below_one_call_is_called_too_low():
    est = Estimate(5, [ModelLine(CHEAP, 1, 10, 10, 0.01)], 0.2)
    assert any("too low" in line for line in advice(est, cap=0.1))


def test_free_models_need_no_cap():
    est = estimate([c for c in calls() if c.model.startswith("local/")], learners=40)
    text = " ".join(advice(est, None))
    assert "nothing to cap" in text and "HERO_BUDGET_USD=" not in text


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="learners"):
        estimate(calls(), learners=0)
    with pytest.raises(HeroError, match="no responses"):
        estimate([], learners=3)
    with pytest.raises(ValueError, match="negative"):
        advice(estimate(calls(), learners=3), cap=-1)


def test_reads_a_cache_and_an_export_alike(tmp_path):
    cache = ResponseCache(tmp_path / "responses.sqlite3")
    request = Request.of("Write add(a, b).", max_tokens=64)
    answer = Completion("def add(a, b): ...", CHEAP, Usage(12, 34))
    cache.put(CHEAP, request, answer)
    cache.export(tmp_path / "room.jsonl")
    from_db, from_file = read_cache(cache.path), read_cache(tmp_path / "room.jsonl")
    assert from_db == from_file and from_db[0].usage == Usage(12, 34)
    with pytest.raises(HeroError, match="record"):
        read_cache(tmp_path / "missing.jsonl")


def test_the_cost_command_prints_the_table_and_the_advice(tmp_path):
    cache = ResponseCache(tmp_path / "responses.sqlite3")
    request = Request.of("Explain this diff.", max_tokens=200)
    cache.put(DEAR, request, Completion("...", "x", Usage(2000, 300)))
    cache.export(tmp_path / "room.jsonl")
    args = ["cost", "--learners", "25", "--from", str(tmp_path / "room.jsonl"), "--cap", "1"]
    result = CliRunner().invoke(workshop_app, args)
    assert result.exit_code == 0, result.output
    assert DEAR in result.output and "HERO_BUDGET_USD=" in result.output
    assert "25 learners: $0.1750." in result.output  # (2000 x $2 + 300 x $10) / 1M x 25


def test_a_recorded_call_without_token_counts_is_unknown_in_the_estimate(tmp_path):
    cache = ResponseCache(tmp_path / "responses.sqlite3")
    cache.put(DEAR, Request.of("Explain this diff.", max_tokens=200), Completion("...", "x"))
    (call,) = read_cache(cache.path)
    assert call.usage.input_tokens is None  # stored as null, read back as unknown, not 0
    est = estimate([call], learners=2)
    assert est.lines[0].input_tokens is None and est.lines[0].cost is None
    assert est.unknown == [DEAR]
    args = ["cost", "--learners", "2", "--from", str(cache.path), "--json"]
    result = CliRunner().invoke(workshop_app, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["models"][0]["input_tokens"] is None and data["unknown_cost"] == [DEAR]
    table = CliRunner().invoke(workshop_app, args[:-1])
    row = next(line.split() for line in table.output.splitlines() if line.startswith(DEAR))
    assert row[:4] == [DEAR, "1", "unknown", "unknown"] and row[-1] == "unknown"
    assert "without token counts" in table.output
