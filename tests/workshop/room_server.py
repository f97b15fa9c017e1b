"""A real `hero serve` on 127.0.0.1 for tests: started as learners would meet it, stopped clean.

Not a test double: it runs the real command, a real engine and the smallest real model,
with one thread and few tokens so the tests stay short.
"""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from codegen_hero.workshop import room_keys
from codegen_hero.workshop.engine import LLAMA_SERVER, free_loopback_port, llama_server_binary


def need_engine(engine: str) -> None:
    if engine == LLAMA_SERVER and llama_server_binary() is None:
        pytest.skip("llama-server is not built here (scripts/llama-server.sh, run by install.sh)")


@dataclass
class Served:
    process: subprocess.Popen
    port: int
    output: Path
    log: Path
    keys: list[tuple[str, str]]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def key(self, index: int = 0) -> str:
        return self.keys[index][1]

    def status(self) -> dict:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/hero/status", timeout=5) as r:
            return json.load(r)

    def wait_running(self, restarts: int = 0, timeout: float = 90) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            snap = self.status()
            if snap["state"] == "running" and snap["restarts"] >= restarts:
                return snap
            time.sleep(0.3)
        pytest.fail(f"the engine did not come back: {self.status()}")

    def stop(self) -> int:
        self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()  # leave nothing behind, then fail
            self.process.wait()
            pytest.fail(f"hero serve did not stop on SIGINT:\n{self.output.read_text()}")


def wait_for(path: Path, pattern: str, process: subprocess.Popen, timeout: float = 180) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = path.read_text() if path.exists() else ""
        if re.search(pattern, text):
            return text
        if process.poll() is not None:
            pytest.fail(f"hero serve exited early ({process.returncode}):\n{text}")
        time.sleep(0.3)
    pytest.fail(f"no {pattern!r} in hero serve's output:\n{path.read_text()}")


def start_serve(
    model: str, folder: Path, engine: str, *extra: str, learners: int = 2, keys: bool = True
) -> Served:
    """`hero serve` with a key file (so keys are not printed), one thread, the given engine."""
    need_engine(engine)
    port, output, log = free_loopback_port(), folder / "serve.out", folder / "engine.log"
    keys_file = folder / "keys.txt"
    command = [sys.executable, "-m", "codegen_hero.workshop.cli", "serve", "-m", model]
    command += ["--port", str(port), "--log", str(log), "--engine", engine]
    command += ["--learners", str(learners), "--threads", "1", *extra]
    if keys:
        command += ["--keys", str(keys_file)]
    with output.open("w") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT)
    served = Served(process, port, output, log, [])
    try:
        wait_for(output, r"Press Ctrl-C", process)
    except BaseException:
        served.stop()
        raise
    if keys:
        served.keys = room_keys.parse(keys_file.read_text())
    return served
