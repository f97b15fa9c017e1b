"""The process that runs the model for `hero serve`: llama.cpp's llama-server, or the fallback.

llama-server (built once by `scripts/llama-server.sh` from the pinned llama-cpp-python
sdist) batches concurrent requests across parallel slots, so a room's learners share the
CPU instead of queueing behind each other. Where it was not built, or does not start,
llama-cpp-python's own server (one request at a time) takes its place. Either engine listens
on loopback only, on a private port; `hero serve`'s front (`room_proxy`) is what learners reach.
"""

from __future__ import annotations

import contextlib
import importlib.metadata as md
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from codegen_hero import settings
from codegen_hero.models.errors import HeroError
from codegen_hero.models.registry import ModelSpec

LLAMA_SERVER = "llama-server"
FALLBACK = "llama-cpp-python"
ENGINES = (LLAMA_SERVER, FALLBACK)
SERVER_EXTRA = ("fastapi", "uvicorn", "sse_starlette", "starlette_context", "pydantic_settings")
BINARY_ENV = "HERO_LLAMA_SERVER"  # a llama-server binary of your own (a GPU build, say)
STOP_GRACE_S = 10.0
PR_SET_PDEATHSIG = 1
# llama.cpp's built-in chat templates that the registry's chat_format names map onto.
BUILTIN_TEMPLATES = {"chatml": "chatml", "llama-2": "llama2", "llama-3": "llama3"}


class EngineError(HeroError):
    pass


def llama_cpp_version() -> str:
    try:
        return md.version("llama-cpp-python")
    except md.PackageNotFoundError:
        return "unknown"


def built_binaries(version: str | None = None) -> list[Path]:
    """What scripts/llama-server.sh built for this llama-cpp-python version, newest first."""
    root = settings.cache_root() / "llama-server"
    found = root.glob(f"{version or llama_cpp_version()}-*/bin/llama-server")
    usable = [p for p in found if os.access(p, os.X_OK)]
    return sorted(usable, key=lambda p: p.stat().st_mtime, reverse=True)


def llama_server_binary() -> Path | None:
    own = os.environ.get(BINARY_ENV, "").strip()
    if own:
        path = Path(own).expanduser()
        return path if os.access(path, os.X_OK) else None
    built = built_binaries()
    return built[0] if built else None


def missing_fallback_packages() -> list[str]:
    import importlib.util

    return [name for name in SERVER_EXTRA if importlib.util.find_spec(name) is None]


def free_loopback_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _die_with_parent() -> None:
    """Linux: the engine gets SIGTERM if `hero serve` itself is killed (no stray engine)."""
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


@dataclass(frozen=True)
class Sizing:
    """Parallel slots and the context each one holds: every learner gets the whole context."""

    slots: int
    context: int  # tokens per slot (prompt + answer)

    @property
    def total_context(self) -> int:
        return self.slots * self.context


def llama_server_command(
    binary: Path,
    model: Path,
    spec: ModelSpec,
    port: int,
    sizing: Sizing,
    threads: int,
    key_file: Path | None,
) -> list[str]:
    argv = [str(binary), "--model", str(model), "--alias", spec.model_id]
    argv += ["--host", "127.0.0.1", "--port", str(port)]
    argv += ["--threads", str(threads), "--threads-batch", str(threads)]
    # Separate KV per slot (no unified pool one learner could drain), no context shift
    # (a full context stops the answer with finish_reason "length", never a silent cut).
    argv += ["--parallel", str(sizing.slots), "--ctx-size", str(sizing.total_context)]
    argv += ["--no-kv-unified", "--no-context-shift", "--cont-batching", "--no-webui"]
    if spec.chat_format in BUILTIN_TEMPLATES:
        argv += ["--chat-template", BUILTIN_TEMPLATES[spec.chat_format]]
    if key_file is not None:
        argv += ["--api-key-file", str(key_file)]
    return argv


def fallback_command(
    model: Path, spec: ModelSpec, port: int, context: int, threads: int
) -> list[str]:
    argv = [sys.executable, "-m", "llama_cpp.server", "--model", str(model)]
    argv += ["--model_alias", spec.model_id, "--n_threads", str(threads)]
    argv += ["--n_threads_batch", str(threads), "--n_ctx", str(context)]
    argv += ["--host", "127.0.0.1", "--port", str(port)]
    # Its default cuts a streamed answer short whenever another request arrives: in a room,
    # every learner's answer but the last. Queue them instead.
    argv += ["--interrupt_requests", "False"]
    if spec.chat_format:
        argv += ["--chat_format", spec.chat_format]
    return argv


