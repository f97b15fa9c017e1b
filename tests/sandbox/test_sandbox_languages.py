"""Per-language plans: files, commands and limits (Go only as far as the command it builds)."""

from __future__ import annotations

import shutil
import sys

import pytest

from codegen_hero.sandbox import languages
from codegen_hero.sandbox.limits import Limits


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("Python", "python"),
        ("py", "python"),
        ("js", "javascript"),
        ("node", "javascript"),
        ("golang", "go"),
        (" GO ", "go"),
    ],
)
def test_language_names_and_aliases(given: str, expected: str) -> None:
    assert languages.normalise_language(given) == expected


def test_unknown_language_lists_the_known_ones() -> None:
    with pytest.raises(ValueError, match="javascript"):
        languages.normalise_language("rust")


@pytest.mark.parametrize(
    ("path", "language"),
    [
        ("a.py", "python"),
        ("b.JS", "javascript"),
        ("c.mjs", "javascript"),
        ("main.go", "go"),
        ("README", "python"),
        ("mine.ipynb", "notebook"),
    ],
)
def test_language_for_file(path: str, language: str) -> None:
    assert languages.language_for_file(path) == language


def test_python_plan_uses_the_harness_in_isolated_mode() -> None:
    plan = languages.plan_for("python", code="x = 1", tests=None, workdir="/w", limits=Limits())
    harness = "/w/.hero/harness.py"
    root = languages.IMPORT_ROOT
    assert plan.command == [sys.executable, "-I", harness, "script", "/w/.hero", root]
    assert plan.files["solution.py"] == "x = 1"
    assert "def run_tests" in plan.files[".hero/harness.py"]
    assert not plan.test_mode
    with_tests = languages.plan_for(
        "python", code="x = 1", tests="def test_x(): pass", workdir="/w", limits=Limits()
    )
    assert with_tests.test_mode and with_tests.command[3] == "tests"
    assert with_tests.files["test_solution.py"] == "def test_x(): pass"


def test_javascript_plan_caps_the_heap_and_uses_the_data_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: f"/opt/node/bin/{name}")
    plan = languages.plan_for(
        "javascript", code="1", tests=None, workdir="/w", limits=Limits(memory_mb=400)
    )
    assert plan.command == ["/opt/node/bin/node", "--max-old-space-size=300", "solution.js"]
    assert plan.limits.memory_kind == "data"
    assert plan.keep_paths == ["/opt/node"]
    tested = languages.plan_for("javascript", code="1", tests="t", workdir="/w", limits=Limits())
    assert tested.command[2:] == ["/w/.hero/harness.js", "/w/.hero"]
    assert tested.files["tests.js"] == "t" and ".hero/harness.js" in tested.files


def test_go_plan_builds_go_run_with_caches_inside_the_workdir(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: f"/usr/local/go/bin/{name}")
    limits = Limits(timeout_s=5, memory_mb=256)
    plan = languages.plan_for("go", code="package main", tests=None, workdir="/w", limits=limits)
    assert plan.command == ["/usr/local/go/bin/go", "run", "main.go"]
    assert plan.files == {"main.go": "package main"}
    assert plan.env["GOCACHE"].startswith("/w/") and plan.env["GOPATH"].startswith("/w/")
    assert plan.env["GOTOOLCHAIN"] == "local" and plan.env["GOPROXY"] == "off"
    assert plan.limits.timeout_s == 5 + languages.GO_EXTRA_TIMEOUT_S
    assert plan.limits.memory_mb == languages.GO_MIN_MEMORY_MB
    assert plan.limits.memory_kind == "data"
    assert plan.keep_paths == ["/usr/local/go"]


def test_go_with_tests_is_unsupported() -> None:
    with pytest.raises(languages.UnsupportedRequest, match="not supported"):
        languages.plan_for("go", code="", tests="x", workdir="/w", limits=Limits())


def test_missing_toolchain_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert languages.missing_toolchain("python") is None
    assert languages.missing_toolchain("go") == "go not found on PATH"
    assert languages.missing_toolchain("javascript") == "node not found on PATH"


def test_notebook_profile_runs_the_driver_file_on_the_notebook() -> None:
    plan = languages.plan_for(
        "notebook", code="{}", tests=None, workdir="/w", limits=Limits(), output_cap=1000
    )
    driver = "/w/.hero/notebook_driver.py"
    assert plan.command[:4] == [sys.executable, "-I", driver, languages.NOTEBOOK_FILE]
    assert plan.command[4] == "1000" and plan.command[-1] == languages.IMPORT_ROOT
    assert plan.files[languages.NOTEBOOK_FILE] == "{}"
    assert "execute_notebook" in plan.files[".hero/notebook_driver.py"]
    with pytest.raises(languages.UnsupportedRequest):
        languages.plan_for("notebook", code="{}", tests="x", workdir="/w", limits=Limits())
