"""The front of `hero serve`: keys, per-learner usage, one clear error per learner.

A small async proxy (Starlette on uvicorn, httpx2 to the engine) in front of the engine
process. It checks each learner's key (401 without a valid one), refuses a request that
cannot fit in a learner's context before the engine sees it, streams answers through,
counts requests and tokens per learner (by label, never by key), and restarts the engine
when it dies. Other learners' requests never wait on one learner's error.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import asdict, dataclass, field
from typing import Any

import httpx2
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from codegen_hero.workshop.engine import LLAMA_SERVER, EngineError, EngineProcess
from codegen_hero.workshop.room_keys import KEY_ENV, RoomKeys

OPEN_ROOM = "(no key)"  # the label for every request when the room takes no keys
LOOPBACK_CLIENTS = ("127.0.0.1", "::1", "localhost")
MAX_RESTARTS = 3  # within RESTART_WINDOW_S; past that the engine is declared failed
RESTART_WINDOW_S = 300.0
POLL_S = 0.5
ENGINE_TIMEOUT = httpx2.Timeout(600.0, connect=5.0)


def error(status: int, message: str, kind: str = "invalid_request_error") -> JSONResponse:
    """OpenAI's error shape: the SDKs turn it into one exception with this message."""
    return JSONResponse({"error": {"message": message, "type": kind, "code": status}}, status)


@dataclass
class Usage:
    requests: int = 0
    errors: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    active: int = 0
    last_seen: float | None = None
    last_error: str = ""


@dataclass
class EngineState:
    """What the instructor's view says about the engine."""

    state: str = "running"  # running | restarting | failed | stopped
    restarts: list[float] = field(default_factory=list)
    message: str = ""


class Supervisor:
    """Watches the engine process; restarts it when it dies, up to MAX_RESTARTS in a window."""

    def __init__(self, engine: EngineProcess, start_timeout: float = 120.0) -> None:
        self.engine = engine
        self.status = EngineState()
        self.start_timeout = start_timeout
        self._stopping = False

    @property
    def ready(self) -> bool:
        return self.state == "running"

    @property
    def state(self) -> str:
        """What is true now: a dead engine is restarting even before the watcher wakes."""
        dead = self.status.state == "running" and not self.engine.alive()
        return "restarting" if dead else self.status.state

    async def watch(self) -> None:
        while not self._stopping:
            await asyncio.sleep(POLL_S)
            if self._stopping or self.engine.alive():
                continue
            code = self.engine.process.returncode if self.engine.process else None
            now = time.monotonic()
            recent = [t for t in self.status.restarts if now - t < RESTART_WINDOW_S]
            if len(recent) >= MAX_RESTARTS:
                self.status.state = "failed"
                self.status.message = (
                    f"the engine died {len(recent) + 1} times in {RESTART_WINDOW_S / 60:g} "
                    f"minutes (last exit code {code}); restart hero serve"
                )
                return
            self.status.state = "restarting"
            self.status.message = f"the engine exited (code {code}); restarting it"
            self.status.restarts = [*recent, now]
            try:
                await asyncio.to_thread(self._restart)
            except (EngineError, OSError) as exc:
                self.status.state = "failed"
                self.status.message = f"the engine could not be restarted: {exc}"
                return
            self.status.state, self.status.message = "running", ""

    def _restart(self) -> None:
        self.engine.stop()  # reap what is left
        self.engine.start()
        self.engine.wait_ready(self.start_timeout)

    def stop(self) -> None:
        self._stopping = True
        self.status.state = "stopped"

    def unavailable(self) -> JSONResponse:
        if self.status.state == "failed":
            return error(
                503,
                f"the room's model is down: {self.status.message}. Tell the instructor.",
                "server_error",
            )
        return error(
            503, "the room's model is restarting; try again in a few seconds.", "server_error"
        )


