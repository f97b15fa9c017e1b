"""TEST DOUBLE support for :mod:`tests.fakes.llm_server`: the per-request HTTP handler.

Parses and records each request, applies the next scripted :class:`~tests.fakes.faults.Fault`,
routes to the Anthropic or OpenAI wire format and writes the response (JSON, chunked SSE, or a
deliberately broken one). Never used by production code.
"""

from __future__ import annotations

import contextlib
import http
import json
import logging
import socket
import struct
import time
from collections.abc import Iterable
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, unquote, urlsplit

from . import wire_anthropic, wire_openai
from .faults import STREAM_PREFIX_DELTAS, EventStream, Fault, RecordedRequest
from .wire_anthropic import ANTHROPIC
from .wire_openai import OPENAI

if TYPE_CHECKING:
    from .llm_server import _HTTPServer

# Same logger name as before the server was split into modules.
log = logging.getLogger(__name__.rpartition(".")[0] + ".llm_server")


def _reason_phrase(code: int) -> str:
    if code == 529:
        return "Overloaded"
    try:
        return http.HTTPStatus(code).phrase
    except ValueError:
        return "Error"


class _Abort(Exception):
    """Stop handling this request and drop the connection without writing anything more."""


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
        self._wire = wire_anthropic if flavor == ANTHROPIC else wire_openai
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
        streaming = rec.stream and rec.path in (
            "/v1/messages",
            "/v1/chat/completions",
            "/v1/completions",
        )
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
                self._start_stream()
                self._write_events([self._wire.MALFORMED_EVENT])
                self._end_stream()
            else:
                self._send_raw(200, b'{"id": "msg_malformed", "type": "mess', "application/json")
            return
        elif kind == "stream_overload" and not streaming:
            self._send_error(self._wire.OVERLOAD_STATUS, message="Overloaded")
            return
        self._route(rec, fault_kind=kind if kind in ("stream_overload", "stream_cut") else None)

    # -- routing ---------------------------------------------------------------------------

    def _route(self, rec: RecordedRequest, fault_kind: str | None) -> None:
        owner = self.server.owner
        method, path = rec.method, rec.path
        if method == "POST" and path == "/v1/messages":
            self._anthropic_messages(rec, fault_kind)
        elif method == "POST" and path == "/v1/messages/count_tokens":
            if not self._require(rec, *wire_anthropic.COUNT_TOKENS_FIELDS):
                return
            self._send_json(200, wire_anthropic.count_tokens(rec.body), fault_kind)
        elif method == "POST" and path == "/v1/chat/completions":
            self._openai_chat(rec, fault_kind)
        elif method == "POST" and path == "/v1/completions":
            self._openai_text(rec, fault_kind)
        elif method == "GET" and path == "/v1/models":
            self._send_json(200, self._wire.models_page(rec.query, list(owner.models)), fault_kind)
        elif method == "GET" and path.startswith("/v1/models/"):
            model_id = unquote(path[len("/v1/models/") :])
            if model_id not in owner.models:
                self._send_error(404, message=f"model: {model_id}")
                return
            self._send_json(200, self._wire.model_obj(model_id), fault_kind)
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

    def _anthropic_messages(self, rec: RecordedRequest, fault_kind: str | None) -> None:
        if not self._require(rec, *wire_anthropic.MESSAGES_FIELDS):
            return
        text = self._reply_or_500(rec)
        if text is None:
            return
        msg_id = self.server.owner._new_id("msg_fake")
        message = wire_anthropic.message(rec.body or {}, text, msg_id)
        if not rec.stream:
            self._send_json(200, message, fault_kind)
            return
        stream = wire_anthropic.message_stream(message)
        self._send_stream(stream, wire_anthropic.OVERLOAD_EVENT, fault_kind)

    def _openai_chat(self, rec: RecordedRequest, fault_kind: str | None) -> None:
        if not self._require(rec, *wire_openai.CHAT_FIELDS):
            return
        body = rec.body or {}
        text = self._reply_or_500(rec)
        if text is None:
            return
        completion_id = self.server.owner._new_id("chatcmpl-fake")
        completion = wire_openai.chat_completion(body, text, completion_id, int(time.time()))
        if not rec.stream:
            self._send_json(200, completion, fault_kind)
            return
        stream = wire_openai.chat_stream(body, completion)
        self._send_stream(stream, wire_openai.OVERLOAD_EVENT, fault_kind)

    def _openai_text(self, rec: RecordedRequest, fault_kind: str | None) -> None:
        if not self._require(rec, *wire_openai.TEXT_FIELDS):
            return
        body = rec.body or {}
        text = self._reply_or_500(rec)
        if text is None:
            return
        completion_id = self.server.owner._new_id("cmpl-fake")
        completion = wire_openai.text_completion(body, text, completion_id, int(time.time()))
        if not rec.stream:
            self._send_json(200, completion, fault_kind)
            return
        stream = wire_openai.text_stream(body, completion)
        self._send_stream(stream, wire_openai.OVERLOAD_EVENT, fault_kind)

    # -- response writing ------------------------------------------------------------------

    def _common_headers(self) -> list[tuple[str, str]]:
        request_id = self.server.owner._new_id("req_fake")
        return [(self._wire.REQUEST_ID_HEADER, request_id)]

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
        body = self._wire.error_body(code, error_type, message)
        headers: list[tuple[str, str]] = []
        if retry_after is not None:
            headers.append(("retry-after", format(retry_after, "g")))
        if should_retry is not None:
            headers.append(("x-should-retry", "true" if should_retry else "false"))
        headers.extend(extra_headers)
        self._send_raw(code, json.dumps(body).encode(), "application/json", headers)

    def _send_stream(
        self, stream: EventStream, overload_event: bytes, fault_kind: str | None
    ) -> None:
        """Send ``stream`` whole, or cut short by a ``stream_overload`` / ``stream_cut`` fault."""
        self._start_stream()
        if fault_kind is None:
            self._write_events([*stream.head, *stream.deltas, *stream.tail])
            self._end_stream()
            return
        self._write_events([*stream.head, *stream.deltas[:STREAM_PREFIX_DELTAS]])
        if fault_kind == "stream_overload":
            self._write_events([overload_event])
            self._end_stream()
        self.close_connection = True  # stream_cut: leave the chunked body unterminated

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
