"""tally's canonical files and known start states: the references pass exactly their steps."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from codegen_hero.project import (
    LAB_STATES,
    STEPS,
    ProjectError,
    acceptance_tests,
    lab_repository,
    materialise,
    project_file,
    reference_module,
    run_acceptance,
    step_prompt,
    step_tests,
    steps_done,
)
from codegen_hero.project.tally_repo import todo_after
from codegen_hero.sandbox.tool_run import missing_for_tools
from codegen_hero.toolkit.loops import git
from codegen_hero.tools.aider import run_tests

MISSING = missing_for_tools(bridged=False)


def test_every_step_has_a_prompt_and_its_own_tests():
    for step in range(1, STEPS + 1):
        assert step_prompt(step).startswith(f"Step {step} of {STEPS}.")
        (name,) = step_tests(step)
        assert name == f"test_step_{step:02d}.py" and "def test_" in step_tests(step)[name]
    assert list(acceptance_tests(3)) == ["test_step_01.py", "test_step_02.py", "test_step_03.py"]


@pytest.mark.parametrize("bad", [0, 10, "1"])
def test_a_step_outside_the_plan_is_refused(bad):
    with pytest.raises(ProjectError, match="steps 1 to 9"):
        step_prompt(bad)


def test_the_spec_plan_and_todo_agree_on_nine_steps():
    assert project_file("todo.md").count("- [ ] Step") == STEPS
    assert project_file("prompt_plan.md").count("\n## Step ") == STEPS
    assert "tally FILE --top N" in project_file("spec.md")
    assert todo_after(3).count("- [x]") == 3


@pytest.mark.parametrize("lab", sorted(LAB_STATES))
def test_materialise_builds_each_labs_start_state(tmp_path: Path, lab: str):
    root = materialise(tmp_path / "tally", lab)
    subjects = git(root, "log", "--format=%s").splitlines()
    assert subjects[-1] == "idea: what tally should do"
    assert git(root, "status", "--porcelain") == ""
    done, _ = LAB_STATES[lab]
    tests = sorted(p.name for p in root.glob("test_step_*.py"))
    assert tests == [f"test_step_{n:02d}.py" for n in range(1, done + 1)]
    assert (root / "tally.py").exists() == (lab != "06")
    if done:
        assert (root / "tally.py").read_text() == reference_module(done)


def test_materialise_refuses_a_folder_with_something_in_it(tmp_path: Path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(ProjectError, match="not empty"):
        materialise(tmp_path, "07")
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]
    with pytest.raises(ProjectError, match="start states"):
        materialise(tmp_path / "new", "05")


@pytest.mark.skipif(bool(MISSING), reason=MISSING or "")
@pytest.mark.parametrize("done", [0, 3, 6, 7, 8, 9])
def test_each_reference_passes_its_steps_and_fails_the_next(tmp_path: Path, done: int):
    """The acceptance tests can fail: each reference passes steps 1..done, not done+1."""
    root = tmp_path / "repo"
    root.mkdir()
    (root / "tally.py").write_text(reference_module(done))
    if done:
        for name, text in acceptance_tests(done).items():
            (root / name).write_text(text)
        green, counts = run_tests(root)
        assert green, counts
    if done < STEPS:
        for name, text in step_tests(done + 1).items():
            (root / name).write_text(text)
        green, counts = run_tests(root)
        assert not green, counts


def _stays(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): p.read_text() for p in folder.rglob("*") if p.is_file()}


def test_an_unattended_lab_gets_a_fresh_start_state_in_a_temporary_folder(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    mine = materialise(tmp_path / "tally", "09")  # a learner's repository, not to be used
    root, note = lab_repository("08", mine, fresh=True)
    assert root != mine and root.parent.name.startswith("tally-lab08-")
    assert root.parent.parent == tmp_path / "tmp"
    assert git(root, "log", "-1", "--format=%s").startswith("steps 1-3 done")
    assert note.startswith("A fresh copy of tally at lab 08's start state (steps 1-3 done)")
    assert len(note.splitlines()) == 1
    other, _ = lab_repository("08", mine, fresh=True)
    assert other != root  # labs run side by side, each in its own folder


def test_a_missing_or_empty_folder_gets_the_start_state(tmp_path: Path):
    root, note = lab_repository("07", tmp_path / "workspace" / "tally", fresh=False)
    assert (root / "tally.py").read_text() == reference_module(0)
    start = "lab 07's start state (no step done)"
    assert note == f"No tally repository at {root} yet: restored {start} there."


def test_a_repository_at_an_unknown_state_is_kept_aside(tmp_path: Path):
    root = materialise(tmp_path / "tally", "08")
    (root / "test_step_02.py").unlink()  # a gap in the steps: no known state
    git(root, "commit", "-qam", "drop a test")
    assert steps_done(root) == -1
    again, note = lab_repository("08", root, fresh=False)
    assert again == root and "is not at a known state" in note
    assert (tmp_path / "tally-before-lab08" / "todo.md").exists()
    assert not (tmp_path / "tally-before-lab08" / "test_step_02.py").exists()


def test_a_folder_that_is_not_tally_is_refused_and_left_alone(tmp_path: Path):
    (tmp_path / "notes.txt").write_text("mine")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "more.py").write_text("x = 1\n")
    before = _stays(tmp_path)
    with pytest.raises(ProjectError, match="not tally's repository") as caught:
        lab_repository("07", tmp_path, fresh=False)
    assert "\n" not in str(caught.value) and "nothing was changed" in str(caught.value)
    assert _stays(tmp_path) == before
    with pytest.raises(ProjectError, match="start states"):
        lab_repository("10", tmp_path / "new", fresh=False)


def test_lab_06s_spec_alone_is_kept_aside_and_the_start_state_restored(tmp_path: Path):
    folder = tmp_path / "tally"
    folder.mkdir()
    (folder / "spec.md").write_text("# my spec\n")
    root, note = lab_repository("07", folder, fresh=False)
    assert (tmp_path / "tally-before-lab07" / "spec.md").read_text() == "# my spec\n"
    assert (root / "prompt_plan.md").exists() and "interview-spec.md" in note
    # The learner's spec travels on in the repository, committed, beside the course's.
    assert (root / "interview-spec.md").read_text() == "# my spec\n"
    assert git(root, "status", "--porcelain") == ""
    assert "lab 06" in git(root, "log", "-1", "--format=%s")
    # ... and the repository still counts as lab 07's start state, so lab 07 continues it.
    again, note = lab_repository("07", folder, fresh=False)
    assert again == root and note.startswith("Continuing")


def test_the_learners_repository_at_the_right_state_is_reused(tmp_path: Path):
    root = materialise(tmp_path / "tally", "08")
    head = git(root, "rev-parse", "HEAD")
    again, note = lab_repository("08", root, fresh=False)
    assert again == root and git(root, "rev-parse", "HEAD") == head
    assert note == f"Continuing your tally repository at {root}: steps 1-3 done."
    # The same repository is at the wrong state for lab 09: moved aside, not lost.
    later, note = lab_repository("09", root, fresh=False)
    assert "has 3 step(s) done" in note and "lab 09's start state (steps 1-6 done)" in note
    assert git(tmp_path / "tally-before-lab09", "rev-parse", "HEAD") == head
    assert steps_done(later) == 6


def test_run_acceptance_runs_pytest_fixtures_and_names_the_failures():
    files = {"tally.py": reference_module(6), **acceptance_tests(6)}
    green = run_acceptance(files)
    assert green.ok and "test_main_prints_at_most_ten" in green.tests_passed, green
    red = run_acceptance({**files, **step_tests(7)})
    assert red.status == "fail" and red.tests_failed == ["test_main_top_option"]
    assert "test_main_top_option" in red.stderr


def test_run_acceptance_without_a_verdict_is_an_error_with_the_reason():
    """pytest killed before it reports (here a test file exits on import): no test counts as
    run, and the reason is the sandbox's, not an empty string."""
    dies = "import os\nos._exit(3)\n"
    result = run_acceptance({"tally.py": reference_module(0), "test_step_01.py": dies})
    assert result.status == "error" and not result.ok
    assert result.reason == "exited with code 3"
    assert result.tests_passed == [] and result.tests_failed == []
