"""Providers turn a `Request` into a `Completion` for one kind of endpoint.

They know nothing of caching or cost: `codegen_hero.models.client` adds both, once. Each
provider lives in its own module and is registered lazily, so an SDK is imported only when
a model of that kind is actually called.
"""

from __future__ import annotations

import asyncio
import hashlib
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable

from codegen_hero.models.errors import UnknownModelError
from codegen_hero.models.registry import Endpoint, ModelSpec
from codegen_hero.models.request import Completion, Request

OnText = Callable[[str], None]


class Provider(ABC):
    """A few lines to implement: `complete` and `stream`; `acomplete` defaults to a thread."""

    def __init__(self, endpoint: Endpoint) -> None:
        self.endpoint = endpoint

    @abstractmethod
    def complete(self, spec: ModelSpec, request: Request) -> Completion: ...

    @abstractmethod
    def stream(self, spec: ModelSpec, request: Request, on_text: OnText) -> Completion: ...

    async def acomplete(self, spec: ModelSpec, request: Request) -> Completion:
        return await asyncio.to_thread(self.complete, spec, request)


_FACTORIES: dict[str, Callable[[], type[Provider]]] = {}
_INSTANCES: dict[tuple[str, str, str, str], Provider] = {}
_LOCK = threading.Lock()


def provider(kind: str) -> Callable[[Callable[[], type[Provider]]], Callable[[], type[Provider]]]:
    """Register a factory that imports and returns a provider class for `kind`."""

    def register(factory: Callable[[], type[Provider]]) -> Callable[[], type[Provider]]:
        _FACTORIES[kind] = factory
        return factory

    return register


@provider("local")
def _local() -> type[Provider]:
    from codegen_hero.models.providers.local import LocalProvider

    return LocalProvider


@provider("anthropic")
def _anthropic() -> type[Provider]:
    from codegen_hero.models.providers.anthropic import AnthropicProvider

    return AnthropicProvider


@provider("openai")
def _openai() -> type[Provider]:
    from codegen_hero.models.providers.openai import OpenAIProvider

    return OpenAIProvider


def get_provider(endpoint: Endpoint) -> Provider:
    """One provider per endpoint, URL and key; rebuilt if the user changes either."""
    if endpoint.kind not in _FACTORIES:
        raise UnknownModelError(f"no provider for endpoint kind {endpoint.kind!r}")
    key = endpoint.key() or ""
    # Only a digest of the key is kept, and only in memory, to notice a changed key.
    cache_key = (
        endpoint.name,
        endpoint.kind,
        endpoint.url() or "",
        hashlib.sha256(key.encode()).hexdigest(),
    )
    with _LOCK:
        if cache_key not in _INSTANCES:
            _INSTANCES[cache_key] = _FACTORIES[endpoint.kind]()(endpoint)
        return _INSTANCES[cache_key]


def reset_providers() -> None:
    """Forget provider instances (tests, or after changing keys mid-session)."""
    with _LOCK:
        _INSTANCES.clear()
