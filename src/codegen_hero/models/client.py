"""The one obvious way to call a model: a name, a prompt, and a `Completion` back.

This layer adds what providers must not know about: the record/replay cache and the cost
ledger with its budget. Everything the labs, exercises and CLI do goes through here.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from typing import Any

from codegen_hero import settings
from codegen_hero.models.cache import ResponseCache
from codegen_hero.models.cost import LEDGER, cost_of, worst_case_cost
from codegen_hero.models.errors import CacheMiss, CapabilityError
from codegen_hero.models.fim import place_at_cursor, stops_for, trim_suggestion
from codegen_hero.models.providers import OnText, get_provider
from codegen_hero.models.registry import ModelSpec, load_registry
from codegen_hero.models.request import Completion, Request

_caches: dict[str, ResponseCache] = {}

Prompt = str | Request | list[Any]


def response_cache() -> ResponseCache:
    path = settings.response_cache_path()
    if str(path) not in _caches:
        _caches[str(path)] = ResponseCache(path)
    return _caches[str(path)]


def _prepare(model: str, prompt: Prompt, options: dict[str, Any]) -> tuple[ModelSpec, Request]:
    return load_registry().get(model), Request.of(prompt, **options)


def _replayed(spec: ModelSpec, request: Request, mode: str) -> Completion | None:
    if mode in ("auto", "replay"):
        hit = response_cache().get(spec.name, request)
        if hit is not None:
            LEDGER.record(hit)
            return hit
    if mode == "replay":
        preview = " ".join(request.messages[-1].content.split())[:60]
        raise CacheMiss(
            f"HERO_CACHE=replay and nothing was recorded for {spec.name} with prompt "
            f"'{preview}…' (request {request.fingerprint(spec.name)[:12]}); import a recorded "
            "cache (`hero cache import FILE`) or set HERO_CACHE=auto."
        )
    return None


def _finish(spec: ModelSpec, request: Request, completion: Completion, mode: str) -> Completion:
    cost = cost_of(spec, completion.usage)
    completion = replace(completion, cost_usd=cost)
    # An unknown cost still counts against the budget, at its worst case: a loop calling a
    # server that reports no tokens must not run on for free.
    LEDGER.record(completion, worst_usd=worst_case_cost(spec, request) if cost is None else None)
    if mode in ("auto", "record"):
        response_cache().put(spec.name, request, completion)
    return completion


def complete(model: str, prompt: Prompt, *, cache: str | None = None, **options: Any) -> Completion:
    """Ask `model` ("provider/model") and return its answer with latency, tokens and cost.

    `options` are Request fields: system, max_tokens, temperature, seed, stop.
    `cache` overrides HERO_CACHE for this call: auto, record, replay or off.
    """
    mode = cache or settings.cache_mode()
    spec, request = _prepare(model, prompt, options)
    if (hit := _replayed(spec, request, mode)) is not None:
        return hit
    reserved = LEDGER.reserve(spec, request)
    try:
        completion = get_provider(spec.endpoint).complete(spec, request)
    finally:
        LEDGER.release(reserved)
    return _finish(spec, request, completion, mode)


def fill_in_middle(
    model: str,
    prefix: str,
    suffix: str = "",
    *,
    cache: str | None = None,
    trim: bool = True,
    **options: Any,
) -> Completion:
    """What an editor's autocomplete sends: the code before and after the cursor, as one raw
    completion wrapped in the model's fill-in-the-middle tokens (no chat, no instruction).

    The answer is what goes at the cursor, cut for ghost text (see `trim_suggestion`) unless
    `trim` is False. `options` are Request fields (max_tokens, temperature, seed, stop);
    `stop` replaces the end-of-block stops (the model's own stop tokens always apply).
    Cache, ledger and budget work as in `complete`.
    """
    registry = load_registry()
    spec = registry.get(model)
    if spec.fim is None:
        able = ", ".join(registry.fim_models()) or "none"
        raise CapabilityError(
            f"{spec.name} cannot fill in the middle (the registry lists no FIM tokens for it); "
            f"models that can: {able}"
        )
    extra = options.pop("stop", None) or stops_for(suffix)
    extra = (extra,) if isinstance(extra, str) else tuple(extra)
    options.setdefault("max_tokens", 64)
    prompt = spec.fim.prompt(prefix, suffix)
    answer = complete(model, prompt, cache=cache, raw=True, stop=spec.fim.stop + extra, **options)
    text = place_at_cursor(answer.text, prefix, suffix)
    if trim:
        cut_off = answer.finish_reason == "length"
        text = trim_suggestion(text, prefix, suffix, spec.fim.stop, cut_off)
    return replace(answer, text=text)


async def acomplete(
    model: str, prompt: Prompt, *, cache: str | None = None, **options: Any
) -> Completion:
    """`complete` for asyncio callers (fan-out to several models at once)."""
    mode = cache or settings.cache_mode()
    spec, request = _prepare(model, prompt, options)
    if (hit := _replayed(spec, request, mode)) is not None:
        return hit
    reserved = LEDGER.reserve(spec, request)
    try:
        completion = await get_provider(spec.endpoint).acomplete(spec, request)
    finally:
        LEDGER.release(reserved)
    return _finish(spec, request, completion, mode)


def _to_stdout(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


def stream(
    model: str,
    prompt: Prompt,
    *,
    on_text: OnText | None = None,
    cache: str | None = None,
    **options: Any,
) -> Completion:
    """Like `complete`, but hands each piece of text to `on_text` as it arrives.

    A replayed answer is handed over in one piece.
    """
    on_text = on_text or _to_stdout
    mode = cache or settings.cache_mode()
    spec, request = _prepare(model, prompt, options)
    if (hit := _replayed(spec, request, mode)) is not None:
        on_text(hit.text)
        return hit
    reserved = LEDGER.reserve(spec, request)
    try:
        completion = get_provider(spec.endpoint).stream(spec, request, on_text)
    finally:
        LEDGER.release(reserved)
    return _finish(spec, request, completion, mode)
