"""Keys never persist: with a canary key set, it shows up nowhere we write or print."""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from codegen_hero.models import client
from codegen_hero.models.errors import HeroError
from codegen_hero.models.registry import load_registry
from tests.fakes.llm_server import FakeLLMServer, Fault

CANARY = "sk-ant-canary-7f3e9b1c5d2a4e6f8091a2b3c4d5e6f7-never-store-me"
HERO = Path(sys.executable).with_name("hero")


def hosted_models() -> list[str]:
    registry = load_registry()
    return [n for n in registry.role("frontier")] + [
        n for n, s in registry.models.items() if s.provider == "openai"
    ][:1]


def all_bytes(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in folder.rglob("*") if p.is_file())


def test_canary_key_never_lands_in_cache_logs_or_output(tmp_path, monkeypatch, caplog, capfd):
    caplog.set_level(logging.DEBUG)
    with FakeLLMServer() as server:
        env = {
            "ANTHROPIC_API_KEY": CANARY,
            "OPENAI_API_KEY": CANARY,
            "ANTHROPIC_BASE_URL": server.url,
            "OPENAI_BASE_URL": server.url + "/v1",
            "ANTHROPIC_LOG": "debug",
            "OPENAI_LOG": "debug",
        }
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        for model in hosted_models():
            client.complete(model, f"hello {model}")
            client.stream(model, f"stream {model}")  # prints to stdout
            asyncio.run(client.acomplete(model, f"async {model}"))
            server.script(Fault.status(500), Fault.status(500), Fault.status(500))
            with pytest.raises(HeroError) as info:
                client.complete(model, f"fail {model}")
            assert CANARY not in str(info.value)
        exported = tmp_path / "export.jsonl"
        client.response_cache().export(exported)
        cli = subprocess.run(
            [str(HERO), "ask", "from the cli", "-m", hosted_models()[0]],
            capture_output=True,
            text=True,
            env={**os.environ, **env},
            timeout=120,
        )
        assert cli.returncode == 0, cli.stderr
        # The key really was used, so its absence below means something.
        assert any(CANARY in " ".join(r.headers.values()) for r in server.requests)

    printed = capfd.readouterr()
    cache_dir = Path(os.environ["HERO_CACHE_PATH"]).parent
    assert client.response_cache().stats().entries >= 3 * len(hosted_models())
    places = {
        "cache files": all_bytes(cache_dir),
        "exported cache": exported.read_bytes(),
        "log records": caplog.text.encode(),
        "captured output": (printed.out + printed.err).encode(),
        "cli output": (cli.stdout + cli.stderr).encode(),
    }
    for place, content in places.items():
        assert content, f"{place} is empty: the check would prove nothing"
        assert CANARY.encode() not in content, place
        assert CANARY[-20:].encode() not in content, place
