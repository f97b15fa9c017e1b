"""TEST DOUBLE: a fake LLM HTTP server speaking the Anthropic and OpenAI wire formats.

This module is a *test double*. It never calls a real provider and must never be used by
production code. Tests (and benchmarks that simulate model latency) point the real SDK clients
at it::

    with FakeLLMServer() as server:
        client = anthropic.Anthropic(base_url=server.url, api_key="test")
        oai = openai.OpenAI(base_url=server.url + "/v1", api_key="test")

It is a real ``ThreadingHTTPServer`` (HTTP/1.1, keep-alive) bound to ``127.0.0.1`` on an
ephemeral port and served from a daemon thread. It implements:

* ``POST /v1/messages`` - Anthropic Messages, JSON or SSE (``"stream": true``)
* ``POST /v1/messages/count_tokens`` - ``{"input_tokens": N}``
* ``POST /v1/chat/completions`` - OpenAI chat completions, JSON or SSE (``"stream": true``)
* ``GET /v1/models`` and ``GET /v1/models/{id}`` - Anthropic shape when the request carries an
  ``anthropic-version`` or ``x-api-key`` header, else OpenAI shape
* anything else - 404 with a JSON error body

Behaviour is deterministic: the default reply names the requested model, tokens are counted as
whitespace-separated words, ``max_tokens`` truncates the reply to that many words and stop
sequences cut the reply where they first occur.

Faults are queued with :meth:`FakeLLMServer.script`; every request (whatever its path) consumes
the next queued :class:`Fault`, and when the queue is empty requests succeed normally. Every
request is recorded in :attr:`FakeLLMServer.requests` *before* its fault is applied.
"""

from __future__ import annotations

import collections
import contextlib
import http
import itertools
import json
import logging
import re
import socket
import socketserver
import struct
import sys
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

__all__ = ["FakeLLMServer", "Fault", "RecordedRequest"]

log = logging.getLogger(__name__)

ANTHROPIC = "anthropic"
OPENAI = "openai"

