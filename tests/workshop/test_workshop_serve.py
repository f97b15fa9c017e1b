"""`hero serve`: a real llama.cpp server on loopback, called through the room/ provider."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from codegen_hero import complete
from codegen_hero.models.registry import load_registry
from codegen_hero.workshop.serve import RoomServer, ServeError, check_host, instructions

REGISTRY = load_registry()
DEFAULT = REGISTRY.default  # the room entry in the registry serves this one
SMALLEST = REGISTRY.role("offline")[-1]
HOSTED = REGISTRY.role("frontier")[0]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


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


@pytest.mark.slow
def test_serve_answers_through_the_room_provider_and_stops_cleanly(smallest, tmp_path, monkeypatch):
    port = free_port()
    output = tmp_path / "serve.out"
    command = [sys.executable, "-m", "codegen_hero.workshop.cli", "serve", "-m", smallest]
    command += ["--port", str(port), "--log", str(tmp_path / "server.log")]
    # One thread: on a machine busy with other work, llama.cpp's spinning threads on every
    # core can be fifty times slower; this test is about the plumbing, not the speed.
    command += ["--threads", "1"]
    with output.open("w") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT)
    try:
        text = wait_for(output, r"HERO_ROOM_URL=\S+", process)
        url = re.search(r"HERO_ROOM_URL=(\S+)", text).group(1)
        server_pid = int(re.search(r"server pid (\d+)", text).group(1))
        assert url == f"http://127.0.0.1:{port}/v1"
        alias = smallest.split("/", 1)[1]
        assert f"room/{alias}" in text
        monkeypatch.setenv("HERO_ROOM_URL", url)
        answer = complete(f"room/{alias}", "Say hello in three words.", max_tokens=16, cache="off")
        assert answer.text.strip() and answer.usage.output_tokens > 0
        assert answer.model == f"room/{alias}"
    finally:
        process.send_signal(signal.SIGINT)
        try:
            code = process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()  # leave no stray server behind, then fail below
            code = process.wait()
    assert code == 0, output.read_text()
    assert "stopped." in output.read_text()
    assert not Path(f"/proc/{server_pid}").exists(), "the llama.cpp server outlived hero serve"


def test_only_loopback_without_an_explicit_flag():
    with pytest.raises(ServeError, match="--allow-network"):
        check_host("0.0.0.0", allow_network=False)
    check_host("127.0.0.1", allow_network=False)
    check_host("0.0.0.0", allow_network=True)


def test_a_network_server_warns_that_anyone_can_use_it():
    server = RoomServer(SMALLEST, port=9999, host="0.0.0.0", allow_network=True)
    lines = instructions(server)
    assert lines[0].startswith("WARNING") and "anyone" in lines[0]
    assert any(line.startswith("Learners set:  HERO_ROOM_URL=http://") for line in lines)
    assert "127.0.0.1" not in server.room_url


def test_the_command_uses_the_registry_and_every_core(monkeypatch):
    monkeypatch.setenv("HERO_THREADS", "3")
    server = RoomServer(DEFAULT, port=8765)
    argv = server.command(Path("/models/q.gguf"))
    pairs = dict(zip(argv[3::2], argv[4::2], strict=False))
    assert argv[1:3] == ["-m", "llama_cpp.server"]
    spec = REGISTRY.get(DEFAULT)
    assert pairs["--model_alias"] == spec.model_id and pairs["--chat_format"] == spec.chat_format
    assert pairs["--n_threads"] == "3" and pairs["--host"] == "127.0.0.1"
    assert "--n_threads" in RoomServer(SMALLEST, threads=1).command(Path("m"))
    assert f"room/{spec.model_id} is in the registry" in " ".join(instructions(server))


def test_only_local_models_can_be_served():
    with pytest.raises(ServeError, match="local"):
        RoomServer(HOSTED)


def test_a_busy_port_is_a_one_line_error():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(ServeError, match=f"port {port}"):
            RoomServer(SMALLEST, port=port).start()


def test_the_cli_refuses_a_public_address_without_the_flag():
    from typer.testing import CliRunner

    from codegen_hero.workshop.cli import standalone

    result = CliRunner().invoke(standalone(), ["serve", "--host", "0.0.0.0"])
    assert result.exit_code == 1 and "--allow-network" in result.output
    assert "Traceback" not in result.output
