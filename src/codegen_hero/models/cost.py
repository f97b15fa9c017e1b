"""Dollars per call from registry prices, running totals, and a budget that says no in time.

An unknown price stays unknown (None), never $0: a table that shows $0.00 for a model we
cannot price would teach the wrong lesson about what a workflow costs.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

from codegen_hero import settings
from codegen_hero.models.errors import BudgetExceeded
from codegen_hero.models.registry import ModelSpec
from codegen_hero.models.request import Completion, Request, Usage

PER_MILLION = 1_000_000
CHARS_PER_TOKEN_LOW = 3  # a pessimistic estimate, so the budget check errs on the safe side


def cost_of(spec: ModelSpec, usage: Usage) -> float | None:
    """Dollars for `usage`; None when the price, or a count that a non-zero price needs, is
    unknown. (Unknown tokens at $0 a token still cost $0: a local model is free however much
    it says.)"""
    price = spec.price
    if price is None:
        return None
    terms = (
        (usage.input_tokens, price.input),
        (usage.output_tokens, price.output),
        (usage.cache_read_tokens, price.input * price.cache_read),
        (usage.cache_write_tokens, price.input * price.cache_write),
    )
    if any(tokens is None and rate for tokens, rate in terms):
        return None
    dollars = sum((tokens or 0) * rate for tokens, rate in terms) / PER_MILLION
    return round(dollars, 8)


def worst_case_cost(spec: ModelSpec, request: Request) -> float | None:
    """An upper estimate before the call: generous input count, every output token used."""
    if spec.price is None:
        return None
    input_tokens = len(request.prompt_text()) // CHARS_PER_TOKEN_LOW + 16 * len(request.messages)
    return cost_of(spec, Usage(input_tokens=input_tokens, output_tokens=request.max_tokens))


def current_label() -> str:
    """Which notebook is spending: set by HERO_NOTEBOOK, else the Jupyter session's name."""
    label = os.environ.get("HERO_NOTEBOOK") or os.environ.get("JPY_SESSION_NAME") or ""
    return Path(label).stem if label else "session"


@dataclass
class Totals:
    """Sums over calls. A token total is None (unknown) once any call's count is unknown;
    `cost_usd` sums the known costs, and `bounded_usd` holds the worst case of the calls
    whose cost is unknown but bounded, so the budget still counts them."""

    calls: int = 0
    cached_calls: int = 0
    input_tokens: int | None = 0
    output_tokens: int | None = 0
    cost_usd: float = 0.0
    unpriced_calls: int = 0
    uncounted_calls: int = 0
    bounded_usd: float = 0.0

    def add(self, completion: Completion, worst_usd: float | None = None) -> None:
        self.calls += 1
        usage = completion.usage
        self.input_tokens = _plus(self.input_tokens, usage.input_tokens)
        self.output_tokens = _plus(self.output_tokens, usage.output_tokens)
        if not usage.known:
            self.uncounted_calls += 1
        if completion.cached:
            self.cached_calls += 1  # a replayed answer costs nothing now
        elif completion.cost_usd is None:
            self.unpriced_calls += 1
            self.bounded_usd += worst_usd or 0.0
        else:
            self.cost_usd += completion.cost_usd

    @property
    def committed_usd(self) -> float:
        """What the budget counts as spent: known costs plus the bounds of unknown ones."""
        return self.cost_usd + self.bounded_usd


def _plus(total: int | None, tokens: int | None) -> int | None:
    return None if total is None or tokens is None else total + tokens


@dataclass
class Ledger:
    """Running totals for this process, by model and by notebook, plus the budget check."""

    budget_usd: float | None = None
    total: Totals = field(default_factory=Totals)
    by_model: dict[str, Totals] = field(default_factory=dict)
    by_label: dict[str, Totals] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _reserved: float = 0.0

    def budget(self) -> float | None:
        return self.budget_usd if self.budget_usd is not None else settings.budget_usd()

    def reserve(self, spec: ModelSpec, request: Request) -> float:
        """Hold the worst-case cost of a call against the budget, or refuse the call."""
        budget = self.budget()
        if budget is None:
            return 0.0
        worst = worst_case_cost(spec, request)
        if worst is None:
            raise BudgetExceeded(
                f"a budget of ${budget:.2f} is set and {spec.name} has no known price, so its "
                "cost cannot be bounded; add its price to the registry or unset the budget."
            )
        with self._lock:
            spent = self.total.committed_usd
            if spent + self._reserved + worst > budget:
                raise BudgetExceeded(
                    f"{spec.name} could cost up to ${worst:.4f}, and ${spent:.4f} of the "
                    f"${budget:.2f} budget is spent: call refused (raise HERO_BUDGET_USD or "
                    "lower max_tokens)."
                )
            self._reserved += worst
        return worst

    def release(self, reserved: float) -> None:
        with self._lock:
            self._reserved = max(0.0, self._reserved - reserved)

    def record(
        self, completion: Completion, label: str | None = None, worst_usd: float | None = None
    ) -> None:
        """Add a call. `worst_usd`: its worst-case cost, counted against the budget when the
        call's own cost is unknown (a server that did not report its tokens)."""
        with self._lock:
            self.total.add(completion, worst_usd)
            self.by_model.setdefault(completion.model, Totals()).add(completion, worst_usd)
            self.by_label.setdefault(label or current_label(), Totals()).add(completion, worst_usd)

    def reset(self) -> None:
        with self._lock:
            self.total, self.by_model, self.by_label = Totals(), {}, {}
            self._reserved = 0.0


LEDGER = Ledger()


def set_budget(usd: float | None) -> None:
    """Cap this process's spend (overrides HERO_BUDGET_USD); None falls back to the variable."""
    if usd is not None and usd < 0:
        raise ValueError("a budget cannot be negative")
    LEDGER.budget_usd = usd
