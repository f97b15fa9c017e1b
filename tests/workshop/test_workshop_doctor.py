"""`hero workshop doctor`: each workshop need checked, each problem with its fix."""

from __future__ import annotations

import json
import shutil
from collections import namedtuple
from pathlib import Path

from typer.testing import CliRunner

from codegen_hero.doctor import Check
from codegen_hero.workshop import doctor
from codegen_hero.workshop.cli import workshop_app
from codegen_hero.workshop.doctor import Finding
from tests.fakes.llm_server import FakeLLMServer

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


def course(tmp_path: Path, skip: str | None = None) -> Path:
    for notebook in (ROOT / "exercises").glob("*.ipynb"):
        if notebook.stem != skip:
            (tmp_path / "exercises").mkdir(exist_ok=True)
            shutil.copy(notebook, tmp_path / "exercises")
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "lab.ipynb").write_text("{}")
    return tmp_path


def test_a_complete_course_folder_passes(tmp_path):
    findings = {f.what: f for f in doctor.check_course(course(tmp_path))}
    assert findings["exercises"].level == "ok" and findings["labs"].level == "ok"


def test_a_missing_exercise_is_named_with_its_fix(tmp_path):
    findings = {f.what: f for f in doctor.check_course(course(tmp_path, skip="05-apply-edits"))}
    assert findings["exercises"].level == "fail"
    assert "05-apply-edits" in findings["exercises"].detail and findings["exercises"].fix


def test_a_release_with_a_missing_file_fails(tmp_path):
    root = course(tmp_path)
    files = [{"path": "notebooks/lab.ipynb"}, {"path": "notebooks/data.csv"}]
    (root / "manifest.json").write_text(json.dumps({"files": files}))
    findings = {f.what: f for f in doctor.check_course(root)}
    assert findings["release files"].level == "fail"
    assert "notebooks/data.csv" in findings["release files"].detail


def test_the_room_server_is_checked_only_when_configured(monkeypatch):
    monkeypatch.delenv("HERO_ROOM_URL", raising=False)
    assert doctor.check_room() is None
    closed = doctor.check_room("http://127.0.0.1:9/v1")
    assert closed is not None and closed.level == "fail" and "Wi-Fi" in closed.fix
    with FakeLLMServer() as server:
        found = doctor.check_room(server.url + "/v1")
    assert found is not None and found.level == "ok" and "room/" in found.detail


def test_low_disk_is_a_failure_with_a_fix(monkeypatch, tmp_path):
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(doctor.shutil, "disk_usage", lambda _: usage(10**10, 10**10, 10**8))
    finding = doctor.check_free_disk(tmp_path)
    assert finding.level == "fail" and "GB" in finding.fix


def test_base_checks_get_fixes():
    assert "hero models install local/x" in doctor._fix_for(Check("local/x", "fail", "missing"))
    assert "bubblewrap" in doctor._fix_for(Check("sandbox", "warn", "rlimits-only"))
    assert doctor._fix_for(Check("Python", "ok", "3.11")) == ""


def test_a_kernel_starts_and_the_sandbox_runs():
    assert doctor.check_kernel().level == "ok"
    assert doctor.check_sandbox_runs().level in ("ok", "warn")


def test_exit_code_is_non_zero_when_something_needed_is_missing(monkeypatch):
    fine = [Finding("Python", "ok", "3.11")]
    monkeypatch.setattr(doctor, "workshop_checks", lambda root, kernel: fine)
    ok = runner.invoke(workshop_app, ["doctor"], env={"COLUMNS": "200"})
    assert ok.exit_code == 0 and "Ready for the workshop" in ok.output
    broken = [*fine, Finding("Jupyter kernel", "fail", "no kernel", "run `make test`")]
    monkeypatch.setattr(doctor, "workshop_checks", lambda root, kernel: broken)
    bad = runner.invoke(workshop_app, ["doctor"], env={"COLUMNS": "200"})
    assert bad.exit_code == 1 and "Jupyter kernel" in bad.output and "make test" in bad.output


def test_the_whole_doctor_runs_on_this_machine(local_model_ready):
    findings = doctor.workshop_checks(ROOT, kernel=False)
    names = {f.what for f in findings}
    assert {"Python", "exercises", "labs", "sandbox run", "free disk (course folder)"} <= names
    failed = [f for f in findings if f.level == "fail"]
    assert not failed, failed
    assert all(f.fix for f in findings if f.level != "ok")


def test_a_room_key_the_server_rejects_is_a_failure_with_its_fix(monkeypatch):
    from tests.fakes.llm_server import Fault

    with FakeLLMServer() as server:
        monkeypatch.setenv("HERO_ROOM_KEY", "hero-room-a-wrong-key-000000")
        server.script(Fault.status(401))
        found = doctor.check_room(server.url + "/v1")
        assert found is not None and found.level == "fail" and "HERO_ROOM_KEY" in found.fix
        monkeypatch.delenv("HERO_ROOM_KEY")
        server.script(Fault.status(401))
        found = doctor.check_room(server.url + "/v1")
        assert found is not None and "export HERO_ROOM_KEY" in found.fix
