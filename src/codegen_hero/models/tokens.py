"""Counting tokens ourselves when an OpenAI-compatible server does not say how many it used.

llama-cpp-python's server (behind `hero serve`) sends no usage with a streamed answer. When
the registry names a local model with the same vocabulary (`tokenizer = "local/…"`) and its
verified file is on this machine, we count as the server does: the prompt in the model's chat
format, then the answer. Only the vocabulary is loaded (no weights, no context), once per
process. Anything else stays unknown: the caller gets None, never a guessed 0.
"""

from __future__ import annotations

import atexit
import threading
from typing import Any

from codegen_hero.models.registry import ModelSpec, load_registry
from codegen_hero.models.request import Request, Usage

_VOCABS: dict[str, Any] = {}
_LOCK = threading.Lock()


def counted_usage(spec: ModelSpec, request: Request, text: str) -> Usage:
    """Input and output tokens counted with `spec.tokenizer`; unknown where we cannot."""
    local = _tokenizer_spec(spec)
    vocab = _vocab(local) if local is not None else None
    if local is None or vocab is None:
        return Usage()
    output = len(vocab.tokenize(text.encode("utf-8"), False, False)) if text else 0
    return Usage(input_tokens=_prompt_tokens(vocab, local, request), output_tokens=output)


def _tokenizer_spec(spec: ModelSpec) -> ModelSpec | None:
    if not spec.tokenizer:
        return None
    local = load_registry().models.get(spec.tokenizer)
    return local if local is not None and local.endpoint.kind == "local" else None


def _vocab(local: ModelSpec) -> Any | None:
    """The vocabulary of a verified local file (never a download, never an unverified file)."""
    from codegen_hero.models import local_files

    if not local_files.is_verified(local):
        return None
    path = str(local_files.model_path(local))
    with _LOCK:
        if path not in _VOCABS:
            try:
                import llama_cpp
                from llama_cpp._internals import LlamaModel
            except ImportError:
                return None
            params = llama_cpp.llama_model_default_params()
            params.vocab_only = True
            _VOCABS[path] = LlamaModel(path_model=path, params=params, verbose=False)
        return _VOCABS[path]


@atexit.register
def _close_all() -> None:
    """Free vocabularies before interpreter teardown, when llama.cpp's finaliser would fail."""
    with _LOCK:
        for vocab in _VOCABS.values():
            vocab.close()
        _VOCABS.clear()


def _prompt_tokens(vocab: Any, local: ModelSpec, request: Request) -> int | None:
    """The prompt as llama-cpp-python's server builds it for this chat format, tokenised as
    it does; None for a chat format we cannot reproduce."""
    from llama_cpp import llama_chat_format

    name = (local.chat_format or "").replace("-", "_")
    formatter = getattr(llama_chat_format, f"format_{name}", None) if name else None
    if formatter is None:
        return None
    messages = [{"role": m.role, "content": m.content} for m in request.messages]
    if request.system:
        messages.insert(0, {"role": "system", "content": request.system})
    result = formatter(messages=messages)
    return len(vocab.tokenize(result.prompt.encode("utf-8"), not result.added_special, True))
