"""The session cost projection: every expected number below is worked out by hand."""

from __future__ import annotations

import math

import pytest

from codegen_hero.models.registry import Price, load_registry
from codegen_hero.toolkit.session_cost import SessionShape, breakeven_hours, project_session

# $10 in, $20 out per million; cache reads 0.1x (= $1), writes 1.25x (= $12.5).
PRICE = Price(input=10.0, output=20.0, as_of="2026-11", cache_read=0.1, cache_write=1.25)
SMALL = SessionShape(
    calls_per_hour=60,
    first_input_tokens=100,
    growth_per_call=10,
    output_tokens_per_call=5,
    calls_per_conversation=3,
)


def test_the_prefix_grows_and_is_billed_in_full_without_caching():
    cost = project_session(PRICE, SMALL)
    # contexts 100, 110, 120: 330 input tokens; 3 x 5 = 15 output tokens
    assert SMALL.contexts() == [100, 110, 120]
    assert (cost.input_tokens, cost.output_tokens) == (330, 15)
    assert cost.plain_usd == pytest.approx((330 * 10 + 15 * 20) / 1e6)  # 0.0036


def test_caching_reads_the_previous_context_and_writes_only_the_new_part():
    cost = project_session(PRICE, SMALL)
    # call 1 writes 100; call 2 reads 100, writes 10; call 3 reads 110, writes 10
    assert (cost.cache_read_tokens, cost.cache_write_tokens) == (210, 120)
    assert cost.cached_usd == pytest.approx((210 * 1.0 + 120 * 12.5 + 15 * 20) / 1e6)  # 0.00201
    assert cost.cache_kept and cost.as_of == "2026-11"


def test_per_hour_scales_by_conversations_per_hour():
    cost = project_session(PRICE, SMALL)  # 60 calls an hour, 3 per conversation: 20 an hour
    assert cost.plain_usd_per_hour == pytest.approx(20 * 0.0036)
    assert cost.cached_usd_per_hour == pytest.approx(20 * 0.00201)


def test_the_books_agent_step():
    """Chapter 8's example: 30 calls, 20k tokens growing by 2k, 1k out, $2 in / $10 out."""
    price = Price(input=2.0, output=10.0, as_of="2026-11")  # the registry's default multipliers
    shape = SessionShape(120, 20_000, 2_000, 1_000, 30)
    cost = project_session(price, shape)
    assert cost.input_tokens == 30 * 20_000 + 2_000 * (29 * 30 // 2) == 1_470_000
    assert (cost.cache_read_tokens, cost.cache_write_tokens) == (1_392_000, 78_000)
    assert cost.plain_usd == pytest.approx(2.94 + 0.30)
    assert cost.cached_usd == pytest.approx(1_392_000 * 0.2 / 1e6 + 78_000 * 2.5 / 1e6 + 0.30)
    assert cost.cached_usd_per_hour == pytest.approx(4 * 0.7734)


def test_a_cache_that_expires_between_calls_costs_more_than_none():
    slow = SessionShape(6, 100, 10, 5, 3)  # one call every ten minutes; the cache lives five
    cost = project_session(PRICE, slow)
    assert not cost.cache_kept
    assert (cost.cache_read_tokens, cost.cache_write_tokens) == (0, 330)
    assert cost.cached_usd == pytest.approx((330 * 12.5 + 15 * 20) / 1e6)
    assert cost.cached_usd > cost.plain_usd


def test_an_unknown_price_is_unknown_not_zero():
    cost = project_session(None, SMALL)
    assert cost.input_tokens == 330  # tokens are still counted
    assert cost.plain_usd is cost.cached_usd is None
    assert cost.plain_usd_per_hour is cost.cached_usd_per_hour is None
    assert cost.as_of is None
    assert breakeven_hours(100.0, cost.cached_usd_per_hour) is None


def test_a_free_model_costs_zero_and_no_plan_beats_it():
    free = Price(input=0.0, output=0.0, as_of="2026-11-24")
    cost = project_session(free, SMALL)
    assert cost.cached_usd_per_hour == 0.0
    assert breakeven_hours(20.0, cost.cached_usd_per_hour) == math.inf


def test_breakeven_is_the_plans_price_over_the_hourly_cost():
    assert breakeven_hours(100.0, 4.0) == 25.0
    assert breakeven_hours(20.0, 3.0936) == pytest.approx(6.465, abs=1e-3)


def test_registry_prices_carry_their_date_and_cache_read_price():
    priced = [s for s in load_registry().models.values() if s.price and s.price.input > 0]
    assert priced, "the registry should price at least one hosted model"
    for spec in priced:
        cost = project_session(spec.price, SMALL)
        assert cost.as_of == spec.price.as_of
        read_usd = 210 * spec.price.input * spec.price.cache_read
        write_usd = 120 * spec.price.input * spec.price.cache_write
        expected = (read_usd + write_usd + 15 * spec.price.output) / 1e6
        assert cost.cached_usd == pytest.approx(expected)


@pytest.mark.parametrize(
    "args",
    [(0, 100, 10, 5, 3), (60, 100, 10, 5, 0), (60, -1, 10, 5, 3), (60, 100, 10, -5, 3)],
)
def test_bad_shapes_are_refused(args):
    with pytest.raises(ValueError):
        SessionShape(*args)


def test_a_negative_plan_price_is_refused():
    with pytest.raises(ValueError):
        breakeven_hours(-1.0, 2.0)
