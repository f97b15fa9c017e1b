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
* ``POST /v1/completions`` - OpenAI raw text completions (a ``prompt``, no chat), JSON or SSE
* ``GET /v1/models`` and ``GET /v1/models/{id}`` - Anthropic shape when the request carries an
  ``anthropic-version`` or ``x-api-key`` header, else OpenAI shape
* anything else - 404 with a JSON error body

Behaviour is deterministic: the default reply names the requested model, tokens are counted as
whitespace-separated words, ``max_tokens`` truncates the reply to that many words and stop
sequences cut the reply where they first occur.

Faults are queued with :meth:`FakeLLMServer.script`; every request (whatever its path) consumes
the next queued :class:`Fault`, and when the queue is empty requests succeed normally. Every
request is recorded in :attr:`FakeLLMServer.requests` *before* its fault is applied.

The implementation is split along its seams: :mod:`.faults` (``Fault``, ``RecordedRequest``,
token counting and reply shaping), :mod:`.wire_anthropic` and :mod:`.wire_openai` (JSON bodies,
SSE framing and error bodies of each API), :mod:`.handler` (per-request parsing, fault
application, routing and response writing) and this module (the HTTP server and the
``FakeLLMServer`` lifecycle). Import the public names from here.
"""

from __future__ import annotations

import collections
import contextlib
import itertools
import logging
import socket
import socketserver
import sys
import threading
import time
from collections.abc import Iterable, Mapping
from http.server import ThreadingHTTPServer
from typing import Any

from .faults import FAULT_KINDS, Fault, RecordedRequest, Reply
from .faults import count_words as count_words
from .faults import input_token_count as input_token_count
from .handler import _Handler
from .wire_anthropic import ANTHROPIC as ANTHROPIC
from .wire_openai import OPENAI as OPENAI

__all__ = ["FakeLLMServer", "Fault", "RecordedRequest"]

log = logging.getLogger(__name__)


# --------------------------------------------------------------------------------------------
# HTTP plumbing
# --------------------------------------------------------------------------------------------


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
            if getattr(fault, "kind", None) not in FAULT_KINDS:
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
