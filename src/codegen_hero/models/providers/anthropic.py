"""Anthropic models through the official SDK, keeping its retries and backoff."""

from __future__ import annotations

import time
from typing import Any

import anthropic as sdk

from codegen_hero.models.errors import CapabilityError, ProviderResponseError
from codegen_hero.models.providers import OnText
from codegen_hero.models.providers._sdk_base import SDKProvider
from codegen_hero.models.registry import ModelSpec
from codegen_hero.models.request import Completion, FinishReason, Request, Usage

_FINISH: dict[str, FinishReason] = {
    "end_turn": "stop",
    "max_tokens": "length",
    "stop_sequence": "stop_sequence",
}


class AnthropicProvider(SDKProvider):
    sdk = sdk
    sync_client = "Anthropic"
    async_client = "AsyncAnthropic"

    @staticmethod
    def params(spec: ModelSpec, request: Request) -> dict[str, Any]:
        if request.raw:
            raise CapabilityError(
                f"{spec.name}: Anthropic offers no raw completion, only chat, so it cannot fill "
                "in the middle; use a local model for that (`hero models`)."
            )
        params: dict[str, Any] = {
            "model": spec.model_id,
            "max_tokens": request.max_tokens,
            "messages": [{"role": m.role, "content": m.content} for m in request.messages],
        }
        if request.system:
            params["system"] = request.system
        if request.stop:
            params["stop_sequences"] = list(request.stop)
        # Newer models answer a non-default temperature with a 400, so we leave it out for
        # them; the SDK itself no longer has the argument, hence extra_body for older models.
        if request.temperature is not None and not spec.rejects_sampling:
            params["extra_body"] = {"temperature": request.temperature}
        return params

    @staticmethod
    def _completion(spec: ModelSpec, message: Any, latency: float) -> Completion:
        text = "".join(b.text for b in message.content if getattr(b, "type", "") == "text")
        usage = message.usage
        return Completion(
            text=text,
            model=spec.name,
            usage=Usage(
                input_tokens=usage.input_tokens,
                output_tokens=usage.output_tokens,
                cache_read_tokens=getattr(usage, "cache_read_input_tokens", 0) or 0,
                cache_write_tokens=getattr(usage, "cache_creation_input_tokens", 0) or 0,
            ),
            latency_s=latency,
            finish_reason=_FINISH.get(message.stop_reason or "", "unknown"),
        )

    def complete(self, spec: ModelSpec, request: Request) -> Completion:
        client, params = self.client(spec), self.params(spec, request)
        start = time.perf_counter()
        message = self.guarded(spec, lambda: client.messages.create(**params))
        return self._completion(spec, message, time.perf_counter() - start)

    async def acomplete(self, spec: ModelSpec, request: Request) -> Completion:
        client, params = self.aclient(spec), self.params(spec, request)
        start = time.perf_counter()
        message = await self.aguarded(spec, lambda: client.messages.create(**params))
        return self._completion(spec, message, time.perf_counter() - start)

    def stream(self, spec: ModelSpec, request: Request, on_text: OnText) -> Completion:
        client, params = self.client(spec), self.params(spec, request)
        start = time.perf_counter()

        def run() -> Any:
            # An overload can arrive inside the stream body rather than as a 529 status;
            # the error mapping looks at the body's error type for that reason.
            with client.messages.stream(**params) as events:
                for text in events.text_stream:
                    on_text(text)
                return events.get_final_message()

        message = self.guarded(spec, run)
        if message is None:
            raise ProviderResponseError(f"{spec.name}: the stream ended without a message.")
        return self._completion(spec, message, time.perf_counter() - start)

    def list_model_ids(self, spec: ModelSpec) -> list[str]:
        client = self.client(spec)
        return self.guarded(spec, lambda: [m.id for m in client.models.list(limit=1000)])
