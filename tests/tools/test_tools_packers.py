"""Three packers on one generated repository: tokens, what each left out, the planted secret."""

from __future__ import annotations

from pathlib import Path

import pytest

from codegen_hero.sandbox.tool_run import missing_for_tools
from codegen_hero.tools import packers
from codegen_hero.tools.packers import (
    PackerError,
    compare_packers,
    make_demo_repo,
    pack_ours,
    pack_repomix,
)

MISSING = missing_for_tools(bridged=False)
needs_sandbox = pytest.mark.skipif(bool(MISSING), reason=MISSING or "")
needs_repomix = pytest.mark.skipif(
    not packers.REPOMIX.is_file(), reason="repomix not installed (scripts/tools-repomix.sh)"
)


@pytest.fixture
def demo(tmp_path: Path):
    return make_demo_repo(tmp_path / "demo")


def test_the_demo_repo_plants_two_fresh_secrets(tmp_path: Path):
    root, planted = make_demo_repo(tmp_path / "one")
    _, again = make_demo_repo(tmp_path / "two")
    assert set(planted) == {".env", "notes/deploy.md"}
    assert planted[".env"] != again[".env"]  # random per call, never stored
    assert planted["notes/deploy.md"] in (root / "notes/deploy.md").read_text()


def test_our_packer_keeps_ignored_files_out_but_not_a_tracked_secret(demo):
    root, planted = demo
    report = pack_ours(root, planted)
    assert report.left_out[".env"] == "ignored" and report.left_out["logo.png"] == "binary"
    assert report.secrets_in == ["notes/deploy.md"]
    assert "tally.py" in report.included and report.tokens and report.tokens > 500


@needs_sandbox
@needs_repomix
def test_the_three_packers_side_by_side(demo):
    root, planted = demo
    ours, repomix, ftp = compare_packers(root, planted)
    assert not (ours.error or repomix.error or ftp.error), (repomix.error, ftp.error)
    # repomix's secret scan catches the token pasted into a tracked file; the others do not.
    assert repomix.secrets_in == [] and repomix.left_out["notes/deploy.md"] == "security check"
    assert ours.secrets_in == ["notes/deploy.md"] and ftp.secrets_in == ["notes/deploy.md"]
    for report in (ours, repomix, ftp):
        assert ".env" in report.left_out and "build.log" in report.left_out
        assert "logo.png" in report.left_out and "tally.py" in report.included
    assert ftp.left_out[".gitignore"] == "hidden file" and ".gitignore" in repomix.included
    assert repomix.own_tokens is not None and repomix.own_tokens > 0  # counted offline
    assert ours.own_tokens is None and ftp.own_tokens is None  # unknown stays unknown
    assert {r.packer for r in (ours, repomix, ftp)} == {
        "ours (toolkit.packing)",
        "repomix 1.14 (npm)",
        "files-to-prompt 0.6 (PyPI)",
    }


def test_a_missing_repomix_is_one_clear_line(demo, monkeypatch: pytest.MonkeyPatch, tmp_path):
    root, planted = demo
    monkeypatch.setattr(packers, "REPOMIX", tmp_path / "nowhere" / "repomix.cjs")
    with pytest.raises(PackerError, match="repomix is not installed"):
        pack_repomix(root, planted)
    reports = compare_packers(root, planted)
    assert "not installed" in reports[1].error and reports[0].error == ""
