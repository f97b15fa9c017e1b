"""`hero lab`: installs into its own environment, then becomes `jupyter lab`."""

from __future__ import annotations

import os
import sys

from typer.testing import CliRunner

from codegen_hero.cli import app
from codegen_hero.lab import EXTENSION
from codegen_hero.models.registry import load_registry

runner = CliRunner()


def test_hero_lab_installs_then_runs_jupyter_lab_with_the_rest_of_the_line(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(sys, "prefix", str(tmp_path))
    monkeypatch.setattr(os, "execv", lambda path, argv: calls.append(argv))
    monkeypatch.delenv("HERO_AUTOCOMPLETE", raising=False)
    result = runner.invoke(app, ["lab", "notebooks", "--port", "8899"])
    assert result.exit_code == 0, result.output
    assert calls and calls[0][1:] == ["lab", "notebooks", "--port", "8899"]
    assert (tmp_path / "share" / "jupyter" / "labextensions" / EXTENSION / "package.json").exists()
    assert load_registry().autocomplete in result.output


def test_hero_lab_refuses_a_model_without_fim_in_one_line(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "prefix", str(tmp_path))
    monkeypatch.setattr(os, "execv", lambda path, argv: None)
    monkeypatch.delenv("HERO_AUTOCOMPLETE", raising=False)  # `-m` sets it; undone afterwards
    registry = load_registry()
    plain = next(n for n in registry.role("offline") if registry.get(n).fim is None)
    result = runner.invoke(app, ["lab", "-m", plain])
    assert result.exit_code == 1 and "cannot fill in the middle" in result.output
    assert not (tmp_path / "share").exists()
