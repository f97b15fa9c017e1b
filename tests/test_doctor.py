from __future__ import annotations

from typer.testing import CliRunner

from codegen_hero import doctor
from codegen_hero.cli import app

runner = CliRunner()


def test_doctor_passes_on_a_ready_machine(local_model_ready):
    result = runner.invoke(app, ["doctor"], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    assert "Ready" in result.output
    for name in local_model_ready.role("offline"):
        assert name in result.output


def test_doctor_fails_when_a_needed_model_is_missing(tmp_path, monkeypatch):
    monkeypatch.setenv("HERO_MODEL_DIR", str(tmp_path / "empty"))
    result = runner.invoke(app, ["doctor"], env={"COLUMNS": "250"})
    assert result.exit_code == 1
    assert "hero models install" in result.output
    assert "Needed but missing" in result.output


def test_doctor_masks_keys(monkeypatch):
    secret = "sk-ant-canary-doctor-0123456789abcdef"
    monkeypatch.setenv("ANTHROPIC_API_KEY", secret)
    result = runner.invoke(app, ["doctor"], env={"COLUMNS": "250"})
    assert secret not in result.output and secret[:20] not in result.output
    assert "…cdef" in result.output
    assert doctor.mask(secret) == f"set (…cdef, {len(secret)} characters)"


def test_unreachable_server_is_a_warning_not_a_failure(monkeypatch):
    monkeypatch.setenv("HERO_OLLAMA_URL", "http://127.0.0.1:9/v1")  # discard port: closed
    checks = {c.what: c for c in doctor.check_endpoints()}
    assert checks["ollama server"].level == "warn"
    assert "not running" in checks["ollama server"].detail


def test_the_room_server_and_the_learners_key_are_checked(monkeypatch):
    from tests.fakes.llm_server import FakeLLMServer, Fault

    room = doctor.load_registry().endpoints["room"]
    monkeypatch.setenv("HERO_ROOM_URL", "http://127.0.0.1:9/v1")  # asked for, and down
    assert doctor.check_room_server(room, required=True).level == "fail"
    assert doctor.check_room_server(room).level == "warn"
    with FakeLLMServer() as server:
        url = server.url + "/v1"
        assert doctor.probe_room(url, None)[0] == "ok"
        server.script(Fault.status(401))
        assert doctor.probe_room(url, None) == ("no-key", "wants a key")
        server.script(Fault.status(401))
        assert doctor.probe_room(url, "hero-room-wrong-key-0000") == (
            "bad-key",
            "rejects HERO_ROOM_KEY",
        )
        monkeypatch.setenv("HERO_ROOM_URL", url)
        monkeypatch.setenv("HERO_ROOM_KEY", "hero-room-right-key-0123456789")
        checks = {c.what: c for c in doctor.check_endpoints()}
        assert checks["room server"].level == "ok" and "…6789" in checks["room server"].detail
        assert "right-key" not in checks["room server"].detail  # masked, never shown whole
        assert (
            server.requests[-1].headers["authorization"] == "Bearer hero-room-right-key-0123456789"
        )
