"""TEST DOUBLE support for :mod:`tests.fakes.llm_server`: the Anthropic wire format.

Pure builders for the JSON bodies, SSE frames and error bodies of the Anthropic Messages API
(``/v1/messages``, ``/v1/messages/count_tokens``, ``/v1/models``). No I/O happens here; the
request handler decides what to send and when. Never used by production code.
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

ANTHROPIC = "anthropic"
REQUEST_ID_HEADER = "request-id"
OVERLOAD_STATUS = 529  # what a non-streaming request gets for Fault.stream_overload()
MESSAGES_FIELDS = ("model", "max_tokens", "messages")
COUNT_TOKENS_FIELDS = ("model", "messages")

ERROR_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    402: "billing_error",
    403: "permission_error",
    404: "not_found_error",
    413: "request_too_large",
    429: "rate_limit_error",
    500: "api_error",
    504: "timeout_error",
    529: "overloaded_error",
}


def sse_event(name: str, data: dict[str, Any]) -> bytes:
    return f"event: {name}\ndata: {json.dumps(data)}\n\n".encode()


# A well-formed event stream whose first event carries broken JSON (Fault.malformed()).
MALFORMED_EVENT = b'event: message_start\ndata: {"type": "message_start", "mess\n\n'
# The in-stream error sent by Fault.stream_overload().
OVERLOAD_EVENT = sse_event(
    "error", {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}
)


def error_body(code: int, error_type: str | None, message: str) -> dict[str, Any]:
    etype = error_type or ERROR_TYPES.get(
        code, "api_error" if code >= 500 else "invalid_request_error"
    )
    return {"type": "error", "error": {"type": etype, "message": message}}


# -- models -----------------------------------------------------------------------------------


def model_obj(model_id: str) -> dict[str, Any]:
    return {
        "type": "model",
        "id": model_id,
        "display_name": model_id,
        "created_at": "2026-01-01T00:00:00Z",
        "lifecycle": "active",
    }


def models_page(query: Mapping[str, str], models: list[str]) -> dict[str, Any]:
    """One page of ``GET /v1/models``, honouring ``after_id``, ``before_id`` and ``limit``."""
    start, end = 0, len(models)
    if query.get("after_id") in models:
        start = models.index(query["after_id"]) + 1
    if query.get("before_id") in models:
        end = models.index(query["before_id"])
    try:
        limit = max(1, int(query.get("limit") or 20))
    except ValueError:
        limit = 20
    page = models[start:end]
    has_more = len(page) > limit
    page = page[:limit]
    return {
        "data": [model_obj(m) for m in page],
        "has_more": has_more,
        "first_id": page[0] if page else None,
        "last_id": page[-1] if page else None,
    }


# -- messages ---------------------------------------------------------------------------------


def count_tokens(body: Mapping[str, Any] | None) -> dict[str, Any]:
    return {"input_tokens": input_token_count(body)}


def message(body: Mapping[str, Any], text: str, msg_id: str) -> dict[str, Any]:
    """The non-streaming ``/v1/messages`` response for reply ``text`` (shaped by the request's
    ``max_tokens`` and ``stop_sequences``)."""
    text, reason, matched = shape_reply(
        text, int_or_none(body.get("max_tokens")), as_str_list(body.get("stop_sequences"))
    )
    usage = {
        "input_tokens": input_token_count(body),
        "output_tokens": count_words(text),
        "cache_creation_input_tokens": 0,
        "cache_read_input_tokens": 0,
    }
    return {
        "id": msg_id,
        "type": "message",
        "role": "assistant",
        "model": str(body["model"]),
        "content": [{"type": "text", "text": text}],
        "stop_reason": reason,
        "stop_sequence": matched,
        "usage": usage,
    }


def message_stream(message: dict[str, Any]) -> EventStream:
    """The SSE events that stream ``message`` (as built by :func:`message`)."""
    text = message["content"][0]["text"]
    usage = message["usage"]
    start_message = dict(
        message,
        content=[],
        stop_reason=None,
        stop_sequence=None,
        usage=dict(usage, output_tokens=1),
    )
    head = [
        sse_event("message_start", {"type": "message_start", "message": start_message}),
        sse_event(
            "content_block_start",
            {
                "type": "content_block_start",
                "index": 0,
                "content_block": {"type": "text", "text": ""},
            },
        ),
        sse_event("ping", {"type": "ping"}),
    ]
    deltas = [
        sse_event(
            "content_block_delta",
            {
                "type": "content_block_delta",
                "index": 0,
                "delta": {"type": "text_delta", "text": piece},
            },
        )
        for piece in split_for_stream(text)
    ]
    tail = [
        sse_event("content_block_stop", {"type": "content_block_stop", "index": 0}),
        sse_event(
            "message_delta",
            {
                "type": "message_delta",
                "delta": {
                    "stop_reason": message["stop_reason"],
                    "stop_sequence": message["stop_sequence"],
                },
                "usage": {"output_tokens": usage["output_tokens"]},
            },
        ),
        sse_event("message_stop", {"type": "message_stop"}),
    ]
    return EventStream(head, deltas, tail)
