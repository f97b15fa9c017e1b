"""Fixtures for the sandbox tests: both isolation modes, canary secrets, canary files.

Every run here uses small timeouts and memory caps so the whole suite stays quick.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from codegen_hero.sandbox import runner as runner_module
from tests.sandbox.sandbox_helpers import CANARY_SECRETS, bwrap_unavailable_reason

BWRAP_MISSING = bwrap_unavailable_reason()


@pytest.fixture(params=["bwrap", "rlimits"])
def mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run the test once under bubblewrap and once in rlimits-only mode."""
    if request.param == "bwrap":
        if BWRAP_MISSING:
            pytest.skip(f"bubblewrap is not usable here: {BWRAP_MISSING}")
        monkeypatch.setenv("HERO_SANDBOX", "bwrap")
    else:
        monkeypatch.setenv("HERO_SANDBOX", "rlimits")
    return request.param


@pytest.fixture(autouse=True)
def canary_secrets(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Secrets in our environment that no sandboxed program may ever see."""
    for name, value in CANARY_SECRETS.items():
        monkeypatch.setenv(name, value)
    return CANARY_SECRETS


@pytest.fixture
def canary_dir() -> Iterator[Path]:
    """A directory outside /tmp (bwrap hides /tmp, we want the read-only bind to do the work)
    with a file in it, for snippets that try to write or delete outside their workdir."""
    base = "/var/tmp" if os.access("/var/tmp", os.W_OK) else None
    path = Path(tempfile.mkdtemp(prefix="hero-canary-", dir=base))
    (path / "keep-me.txt").write_text("canary")
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def created_workdirs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every working directory a run creates, to check it is gone afterwards."""
    created: list[str] = []
    original = runner_module.make_workdir

    def recording() -> str:
        created.append(original())
        return created[-1]

    monkeypatch.setattr(runner_module, "make_workdir", recording)
    return created


@pytest.fixture
def kept_workdirs(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Keep each run's working directory so a test can look inside after the run."""
    kept: list[str] = []
    original = runner_module.remove_workdir
    monkeypatch.setattr(runner_module, "remove_workdir", kept.append)
    yield kept
    for path in kept:
        original(path)
