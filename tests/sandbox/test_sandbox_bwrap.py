"""How the bwrap command line is built, and how the isolation level is chosen."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pytest

from codegen_hero.sandbox import bwrap as bw
from codegen_hero.sandbox import isolation_report, run_code
from tests.sandbox.sandbox_helpers import bwrap_unavailable_reason

BWRAP_MISSING = bwrap_unavailable_reason()

ISOLATION = bw.Isolation(bw.BWRAP_LEVEL, "test", "/usr/bin/bwrap", bw.NAMESPACE_FLAGS[0])


def build(workdir: str = "/tmp/hero-sandbox-x", **kwargs) -> list[str]:
    return bw.bwrap_argv(
        ISOLATION,
        workdir=workdir,
        env={"PATH": "/usr/bin", "HOME": workdir},
        command=["python3", "-c", "pass"],
        **kwargs,
    )


def pairs(argv: list[str], flag: str) -> list[str]:
    return [argv[i + 1] for i, arg in enumerate(argv) if arg == flag]


def test_core_flags_are_present() -> None:
    argv = build()
    for flag in ("--unshare-all", "--die-with-parent", "--new-session", "--clearenv"):
        assert flag in argv
    assert argv[1:4] == ["--ro-bind", "/", "/"]
    assert pairs(argv, "--cap-drop") == ["ALL"]
    assert "--disable-userns" in argv
    assert pairs(argv, "--chdir") == ["/tmp/hero-sandbox-x"]
    assert argv[argv.index("--") + 1 :] == ["python3", "-c", "pass"]


def test_workdir_is_bound_after_the_tmpfs_that_would_hide_it() -> None:
    argv = build()
    assert argv.index("/tmp") < argv.index("--bind")
    assert pairs(argv, "--bind") == ["/tmp/hero-sandbox-x"]


def test_tmpfs_mounts_are_sized() -> None:
    argv = build(tmpfs_bytes=123)
    size_before_tmp = argv[argv.index("/tmp") - 3 : argv.index("/tmp")]
    assert size_before_tmp == ["--size", "123", "--tmpfs"]
    assert "/dev/shm" in pairs(argv, "--tmpfs")


def test_environment_is_set_explicitly() -> None:
    argv = build()
    assert argv.index("--clearenv") < argv.index("--setenv")
    assert pairs(argv, "--setenv") == ["PATH", "HOME"]


def test_home_is_hidden_but_toolchains_inside_it_are_bound_back(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    toolchain = home / ".pyenv" / "versions" / "3.11"
    toolchain.mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    argv = build(keep_paths=[str(toolchain), "/usr"])
    assert str(home) in pairs(argv, "--tmpfs")
    assert pairs(argv, "--ro-bind") == ["/", str(toolchain)]
    assert argv.index(str(home)) < argv.index(str(toolchain))
    assert str(home) in pairs(argv, "--remount-ro")


def test_home_that_is_itself_needed_is_not_hidden(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    argv = build(keep_paths=[str(tmp_path)])
    assert str(tmp_path) not in pairs(argv, "--tmpfs")


def test_unsized_fallback_has_no_size_flags() -> None:
    old = bw.Isolation(bw.BWRAP_LEVEL, "", "/usr/bin/bwrap", bw.NAMESPACE_FLAGS[1], False)
    argv = bw.bwrap_argv(old, workdir="/w", env={}, command=["true"])
    assert "--size" not in argv and "--disable-userns" not in argv


def test_forced_rlimits_mode_says_it_is_not_a_sandbox(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HERO_SANDBOX", "rlimits")
    level, why = isolation_report()
    assert level == "rlimits-only"
    assert "NOT a security sandbox" in why and "HERO_SANDBOX" in why
    assert "\n" not in why


def test_missing_bwrap_falls_back_with_an_install_hint() -> None:
    found = bw.detect_bwrap(None)
    assert found.level == "rlimits-only"
    assert "bubblewrap" in found.explanation
    assert found.warning == found.explanation


def test_broken_bwrap_fails_its_probe(tmp_path: Path) -> None:
    fake = tmp_path / "bwrap"
    fake.write_text("#!/bin/sh\necho 'bwrap: No permissions to create new namespace' >&2\nexit 1\n")
    fake.chmod(0o755)
    found = bw.detect_bwrap(str(fake))
    assert found.level == "rlimits-only"
    assert "failed its probe" in found.explanation
    assert "No permissions" in found.explanation


def test_auto_mode_reports_a_level_and_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HERO_SANDBOX", raising=False)
    level, why = isolation_report()
    assert level in ("bwrap", "rlimits-only")
    assert why and "\n" not in why
    if level == "bwrap":
        assert "no network" in why


def test_python_paths_include_the_real_interpreter_home() -> None:
    real = os.path.realpath(sys.executable)
    assert any(real.startswith(path) for path in bw.python_paths())


def test_workdir_inside_a_hidden_home_is_bound_before_home_turns_read_only(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    argv = build(workdir=str(tmp_path / "work"))
    assert argv.index("--bind") < argv.index("--remount-ro")


@pytest.mark.skipif(BWRAP_MISSING is not None, reason=f"bubblewrap unavailable: {BWRAP_MISSING}")
def test_real_run_with_workdir_under_home_hides_the_rest_of_home(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    (home / "scratch").mkdir(parents=True)
    (home / ".netrc").write_text("machine example.com password canary")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("HERO_SANDBOX", "bwrap")
    monkeypatch.setattr(tempfile, "tempdir", str(home / "scratch"))
    code = f"import os\nprint(sorted(os.listdir({str(home)!r})))\nopen('ok.txt', 'w').write('x')"
    result = run_code(code, timeout=5)
    assert result.status == "ok", result.to_dict()
    assert result.stdout == "['scratch']\n"


def test_our_package_is_importable_inside_the_sandbox() -> None:
    """Wherever the project lives (a clone under /tmp, say), sandboxed code can import it."""
    import codegen_hero
    from codegen_hero.sandbox import run_code
    from codegen_hero.sandbox.bwrap import python_paths

    package_root = str(Path(codegen_hero.__file__).resolve().parents[1])
    assert package_root in python_paths()
    result = run_code(
        "from codegen_hero.exercises.tokens import approx_tokens\nprint(approx_tokens('abcd'))\n",
        timeout=10,
    )
    assert result.status == "ok", result.stderr
    assert result.stdout.strip() == "1"


def test_sandboxed_python_imports_the_same_package_as_its_caller() -> None:
    """Not whatever copy the interpreter's site-packages points at: the caller's own."""
    import codegen_hero
    from codegen_hero.sandbox import run_code

    result = run_code("import codegen_hero\nprint(codegen_hero.__file__)\n", timeout=10)
    assert result.status == "ok", result.stderr
    assert result.stdout.strip() == str(Path(codegen_hero.__file__).resolve())


def test_checkout_roots_are_the_projects_above_the_package_and_the_venv() -> None:
    import codegen_hero
    from codegen_hero.sandbox.bwrap import checkout_roots

    roots = [Path(root) for root in checkout_roots()]
    package = Path(codegen_hero.__file__).resolve()
    assert any(root in package.parents for root in roots)
    assert all((r / "pyproject.toml").is_file() or (r / ".git").exists() for r in roots)


@pytest.mark.skipif(BWRAP_MISSING is not None, reason=f"bubblewrap unavailable: {BWRAP_MISSING}")
def test_the_source_checkout_and_named_folders_are_empty_inside(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Tests, answer keys and git history of the project stay out; the package stays in."""
    from codegen_hero.sandbox import run_code
    from codegen_hero.sandbox.bwrap import checkout_roots

    monkeypatch.setenv("HERO_SANDBOX", "bwrap")
    secret = Path("/var/tmp") if Path("/var/tmp").is_dir() else tmp_path
    folder = Path(tempfile.mkdtemp(prefix="hero-hidden-", dir=secret))
    try:
        (folder / "key.txt").write_text("canary")
        roots = checkout_roots()
        code = (
            "import os, codegen_hero\n"
            f"for root in {roots!r}:\n"
            "    print(sorted(os.listdir(root)))\n"
            f"print(os.listdir({str(folder)!r}))\n"
        )
        result = run_code(code, timeout=10, hide=[str(folder)])
    finally:
        (folder / "key.txt").unlink()
        folder.rmdir()
    assert result.status == "ok", result.to_dict()
    listed = result.stdout.splitlines()
    assert listed[-1] == "[]"
    for line in listed[:-1]:  # only what leads to the package and the venv remains
        assert "pyproject.toml" not in line and "tests" not in line and ".git" not in line
