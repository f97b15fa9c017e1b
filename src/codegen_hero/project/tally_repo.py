"""tally's canonical files (spec, plan, todo, acceptance tests) and its known start states.

Lab 06 writes the plan, lab 07 builds steps 1-3, lab 08 steps 4-6, lab 09 steps 7-9. A
learner who skipped a lab calls `materialise(folder, "08")` and gets the repository as lab 08
starts it: a git repository whose history says which steps are done, with the reference
`tally.py` for them (not a model's), so every later lab starts from the same place.
"""

from __future__ import annotations

import re
from pathlib import Path

from codegen_hero.models.errors import HeroError
from codegen_hero.toolkit.loops import GIT_SETTINGS, git

DATA = Path(__file__).resolve().with_name("tally")
STEPS = 9
MODULE = "tally.py"
# Lab -> (steps already done when it starts, reference module for them).
LAB_STATES: dict[str, tuple[int, str | None]] = {
    "06": (0, None),
    "07": (0, "stub.py"),
    "08": (3, "reference/after_step_03.py"),
    "09": (6, "reference/after_step_06.py"),
}
IDEA = """# tally

An idea: a small command-line tool that reads a text file and prints the words it uses
most. Nothing is written yet: stage 6 turns this into a spec, a prompt plan and a to-do list.
"""
GITIGNORE = "__pycache__/\n.pytest_cache/\n.aider*\n"


class ProjectError(HeroError):
    pass


def project_file(name: str) -> str:
    """One of the canonical files (spec.md, prompt_plan.md, todo.md, stub.py, reference/...)."""
    path = DATA / name
    if not path.is_file():
        raise ProjectError(f"tally has no file {name!r}")
    return path.read_text(encoding="utf-8")


def _check_step(step: int) -> None:
    if not (isinstance(step, int) and 1 <= step <= STEPS):
        raise ProjectError(f"tally's plan has steps 1 to {STEPS}, not {step!r}")


def step_tests(step: int) -> dict[str, str]:
    """{file name: source} of one step's own acceptance tests."""
    _check_step(step)
    name = f"test_step_{step:02d}.py"
    return {name: project_file(f"tests/{name}")}


def acceptance_tests(step: int) -> dict[str, str]:
    """Every test file from step 1 to `step`: a step is done when all of them pass."""
    _check_step(step)
    files: dict[str, str] = {}
    for number in range(1, step + 1):
        files.update(step_tests(number))
    return files


def step_prompt(step: int) -> str:
    """The prompt of one step, as prompt_plan.md words it (one paragraph)."""
    _check_step(step)
    plan = project_file("prompt_plan.md")
    match = re.search(rf"^## Step {step}:[^\n]*\n(.*?)(?=^## |\Z)", plan, re.M | re.S)
    if match is None:
        raise ProjectError(f"prompt_plan.md has no section for step {step}")
    return " ".join(match.group(1).split())


def reference_module(done: int) -> str:
    """The reference tally.py after `done` steps (3, 6 or 9): the known start states."""
    names = {0: "stub.py", 3: "reference/after_step_03.py", 6: "reference/after_step_06.py"}
    names[STEPS] = "reference/after_step_09.py"
    if done not in names:
        raise ProjectError(f"there is a reference tally.py after steps {sorted(names)}, not {done}")
    return project_file(names[done])


def todo_after(done: int) -> str:
    """todo.md with the first `done` steps ticked."""
    lines = project_file("todo.md").splitlines()
    ticked = []
    for line in lines:
        found = re.match(r"- \[ \] Step (\d+):", line)
        if found and int(found.group(1)) <= done:
            line = line.replace("- [ ]", "- [x]", 1)
        ticked.append(line)
    return "\n".join(ticked) + "\n"


def _commit(root: Path, files: dict[str, str], message: str) -> None:
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    git(root, "add", "--", *files)
    git(root, "commit", "-q", "-m", message)


def materialise(folder: str | Path, lab: str) -> Path:
    """Create the tally repository as lab `lab` ("06"-"09") starts it, in an empty or new
    folder. Refuses a folder that holds anything, so nothing of the learner's is lost."""
    if lab not in LAB_STATES:
        raise ProjectError(f"tally has start states for labs {', '.join(LAB_STATES)}, not {lab!r}")
    root = Path(folder)
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise ProjectError(f"{root} is not empty: pick a new folder (nothing was changed)")
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q")
    git(root, "symbolic-ref", "HEAD", "refs/heads/main")
    for key, value in GIT_SETTINGS.items():
        git(root, "config", "--local", key, value)
    _commit(root, {"README.md": IDEA, ".gitignore": GITIGNORE}, "idea: what tally should do")
    if lab == "06":
        return root
    plan = {name: project_file(name) for name in ("spec.md", "prompt_plan.md", "todo.md")}
    _commit(root, {**plan, MODULE: project_file("stub.py")}, "plan: spec, prompt plan, to-do")
    done, _ = LAB_STATES[lab]
    if done:
        files = {**acceptance_tests(done), MODULE: reference_module(done)}
        files["todo.md"] = todo_after(done)
        _commit(root, files, f"steps 1-{done} done (the course's reference start state)")
    return root


def prepare_step(folder: str | Path, lab: str, step: int) -> Path:
    """The start state of `lab` with step `step`'s acceptance tests committed: what a tool
    (aider, the course's loop) is given to build that step."""
    root = materialise(folder, lab)
    tests = step_tests(step)
    _commit(root, tests, f"step {step}: acceptance tests")
    return root