@dataclass
class EngineProcess:
    """One engine on a private loopback port; start() again after it dies restarts it."""

    kind: str
    argv: list[str]
    port: int
    sizing: Sizing
    log: Path | None = None
    key: str | None = None  # the proxy's own key to the engine (llama-server only)
    key_dir: Path | None = None
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"} if self.key else {}

    def start(self) -> None:
        output = self.log.open("ab") if self.log else subprocess.DEVNULL
        try:
            self.process = subprocess.Popen(
                self.argv,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT if self.log else subprocess.DEVNULL,
                start_new_session=True,  # stopped in order by us, not by the terminal's Ctrl-C
                preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
            )
        finally:
            if self.log:
                output.close()  # type: ignore[union-attr]

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def ready(self) -> bool:
        request = urllib.request.Request(self.url + "/v1/models", headers=self.headers())
        try:
            with urllib.request.urlopen(request, timeout=2) as response:
                return bool(json.load(response).get("data"))
        except (OSError, ValueError, urllib.error.URLError):
            return False

    def wait_ready(self, timeout: float = 120.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.alive():
                code = self.process.returncode if self.process else None
                hint = f"; see {self.log}" if self.log else ""
                raise EngineError(f"{self.kind} exited with code {code} while starting{hint}")
            if self.ready():
                return
            time.sleep(0.3)
        self.stop()
        raise EngineError(f"{self.kind} did not answer within {timeout:g} s")

    def stop(self) -> int | None:
        """SIGINT (a graceful stop), then SIGTERM, then SIGKILL; always reaped."""
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

    def close(self) -> None:
        """Stop it and forget the private key file."""
        self.stop()
        if self.key_dir is not None:
            for child in self.key_dir.iterdir():
                child.unlink(missing_ok=True)
            self.key_dir.rmdir()
            self.key_dir = None


def private_key_file() -> tuple[str, Path, Path]:
    """A one-run key between proxy and engine, in a file only we can read (not on argv)."""
    key = secrets.token_urlsafe(24)
    folder = Path(tempfile.mkdtemp(prefix="hero-engine-"))
    path = folder / "key"
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as fh:
        fh.write(key + "\n")
    return key, path, folder


def build_engine(
    kind: str, spec: ModelSpec, model: Path, sizing: Sizing, threads: int, log: Path | None
) -> EngineProcess:
    port = free_loopback_port()
    if kind == LLAMA_SERVER:
        binary = llama_server_binary()
        if binary is None:
            raise EngineError(
                "llama-server is not built here (run `bash scripts/llama-server.sh`, a few "
                "minutes once)"
            )
        key, key_file, folder = private_key_file()
        argv = llama_server_command(binary, model, spec, port, sizing, threads, key_file)
        return EngineProcess(kind, argv, port, sizing, log, key, folder)
    missing = missing_fallback_packages()
    if missing:
        raise EngineError(
            f"llama-cpp-python's server needs its [server] extra (missing: {', '.join(missing)})"
        )
    one = Sizing(slots=1, context=sizing.context)
    return EngineProcess(
        kind, fallback_command(model, spec, port, one.context, threads), port, one, log
    )


def start_engine(
    choice: str,
    spec: ModelSpec,
    model: Path,
    sizing: Sizing,
    threads: int,
    log: Path | None,
    timeout: float = 120.0,
) -> tuple[EngineProcess, str | None]:
    """The chosen engine, running; with `auto`, llama-server else the fallback and why."""
    order = list(ENGINES) if choice == "auto" else [choice]
    if any(kind not in ENGINES for kind in order):
        raise EngineError(f"--engine must be auto, {' or '.join(ENGINES)}, not {choice!r}")
    reasons: list[str] = []
    for kind in order:
        try:
            engine = build_engine(kind, spec, model, sizing, threads, log)
        except EngineError as exc:
            reasons.append(str(exc))
            continue
        try:
            engine.start()
            engine.wait_ready(timeout)
        except (EngineError, OSError) as exc:
            engine.close()
            reasons.append(str(exc))
            continue
        return engine, ("; ".join(reasons) or None)
    raise EngineError("no engine could start: " + "; ".join(reasons))
