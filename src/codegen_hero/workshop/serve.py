"""`hero serve`: one local model shared with a room over an OpenAI-compatible API.

Learners without a fast laptop point HERO_ROOM_URL at the instructor's machine and call
`room/<id>`. Behind one port: a small async front (`room_proxy`: keys, per-learner usage,
clear errors, engine restarts) and an engine process on a private loopback port, llama.cpp's
batching `llama-server` where it was built, else llama-cpp-python's server (`engine`). It
listens on loopback unless told otherwise, and its engine ends with it.
"""

from __future__ import annotations

import contextlib
import socket
from dataclasses import dataclass, field
from pathlib import Path

from codegen_hero import settings
from codegen_hero.models.errors import HeroError
from codegen_hero.workshop import room_keys
from codegen_hero.workshop.engine import (
    FALLBACK,
    LLAMA_SERVER,
    EngineError,
    EngineProcess,
    Sizing,
    start_engine,
)

DEFAULT_PORT = 8765  # the registry's default for the room provider
LOOPBACK = ("127.0.0.1", "localhost", "::1")
MAX_SLOTS = 32  # past this many parallel answers a CPU gains nothing; the rest queue
DEFAULT_LEARNERS = 8


class ServeError(HeroError):
    pass


def check_host(host: str, allow_network: bool) -> None:
    if host not in LOOPBACK and not allow_network:
        raise ServeError(
            f"refusing to listen on {host}: anyone on that network could use the model; "
            "pass --allow-network if that is what you want (each learner then gets a key)"
        )


def sizing_for(learners: int, context: int) -> Sizing:
    """One slot per learner (up to MAX_SLOTS; more wait for a free slot), each holding the
    model's whole registered context, so no learner's prompt is cut to share memory."""
    if learners < 1:
        raise ServeError(f"--learners must be at least 1, not {learners}")
    return Sizing(slots=min(learners, MAX_SLOTS), context=context)


def bind(host: str, port: int) -> socket.socket:
    """The listening socket, bound before the engine starts: a busy port fails at once."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # TIME_WAIT after a restart is ok
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise ServeError(f"port {port} on {host} is in use; pick another --port") from None
    sock.listen(256)
    sock.set_inheritable(False)
    return sock


def lan_address() -> str:
    """This machine's address on the local network, as learners would type it (best guess)."""
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.connect(("10.255.255.255", 1))  # UDP connect sends nothing; it only picks a route
        return str(s.getsockname()[0])
    return socket.gethostname()


@dataclass
class RoomServer:
    """Everything `hero serve` runs: the listening socket, the keys, the engine."""

    model: str
    port: int = DEFAULT_PORT
    host: str = "127.0.0.1"
    allow_network: bool = False
    log: Path | None = None
    threads: int | None = None  # default: HERO_THREADS, else every core
    learners: int = DEFAULT_LEARNERS
    keys_file: Path | None = None
    engine_choice: str = "auto"
    engine: EngineProcess | None = field(default=None, repr=False)
    fallback_reason: str | None = None
    keys: list[tuple[str, str]] = field(default_factory=list, repr=False)
    keys_created: bool = False
    sock: socket.socket | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        from codegen_hero.models.registry import load_registry

        check_host(self.host, self.allow_network)
        self.spec = load_registry().get(self.model)
        if self.spec.endpoint.kind != "local":
            raise ServeError(f"hero serve shares a local/… model, not {self.model}")
        self.sizing = sizing_for(self.learners, self.spec.context)

    @property
    def alias(self) -> str:
        return self.spec.model_id

    @property
    def needs_keys(self) -> bool:
        """Beyond loopback always; on loopback when the instructor gave a key file."""
        return self.host not in LOOPBACK or self.keys_file is not None

    @property
    def url(self) -> str:
        """Where this machine reaches the server."""
        host = "127.0.0.1" if self.host in ("0.0.0.0", "localhost") else self.host
        host = "::1" if host == "::" else host
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{self.port}/v1"

    @property
    def room_url(self) -> str:
        """What learners set HERO_ROOM_URL to."""
        if self.host in LOOPBACK:
            return self.url
        host = lan_address() if self.host in ("0.0.0.0", "::") else self.host
        return f"http://{host}:{self.port}/v1"

    def load_keys(self) -> None:
        if self.needs_keys:
            self.keys, self.keys_created = room_keys.load_or_create(self.keys_file, self.learners)

    def start(self) -> None:
        """Bind, read or make the keys, start an engine (llama-server, else the fallback)."""
        from codegen_hero.models.local_files import ensure_ready

        self.sock = bind(self.host, self.port)
        self.port = int(self.sock.getsockname()[1])  # --port 0: the system picks one
        try:
            self.load_keys()
            path = ensure_ready(self.spec)  # verified by sha256 before it is ever loaded
            threads = self.threads or settings.threads()
            self.engine, self.fallback_reason = start_engine(
                self.engine_choice, self.spec, path, self.sizing, threads, self.log
            )
        except (EngineError, HeroError, OSError) as exc:
            self.close()
            raise ServeError(str(exc)) from None

    def app(self):  # -> Starlette (imported lazily: only `hero serve` needs it)
        from codegen_hero.workshop.room_proxy import Room, build_app

        assert self.engine is not None
        keys = room_keys.room_keys(self.keys) if self.needs_keys else None
        return build_app(Room(self.engine, keys, self.alias))

    def run(self) -> None:
        """Serve until SIGINT/SIGTERM (uvicorn's own handlers stop it gracefully)."""
        import uvicorn

        assert self.sock is not None
        config = uvicorn.Config(
            self.app(),
            log_level="warning",
            access_log=False,
            lifespan="on",
            timeout_graceful_shutdown=5,
        )
        uvicorn.Server(config).run(sockets=[self.sock])

    def close(self) -> None:
        if self.engine is not None:
            self.engine.close()
        if self.sock is not None:
            self.sock.close()
            self.sock = None


