"""tally's canonical files and known start states: the references pass exactly their steps."""

from __future__ import annotations

from pathlib import Path

import pytest

from codegen_hero.project import (
    LAB_STATES,
    STEPS,
    ProjectError,
    acceptance_tests,
    materialise,
    project_file,
    reference_module,
    step_prompt,
    step_tests,
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
@pytest.mark.parametrize("done", [0, 3, 6, 9])
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
