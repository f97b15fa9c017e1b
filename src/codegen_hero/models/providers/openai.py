"""OpenAI and any OpenAI-compatible server (Ollama, llama.cpp server, vLLM) via the openai SDK."""

from __future__ import annotations

import json
import time
from typing import Any

import openai as sdk

from codegen_hero.models.errors import MissingKeyError
from codegen_hero.models.providers import OnText, Provider
from codegen_hero.models.providers._sdk_errors import map_sdk_error
from codegen_hero.models.registry import Endpoint, ModelSpec
from codegen_hero.models.request import Completion, FinishReason, Request, Usage

TIMEOUT_S = 120.0
MAX_RETRIES = 2
NO_KEY_NEEDED = "no-key-needed"  # local servers ignore the key but the SDK wants one
_FINISH: dict[str, FinishReason] = {"stop": "stop", "length": "length"}


class OpenAIProvider(Provider):
    def __init__(self, endpoint: Endpoint) -> None:
        super().__init__(endpoint)
        options: dict[str, Any] = {"timeout": TIMEOUT_S, "max_retries": MAX_RETRIES}
        if endpoint.url():
            options["base_url"] = endpoint.url()
        self._options = options
        self._client: sdk.OpenAI | None = None
        self._aclient: sdk.AsyncOpenAI | None = None

    def _key(self, spec: ModelSpec) -> str:
        if not self.endpoint.needs_key:
            return NO_KEY_NEEDED
        key = self.endpoint.key()
        if not key:
            raise MissingKeyError(spec.name, self.endpoint.key_env)
        return key

    def client(self, spec: ModelSpec) -> sdk.OpenAI:
        if self._client is None:
            self._client = sdk.OpenAI(api_key=self._key(spec), **self._options)
        return self._client

    def aclient(self, spec: ModelSpec) -> sdk.AsyncOpenAI:
        if self._aclient is None:
            self._aclient = sdk.AsyncOpenAI(api_key=self._key(spec), **self._options)
        return self._aclient

    def params(self, spec: ModelSpec, request: Request) -> dict[str, Any]:
        messages = [{"role": m.role, "content": m.content} for m in request.messages]
        if request.system:
            messages.insert(0, {"role": "system", "content": request.system})
        params: dict[str, Any] = {"model": spec.model_id, "messages": messages}
        # OpenAI's own newer models want max_completion_tokens; compatible servers want max_tokens.
        token_field = "max_completion_tokens" if self.endpoint.name == "openai" else "max_tokens"
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
    def _completion(spec: ModelSpec, text: str, usage: Any, reason: str | None, latency: float):
        details = getattr(usage, "prompt_tokens_details", None) if usage else None
        cached = (getattr(details, "cached_tokens", 0) or 0) if details else 0
        prompt = (getattr(usage, "prompt_tokens", 0) or 0) if usage else 0
        return Completion(
            text=text,
            model=spec.name,
            usage=Usage(
                input_tokens=prompt - cached,
                output_tokens=(getattr(usage, "completion_tokens", 0) or 0) if usage else 0,
                cache_read_tokens=cached,
            ),
            latency_s=latency,
            finish_reason=_FINISH.get(reason or "", "unknown"),
        )

    def complete(self, spec: ModelSpec, request: Request) -> Completion:
        client = self.client(spec)
        start = time.perf_counter()
        try:
            out = client.chat.completions.create(**self.params(spec, request))
        except (sdk.APIError, json.JSONDecodeError) as exc:
            raise map_sdk_error(exc, sdk, spec) from None
        choice = out.choices[0]
        latency = time.perf_counter() - start
        return self._completion(
            spec, choice.message.content or "", out.usage, choice.finish_reason, latency
        )

    async def acomplete(self, spec: ModelSpec, request: Request) -> Completion:
        client = self.aclient(spec)
        start = time.perf_counter()
        try:
            out = await client.chat.completions.create(**self.params(spec, request))
        except (sdk.APIError, json.JSONDecodeError) as exc:
            raise map_sdk_error(exc, sdk, spec) from None
        choice = out.choices[0]
        latency = time.perf_counter() - start
        return self._completion(
            spec, choice.message.content or "", out.usage, choice.finish_reason, latency
        )

    def stream(self, spec: ModelSpec, request: Request, on_text: OnText) -> Completion:
        client = self.client(spec)
        pieces: list[str] = []
        usage, reason = None, None
        start = time.perf_counter()
        try:
            chunks = client.chat.completions.create(
                **self.params(spec, request), stream=True, stream_options={"include_usage": True}
            )
            for chunk in chunks:
                if getattr(chunk, "error", None):
                    raise sdk.APIError(str(chunk.error), request=None, body=chunk.error)
                usage = chunk.usage or usage
                if chunk.choices:
                    choice = chunk.choices[0]
                    if choice.delta and choice.delta.content:
                        pieces.append(choice.delta.content)
                        on_text(choice.delta.content)
                    reason = choice.finish_reason or reason
        except (sdk.APIError, json.JSONDecodeError) as exc:
            raise map_sdk_error(exc, sdk, spec) from None
        return self._completion(spec, "".join(pieces), usage, reason, time.perf_counter() - start)

    def list_model_ids(self, spec: ModelSpec) -> list[str]:
        try:
            return [m.id for m in self.client(spec).models.list()]
        except (sdk.APIError, json.JSONDecodeError) as exc:
            raise map_sdk_error(exc, sdk, spec) from None