def engine_line(server: RoomServer) -> str:
    engine = server.engine
    if engine is None:
        return "Engine: not started."
    if engine.kind == LLAMA_SERVER:
        what = (
            f"llama.cpp's llama-server, {engine.sizing.slots} parallel slots (continuous "
            f"batching) of {engine.sizing.context} tokens each"
        )
    else:
        what = f"{FALLBACK}'s server, one request at a time, {engine.sizing.context} tokens"
    reason = (
        f" (llama-server unavailable: {server.fallback_reason})" if server.fallback_reason else ""
    )
    return f"Engine: {what}{reason}; engine pid {engine.pid}."


def instructions(server: RoomServer) -> list[str]:
    """What to tell the room, in the order they need it (keys only to this terminal)."""
    from codegen_hero.models.registry import load_registry

    name = f"room/{server.alias}"
    models = load_registry().models
    if name in models:
        registered = f"{name} is in the registry, with its price."
    else:
        known = ", ".join(sorted(n for n in models if n.startswith("room/"))) or "none"
        registered = (
            f"{name} is not in the registry (its room entries: {known}): it works, as any "
            "room/<name> does, but with no price, so HERO_BUDGET_USD refuses it."
        )
    lines = [
        f"Serving {server.model} as {server.alias!r} on {server.url}.",
        engine_line(server),
        f"Learners set:  HERO_ROOM_URL={server.room_url}",
        f"and call the model  {name}",
        registered,
    ]
    if server.keys:
        lines += key_lines(server)
    if server.host not in LOOPBACK:
        lines.insert(0, f"Listening on {server.host}: only holders of a key can use the model.")
    lines.append(
        f"Instructor's view: `hero serve status --port {server.port}` or "
        f"http://127.0.0.1:{server.port}/hero/ (this machine only)."
    )
    if server.engine is not None and server.engine.kind != LLAMA_SERVER:
        lines.append(
            "Requests are answered one at a time: with a big room, expect a queue. Build "
            "llama-server once (`bash scripts/llama-server.sh`) to answer learners in parallel."
        )
    return lines


def key_lines(server: RoomServer) -> list[str]:
    where = f" (saved in {server.keys_file})" if server.keys_file else ""
    lines = [
        f"Each learner sets their own key{where}:  export {room_keys.KEY_ENV}=<their key>",
        "(in the shell before starting Jupyter, or in JupyterHub's environment; never in a "
        "notebook). Requests without a valid key get 401.",
    ]
    if server.keys_created and server.keys_file is None:
        lines.append(
            "These keys last until hero serve stops; to keep them across restarts, pass "
            "--keys FILE (created once, then reused)."
        )
    if server.keys_file is None:  # nowhere else to find them: shown here, once
        lines += [f"  {label}: {key}" for label, key in server.keys]
    else:
        labels = ", ".join(label for label, _ in server.keys)
        lines.append(f"{len(server.keys)} keys, one per learner: {labels}")
    return lines


def instructor_status(port: int, host: str = "127.0.0.1") -> dict:
    """The running server's view of the room (served to loopback callers only)."""
    import json
    import urllib.error
    import urllib.request

    target = "127.0.0.1" if host in ("0.0.0.0", "localhost") else host
    target = f"[{target}]" if ":" in target else target
    url = f"http://{target}:{port}/hero/status"
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return dict(json.load(response))
    except (OSError, ValueError, urllib.error.URLError) as exc:
        raise ServeError(f"no hero serve answers on port {port} ({exc})") from None
