"""What a room will spend: recorded usage × registry prices × learners, and a sane cap.

The recording (`hero workshop record`) is one run through every lab, so its usage is what one
learner spends running each lab once, live. A model without a price stays "unknown", never
$0: an estimate that hides a model it cannot price would understate the bill.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from codegen_hero.models.cost import cost_of, worst_case_cost
from codegen_hero.models.errors import HeroError, UnknownModelError
from codegen_hero.models.registry import ModelSpec, Registry, load_registry
from codegen_hero.models.request import Request, Usage, usage_from_json

NICE_STEPS = (1, 2, 2.5, 5)
HEADROOM = 3.0  # learners re-run cells and edit prompts; each edit is a fresh, paid call


@dataclass(frozen=True)
class Recorded:
    """One recorded call: who answered, what was asked, what it used."""

    model: str
    request: dict[str, Any]
    usage: Usage


@dataclass
class ModelLine:
    model: str
    calls: int = 0
    input_tokens: int | None = 0  # None once a recorded call's count is unknown
    output_tokens: int | None = 0
    cost: float | None = 0.0  # per learner; None when the price or a needed count is unknown
    price: str = "unknown"


@dataclass
class Estimate:
    learners: int
    lines: list[ModelLine] = field(default_factory=list)
    largest_call: float = 0.0  # the biggest worst-case reservation one call makes

    @property
    def per_learner(self) -> float:
        """Dollars for the models with a price (see `unknown` for the rest)."""
        return sum(line.cost or 0.0 for line in self.lines)

    @property
    def total(self) -> float:
        return self.per_learner * self.learners

    @property
    def unknown(self) -> list[str]:
        return [line.model for line in self.lines if line.cost is None]

    def suggested_cap(self) -> float:
        """Per process: room for re-runs, and never below the biggest single reservation."""
        return nice_ceiling(max(self.per_learner * HEADROOM, self.largest_call * 2, 0.01))


def nice_ceiling(value: float) -> float:
    """The next of 1, 2, 2.5, 5 × 10^k at or above `value` (a cap people can remember)."""
    exponent = math.floor(math.log10(value))
    for step in (*NICE_STEPS, 10):
        candidate = step * 10**exponent
        if candidate >= value - 1e-12:
            return round(candidate, 10)
    return 10 ** (exponent + 1)  # pragma: no cover - the loop always returns


def read_cache(path: Path) -> list[Recorded]:
    """Recorded calls from a cache file (SQLite) or an export (JSON lines)."""
    if not path.is_file():
        raise HeroError(f"no recorded responses at {path}: run `hero workshop record` first")
    if path.read_bytes()[:16] == b"SQLite format 3\x00":
        from codegen_hero.models.cache import ResponseCache

        rows = ResponseCache(path).rows()
        return [_recorded(m, json.loads(r), json.loads(c)) for _, m, r, c, _ in rows]
    found = []
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                found.append(_recorded(item["model"], item["request"], item["completion"]))
            except (ValueError, KeyError, TypeError) as exc:
                why = f"{path.name} line {number} is not a recorded response: {exc}"
                raise HeroError(why) from None
    return found


def _recorded(model: str, request: dict[str, Any], completion: dict[str, Any]) -> Recorded:
    return Recorded(model, request, usage_from_json(completion.get("usage")))


def _spec(registry: Registry, model: str) -> ModelSpec | None:
    try:
        return registry.get(model)
    except UnknownModelError:
        return None


def _price_text(spec: ModelSpec | None) -> str:
    if spec is None or spec.price is None:
        return "unknown"
    price = spec.price
    return f"${price.input:g} / ${price.output:g} ({price.as_of})"


def estimate(
    recorded: Iterable[Recorded], learners: int, registry: Registry | None = None
) -> Estimate:
    if learners < 1:
        raise ValueError(f"--learners must be at least 1, not {learners}")
    registry = registry or load_registry()
    result = Estimate(learners)
    lines: dict[str, ModelLine] = {}
    for call in recorded:
        spec = _spec(registry, call.model)
        line = lines.setdefault(call.model, ModelLine(call.model, price=_price_text(spec)))
        line.calls += 1
        line.input_tokens = _plus(line.input_tokens, call.usage.input_tokens)
        line.output_tokens = _plus(line.output_tokens, call.usage.output_tokens)
        dollars = cost_of(spec, call.usage) if spec else None
        line.cost = None if dollars is None or line.cost is None else line.cost + dollars
        if spec is not None:
            worst = _worst(spec, call.request)
            result.largest_call = max(result.largest_call, worst or 0.0)
    result.lines = sorted(lines.values(), key=lambda line: line.model)
    if not result.lines:
        raise HeroError("the recording holds no responses: run `hero workshop record` first")
    return result


def _plus(total: int | None, tokens: int | None) -> int | None:
    return None if total is None or tokens is None else total + tokens


def estimate_record(est: Estimate) -> dict[str, Any]:
    """The estimate as `hero workshop cost --json` prints it; unknown is null, never 0."""
    return {
        "learners": est.learners,
        "models": [
            {
                "model": line.model,
                "calls": line.calls,
                "input_tokens": line.input_tokens,
                "output_tokens": line.output_tokens,
                "price": line.price,
                "per_learner_usd": line.cost,
            }
            for line in est.lines
        ],
        "per_learner_usd": est.per_learner,
        "total_usd": est.total,
        "unknown_cost": est.unknown,
        "largest_call_usd": est.largest_call,
        "suggested_cap_usd": est.suggested_cap(),
    }


def _worst(spec: ModelSpec, request: dict[str, Any]) -> float | None:
    try:
        return worst_case_cost(spec, Request.from_json(request))
    except (KeyError, TypeError, ValueError):
        return None


def money(value: float | None) -> str:
    if value is None:
        return "unknown"
    if value == 0:
        return "$0"
    return f"${value:,.4f}" if value < 1 else f"${value:,.2f}"


def advice(est: Estimate, cap: float | None) -> list[str]:
    """How HERO_BUDGET_USD works, and what to set it to for this room."""
    if cap is not None and cap < 0:
        raise ValueError("--cap cannot be negative")
    unknown = est.unknown
    head = f"One learner running every lab once, live: {money(est.per_learner)}"
    if unknown:
        head += (
            f" plus an unknown amount for {', '.join(unknown)} (no price in the registry, or "
            "calls recorded without token counts)"
        )
    lines = [
        head + ".",
        f"{est.learners} learners: {money(est.total)}"
        + (" plus the unknown part." if unknown else "."),
        "Replayed answers cost nothing: learners who `hero cache import` the recording pay "
        "only for the prompts they change.",
    ]
    if est.per_learner == 0 and not unknown:
        lines.append(
            "Every recorded call went to a model priced at $0 (local, or the room's server): "
            "there is nothing to cap."
        )
    else:
        suggested = est.suggested_cap()
        lines += [
            f"Suggested per-learner cap: HERO_BUDGET_USD={suggested:g} (about {HEADROOM:g}x "
            f"one run-through, for re-runs and edited prompts); the room then spends at most "
            f"{money(suggested * est.learners)} with one kernel per learner.",
            "HERO_BUDGET_USD is enforced per Python process (each notebook kernel, each "
            "`hero` command) against that process's own spend, so a learner with three kernels "
            "open can spend three caps. For a hard ceiling, also set a spend limit on the key "
            "at the provider.",
            "Each call first reserves its worst case (every max_tokens used); the largest "
            f"recorded call reserves {money(est.largest_call)}, so a cap below that refuses it.",
        ]
    if unknown:
        lines.append(
            "With a cap set, calls to a model without a price are refused (their cost cannot "
            "be bounded): add its price to the registry first."
        )
    if cap is not None:
        if cap < est.largest_call:
            lines.append(f"--cap {cap:g} is below the largest call's reservation: too low.")
        runs = f"about {cap / est.per_learner:.1f}" if est.per_learner else "unlimited"
        lines.append(
            f"With --cap {cap:g}: {runs} run-throughs of the labs per kernel; the room spends "
            f"at most {money(cap * est.learners)} with one kernel per learner."
        )
    return lines
