"""The engine behind `hero serve`: llama-server's command line, finding it, falling back."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from codegen_hero.models.registry import load_registry
from codegen_hero.workshop import engine
from codegen_hero.workshop.engine import (
    FALLBACK,
    LLAMA_SERVER,
    EngineError,
    Sizing,
    fallback_command,
    llama_server_command,
    start_engine,
)

SPEC = load_registry().get(load_registry().default)


def flags(argv: list[str]) -> dict[str, str]:
    return {a: b for a, b in zip(argv, argv[1:], strict=False) if a.startswith("--")}


def test_llama_server_gets_a_slot_per_learner_each_with_the_whole_context():
    argv = llama_server_command(
        Path("/bin/llama-server"), Path("/m.gguf"), SPEC, 4242, Sizing(6, 4096), 2, Path("/k")
    )
    given = flags(argv)
    assert given["--parallel"] == "6" and given["--ctx-size"] == str(6 * 4096)
    assert "--no-kv-unified" in argv and "--no-context-shift" in argv  # no silent cut
    assert given["--host"] == "127.0.0.1" and given["--port"] == "4242"
    assert given["--alias"] == SPEC.model_id and given["--threads"] == "2"
    assert given["--api-key-file"] == "/k" and "--api-key" not in argv  # never on argv
    assert "--no-webui" in argv and given["--chat-template"] == "chatml"


def test_the_fallback_is_llama_cpp_pythons_server_with_one_context():
    argv = fallback_command(Path("/m.gguf"), SPEC, 4243, 4096, 3)
    assert argv[1:3] == ["-m", "llama_cpp.server"]
    given = flags(argv)
    assert given["--n_ctx"] == "4096" and given["--n_threads"] == "3"
    assert given["--chat_format"] == SPEC.chat_format and given["--host"] == "127.0.0.1"
    assert given["--interrupt_requests"] == "False"  # never cut one learner for another


def test_the_built_binary_is_found_in_the_cache_or_named_by_hand(tmp_path, monkeypatch):
    monkeypatch.setenv("HERO_HOME", str(tmp_path))
    monkeypatch.delenv(engine.BINARY_ENV, raising=False)
    assert engine.llama_server_binary() is None
    built = tmp_path / "llama-server" / f"{engine.llama_cpp_version()}-abc" / "bin"
    built.mkdir(parents=True)
    (built / "llama-server").write_text("")
    assert engine.llama_server_binary() is None  # not executable: not a build
    os.chmod(built / "llama-server", 0o755)
    assert engine.llama_server_binary() == built / "llama-server"
    monkeypatch.setenv(engine.BINARY_ENV, "/bin/true")
    assert engine.llama_server_binary() == Path("/bin/true")


def test_an_unknown_engine_is_a_clear_error():
    with pytest.raises(EngineError, match="--engine must be"):
        start_engine("vllm", SPEC, Path("/m"), Sizing(1, 4096), 1, None)


def test_asking_for_llama_server_where_it_is_missing_says_how_to_build_it(tmp_path, monkeypatch):
    monkeypatch.setenv("HERO_HOME", str(tmp_path))
    monkeypatch.delenv(engine.BINARY_ENV, raising=False)
    with pytest.raises(EngineError, match="scripts/llama-server.sh"):
        start_engine(LLAMA_SERVER, SPEC, Path("/m"), Sizing(1, 4096), 1, None)


@pytest.mark.slow
def test_a_llama_server_that_will_not_start_falls_back_and_says_why(smallest, monkeypatch):
    from codegen_hero.models.local_files import ensure_ready

    spec = load_registry().get(smallest)
    monkeypatch.setenv(engine.BINARY_ENV, "/bin/false")  # "built", but exits at once
    running, reason = start_engine("auto", spec, ensure_ready(spec), Sizing(2, 1024), 1, None)
    try:
        assert running.kind == FALLBACK and running.alive() and running.ready()
        assert reason and "llama-server exited with code 1" in reason
        assert running.sizing.slots == 1  # one at a time, and said so
    finally:
        running.close()
    assert not running.alive()
