"""`hero serve`: a real server on loopback, called through the room/ provider, stopped clean."""

from __future__ import annotations

import re
import socket
from pathlib import Path

import pytest
from typer.testing import CliRunner

from codegen_hero import complete
from codegen_hero.models.registry import load_registry
from codegen_hero.workshop.cli import standalone
from codegen_hero.workshop.engine import FALLBACK, LLAMA_SERVER, llama_server_binary
from codegen_hero.workshop.room_keys import KEY_ENV
from codegen_hero.workshop.serve import (
    MAX_SLOTS,
    RoomServer,
    ServeError,
    check_host,
    instructions,
    sizing_for,
)
from tests.workshop.room_server import start_serve

REGISTRY = load_registry()
DEFAULT = REGISTRY.default  # the room entry in the registry serves this one
SMALLEST = REGISTRY.role("offline")[-1]
HOSTED = REGISTRY.role("frontier")[0]
runner = CliRunner()


@pytest.mark.slow
def test_serve_answers_through_the_room_provider_and_stops_cleanly(smallest, tmp_path, monkeypatch):
    """Loopback without a key file: an open room, as on an instructor's own laptop."""
    served = start_serve(smallest, tmp_path, "auto", keys=False)
    try:
        text = served.output.read_text()
        engine_pid = int(re.search(r"engine pid (\d+)", text).group(1))
        expected = LLAMA_SERVER if llama_server_binary() else FALLBACK
        assert re.search(r"HERO_ROOM_URL=(\S+)", text).group(1) == served.url
        assert f"Engine: {expected}" in text.replace("llama.cpp's llama-server", LLAMA_SERVER)
        alias = smallest.split("/", 1)[1]
        assert f"room/{alias}" in text and KEY_ENV not in text  # no keys on loopback
        monkeypatch.setenv("HERO_ROOM_URL", served.url)
        answer = complete(f"room/{alias}", "Say hello in three words.", max_tokens=8, cache="off")
        assert answer.text.strip() and answer.usage.output_tokens > 0
        assert served.status()["engine"] == expected
    finally:
        code = served.stop()
    assert code == 0, served.output.read_text()
    assert "stopped." in served.output.read_text()
    assert not Path(f"/proc/{engine_pid}").exists(), "the engine outlived hero serve"


def test_only_loopback_without_an_explicit_flag():
    with pytest.raises(ServeError, match="--allow-network"):
        check_host("0.0.0.0", allow_network=False)
    check_host("127.0.0.1", allow_network=False)
    check_host("0.0.0.0", allow_network=True)


def test_a_network_server_makes_a_key_per_learner_and_says_how_to_set_it():
    server = RoomServer(SMALLEST, port=9999, host="0.0.0.0", allow_network=True, learners=3)
    server.load_keys()
    lines = instructions(server)
    text = "\n".join(lines)
    assert lines[0].startswith("Listening on 0.0.0.0") and "key" in lines[0]
    assert any(line.startswith("Learners set:  HERO_ROOM_URL=http://") for line in lines)
    assert f"export {KEY_ENV}=" in text and "never in a notebook" in text
    assert all(key in text for _, key in server.keys) and len(server.keys) == 3
    assert "--keys FILE" in text  # how to keep them across a restart
    assert "127.0.0.1" not in server.room_url


def test_a_key_file_is_used_on_loopback_and_its_keys_are_not_printed(tmp_path):
    server = RoomServer(SMALLEST, keys_file=tmp_path / "keys.txt", learners=2)
    server.load_keys()
    text = "\n".join(instructions(server))
    assert server.needs_keys and (tmp_path / "keys.txt").exists()
    assert "learner-01, learner-02" in text
    assert not any(key in text for _, key in server.keys)


def test_every_learner_gets_the_whole_context_and_slots_stop_at_a_cap():
    context = REGISTRY.get(DEFAULT).context
    assert sizing_for(8, context).total_context == 8 * context
    assert sizing_for(8, context).context == context
    assert sizing_for(500, context).slots == MAX_SLOTS
    with pytest.raises(ServeError, match="at least 1"):
        sizing_for(0, context)
    server = RoomServer(DEFAULT, learners=12)
    assert server.sizing.slots == 12 and server.sizing.context == context


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
    result = runner.invoke(standalone(), ["serve", "--host", "0.0.0.0"])
    assert result.exit_code == 1 and "--allow-network" in result.output
    assert "Traceback" not in result.output


def test_status_without_a_server_is_a_one_line_error():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = runner.invoke(standalone(), ["serve", "status", "--port", str(port)])
    assert result.exit_code == 1 and f"no hero serve answers on port {port}" in result.output
    assert "Traceback" not in result.output
