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
