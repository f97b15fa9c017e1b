"""Local models through llama-cpp-python, in process: no key, no network, a real model.

Each model file is loaded once per process and reused. llama.cpp contexts are not
thread-safe, so calls to one model take turns behind a lock; async callers wait in a thread.
"""

from __future__ import annotations

import atexit
import threading
import time
from typing import Any

from codegen_hero import settings
from codegen_hero.models.local_files import ensure_ready
from codegen_hero.models.providers import OnText, Provider
from codegen_hero.models.providers._llama_slots import ModelSlots
from codegen_hero.models.registry import ModelSpec
from codegen_hero.models.request import Completion, FinishReason, Request, Usage

DEFAULT_SEED = 1234
_MODELS: dict[str, ModelSlots] = {}
_LOAD_LOCK = threading.Lock()


def _new_context(path: str, spec: ModelSpec) -> Any:
    from llama_cpp import Llama

    n = settings.threads()
    return Llama(
        model_path=path,
        n_ctx=spec.context,
        n_threads=n,
        n_threads_batch=n,
        # A GGUF without a template would silently fall back to the llama-2 format.
        chat_format=spec.chat_format,
        seed=DEFAULT_SEED,
        verbose=False,
    )


def model_slots(spec: ModelSpec) -> ModelSlots:
    """The verified model for `spec`, loaded once per process, with its warm contexts."""
    path = str(ensure_ready(spec))
    with _LOAD_LOCK:
        if path not in _MODELS:
            _MODELS[path] = ModelSlots(make=lambda: _new_context(path, spec))
            _MODELS[path].first()
        return _MODELS[path]


def load_model(spec: ModelSpec) -> tuple[Any, threading.Lock]:
    """The model's first context and the lock that serialises its use."""
    slots = model_slots(spec)
    return slots.first(), slots.lock


@atexit.register
def _close_all() -> None:
    """Free models before interpreter teardown, when llama.cpp's own finaliser would fail."""
    with _LOAD_LOCK:
        for slots in _MODELS.values():
            slots.close()
        _MODELS.clear()


def _finish(reason: str | None) -> FinishReason:
    return {"stop": "stop", "length": "length"}.get(reason or "", "unknown")  # type: ignore[return-value]


class LocalProvider(Provider):
    def _kwargs(self, request: Request) -> dict[str, Any]:
        sampling = {
            "max_tokens": request.max_tokens,
            # Deterministic by default: greedy decoding with a fixed seed.
            "temperature": 0.0 if request.temperature is None else request.temperature,
            "seed": DEFAULT_SEED if request.seed is None else request.seed,
            "stop": list(request.stop) or None,
        }
        if request.raw:
            return {"prompt": request.messages[0].content, **sampling}
        messages = [{"role": m.role, "content": m.content} for m in request.messages]
        if request.system:
            messages.insert(0, {"role": "system", "content": request.system})
        return {"messages": messages, **sampling}

    @staticmethod
    def _create(llm: Any, request: Request, kwargs: dict[str, Any], stream: bool = False) -> Any:
        """A raw prompt goes to llama.cpp as it is; chat messages through the chat template."""
        if request.raw:
            return llm.create_completion(stream=stream, **kwargs)
        return llm.create_chat_completion(stream=stream, **kwargs)

    @staticmethod
    def _text(request: Request, choice: dict[str, Any], streamed: bool = False) -> str:
        if request.raw:
            return choice.get("text") or ""
        return (choice.get("delta" if streamed else "message") or {}).get("content") or ""

    def complete(self, spec: ModelSpec, request: Request) -> Completion:
        slots = model_slots(spec)
        with slots.lock:
            slot = slots.choose(request)
            start = time.perf_counter()
            out = self._create(slot.llm, request, self._kwargs(request))
            latency = time.perf_counter() - start
            choice = out["choices"][0]
            slots.remember(slot, request, self._text(request, choice))
        usage = out.get("usage") or {}
        return Completion(
            text=self._text(request, choice),
            model=spec.name,
            usage=Usage(
                input_tokens=usage.get("prompt_tokens"),
                output_tokens=usage.get("completion_tokens"),
            ),
            latency_s=latency,
            finish_reason=_finish(choice.get("finish_reason")),
        )

    def stream(self, spec: ModelSpec, request: Request, on_text: OnText) -> Completion:
        slots = model_slots(spec)
        pieces: list[str] = []
        reason: str | None = None
        with slots.lock:
            slot = slots.choose(request)
            llm = slot.llm
            start = time.perf_counter()
            for chunk in self._create(llm, request, self._kwargs(request), stream=True):
                choice = chunk["choices"][0]
                text = self._text(request, choice, streamed=True)
                if text:
                    pieces.append(text)
                    on_text(text)
                reason = choice.get("finish_reason") or reason
            latency = time.perf_counter() - start
            text = "".join(pieces)
            output_tokens = len(llm.tokenize(text.encode("utf-8"), add_bos=False)) if text else 0
            input_tokens = max(0, llm.n_tokens - output_tokens)
            slots.remember(slot, request, text)
        return Completion(
            text=text,
            model=spec.name,
            usage=Usage(input_tokens=input_tokens, output_tokens=output_tokens),
            latency_s=latency,
            finish_reason=_finish(reason),
        )
