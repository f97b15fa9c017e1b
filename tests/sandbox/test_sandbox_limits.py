"""The limits we ask for and the environment we hand over."""

from __future__ import annotations

import os
import resource
import sys

import pytest

from codegen_hero.sandbox.limits import (
    MB,
    NPROC_HEADROOM,
    RUN_TAG_VAR,
    Limits,
    count_user_tasks,
    sandbox_env,
)


def test_environment_drops_every_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    dirty = {
        "ANTHROPIC_API_KEY": "a",
        "MY_SERVICE_TOKEN": "b",
        "CLIENT_SECRET": "c",
        "PGPASSWORD": "d",
        "LD_PRELOAD": "/evil.so",
        "PYTHONPATH": "/evil",
        "NODE_OPTIONS": "--require /evil.js",
    }
    for name, value in dirty.items():
        monkeypatch.setenv(name, value)
    env = sandbox_env("/w", "/w/.tmp", "tag123")
    for name in dirty:
        assert name not in env
    pattern = ("KEY", "TOKEN", "SECRET", "PASSWORD")
    assert not [name for name in env if any(p in name for p in pattern)]
    assert env["HOME"] == env["PWD"] == "/w"
    assert env["TMPDIR"] == "/w/.tmp"
    assert env[RUN_TAG_VAR] == "tag123"
    assert env["PATH"] == os.environ["PATH"]


def test_extra_environment_is_added() -> None:
    env = sandbox_env("/w", "/tmp", "t", {"GOCACHE": "/w/.cache"})
    assert env["GOCACHE"] == "/w/.cache"


def test_rlimits_for_python_use_address_space() -> None:
    limits = Limits(timeout_s=2.5, memory_mb=256, max_file_mb=8).rlimits()
    assert limits["RLIMIT_CPU"] == (4, 5)
    assert limits["RLIMIT_AS"] == (256 * MB, 256 * MB)
    assert limits["RLIMIT_FSIZE"] == (8 * MB, 8 * MB)
    assert limits["RLIMIT_CORE"] == (0, 0)
    assert "RLIMIT_DATA" not in limits
    assert all(hasattr(resource, name) for name in limits)


def test_data_limit_for_runtimes_that_reserve_address_space() -> None:
    limits = Limits(memory_mb=300, memory_kind="data").rlimits()
    assert limits["RLIMIT_DATA"] == (300 * MB, 300 * MB)
    assert "RLIMIT_AS" not in limits


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="counts tasks in /proc")
def test_process_limit_leaves_room_above_what_the_user_already_runs() -> None:
    soft, hard = Limits().rlimits()["RLIMIT_NPROC"]
    assert soft == hard
    assert soft >= count_user_tasks() + NPROC_HEADROOM - 50  # other processes come and go
    assert count_user_tasks() >= 1


def test_task_cap_is_above_the_process_cap() -> None:
    limits = Limits(max_processes=10)
    assert limits.max_tasks() > limits.max_processes
