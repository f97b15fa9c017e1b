"""Record -> export -> import into a fresh cache -> replay offline: the same outputs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from typer.testing import CliRunner

from codegen_hero.workshop.cli import workshop_app
from codegen_hero.workshop.record import RecordError, record, refuse_credentials

HERO = Path(sys.executable).with_name("hero")
CANARY_KEY = "sk-ant-canary-0123456789abcdef"


def lab(model: str) -> nbformat.NotebookNode:
    cells = [
        "from codegen_hero import complete",
        f"print(complete({model!r}, 'Name one colour.', max_tokens=12).text)",
        f"answer = complete({model!r}, 'Name one animal.', max_tokens=12)\nprint(answer.text)",
    ]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    return nb


def printed(path: Path) -> list[str]:
    nb = nbformat.read(path, as_version=4)
    return [
        "".join(o.get("text", "") for o in cell.outputs)
        for cell in nb.cells
        if cell.cell_type == "code"
    ]


def network_off() -> list[str]:
    """A prefix that runs a command with no network but loopback, where this host allows it."""
    if not (shutil.which("unshare") and shutil.which("ip")):
        return []
    probe = subprocess.run(["unshare", "-rn", "ip", "link", "set", "lo", "up"], capture_output=True)
    return (
        ["unshare", "-rn", "sh", "-c", 'ip link set lo up && exec "$@"', "sh"]
        if (probe.returncode == 0)
        else []
    )


@pytest.mark.slow
def test_record_export_import_replay_offline(tmp_path, smallest, monkeypatch):
    labs = tmp_path / "labs"
    labs.mkdir()
    nbformat.write(lab(smallest), labs / "lab.ipynb")
    monkeypatch.setenv("ANTHROPIC_API_KEY", CANARY_KEY)  # present, but --offline-models
    monkeypatch.setenv("HERO_THREADS", "1")  # kernels inherit it: quick on a busy machine
    export = tmp_path / "room.jsonl"
    result = record(export, [labs], offline_models=True, executed=tmp_path / "rec", merge=False)
    assert not result.failed and result.responses == 2 == result.by_model[smallest]
    assert CANARY_KEY not in export.read_text() and "api_key" not in export.read_text().lower()

    fresh = tmp_path / "fresh" / "responses.sqlite3"
    env = {k: v for k, v in os.environ.items() if not k.endswith("_API_KEY")}
    env.update(HERO_CACHE_PATH=str(fresh), HERO_CACHE="replay", HERO_MODEL_DIR=str(tmp_path))
    imported = subprocess.run(
        [str(HERO), "cache", "import", str(export)], env=env, capture_output=True, text=True
    )
    assert imported.returncode == 0 and "imported 2 responses" in imported.stdout

    offline = network_off()
    replayed = tmp_path / "replayed.ipynb"
    command = [sys.executable, "-m", "papermill", str(labs / "lab.ipynb"), str(replayed)]
    done = subprocess.run(
        [*offline, *command, "--kernel", "python3", "--no-progress-bar"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    recorded = printed(tmp_path / "rec" / "lab.ipynb")
    assert recorded[1].strip() and recorded == printed(replayed)
    if not offline:
        pytest.skip("replayed, but this host cannot switch networking off (unshare -rn)")


def test_no_key_is_a_one_line_error(monkeypatch, tmp_path):
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    with pytest.raises(RecordError, match="--offline-models"):
        record(tmp_path / "out.jsonl", [tmp_path])
    result = CliRunner().invoke(workshop_app, ["record", str(tmp_path)])
    assert result.exit_code == 1
    assert "ANTHROPIC_API_KEY is not set" in result.output
    assert "Traceback" not in result.output


def test_a_folder_without_labs_is_refused(tmp_path):
    with pytest.raises(RecordError, match="no lab notebooks"):
        record(tmp_path / "out.jsonl", [tmp_path], offline_models=True)


def test_an_export_holding_a_credential_is_deleted(tmp_path, monkeypatch):
    export = tmp_path / "room.jsonl"
    export.write_text('{"text": "my key is sk-live-abcdefgh12345"}\n')
    monkeypatch.setenv("SOME_SERVICE_TOKEN", "sk-live-abcdefgh12345")
    with pytest.raises(RecordError, match="credential"):
        refuse_credentials(export)
    assert not export.exists()


def test_an_export_without_credentials_is_kept(tmp_path, monkeypatch):
    export = tmp_path / "room.jsonl"
    export.write_text('{"text": "a colour: blue"}\n')
    monkeypatch.setenv("SOME_SERVICE_TOKEN", "sk-live-abcdefgh12345")
    refuse_credentials(export)
    assert export.exists()
