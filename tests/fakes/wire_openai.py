"""TEST DOUBLE support for :mod:`tests.fakes.llm_server`: the OpenAI wire format.

Pure builders for the JSON bodies, SSE frames and error bodies of the OpenAI chat completions
API (``/v1/chat/completions``, ``/v1/models``) and of its raw text completions
(``/v1/completions``, what fill-in-the-middle uses). No I/O happens here; the request handler
decides what to send and when. Never used by production code.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from .faults import (
    EventStream,
    as_str_list,
    count_words,
    input_token_count,
    int_or_none,
    shape_reply,
    split_for_stream,
)

OPENAI = "openai"
REQUEST_ID_HEADER = "x-request-id"
OVERLOAD_STATUS = 503  # what a non-streaming request gets for Fault.stream_overload()
CHAT_FIELDS = ("model", "messages")
TEXT_FIELDS = ("model", "prompt")

# (type, code) pairs modelled on what api.openai.com returns.
ERROR_TYPES: dict[int, tuple[str, str | None]] = {
    400: ("invalid_request_error", None),
    401: ("invalid_request_error", "invalid_api_key"),
    403: ("invalid_request_error", "permission_denied"),
    404: ("invalid_request_error", "model_not_found"),
    429: ("requests", "rate_limit_exceeded"),
    500: ("server_error", None),
    503: ("server_error", "service_unavailable"),
}


def sse_data(data: dict[str, Any] | str) -> bytes:
    payload = data if isinstance(data, str) else json.dumps(data)
    return f"data: {payload}\n\n".encode()


# A well-formed event stream whose first event carries broken JSON (Fault.malformed()).
MALFORMED_EVENT = b'data: {"type": "message_start", "mess\n\n'
# The in-stream error chunk sent by Fault.stream_overload().
OVERLOAD_EVENT = sse_data(
    {
        "error": {
            "message": "Overloaded",
            "type": "server_error",
            "param": None,
            "code": "overloaded",
        }
    }
)


def error_body(code: int, error_type: str | None, message: str) -> dict[str, Any]:
    default_type, default_code = ERROR_TYPES.get(
        code, ("server_error" if code >= 500 else "invalid_request_error", None)
    )
    return {
        "error": {
            "message": message,
            "type": error_type or default_type,
            "param": None,
            "code": default_code,
        }
    }


# -- models -----------------------------------------------------------------------------------


def model_obj(model_id: str) -> dict[str, Any]:
    return {"id": model_id, "object": "model", "created": 0, "owned_by": "fake"}


def models_page(query: Mapping[str, str], models: list[str]) -> dict[str, Any]:
    """``GET /v1/models``: every model in one list (OpenAI does not paginate; ``query`` is
    accepted only to match :func:`tests.fakes.wire_anthropic.models_page`)."""
    return {"object": "list", "data": [model_obj(m) for m in models]}


# -- chat completions -------------------------------------------------------------------------


def chat_completion(
    body: Mapping[str, Any], text: str, completion_id: str, created: int
) -> dict[str, Any]:
    """The non-streaming ``/v1/chat/completions`` response for reply ``text`` (shaped by the
    request's ``max_completion_tokens`` / ``max_tokens`` and ``stop``)."""
    max_tokens = int_or_none(body.get("max_completion_tokens"))
    if max_tokens is None:
        max_tokens = int_or_none(body.get("max_tokens"))
    text, reason, _matched = shape_reply(text, max_tokens, as_str_list(body.get("stop")))
    prompt_tokens = input_token_count(body)
    completion_tokens = count_words(text)
    return {
        "id": completion_id,
        "object": "chat.completion",
        "created": created,
        "model": str(body["model"]),
        "system_fingerprint": None,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": text, "refusal": None},
                "logprobs": None,
                "finish_reason": "length" if reason == "max_tokens" else "stop",
            }
        ],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


def chat_stream(body: Mapping[str, Any], completion: dict[str, Any]) -> EventStream:
    """The SSE chunks that stream ``completion`` (as built by :func:`chat_completion`),
    honouring ``stream_options.include_usage``; the tail ends with ``data: [DONE]``."""
    choice = completion["choices"][0]
    text = choice["message"]["content"]
    options = body.get("stream_options")
    include_usage = isinstance(options, dict) and options.get("include_usage") is True

    def chunk(delta: dict[str, Any], finish: str | None) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": completion["id"],
            "object": "chat.completion.chunk",
            "created": completion["created"],
            "model": completion["model"],
            "system_fingerprint": None,
            "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}],
        }
        if include_usage:
            data["usage"] = None
        return data

    head = [chunk({"role": "assistant", "content": ""}, None)]
    deltas = [chunk({"content": piece}, None) for piece in split_for_stream(text)]
    tail: list[dict[str, Any] | str] = [chunk({}, choice["finish_reason"])]
    if include_usage:
        tail.append(dict(chunk({}, None), choices=[], usage=completion["usage"]))
    tail.append("[DONE]")
    return EventStream(
        [sse_data(c) for c in head], [sse_data(c) for c in deltas], [sse_data(c) for c in tail]
    )


# -- raw text completions (/v1/completions) ----------------------------------------------------


def text_completion(
    body: Mapping[str, Any], text: str, completion_id: str, created: int
) -> dict[str, Any]:
    """The non-streaming ``/v1/completions`` response: the reply continues ``prompt`` as is."""
    text, reason, _matched = shape_reply(
        text, int_or_none(body.get("max_tokens")), as_str_list(body.get("stop"))
    )
    prompt = body.get("prompt")
    prompt_tokens = count_words(prompt) if isinstance(prompt, str) else 0
    completion_tokens = count_words(text)
    return {
        "id": completion_id,
        "object": "text_completion",
        "created": created,
        "model": str(body["model"]),
        "system_fingerprint": None,
        "choices": [
            {
                "index": 0,
                "text": text,
                "logprobs": None,
                "finish_reason": "length" if reason == "max_tokens" else "stop",
            }
        ],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


def text_stream(body: Mapping[str, Any], completion: dict[str, Any]) -> EventStream:
    """The SSE chunks that stream a text completion, usage last when asked, then [DONE]."""
    choice = completion["choices"][0]
    options = body.get("stream_options")
    include_usage = isinstance(options, dict) and options.get("include_usage") is True

    def chunk(text: str, finish: str | None) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": completion["id"],
            "object": "text_completion",
            "created": completion["created"],
            "model": completion["model"],
            "choices": [{"index": 0, "text": text, "logprobs": None, "finish_reason": finish}],
        }
        if include_usage:
            data["usage"] = None
        return data

    deltas = [chunk(piece, None) for piece in split_for_stream(choice["text"])]
    tail: list[dict[str, Any] | str] = [chunk("", choice["finish_reason"])]
    if include_usage:
        tail.append(dict(chunk("", None), choices=[], usage=completion["usage"]))
    tail.append("[DONE]")
    return EventStream([], [sse_data(c) for c in deltas], [sse_data(c) for c in tail])
