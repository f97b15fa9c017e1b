from __future__ import annotations

import pytest

from codegen_hero.models.cost import LEDGER, Ledger, cost_of, set_budget, worst_case_cost
from codegen_hero.models.errors import BudgetExceeded
from codegen_hero.models.registry import ModelSpec, load_registry
from codegen_hero.models.request import Completion, Request, Usage


def priced(registry=None) -> ModelSpec:
    registry = registry or load_registry()
    return next(s for s in registry.models.values() if s.price and s.price.input > 0)


def test_cost_uses_registry_prices_per_million_tokens():
    spec = priced()
    usage = Usage(input_tokens=1_000_000, output_tokens=1_000_000)
    assert cost_of(spec, usage) == pytest.approx(spec.price.input + spec.price.output)
    cache = Usage(0, 0, cache_read_tokens=1_000_000, cache_write_tokens=1_000_000)
    expected = spec.price.input * (spec.price.cache_read + spec.price.cache_write)
    assert cost_of(spec, cache) == pytest.approx(expected)


def test_unknown_price_is_none_never_zero():
    spec = load_registry().get("anthropic/a-model-we-never-priced")
    assert cost_of(spec, Usage(10, 10)) is None
    assert worst_case_cost(spec, Request.of("x")) is None


def test_ledger_totals_by_model_and_label():
    ledger = Ledger()
    ledger.record(Completion("a", "m/1", Usage(10, 5), cost_usd=0.5), label="lab1")
    ledger.record(Completion("b", "m/2", Usage(1, 1), cost_usd=None), label="lab1")
    ledger.record(Completion("c", "m/1", Usage(1, 1), cost_usd=0.25, cached=True), label="lab2")
    assert ledger.total.calls == 3
    assert ledger.total.cost_usd == pytest.approx(0.5)  # replayed answers cost nothing now
    assert ledger.total.unpriced_calls == 1 and ledger.total.cached_calls == 1
    assert ledger.by_model["m/1"].calls == 2
    assert ledger.by_label["lab1"].input_tokens == 11


def test_budget_refuses_a_call_that_could_exceed_it(monkeypatch):
    spec = priced()
    request = Request.of("hello", max_tokens=1000)
    worst = worst_case_cost(spec, request)
    monkeypatch.setenv("HERO_BUDGET_USD", str(worst * 1.5))
    ledger = Ledger()
    held = ledger.reserve(spec, request)
    ledger.release(held)
    ledger.record(Completion("x", spec.name, cost_usd=worst))
    with pytest.raises(BudgetExceeded, match="budget"):
        ledger.reserve(spec, request)


def test_budget_with_unknown_price_refuses(monkeypatch):
    monkeypatch.setenv("HERO_BUDGET_USD", "5")
    spec = load_registry().get("openai/some-unpriced-model")
    with pytest.raises(BudgetExceeded, match="no known price"):
        Ledger().reserve(spec, Request.of("x"))


def test_set_budget_overrides_the_environment(monkeypatch):
    monkeypatch.setenv("HERO_BUDGET_USD", "100")
    set_budget(0.0)
    with pytest.raises(BudgetExceeded):
        LEDGER.reserve(priced(), Request.of("x"))
    with pytest.raises(ValueError):
        set_budget(-1)
    monkeypatch.setenv("HERO_BUDGET_USD", "lots")
    set_budget(None)
    with pytest.raises(ValueError, match="not a number"):
        LEDGER.reserve(priced(), Request.of("x"))


def test_unknown_tokens_are_an_unknown_cost_unless_the_price_is_zero():
    spec = priced()
    assert cost_of(spec, Usage()) is None
    assert cost_of(spec, Usage(input_tokens=10)) is None  # the output count is missing
    free = load_registry().get(load_registry().default)  # a local model: $0 a token
    assert cost_of(free, Usage()) == 0.0
    assert Usage().total_tokens is None and not Usage().known
    assert Usage().describe() == "? in / ? out tokens"
    assert Usage(1200, 3).describe() == "1,200 in / 3 out tokens"


def test_unknown_token_counts_make_token_totals_unknown_not_smaller():
    ledger = Ledger()
    ledger.record(Completion("a", "m/1", Usage(10, 5), cost_usd=0.0))
    ledger.record(Completion("b", "m/1", Usage(), cost_usd=0.0))
    assert ledger.total.input_tokens is None and ledger.total.output_tokens is None
    assert ledger.total.uncounted_calls == 1 and ledger.total.cost_usd == 0.0


def test_a_call_of_unknown_cost_counts_at_its_worst_case_against_the_budget(monkeypatch):
    spec = priced()
    request = Request.of("hello", max_tokens=1000)
    worst = worst_case_cost(spec, request)
    monkeypatch.setenv("HERO_BUDGET_USD", str(worst * 2.5))
    ledger = Ledger()
    for _ in range(2):  # two calls whose server reported no tokens
        ledger.release(ledger.reserve(spec, request))
        ledger.record(Completion("x", spec.name, Usage(), cost_usd=None), worst_usd=worst)
    assert ledger.total.cost_usd == 0.0 and ledger.total.committed_usd == pytest.approx(2 * worst)
    with pytest.raises(BudgetExceeded, match="budget"):
        ledger.reserve(spec, request)
