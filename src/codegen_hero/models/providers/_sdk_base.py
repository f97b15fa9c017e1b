"""What the two SDK-backed providers share: key lookup, client set-up, error translation."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from types import ModuleType
from typing import Any, TypeVar

import httpx2

from codegen_hero import settings
from codegen_hero.models.errors import MissingKeyError
from codegen_hero.models.providers import Provider
from codegen_hero.models.providers._sdk_errors import map_sdk_error
from codegen_hero.models.registry import Endpoint, ModelSpec

T = TypeVar("T")
MAX_RETRIES = 2  # the SDKs retry 408/409/429/5xx with backoff and honour retry-after
NO_KEY_NEEDED = "no-key-needed"  # local OpenAI-compatible servers ignore the key


class SDKProvider(Provider):
    """Subclasses name their SDK module and its sync and async client classes."""

    sdk: ModuleType
    sync_client: str
    async_client: str

    def __init__(self, endpoint: Endpoint) -> None:
        super().__init__(endpoint)
        self._options: dict[str, Any] = {
            "timeout": settings.request_timeout(),
            "max_retries": MAX_RETRIES,
        }
        if endpoint.url():
            self._options["base_url"] = endpoint.url()
        self._clients: dict[tuple[str, object], Any] = {}

    def _key(self, spec: ModelSpec) -> str:
        if not self.endpoint.needs_key:  # read now: a learner's room key, when set
            return self.endpoint.key() or NO_KEY_NEEDED
        key = self.endpoint.key()
        if not key:
            raise MissingKeyError(spec.name, self.endpoint.key_env)
        return key

    def _client(self, spec: ModelSpec, kind: str, slot: object = None) -> Any:
        if (kind, slot) not in self._clients:
            cls = getattr(self.sdk, kind)
            self._clients[(kind, slot)] = cls(api_key=self._key(spec), **self._options)
        return self._clients[(kind, slot)]

    def client(self, spec: ModelSpec) -> Any:
        return self._client(spec, self.sync_client)

    def aclient(self, spec: ModelSpec) -> Any:
        """One async client per event loop: its connection pool belongs to that loop."""
        loop = asyncio.get_running_loop()
        for key in [k for k in self._clients if k[1] is not None and k[1] != id(loop)]:
            del self._clients[key]  # the loop that owned it has finished (asyncio.run)
        return self._client(spec, self.async_client, id(loop))

    def errors(self) -> tuple[type[BaseException], ...]:
        return (self.sdk.APIError, json.JSONDecodeError, httpx2.TransportError)

    def guarded(self, spec: ModelSpec, call: Callable[[], T]) -> T:
        """Run an SDK call; whatever survives its retries becomes one of our one-line errors."""
        try:
            return call()
        except self.errors() as exc:
            raise map_sdk_error(exc, self.sdk, spec) from None

    async def aguarded(self, spec: ModelSpec, call: Callable[[], Any]) -> Any:
        try:
            return await call()
        except self.errors() as exc:
            raise map_sdk_error(exc, self.sdk, spec) from None
