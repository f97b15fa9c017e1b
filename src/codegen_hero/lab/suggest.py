"""One ghost-text request, from the code around the cursor to a suggestion.

Typing sends a request after every pause, and a CPU runs one model call at a time. So
requests queue behind the running one, and only the newest waiting request runs: the
others are answered at once with no suggestion, as an editor drops stale completions.
"""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass
from typing import Any

from codegen_hero.models.client import fill_in_middle
from codegen_hero.models.registry import load_registry

PREFIX_CHARS = 6000  # the code before the cursor the model sees (well inside its context)
SUFFIX_CHARS = 2000
MAX_TOKENS = 64


def autocomplete_model() -> str:
    """HERO_AUTOCOMPLETE if set (`hero lab -m`), else the registry's autocomplete model."""
    return os.environ.get("HERO_AUTOCOMPLETE", "").strip() or load_registry().autocomplete


@dataclass
class Suggester:
    """Turns {prefix, suffix} into {suggestion, model, latency_s}; the newest request wins."""

    max_tokens: int = MAX_TOKENS
    _newest: int = 0
    _turn: asyncio.Lock | None = None

    async def suggest(self, body: Any) -> dict[str, Any]:
        prefix, suffix = self._read(body)
        self._newest += 1
        ticket = self._newest
        self._turn = self._turn or asyncio.Lock()
        async with self._turn:
            if ticket != self._newest:
                return {"suggestion": "", "skipped": "a newer request arrived"}
            model = autocomplete_model()
            # The learner's code goes to the model only, never runs here; no recording either:
            # every keystroke's context differs, and a cache of them would only grow.
            answer = await asyncio.to_thread(
                fill_in_middle,
                model,
                prefix[-PREFIX_CHARS:],
                suffix[:SUFFIX_CHARS],
                max_tokens=self.max_tokens,
                cache="off",
            )
        return {"suggestion": answer.text, "model": model, "latency_s": round(answer.latency_s, 3)}

    @staticmethod
    def _read(body: Any) -> tuple[str, str]:
        if not isinstance(body, dict) or not isinstance(body.get("prefix"), str):
            raise ValueError('send JSON like {"prefix": "code before the cursor", "suffix": "..."}')
        suffix = body.get("suffix", "")
        if not isinstance(suffix, str):
            raise ValueError("suffix must be a string (the code after the cursor)")
        return body["prefix"], suffix
