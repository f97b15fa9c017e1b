"""OpenAI and any OpenAI-compatible server (Ollama, llama.cpp server, vLLM) via the openai SDK."""

from __future__ import annotations

import time
from typing import Any

import openai as sdk

from codegen_hero.models.providers import OnText
from codegen_hero.models.providers._sdk_base import SDKProvider
from codegen_hero.models.registry import ModelSpec
from codegen_hero.models.request import Completion, FinishReason, Request, Usage

_FINISH: dict[str, FinishReason] = {"stop": "stop", "length": "length"}


def _usage(spec: ModelSpec, request: Request, text: str, usage: Any) -> Usage:
    """The server's counts; when it sent none (llama.cpp's server, streaming), our own count
    with the model's tokenizer if we have it, else unknown. Never a made-up 0."""
    if usage is None:
        from codegen_hero.models.tokens import counted_usage

        return counted_usage(spec, request, text)
    details = getattr(usage, "prompt_tokens_details", None)
    cached = (getattr(details, "cached_tokens", 0) or 0) if details else 0
    prompt = getattr(usage, "prompt_tokens", None)
    return Usage(
        input_tokens=None if prompt is None else prompt - cached,
        output_tokens=getattr(usage, "completion_tokens", None),
        cache_read_tokens=cached,
    )


def _completion(
    spec: ModelSpec, request: Request, text: str, usage: Any, reason: str | None, latency: float
) -> Completion:
    return Completion(
        text=text,
        model=spec.name,
        usage=_usage(spec, request, text, usage),
        latency_s=latency,
        finish_reason=_FINISH.get(reason or "", "unknown"),
    )


class OpenAIProvider(SDKProvider):
    sdk = sdk
    sync_client = "OpenAI"
    async_client = "AsyncOpenAI"

    def params(self, spec: ModelSpec, request: Request) -> dict[str, Any]:
        params: dict[str, Any] = {"model": spec.model_id}
        if request.raw:  # the legacy /v1/completions endpoint: the prompt as it is
            params["prompt"] = request.messages[0].content
        else:
            messages = [{"role": m.role, "content": m.content} for m in request.messages]
            if request.system:
                messages.insert(0, {"role": "system", "content": request.system})
            params["messages"] = messages
        # OpenAI's own newer chat models want max_completion_tokens; other servers max_tokens.
        chat_on_openai = self.endpoint.name == "openai" and not request.raw
        token_field = "max_completion_tokens" if chat_on_openai else "max_tokens"
        params[token_field] = request.max_tokens
        if request.stop:
            params["stop"] = list(request.stop)
        if not spec.rejects_sampling:
            if request.temperature is not None:
                params["temperature"] = request.temperature
            if request.seed is not None:
                params["seed"] = request.seed
        return params

    @staticmethod
    def _endpoint(client: Any, request: Request) -> Any:
        """Raw prompts go to /v1/completions, conversations to /v1/chat/completions."""
        return client.completions if request.raw else client.chat.completions

    @staticmethod
    def _text(choice: Any, request: Request) -> str:
        return (choice.text if request.raw else choice.message.content) or ""

    def complete(self, spec: ModelSpec, request: Request) -> Completion:
        client, params = self.client(spec), self.params(spec, request)
        start = time.perf_counter()
        out = self.guarded(spec, lambda: self._endpoint(client, request).create(**params))
        choice = out.choices[0]
        latency = time.perf_counter() - start
        text = self._text(choice, request)
        return _completion(spec, request, text, out.usage, choice.finish_reason, latency)

    async def acomplete(self, spec: ModelSpec, request: Request) -> Completion:
        client, params = self.aclient(spec), self.params(spec, request)
        start = time.perf_counter()
        out = await self.aguarded(spec, lambda: self._endpoint(client, request).create(**params))
        choice = out.choices[0]
        latency = time.perf_counter() - start
        text = self._text(choice, request)
        return _completion(spec, request, text, out.usage, choice.finish_reason, latency)

    def stream(self, spec: ModelSpec, request: Request, on_text: OnText) -> Completion:
        client, params = self.client(spec), self.params(spec, request)
        start = time.perf_counter()

        def run() -> tuple[str, Any, str | None]:
            pieces: list[str] = []
            usage, reason = None, None
            chunks = self._endpoint(client, request).create(
                **params, stream=True, stream_options={"include_usage": True}
            )
            for chunk in chunks:
                usage = chunk.usage or usage
                if chunk.choices:
                    choice = chunk.choices[0]
                    delta = choice.text if request.raw else (choice.delta and choice.delta.content)
                    if delta:
                        pieces.append(delta)
                        on_text(delta)
                    reason = choice.finish_reason or reason
            return "".join(pieces), usage, reason

        text, usage, reason = self.guarded(spec, run)
        latency = time.perf_counter() - start
        return _completion(spec, request, text, usage, reason, latency)

    def list_model_ids(self, spec: ModelSpec) -> list[str]:
        client = self.client(spec)
        return self.guarded(spec, lambda: [m.id for m in client.models.list()])
