"""Anthropic models through the official SDK, keeping its retries and backoff."""

from __future__ import annotations

import json
import time
from typing import Any

import anthropic as sdk

from codegen_hero.models.errors import MissingKeyError, ProviderResponseError
from codegen_hero.models.providers import OnText, Provider
from codegen_hero.models.providers._sdk_errors import map_sdk_error
from codegen_hero.models.registry import Endpoint, ModelSpec
from codegen_hero.models.request import Completion, FinishReason, Request, Usage

TIMEOUT_S = 120.0
MAX_RETRIES = 2
_FINISH: dict[str, FinishReason] = {
    "end_turn": "stop",
    "max_tokens": "length",
    "stop_sequence": "stop_sequence",
}


class AnthropicProvider(Provider):
    def __init__(self, endpoint: Endpoint) -> None:
        super().__init__(endpoint)
        options: dict[str, Any] = {"timeout": TIMEOUT_S, "max_retries": MAX_RETRIES}
        if endpoint.url():
            options["base_url"] = endpoint.url()
        self._options = options
        self._client: sdk.Anthropic | None = None
        self._aclient: sdk.AsyncAnthropic | None = None

    def _key(self, spec: ModelSpec) -> str:
        key = self.endpoint.key()
        if not key:
            raise MissingKeyError(spec.name, self.endpoint.key_env)
        return key

    def client(self, spec: ModelSpec) -> sdk.Anthropic:
        if self._client is None:
            self._client = sdk.Anthropic(api_key=self._key(spec), **self._options)
        return self._client

    def aclient(self, spec: ModelSpec) -> sdk.AsyncAnthropic:
        if self._aclient is None:
            self._aclient = sdk.AsyncAnthropic(api_key=self._key(spec), **self._options)
        return self._aclient

    @staticmethod
    def params(spec: ModelSpec, request: Request) -> dict[str, Any]:
        params: dict[str, Any] = {
            "model": spec.model_id,
            "max_tokens": request.max_tokens,
            "messages": [{"role": m.role, "content": m.content} for m in request.messages],
        }
        if request.system:
            params["system"] = request.system
        if request.stop:
            params["stop_sequences"] = list(request.stop)
        # Newer models answer a non-default temperature with a 400: leave it out for them.
        if request.temperature is not None and not spec.rejects_sampling:
            params["temperature"] = request.temperature
        return params

    @staticmethod
    def _completion(spec: ModelSpec, message: Any, latency: float) -> Completion:
        text = "".join(b.text for b in message.content if getattr(b, "type", "") == "text")
        usage = message.usage
        return Completion(
            text=text,
            model=spec.name,
            usage=Usage(
                input_tokens=usage.input_tokens or 0,
                output_tokens=usage.output_tokens or 0,
                cache_read_tokens=getattr(usage, "cache_read_input_tokens", 0) or 0,
                cache_write_tokens=getattr(usage, "cache_creation_input_tokens", 0) or 0,
            ),
            latency_s=latency,
            finish_reason=_FINISH.get(message.stop_reason or "", "unknown"),
        )

    def complete(self, spec: ModelSpec, request: Request) -> Completion:
        client = self.client(spec)
        start = time.perf_counter()
        try:
            message = client.messages.create(**self.params(spec, request))
        except (sdk.APIError, json.JSONDecodeError) as exc:
            raise map_sdk_error(exc, sdk, spec) from None
        return self._completion(spec, message, time.perf_counter() - start)

    async def acomplete(self, spec: ModelSpec, request: Request) -> Completion:
        client = self.aclient(spec)
        start = time.perf_counter()
        try:
            message = await client.messages.create(**self.params(spec, request))
        except (sdk.APIError, json.JSONDecodeError) as exc:
            raise map_sdk_error(exc, sdk, spec) from None
        return self._completion(spec, message, time.perf_counter() - start)

    def stream(self, spec: ModelSpec, request: Request, on_text: OnText) -> Completion:
        client = self.client(spec)
        start = time.perf_counter()
        try:
            with client.messages.stream(**self.params(spec, request)) as events:
                for text in events.text_stream:
                    on_text(text)
                message = events.get_final_message()
        except (sdk.APIError, json.JSONDecodeError) as exc:
            # An overload can arrive inside the stream body rather than as a 529 status.
            raise map_sdk_error(exc, sdk, spec) from None
        if message is None:
            raise ProviderResponseError(f"{spec.name}: the stream ended without a message.")
        return self._completion(spec, message, time.perf_counter() - start)

    def list_model_ids(self, spec: ModelSpec) -> list[str]:
        try:
            return [m.id for m in self.client(spec).models.list(limit=1000)]
        except (sdk.APIError, json.JSONDecodeError) as exc:
            raise map_sdk_error(exc, sdk, spec) from None