_ANTHROPIC_ERROR_TYPES = {
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

# (type, code) pairs modelled on what api.openai.com returns.
_OPENAI_ERROR_TYPES: dict[int, tuple[str, str | None]] = {
    400: ("invalid_request_error", None),
    401: ("invalid_request_error", "invalid_api_key"),
    403: ("invalid_request_error", "permission_denied"),
    404: ("invalid_request_error", "model_not_found"),
    429: ("requests", "rate_limit_exceeded"),
    500: ("server_error", None),
    503: ("server_error", "service_unavailable"),
}

_FAULT_KINDS = frozenset(
    {"ok", "status", "delay", "hang", "reset", "malformed", "stream_overload", "stream_cut"}
)
_STREAM_PREFIX_DELTAS = 2  # text deltas sent before stream_overload / stream_cut strike


# --------------------------------------------------------------------------------------------
# Public data types
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the server received it (recorded before any fault is applied)."""

    method: str
    path: str  # without the query string
    headers: dict[str, str]  # lower-cased names; repeated headers joined with ", "
    body: dict[str, Any] | None  # parsed JSON object, or None if absent / not a JSON object
    raw: bytes = b""
    query: dict[str, str] = field(default_factory=dict)

    @property
    def model(self) -> str | None:
        model = (self.body or {}).get("model")
        return model if isinstance(model, str) else None

    @property
    def stream(self) -> bool:
        return bool((self.body or {}).get("stream") is True)


@dataclass(frozen=True)
class Fault:
    """One scripted action. Build it with the constructors below, not directly."""

    kind: str
    status_code: int | None = None
    retry_after: float | None = None
    error_type: str | None = None
    message: str | None = None
    seconds: float = 0.0
    should_retry: bool | None = None
    headers: tuple[tuple[str, str], ...] = ()

    @classmethod
    def ok(cls) -> Fault:
        """Normal success (useful to interleave with faults)."""
        return cls("ok")

    @classmethod
    def status(
        cls,
        code: int,
        retry_after: float | None = None,
        error_type: str | None = None,
        message: str | None = None,
        *,
        should_retry: bool | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Fault:
        """HTTP error ``code`` with a provider-shaped JSON error body.

        ``retry_after`` is sent as a ``retry-after`` header (seconds, may be fractional).
        ``should_retry`` sets the ``x-should-retry`` header both SDKs obey when present.
        """
        return cls(
            "status",
            status_code=code,
            retry_after=retry_after,
            error_type=error_type,
            message=message,
            should_retry=should_retry,
            headers=tuple((headers or {}).items()),
        )

    @classmethod
    def delay(cls, seconds: float) -> Fault:
        """Sleep ``seconds`` (on top of any latency), then succeed normally."""
        return cls("delay", seconds=seconds)

    @classmethod
    def hang(cls, seconds: float) -> Fault:
        """Sleep ``seconds`` before writing anything, then close the connection unanswered."""
        return cls("hang", seconds=seconds)

    @classmethod
    def reset(cls) -> Fault:
        """Abort the connection with a TCP RST (SO_LINGER 0) before any response byte."""
        return cls("reset")

    @classmethod
    def malformed(cls) -> Fault:
        """200 with ``content-type: application/json`` and a body that is not valid JSON.

        A streaming request instead gets a proper ``text/event-stream`` whose first event's
        ``data:`` is not valid JSON."""
        return cls("malformed")

    @classmethod
    def stream_overload(cls) -> Fault:
        """Streaming: a few events, then an in-stream overload error, then end of stream.

        Anthropic streams get ``event: error`` with an ``overloaded_error``; OpenAI streams get a
        ``data:`` chunk holding an ``error`` object. A non-streaming request gets a plain
        overload status instead (529 for Anthropic, 503 for OpenAI).
        """
        return cls("stream_overload")

    @classmethod
    def stream_cut(cls) -> Fault:
        """Streaming: a few events, then the socket is closed mid-body (chunked encoding left
        unterminated, no final events). A non-streaming request gets half of its JSON body
        (with a Content-Length announcing all of it) before the close."""
        return cls("stream_cut")


Reply = str | Callable[[RecordedRequest], str]


# --------------------------------------------------------------------------------------------
# Helpers: deterministic token counting and reply shaping
# --------------------------------------------------------------------------------------------

_WORD = re.compile(r"\S+")


def count_words(text: str) -> int:
    return len(_WORD.findall(text))


def _collect_text(value: Any) -> list[str]:
    """All text in a system prompt / message list (strings and ``text``/``content`` blocks)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [t for item in value for t in _collect_text(item)]
    if isinstance(value, dict):
        out: list[str] = []
        for key in ("text", "content", "input"):
            if key in value:
                inner = value[key]
                out.extend(_collect_text(json.dumps(inner) if key == "input" else inner))
        return out
    return []


def input_token_count(body: Mapping[str, Any] | None) -> int:
    if not body:
        return 0
    texts = _collect_text(body.get("system")) + _collect_text(body.get("messages"))
    return sum(count_words(t) for t in texts)


def _shape_reply(
    text: str, max_tokens: int | None, stop_sequences: Iterable[str]
) -> tuple[str, str, str | None]:
    """Apply stop sequences and max_tokens. Returns (text, reason, matched_stop_sequence),
    reason being one of "end_turn", "max_tokens", "stop_sequence"."""
    cut_at: int | None = None
    matched: str | None = None
    for seq in stop_sequences:
        if not seq:
            continue
        idx = text.find(seq)
        if idx != -1 and (cut_at is None or idx < cut_at):
            cut_at, matched = idx, seq
    candidate = text if cut_at is None else text[:cut_at]
    if max_tokens is not None and max_tokens >= 0:
        words = list(_WORD.finditer(candidate))
        if len(words) > max_tokens:
            end = words[max_tokens - 1].end() if max_tokens > 0 else 0
            return candidate[:end], "max_tokens", None
    if matched is not None:
        return candidate, "stop_sequence", matched
    return text, "end_turn", None


def _split_for_stream(text: str) -> list[str]:
    """Split into word-sized pieces whose concatenation is exactly ``text``."""
    if not text:
        return []
    pieces = re.findall(r"\s*\S+\s*", text)
    if "".join(pieces) != text:  # whitespace-only text
        return [text]
    return pieces


def _as_str_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def _int_or_none(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _reason_phrase(code: int) -> str:
    if code == 529:
        return "Overloaded"
    try:
        return http.HTTPStatus(code).phrase
    except ValueError:
        return "Error"


# --------------------------------------------------------------------------------------------
# HTTP plumbing
# --------------------------------------------------------------------------------------------


class _Abort(Exception):
    """Stop handling this request and drop the connection without writing anything more."""


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def __init__(self, owner: FakeLLMServer) -> None:
        self.owner = owner
        self._conn_lock = threading.Lock()
        self._conns: dict[threading.Thread, socket.socket] = {}
        super().__init__(("127.0.0.1", 0), _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind would call socket.getfqdn(), a reverse DNS lookup that can
        # stall for seconds on badly configured hosts; the name is not needed here.
        socketserver.TCPServer.server_bind(self)
        self.server_name = "127.0.0.1"
        self.server_port = int(self.server_address[1])

    def process_request(self, request: Any, client_address: Any) -> None:
        thread = threading.Thread(
            target=self._serve_connection,
            args=(request, client_address),
            name="fake-llm-conn",
            daemon=True,
        )
        with self._conn_lock:
            self._conns[thread] = request
        thread.start()

    def _serve_connection(self, request: Any, client_address: Any) -> None:
        try:
            self.finish_request(request, client_address)
        except Exception:
            self.handle_error(request, client_address)
        finally:
            self.shutdown_request(request)
            with self._conn_lock:
                self._conns.pop(threading.current_thread(), None)

    def handle_error(self, request: Any, client_address: Any) -> None:
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError, OSError)):
            return  # client went away; expected with faults and timeouts
        self.owner.errors.append(exc)  # type: ignore[arg-type]
        log.exception("fake LLM server: unhandled error")

    def drop_connections(self, timeout: float) -> None:
        with self._conn_lock:
            conns = list(self._conns.items())
        for _thread, sock in conns:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        deadline = time.monotonic() + timeout
        for thread, _sock in conns:
            thread.join(max(0.0, deadline - time.monotonic()))

    def live_connection_threads(self) -> list[threading.Thread]:
        with self._conn_lock:
            return [t for t in self._conns if t.is_alive()]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # avoid 40 ms Nagle/delayed-ACK stalls between writes
    server: _HTTPServer
    server_version = "FakeLLM/1.0"
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        log.debug("fake LLM server: " + format, *args)

    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        self._dispatch()

    def do_POST(self) -> None:  # noqa: N802
        self._dispatch()

    def do_PUT(self) -> None:  # noqa: N802
        self._dispatch()

    def do_DELETE(self) -> None:  # noqa: N802
        self._dispatch()

    def do_PATCH(self) -> None:  # noqa: N802
        self._dispatch()

    # -- request ---------------------------------------------------------------------------

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            parts = []
            while True:
                size_line = self.rfile.readline(65537)
                size = int(size_line.split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass
                    break
                parts.append(self.rfile.read(size))
                self.rfile.readline(65537)
            return b"".join(parts)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _dispatch(self) -> None:
        owner = self.server.owner
        split = urlsplit(self.path)
        path = split.path
        raw = self._read_body()
        headers: dict[str, str] = {}
        for name, value in self.headers.items():
            key = name.lower()
            headers[key] = f"{headers[key]}, {value}" if key in headers else value
        body: dict[str, Any] | None = None
        if raw:
            with contextlib.suppress(ValueError):
                parsed = json.loads(raw)
                body = parsed if isinstance(parsed, dict) else None
        rec = RecordedRequest(
            method=self.command,
            path=path,
            headers=headers,
            body=body,
            raw=raw,
            query=dict(parse_qsl(split.query)),
        )
        owner._record(rec)
        flavor = (
            ANTHROPIC
            if path.startswith("/v1/messages")
            or "anthropic-version" in headers
            or "x-api-key" in headers
            else OPENAI
        )
        if path.startswith("/v1/chat/"):
            flavor = OPENAI
        self._flavor = flavor
        fault = owner._next_fault() or Fault.ok()
        try:
            if not owner._sleep(owner._latency_for(rec.model)):
                raise _Abort
            self._apply(fault, rec)
        except _Abort:
            self.close_connection = True
        except (ConnectionError, TimeoutError):
            self.close_connection = True

    def _apply(self, fault: Fault, rec: RecordedRequest) -> None:
        owner = self.server.owner
        kind = fault.kind
        streaming = rec.stream and rec.path in ("/v1/messages", "/v1/chat/completions")
        if kind == "status":
            self._send_error(
                fault.status_code or 500,
                error_type=fault.error_type,
                message=fault.message,
                retry_after=fault.retry_after,
                should_retry=fault.should_retry,
                extra_headers=fault.headers,
            )
            return
        if kind == "delay":
            if not owner._sleep(fault.seconds):
                raise _Abort
        elif kind == "hang":
            owner._sleep(fault.seconds)
            raise _Abort
        elif kind == "reset":
            self._reset_connection()
            raise _Abort
        elif kind == "malformed":
            if streaming:  # a well-formed event stream whose first event carries broken JSON
                name = "event: message_start\n" if self._flavor == ANTHROPIC else ""
                self._start_stream()
                self._write_events([f'{name}data: {{"type": "message_start", "mess\n\n'.encode()])
                self._end_stream()
            else:
                self._send_raw(200, b'{"id": "msg_malformed", "type": "mess', "application/json")
            return
        elif kind == "stream_overload" and not streaming:
            code = 529 if self._flavor == ANTHROPIC else 503
            self._send_error(code, message="Overloaded")
            return
        self._route(rec, fault_kind=kind if kind in ("stream_overload", "stream_cut") else None)

    # -- routing ---------------------------------------------------------------------------

    def _route(self, rec: RecordedRequest, fault_kind: str | None) -> None:
        owner = self.server.owner
        method, path = rec.method, rec.path
        if method == "POST" and path == "/v1/messages":
            self._anthropic_messages(rec, fault_kind)
        elif method == "POST" and path == "/v1/messages/count_tokens":
            if not self._require(rec, "model", "messages"):
                return
            self._send_json(200, {"input_tokens": input_token_count(rec.body)}, fault_kind)
        elif method == "POST" and path == "/v1/chat/completions":
            self._openai_chat(rec, fault_kind)
        elif method == "GET" and path == "/v1/models":
            self._send_json(200, self._models_page(rec, list(owner.models)), fault_kind)
        elif method == "GET" and path.startswith("/v1/models/"):
            model_id = unquote(path[len("/v1/models/") :])
            if model_id not in owner.models:
                self._send_error(404, message=f"model: {model_id}")
                return
            self._send_json(200, self._model_obj(model_id), fault_kind)
        else:
            self._send_error(404, message=f"Not found: {method} {path}")

    def _require(self, rec: RecordedRequest, *fields: str) -> bool:
        if rec.body is None:
            self._send_error(400, message="Request body must be a JSON object")
            return False
        for name in fields:
            if name not in rec.body:
                self._send_error(400, message=f"{name}: Field required")
                return False
        return True

    def _reply_or_500(self, rec: RecordedRequest) -> str | None:
        owner = self.server.owner
        try:
            return owner._reply_for(rec)
        except Exception as exc:  # a buggy reply callable must not kill the connection
            owner.errors.append(exc)
            log.exception("fake LLM server: reply callable failed")
            self._send_error(500, message=f"reply callable failed: {exc!r}")
            return None

    def _model_obj(self, model_id: str) -> dict[str, Any]:
        if self._flavor == ANTHROPIC:
            return {
                "type": "model",
                "id": model_id,
                "display_name": model_id,
                "created_at": "2026-01-01T00:00:00Z",
                "lifecycle": "active",
            }
        return {"id": model_id, "object": "model", "created": 0, "owned_by": "fake"}

    def _models_page(self, rec: RecordedRequest, models: list[str]) -> dict[str, Any]:
        if self._flavor != ANTHROPIC:
            return {"object": "list", "data": [self._model_obj(m) for m in models]}
        start, end = 0, len(models)
        if rec.query.get("after_id") in models:
            start = models.index(rec.query["after_id"]) + 1
        if rec.query.get("before_id") in models:
            end = models.index(rec.query["before_id"])
        try:
            limit = max(1, int(rec.query.get("limit") or 20))
        except ValueError:
            limit = 20
        page = models[start:end]
        has_more = len(page) > limit
        page = page[:limit]
        return {
            "data": [self._model_obj(m) for m in page],
            "has_more": has_more,
            "first_id": page[0] if page else None,
            "last_id": page[-1] if page else None,
        }

    # -- Anthropic -------------------------------------------------------------------------

    def _anthropic_messages(self, rec: RecordedRequest, fault_kind: str | None) -> None:
        if not self._require(rec, "model", "max_tokens", "messages"):
            return
        body = rec.body or {}
        owner = self.server.owner
        model = str(body["model"])
        text = self._reply_or_500(rec)
        if text is None:
            return
        text, reason, matched = _shape_reply(
            text, _int_or_none(body.get("max_tokens")), _as_str_list(body.get("stop_sequences"))
        )
        msg_id = owner._new_id("msg_fake")
        in_tokens = input_token_count(body)
        out_tokens = count_words(text)
        usage = {
            "input_tokens": in_tokens,
            "output_tokens": out_tokens,
            "cache_creation_input_tokens": 0,
            "cache_read_input_tokens": 0,
        }
        message = {
            "id": msg_id,
            "type": "message",
            "role": "assistant",
            "model": model,
            "content": [{"type": "text", "text": text}],
            "stop_reason": reason,
            "stop_sequence": matched,
            "usage": usage,
        }
        if not rec.stream:
            self._send_json(200, message, fault_kind)
            return

        start_message = dict(
            message,
            content=[],
            stop_reason=None,
            stop_sequence=None,
            usage=dict(usage, output_tokens=1),
        )
        events: list[tuple[str, dict[str, Any]]] = [
            ("message_start", {"type": "message_start", "message": start_message}),
            (
                "content_block_start",
                {
                    "type": "content_block_start",
                    "index": 0,
                    "content_block": {"type": "text", "text": ""},
                },
            ),
            ("ping", {"type": "ping"}),
        ]
        deltas = [
            (
                "content_block_delta",
                {
                    "type": "content_block_delta",
                    "index": 0,
                    "delta": {"type": "text_delta", "text": piece},
                },
            )
            for piece in _split_for_stream(text)
        ]
        tail: list[tuple[str, dict[str, Any]]] = [
            ("content_block_stop", {"type": "content_block_stop", "index": 0}),
            (
                "message_delta",
                {
                    "type": "message_delta",
                    "delta": {"stop_reason": reason, "stop_sequence": matched},
                    "usage": {"output_tokens": out_tokens},
                },
            ),
            ("message_stop", {"type": "message_stop"}),
        ]

        def frame(name: str, data: dict[str, Any]) -> bytes:
            return f"event: {name}\ndata: {json.dumps(data)}\n\n".encode()

        self._start_stream()
        if fault_kind is None:
            self._write_events(frame(n, d) for n, d in events + deltas + tail)
            self._end_stream()
            return
        self._write_events(frame(n, d) for n, d in events + deltas[:_STREAM_PREFIX_DELTAS])
        if fault_kind == "stream_overload":
            err = {
                "type": "error",
                "error": {"type": "overloaded_error", "message": "Overloaded"},
            }
            self._write_events([frame("error", err)])
            self._end_stream()
        self.close_connection = True  # stream_cut: leave the chunked body unterminated

    # -- OpenAI ----------------------------------------------------------------------------

    def _openai_chat(self, rec: RecordedRequest, fault_kind: str | None) -> None:
        if not self._require(rec, "model", "messages"):
            return
        body = rec.body or {}
        owner = self.server.owner
        model = str(body["model"])
        text = self._reply_or_500(rec)
        if text is None:
            return
        max_tokens = _int_or_none(body.get("max_completion_tokens"))
        if max_tokens is None:
            max_tokens = _int_or_none(body.get("max_tokens"))
        text, reason, _matched = _shape_reply(text, max_tokens, _as_str_list(body.get("stop")))
        finish_reason = "length" if reason == "max_tokens" else "stop"
        completion_id = owner._new_id("chatcmpl-fake")
        created = int(time.time())
        prompt_tokens = input_token_count(body)
        completion_tokens = count_words(text)
        usage = {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        }
        if not rec.stream:
            self._send_json(
                200,
                {
                    "id": completion_id,
                    "object": "chat.completion",
                    "created": created,
                    "model": model,
                    "system_fingerprint": None,
                    "choices": [
                        {
                            "index": 0,
                            "message": {"role": "assistant", "content": text, "refusal": None},
                            "logprobs": None,
                            "finish_reason": finish_reason,
                        }
                    ],
                    "usage": usage,
                },
                fault_kind,
            )
            return

        options = body.get("stream_options")
        include_usage = isinstance(options, dict) and options.get("include_usage") is True

        def chunk(delta: dict[str, Any], finish: str | None) -> dict[str, Any]:
            data: dict[str, Any] = {
                "id": completion_id,
                "object": "chat.completion.chunk",
                "created": created,
                "model": model,
                "system_fingerprint": None,
                "choices": [
                    {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}
                ],
            }
            if include_usage:
                data["usage"] = None
            return data

        head = [chunk({"role": "assistant", "content": ""}, None)]
        deltas = [chunk({"content": piece}, None) for piece in _split_for_stream(text)]
        tail = [chunk({}, finish_reason)]
        if include_usage:
            tail.append(dict(chunk({}, None), choices=[], usage=usage))

        def frame(data: dict[str, Any] | str) -> bytes:
            payload = data if isinstance(data, str) else json.dumps(data)
            return f"data: {payload}\n\n".encode()

        self._start_stream()
        if fault_kind is None:
            self._write_events(frame(c) for c in [*head, *deltas, *tail, "[DONE]"])
            self._end_stream()
            return
        self._write_events(frame(c) for c in head + deltas[:_STREAM_PREFIX_DELTAS])
        if fault_kind == "stream_overload":
            err = {
                "error": {
                    "message": "Overloaded",
                    "type": "server_error",
                    "param": None,
                    "code": "overloaded",
                }
            }
            self._write_events([frame(err)])
            self._end_stream()
        self.close_connection = True

    # -- response writing ------------------------------------------------------------------

    def _common_headers(self) -> list[tuple[str, str]]:
        request_id = self.server.owner._new_id("req_fake")
        if self._flavor == ANTHROPIC:
            return [("request-id", request_id)]
        return [("x-request-id", request_id)]

    def _send_raw(
        self,
        code: int,
        payload: bytes,
        content_type: str,
        extra_headers: Iterable[tuple[str, str]] = (),
        *,
        truncate: bool = False,
    ) -> None:
        self.send_response(code, _reason_phrase(code))
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        for name, value in [*self._common_headers(), *extra_headers]:
            self.send_header(name, value)
        self.end_headers()
        if truncate:
            self.wfile.write(payload[: len(payload) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(payload)
        self.wfile.flush()

    def _send_json(self, code: int, obj: Any, fault_kind: str | None = None) -> None:
        # stream_cut on a non-streaming response: announce the full length, send half, close.
        self._send_raw(
            code,
            json.dumps(obj).encode(),
            "application/json",
            truncate=fault_kind == "stream_cut",
        )

    def _send_error(
        self,
        code: int,
        *,
        error_type: str | None = None,
        message: str | None = None,
        retry_after: float | None = None,
        should_retry: bool | None = None,
        extra_headers: Iterable[tuple[str, str]] = (),
    ) -> None:
        message = message or f"Fake error {code} ({_reason_phrase(code)})"
        if self._flavor == ANTHROPIC:
            etype = error_type or _ANTHROPIC_ERROR_TYPES.get(
                code, "api_error" if code >= 500 else "invalid_request_error"
            )
            body: dict[str, Any] = {"type": "error", "error": {"type": etype, "message": message}}
        else:
            default_type, default_code = _OPENAI_ERROR_TYPES.get(
                code, ("server_error" if code >= 500 else "invalid_request_error", None)
            )
            body = {
                "error": {
                    "message": message,
                    "type": error_type or default_type,
                    "param": None,
                    "code": default_code,
                }
            }
        headers: list[tuple[str, str]] = []
        if retry_after is not None:
            headers.append(("retry-after", format(retry_after, "g")))
        if should_retry is not None:
            headers.append(("x-should-retry", "true" if should_retry else "false"))
        headers.extend(extra_headers)
        self._send_raw(code, json.dumps(body).encode(), "application/json", headers)

    def _start_stream(self) -> None:
        self.send_response(200, "OK")
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        for name, value in self._common_headers():
            self.send_header(name, value)
        self.end_headers()

    def _write_events(self, frames: Iterable[bytes]) -> None:
        owner = self.server.owner
        for i, data in enumerate(frames):
            if i and owner.chunk_delay > 0 and not owner._sleep(owner.chunk_delay):
                raise _Abort
            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
            self.wfile.flush()

    def _end_stream(self) -> None:
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def _reset_connection(self) -> None:
        """Close with SO_LINGER 0 so the kernel sends RST instead of FIN."""
        sock = self.connection
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        # The buffered reader holds a reference to the socket; drop it so close() is real.
        with contextlib.suppress(OSError):
            self.rfile.close()
        sock.close()


# --------------------------------------------------------------------------------------------
# The server
# --------------------------------------------------------------------------------------------


class FakeLLMServer:
    """TEST DOUBLE - a local HTTP server faking the Anthropic and OpenAI APIs.

    Use as a context manager (or call :meth:`start` / :meth:`stop`). Attributes may be changed
    at any time, also while the server runs:

    ``reply``            str, or callable(RecordedRequest) -> str; default names the model
    ``latency``          seconds slept before answering every request
    ``latency_by_model`` {model: seconds}, overrides ``latency`` for that request model
    ``chunk_delay``      seconds slept between SSE events of a stream (default 0)
    ``models``           ids listed by ``GET /v1/models``
    ``requests``         list of :class:`RecordedRequest`, in arrival order
    ``errors``           unexpected exceptions raised inside the server (should stay empty)
    """

    def __init__(
        self,
        *,
        reply: Reply | None = None,
        latency: float = 0.0,
        latency_by_model: Mapping[str, float] | None = None,
        models: Iterable[str] | None = None,
        chunk_delay: float = 0.0,
    ) -> None:
        self.reply: Reply | None = reply
        self.latency = float(latency)
        self.latency_by_model: dict[str, float] = dict(latency_by_model or {})
        self.models: list[str] = list(models or ["fake-model-a", "fake-model-b"])
        self.chunk_delay = float(chunk_delay)
        self.requests: list[RecordedRequest] = []
        self.errors: list[BaseException] = []
        self._lock = threading.Lock()
        self._faults: collections.deque[Fault] = collections.deque()
        self._ids = itertools.count(1)
        self._stop = threading.Event()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> FakeLLMServer:
        if self._httpd is not None:
            return self
        self._stop.clear()
        self._httpd = _HTTPServer(self)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="fake-llm-server",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self, timeout: float = 2.0) -> None:
        """Stop serving, interrupt sleeping handlers, drop open connections, join threads."""
        httpd, thread = self._httpd, self._thread
        if httpd is None:
            return
        self._stop.set()
        httpd.shutdown()
        httpd.drop_connections(timeout)
        httpd.server_close()
        if thread is not None:
            thread.join(timeout)
        self._httpd = None
        self._thread = None

    close = stop

    def __enter__(self) -> FakeLLMServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("FakeLLMServer is not running")
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def running(self) -> bool:
        return self._httpd is not None

    def live_threads(self) -> list[threading.Thread]:
        """Server and connection threads still alive (for leak checks)."""
        threads = [self._thread] if self._thread is not None and self._thread.is_alive() else []
        if self._httpd is not None:
            threads += self._httpd.live_connection_threads()
        return threads

    # -- scripting -------------------------------------------------------------------------

    def script(self, *faults: Fault) -> None:
        """Queue actions; each incoming request consumes the next one, FIFO."""
        for fault in faults:
            # Duck-typed, so a Fault imported under another module path (tests.fakes vs fakes)
            # is accepted too.
            if getattr(fault, "kind", None) not in _FAULT_KINDS:
                raise TypeError(f"expected Fault, got {fault!r}")
        with self._lock:
            self._faults.extend(faults)

    def clear_script(self) -> None:
        with self._lock:
            self._faults.clear()

    @property
    def pending_faults(self) -> int:
        with self._lock:
            return len(self._faults)

    # -- internals used by the handler -----------------------------------------------------

    def _record(self, rec: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(rec)

    def _next_fault(self) -> Fault | None:
        with self._lock:
            return self._faults.popleft() if self._faults else None

    def _new_id(self, prefix: str) -> str:
        with self._lock:
            n = next(self._ids)
        return f"{prefix}{n:06d}"

    def _latency_for(self, model: str | None) -> float:
        if model is not None and model in self.latency_by_model:
            return float(self.latency_by_model[model])
        return float(self.latency)

    def _sleep(self, seconds: float) -> bool:
        """Interruptible sleep; False if the server is stopping."""
        if seconds <= 0:
            return not self._stop.is_set()
        return not self._stop.wait(seconds)

    def _reply_for(self, rec: RecordedRequest) -> str:
        reply = self.reply
        if reply is None:
            return f"Fake reply from {rec.model}: the quick brown fox jumps over the lazy dog."
        if callable(reply):
            return str(reply(rec))
        return str(reply)
