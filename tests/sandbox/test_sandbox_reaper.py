"""Host-side clean-up: the run's tag and its directory find stragglers; cgroups cap tasks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from codegen_hero.sandbox.cgroup import create_pids_cgroup
from codegen_hero.sandbox.limits import RUN_TAG_VAR
from codegen_hero.sandbox.reaper import kill_strays

linux_only = pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="needs /proc")


@linux_only
def test_tagged_process_is_killed(tmp_path: Path) -> None:
    straggler = subprocess.Popen(
        ["sleep", "30"], env={RUN_TAG_VAR: "tag-abc", "PATH": os.environ["PATH"]}, cwd="/"
    )
    other = subprocess.Popen(["sleep", "30"], env={RUN_TAG_VAR: "tag-other"}, cwd="/")
    try:
        assert kill_strays("tag-abc", str(tmp_path)) >= 1
        assert straggler.wait(timeout=5) == -9
        assert other.poll() is None
    finally:
        other.kill()
        other.wait()


@linux_only
def test_process_working_inside_the_workdir_is_killed(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    straggler = subprocess.Popen(["sleep", "30"], env={}, cwd=tmp_path / "sub")
    assert kill_strays("unrelated", str(tmp_path)) >= 1
    assert straggler.wait(timeout=5) == -9


@pytest.mark.skipif(
    not sys.platform.startswith("linux") or os.geteuid() != 0, reason="cgroups need root"
)
def test_pids_cgroup_caps_tasks_and_cleans_up() -> None:
    cgroup = create_pids_cgroup(8, "unit-test")
    if cgroup is None:
        pytest.skip("no writable pids cgroup here")
    try:
        assert (cgroup.path / "pids.max").read_text().strip() == "8"
        code = (
            "import os, time\n"
            "n = 0\n"
            "try:\n"
            "    while True:\n"
            "        if os.fork() == 0:\n"
            "            os.closerange(0, 3)\n"
            "            time.sleep(30)\n"
            "        n += 1\n"
            "except OSError:\n"
            "    print(n)\n"
        )
        done = subprocess.run(
            cgroup.wrap([sys.executable, "-c", code]), capture_output=True, text=True, timeout=30
        )
        assert int(done.stdout) < 8
        assert cgroup.pids()  # the sleeping children are still in there
    finally:
        cgroup.remove()
    assert not cgroup.path.exists()


def test_no_cgroup_for_ordinary_users(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    assert create_pids_cgroup(8, "x") is None
