"""`hero serve`: one local model shared with the room over an OpenAI-compatible API.

Learners without a fast laptop point HERO_ROOM_URL at the instructor's machine and call
`room/<id>`. The server is llama-cpp-python's own (`python -m llama_cpp.server`, extra
`llama-cpp-python[server]`); this module picks the verified model file, the chat format from
the registry and all the cores, listens on loopback unless told otherwise, and makes sure
the server process ends with it.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from codegen_hero import settings
from codegen_hero.models.errors import HeroError

DEFAULT_PORT = 8765  # the registry's default for the room provider
LOOPBACK = ("127.0.0.1", "localhost", "::1")
SERVER_EXTRA = ("fastapi", "uvicorn", "sse_starlette", "starlette_context", "pydantic_settings")
STOP_GRACE_S = 10.0
PR_SET_PDEATHSIG = 1


class ServeError(HeroError):
    pass


def missing_server_packages() -> list[str]:
    return [name for name in SERVER_EXTRA if importlib.util.find_spec(name) is None]


def check_host(host: str, allow_network: bool) -> None:
    if host not in LOOPBACK and not allow_network:
        raise ServeError(
            f"refusing to listen on {host}: anyone on that network could use the model; "
            "pass --allow-network if that is what you want"
        )


def port_free(host: str, port: int) -> bool:
    """Could the server listen here? (A port left in TIME_WAIT by a restart counts as free.)"""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does: a
        try:  # port in TIME_WAIT after a restart is free, one with a listener is not
            probe.bind((host, port))
        except OSError:
            return False
    return True


def lan_address() -> str:
    """This machine's address on the local network, as learners would type it (best guess)."""
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.connect(("10.255.255.255", 1))  # UDP connect sends nothing; it only picks a route
        return str(s.getsockname()[0])
    return socket.gethostname()


def _die_with_parent() -> None:
    """Linux: the server gets SIGTERM if `hero serve` itself is killed (no stray server)."""
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


@dataclass
class RoomServer:
    """The llama.cpp server for one registered local model; a context manager."""

    model: str
    port: int = DEFAULT_PORT
    host: str = "127.0.0.1"
    allow_network: bool = False
    log: Path | None = None
    threads: int | None = None  # default: HERO_THREADS, else every core
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        from codegen_hero.models.registry import load_registry

        check_host(self.host, self.allow_network)
        self.spec = load_registry().get(self.model)
        if self.spec.endpoint.kind != "local":
            raise ServeError(f"hero serve shares a local/… model, not {self.model}")

    @property
    def alias(self) -> str:
        return self.spec.model_id

    @property
    def url(self) -> str:
        """Where this machine reaches the server."""
        host = "127.0.0.1" if self.host in ("0.0.0.0", "localhost") else self.host
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{self.port}/v1"

    @property
    def room_url(self) -> str:
        """What learners set HERO_ROOM_URL to."""
        if self.host in LOOPBACK:
            return self.url
        host = lan_address() if self.host in ("0.0.0.0", "::") else self.host
        return f"http://{host}:{self.port}/v1"

    def command(self, model_path: Path) -> list[str]:
        threads = str(self.threads or settings.threads())
        argv = [sys.executable, "-m", "llama_cpp.server", "--model", str(model_path)]
        argv += ["--model_alias", self.alias, "--n_threads", threads, "--n_threads_batch", threads]
        argv += ["--n_ctx", str(self.spec.context), "--host", self.host, "--port", str(self.port)]
        if self.spec.chat_format:
            argv += ["--chat_format", self.spec.chat_format]
        return argv

    def start(self) -> None:
        from codegen_hero.models.local_files import ensure_ready

        missing = missing_server_packages()
        if missing:
            raise ServeError(
                f"the server needs llama-cpp-python[server] (missing: {', '.join(missing)}); "
                "install the project's workshop extra"
            )
        if not port_free(self.host, self.port):
            raise ServeError(f"port {self.port} on {self.host} is in use; pick another --port")
        path = ensure_ready(self.spec)  # verified by sha256 before it is ever loaded
        output = self.log.open("ab") if self.log else subprocess.DEVNULL
        try:
            self.process = subprocess.Popen(
                self.command(path),
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT if self.log else subprocess.DEVNULL,
                start_new_session=True,  # our Ctrl-C handling stops it, in order
                preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
            )
        finally:
            if self.log:
                output.close()  # type: ignore[union-attr]

    def ready(self) -> bool:
        try:
            with urllib.request.urlopen(self.url + "/models", timeout=2) as response:
                return any(m.get("id") == self.alias for m in json.load(response).get("data", []))
        except (OSError, ValueError, urllib.error.URLError):
            return False

    def wait_ready(self, timeout: float = 120.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                hint = f"; see {self.log}" if self.log else ""
                raise ServeError(f"the server exited with code {self.process.returncode}{hint}")
            if self.ready():
                return
            time.sleep(0.3)
        self.stop()
        raise ServeError(f"the server did not answer on {self.url} within {timeout:g} s")

    def stop(self) -> int | None:
        """SIGINT (uvicorn's graceful stop), then SIGTERM, then SIGKILL; always reaped."""
        process = self.process
        if process is None:
            return None
        for sig, patience in ((signal.SIGINT, STOP_GRACE_S), (signal.SIGTERM, 5.0)):
            if process.poll() is not None:
                break
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, sig)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=patience)
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
        return process.wait()

    def __enter__(self) -> RoomServer:
        self.start()
        try:
            self.wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def instructions(server: RoomServer) -> list[str]:
    """What to tell the room, in the order they need it."""
    from codegen_hero.models.registry import load_registry

    pid = server.process.pid if server.process else "?"
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
        f"Serving {server.model} as {server.alias!r} on {server.url} (server pid {pid}).",
        f"Learners set:  HERO_ROOM_URL={server.room_url}",
        f"and call the model  room/{server.alias}",
        registered,
        "Requests are answered one at a time: with a big room, expect a queue. If answers "
        "crawl while other programs run, restart with fewer --threads (llama.cpp's threads "
        "spin-wait, so sharing every core with other work can make it many times slower).",
    ]
    if server.host not in LOOPBACK:
        lines.insert(
            0,
            f"WARNING: listening on {server.host}: anyone who can reach this machine on port "
            f"{server.port} can use the model (there is no password).",
        )
    return lines
