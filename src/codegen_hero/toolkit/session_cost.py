"""What an agent session costs per hour, with and without prompt caching, and when a flat-rate
subscription is cheaper.

Why a function and not a multiplication: an agent re-sends its whole conversation on every
call, so the input per call grows as the work goes on, and the bill is dominated by that
re-sent prefix. Prompt caching bills the prefix at the registry's cache-read price (0.1x the
input price for Anthropic's models, as of the price's date) and the new part at the
cache-write price, but only while the calls come faster than the cache expires. Getting those
three facts right by hand is where projections go wrong, so the course computes them here,
once, for the lab, the book's bill and its figure.

The model of a session: conversations of `calls_per_conversation` calls (one plan step, say,
after which a fresh conversation starts from the same first prompt), the first call sending
`first_input_tokens`, each later call `growth_per_call` more (the previous answer and the
tool results appended), each call answering with `output_tokens_per_call`. Calls are assumed
evenly spaced at `calls_per_hour`. An unknown price gives an unknown cost (None), never $0.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from codegen_hero.models.registry import Price

PER_MILLION = 1_000_000
CACHE_TTL_MINUTES = 5.0  # the base cache lifetime at the registry's cache-write price


@dataclass(frozen=True)
class SessionShape:
    """How an agent session uses a model (see the module docstring)."""

    calls_per_hour: float
    first_input_tokens: int
    growth_per_call: int
    output_tokens_per_call: int
    calls_per_conversation: int

    def __post_init__(self) -> None:
        if self.calls_per_hour <= 0 or self.calls_per_conversation < 1:
            raise ValueError("a session needs calls_per_hour > 0 and calls_per_conversation >= 1")
        counts = (self.first_input_tokens, self.growth_per_call, self.output_tokens_per_call)
        if min(counts) < 0:
            raise ValueError("token counts cannot be negative")

    def contexts(self) -> list[int]:
        """Input tokens of each call of one conversation: the prefix grows call by call."""
        return [
            self.first_input_tokens + i * self.growth_per_call
            for i in range(self.calls_per_conversation)
        ]


@dataclass(frozen=True)
class SessionCost:
    """One conversation's tokens and dollars, and the same per hour of one busy session."""

    input_tokens: int  # every call's whole context, summed: what is billed without caching
    cache_read_tokens: int  # the part of it billed at the cache-read price, with caching
    cache_write_tokens: int  # the part billed at the cache-write price, with caching
    output_tokens: int
    plain_usd: float | None  # one conversation, no caching
    cached_usd: float | None  # one conversation, with caching
    plain_usd_per_hour: float | None
    cached_usd_per_hour: float | None
    cache_kept: bool  # False: calls come too slowly, every call writes its prefix again
    as_of: str | None  # the date of the prices used; None when the price is unknown


def project_session(
    price: Price | None, shape: SessionShape, cache_ttl_minutes: float = CACHE_TTL_MINUTES
) -> SessionCost:
    """Project one session's cost from a registry price (None: unknown, so the dollars are).

    With caching, the first call writes its whole context to the cache; each later call
    reads the previous call's context back and writes only what was added. If the calls are
    further apart than the cache lives, nothing is read back: every call writes its whole
    context again, which costs more than not caching at all.
    """
    contexts = shape.contexts()
    sent = sum(contexts)
    cache_kept = 60.0 / shape.calls_per_hour <= cache_ttl_minutes
    if cache_kept:
        reads = sum(contexts[:-1])
        writes = sent - reads
    else:
        reads, writes = 0, sent
    output = shape.output_tokens_per_call * shape.calls_per_conversation
    plain = cached = None
    if price is not None:
        out_usd = output * price.output
        plain = (sent * price.input + out_usd) / PER_MILLION
        cached = (
            reads * price.input * price.cache_read
            + writes * price.input * price.cache_write
            + out_usd
        ) / PER_MILLION
    per_hour = shape.calls_per_hour / shape.calls_per_conversation
    return SessionCost(
        input_tokens=sent,
        cache_read_tokens=reads,
        cache_write_tokens=writes,
        output_tokens=output,
        plain_usd=plain,
        cached_usd=cached,
        plain_usd_per_hour=None if plain is None else plain * per_hour,
        cached_usd_per_hour=None if cached is None else cached * per_hour,
        cache_kept=cache_kept,
        as_of=None if price is None else price.as_of,
    )


def breakeven_hours(subscription_usd_per_month: float, usd_per_hour: float | None) -> float | None:
    """Busy session-hours per month above which a flat monthly plan costs less than paying
    per token: the plan's price divided by the per-token cost of an hour. None when that cost
    is unknown; infinity when it is zero (a local model: no plan is ever cheaper)."""
    if subscription_usd_per_month < 0:
        raise ValueError("a subscription price cannot be negative")
    if usd_per_hour is None:
        return None
    if usd_per_hour <= 0:
        return math.inf
    return subscription_usd_per_month / usd_per_hour