class Room:
    """The proxy's state: keys, per-learner usage, the engine and its supervisor."""

    def __init__(self, engine: EngineProcess, keys: RoomKeys | None, model: str) -> None:
        self.engine = engine
        self.keys = keys
        self.model = model
        self.supervisor = Supervisor(engine)
        self.usage: dict[str, Usage] = {label: Usage() for label in (keys.labels if keys else [])}
        self.started = time.time()
        self.client: httpx2.AsyncClient | None = None

    # -------------------------------------------------------------- helpers
    def learner(self, request: Request) -> str | None:
        """The caller's label, or None when the room takes keys and this one is not valid."""
        if self.keys is None:
            return OPEN_ROOM
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        return self.keys.label_for(token.strip()) if scheme.lower() == "bearer" else None

    def _usage(self, label: str) -> Usage:
        return self.usage.setdefault(label, Usage())

    def failed(self, usage: Usage, response: JSONResponse) -> JSONResponse:
        usage.errors += 1
        usage.last_error = json.loads(bytes(response.body))["error"]["message"][:200]
        return response

    def unauthorized(self) -> JSONResponse:
        return error(
            401,
            f"this room server needs your own key: set {KEY_ENV} to the key your instructor "
            "gave you (and HERO_ROOM_URL to the server's address).",
            "authentication_error",
        )

    async def _engine(self, method: str, path: str, **kwargs: Any) -> httpx2.Response:
        assert self.client is not None
        return await self.client.request(
            method, self.engine.url + path, headers=self.engine.headers(), **kwargs
        )

    async def _prompt_tokens(self, body: dict[str, Any]) -> int | None:
        """llama-server counts a chat request's prompt tokens without running it."""
        if self.engine.kind != LLAMA_SERVER:
            return None
        try:
            counted = await self._engine("POST", "/v1/chat/completions/input_tokens", json=body)
        except httpx2.TransportError:
            return None
        if counted.status_code != 200:
            return None
        value = counted.json().get("input_tokens")
        return int(value) if isinstance(value, int) else None

    def too_long(self, prompt: int, wanted: int | None) -> str | None:
        limit = self.engine.sizing.context
        if prompt >= limit:
            return (
                f"the prompt is {prompt} tokens, more than the {limit} tokens each learner gets "
                "on this room server: shorten it (fewer examples or less context)."
            )
        if wanted is not None and prompt + wanted > limit:
            return (
                f"the prompt ({prompt} tokens) plus the answer asked for ({wanted} tokens) is "
                f"more than the {limit} tokens each learner gets on this room server: ask for "
                f"at most {limit - prompt} tokens, or shorten the prompt."
            )
        return None

    # -------------------------------------------------------------- routes
    async def health(self, request: Request) -> JSONResponse:
        state = self.supervisor.state
        return JSONResponse(
            {"status": state, "engine": self.engine.kind}, 200 if state == "running" else 503
        )

    async def models(self, request: Request) -> Response:
        if self.learner(request) is None:
            return self.unauthorized()
        if not self.supervisor.ready:
            return self.supervisor.unavailable()
        try:
            listed = await self._engine("GET", "/v1/models")
        except httpx2.TransportError:
            return self.supervisor.unavailable()
        return Response(listed.content, listed.status_code, media_type="application/json")

    async def completion(self, request: Request) -> Response:
        label = self.learner(request)
        if label is None:
            return self.unauthorized()
        usage = self._usage(label)
        usage.requests += 1
        usage.last_seen = time.time()
        try:
            body = json.loads(await request.body())
        except (ValueError, UnicodeDecodeError):
            return self.failed(usage, error(400, "the request body is not valid JSON."))
        chat = request.url.path.endswith("/chat/completions")
        problem = self._malformed(body, chat)
        if problem:
            return self.failed(usage, error(400, problem))
        if not self.supervisor.ready:
            return self.failed(usage, self.supervisor.unavailable())
        if chat:
            prompt = await self._prompt_tokens(body)
            wanted = body.get("max_tokens", body.get("max_completion_tokens"))
            reason = self.too_long(prompt, wanted) if prompt is not None else None
            if reason:
                return self.failed(usage, error(400, reason, "context_length_exceeded"))
        return await self._forward(request.url.path, body, usage)

    @staticmethod
    def _malformed(body: Any, chat: bool) -> str | None:
        if not isinstance(body, dict):
            return "the request body must be a JSON object."
        if chat:
            messages = body.get("messages")
            if not isinstance(messages, list) or not messages:
                return "'messages' must be a non-empty list of {role, content} objects."
            if not all(isinstance(m, dict) and "role" in m for m in messages):
                return "every message needs a 'role' and a 'content'."
        elif "prompt" not in body:
            return "'prompt' is missing."
        for name in ("max_tokens", "max_completion_tokens"):
            value = body.get(name)
            if value is not None and (not isinstance(value, int) or value < 1):
                return f"'{name}' must be a positive whole number."
        return None

    async def _forward(self, path: str, body: dict[str, Any], usage: Usage) -> Response:
        assert self.client is not None
        upstream = self.client.build_request(
            "POST", self.engine.url + path, json=body, headers=self.engine.headers()
        )
        usage.active += 1
        try:
            answer = await self.client.send(upstream, stream=True)
        except httpx2.TransportError:
            usage.active -= 1
            return self.failed(usage, self.supervisor.unavailable())
        if answer.status_code != 200:
            usage.active -= 1
            content = await answer.aread()
            await answer.aclose()
            return self.failed(usage, self._engine_refusal(answer.status_code, content))
        if body.get("stream"):
            return StreamingResponse(self._relay(answer, usage), media_type="text/event-stream")
        try:
            content = await answer.aread()
        except httpx2.TransportError:
            return self.failed(usage, self.supervisor.unavailable())
        finally:
            usage.active -= 1
            await answer.aclose()
        with contextlib.suppress(ValueError, AttributeError):
            self._count(usage, json.loads(content))
        return Response(content, 200, media_type="application/json")

    def _engine_refusal(self, status: int, content: bytes) -> JSONResponse:
        try:
            detail = json.loads(content).get("error", {})
        except (ValueError, AttributeError):
            detail = {}
        detail = detail if isinstance(detail, dict) else {}
        message = str(detail.get("message") or f"status {status}")
        if detail.get("type") == "exceed_context_size_error":  # llama-server
            prompt = int(detail.get("n_prompt_tokens") or self.engine.sizing.context)
            reason = self.too_long(max(prompt, self.engine.sizing.context), None) or message
            return error(400, reason, "context_length_exceeded")
        if detail.get("code") == "context_length_exceeded":  # llama-cpp-python's server
            return error(400, message, "context_length_exceeded")
        kind = "server_error" if status >= 500 else "invalid_request_error"
        return error(status if status >= 400 else 502, f"the model engine refused: {message}", kind)

    async def _relay(self, answer: httpx2.Response, usage: Usage) -> AsyncIterator[bytes]:
        """Stream the engine's events through; closing early (learner gone) frees the slot."""
        try:
            async for line in answer.aiter_lines():
                if line.startswith("data: {"):
                    with contextlib.suppress(ValueError):
                        self._count(usage, json.loads(line[6:]), streaming=True)
                yield (line + "\n").encode()
        except httpx2.TransportError:
            usage.errors += 1
            usage.last_error = "the engine stopped mid-answer"
            message = {
                "error": {
                    "message": "the room's model stopped mid-answer; it is being "
                    "restarted: try again in a few seconds.",
                    "type": "server_error",
                }
            }
            yield f"data: {json.dumps(message)}\n\n".encode()
        finally:
            usage.active -= 1
            await answer.aclose()

    @staticmethod
    def _count(usage: Usage, data: dict[str, Any], streaming: bool = False) -> None:
        counted = data.get("usage") or {}
        timings = data.get("timings") or {}
        if counted.get("completion_tokens") is not None:
            usage.prompt_tokens += int(counted.get("prompt_tokens") or 0)
            usage.completion_tokens += int(counted["completion_tokens"])
        elif timings.get("predicted_n") is not None:
            usage.prompt_tokens += int(timings.get("prompt_n") or 0)
            usage.completion_tokens += int(timings["predicted_n"])
        elif streaming and any(
            (c.get("delta") or {}).get("content") for c in data.get("choices") or []
        ):
            usage.completion_tokens += 1  # an engine that reports no usage: one token per piece

    async def not_found(self, request: Request) -> JSONResponse:
        return error(404, f"this room server has no {request.url.path}", "not_found_error")

    # -------------------------------------------------------------- the instructor's view
    def snapshot(self) -> dict[str, Any]:
        status = self.supervisor.status
        return {
            "model": self.model,
            "engine": self.engine.kind,
            "engine_pid": self.engine.pid,
            "state": self.supervisor.state,
            "message": status.message,
            "restarts": len(status.restarts),
            "slots": self.engine.sizing.slots,
            "context_per_learner": self.engine.sizing.context,
            "keys": self.keys is not None,
            "started": self.started,
            "learners": [{"label": label, **asdict(u)} for label, u in sorted(self.usage.items())],
        }

    def _instructor_only(self, request: Request) -> bool:
        return bool(request.client) and request.client.host in LOOPBACK_CLIENTS  # type: ignore[union-attr]

    async def status(self, request: Request) -> JSONResponse:
        if not self._instructor_only(request):
            return error(
                403,
                "the room's status is shown on the instructor's machine only",
                "permission_error",
            )
        return JSONResponse(self.snapshot())

    async def status_page(self, request: Request) -> Response:
        if not self._instructor_only(request):
            return error(
                403,
                "the room's status is shown on the instructor's machine only",
                "permission_error",
            )
        return HTMLResponse(status_html(self.snapshot()))


def last_seen_text(when: float | None, now: float | None = None) -> str:
    if when is None:
        return "never"
    ago = max(0, int((now or time.time()) - when))
    return f"{ago} s ago" if ago < 120 else f"{ago // 60} min ago"


def status_html(snap: dict[str, Any]) -> str:
    rows = "".join(
        f"<tr><td>{html.escape(row['label'])}</td><td>{row['requests']}</td>"
        f"<td>{row['errors']}</td><td>{row['prompt_tokens']}</td>"
        f"<td>{row['completion_tokens']}</td><td>{row['active']}</td>"
        f"<td>{last_seen_text(row['last_seen'])}</td>"
        f"<td>{html.escape(row['last_error'])}</td></tr>"
        for row in snap["learners"]
    )
    head = (
        f"{html.escape(snap['model'])} on {html.escape(snap['engine'])}: {snap['state']}"
        f" {html.escape(snap['message'])} ({snap['slots']} slots of "
        f"{snap['context_per_learner']} tokens, {snap['restarts']} restarts)"
    )
    return (
        "<!doctype html><meta charset=utf-8><meta http-equiv=refresh content=5>"
        "<title>hero serve status</title><style>body{font-family:sans-serif}"
        "td,th{padding:2px 10px;text-align:left}</style>"
        f"<h1>Room server</h1><p>{head}</p><table><tr><th>learner</th><th>requests</th>"
        "<th>errors</th><th>prompt tokens</th><th>answer tokens</th><th>now</th>"
        f"<th>last seen</th><th>last error</th></tr>{rows}</table>"
    )


def build_app(room: Room) -> Starlette:
    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        room.client = httpx2.AsyncClient(
            timeout=ENGINE_TIMEOUT,
            limits=httpx2.Limits(max_connections=None, max_keepalive_connections=64),
        )
        watcher = asyncio.create_task(room.supervisor.watch())
        try:
            yield
        finally:
            room.supervisor.stop()
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher
            await room.client.aclose()

    handler = Callable[[Request], Awaitable[Response]]
    routes: list[tuple[str, handler, list[str]]] = [
        ("/health", room.health, ["GET"]),
        ("/v1/models", room.models, ["GET"]),
        ("/v1/chat/completions", room.completion, ["POST"]),
        ("/v1/completions", room.completion, ["POST"]),
        ("/hero/status", room.status, ["GET"]),
        ("/hero/", room.status_page, ["GET"]),
        ("/{path:path}", room.not_found, ["GET", "POST", "PUT", "DELETE"]),
    ]
    return Starlette(
        routes=[Route(path, fn, methods=methods) for path, fn, methods in routes],
        lifespan=lifespan,
    )
