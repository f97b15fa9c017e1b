"""tally's canonical files (spec, plan, todo, acceptance tests) and its known start states.

Lab 06 writes the plan, lab 07 builds steps 1-3, lab 08 steps 4-6, lab 09 steps 7-9. A
learner who skipped a lab calls `materialise(folder, "08")` and gets the repository as lab 08
starts it: a git repository whose history says which steps are done, with the reference
`tally.py` for them (not a model's), so every later lab starts from the same place.
"""

from __future__ import annotations

import json
import re
import tempfile
from dataclasses import replace
from pathlib import Path

from codegen_hero.models.errors import HeroError
from codegen_hero.project.run_pytest import MARKER
from codegen_hero.sandbox import SandboxResult, run_code
from codegen_hero.settings import interactive_frontend
from codegen_hero.toolkit.loops import GIT_SETTINGS, git, git_available

DATA = Path(__file__).resolve().with_name("tally")
RUNNER = Path(__file__).resolve().with_name("run_pytest.py")
WORKSPACE = Path("workspace") / "tally"  # where lab 06 writes spec.md, next to the notebooks
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
INTERVIEW_SPEC = "interview-spec.md"  # lab 06's spec, kept beside the course's
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
    """The reference tally.py after `done` steps (0, 3, 6, 7, 8 or 9): the labs' known start
    states, and the starts of lab 09's steps."""
    names = {0: "stub.py", **{n: f"reference/after_step_{n:02d}.py" for n in (3, 6, 7, 8, 9)}}
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


def run_acceptance(files: dict[str, str], timeout: float = 60) -> SandboxResult:
    """pytest over the test_*.py files among `files` (with tally.py), in the sandbox.

    Later steps' tests use pytest's fixtures, so they cannot run in the sandbox's own
    harness. The result reads like the harness's: status ok when every test passed, the
    tests' names in tests_passed / tests_failed, pytest's report in stderr."""
    result = run_code(RUNNER.read_text(encoding="utf-8"), files=files, timeout=timeout)
    lines = [ln for ln in result.stdout.splitlines() if ln.startswith(MARKER)]
    if not lines:
        last_error = result.stderr.strip().splitlines()[-1:]
        reason = result.reason or (last_error[0] if last_error else result.status)
        status = "error" if result.status in ("ok", "fail") else result.status
        return replace(result, status=status, reason=reason)  # type: ignore[arg-type]
    verdict = json.loads(lines[-1].removeprefix(MARKER))
    passed, failed = list(verdict["passed"]), dict(verdict["failed"])
    status = "ok" if result.exit_code == 0 and passed and not failed else "fail"
    return replace(
        result,
        status=status,
        tests_passed=passed,
        tests_failed=list(failed),
        failures=failed,
        stdout="",
    )  # type: ignore[arg-type]


def repository_files(root: Path) -> dict[str, str]:
    """tally.py and the step tests as the working tree has them."""
    names = [MODULE, *sorted(p.name for p in root.glob("test_step_*.py"))]
    return {n: (root / n).read_text(encoding="utf-8") for n in names if (root / n).is_file()}


def steps_done(root: str | Path) -> int | None:
    """How many steps a tally repository has done: its committed step tests are steps 1..k,
    the working tree is clean and they all pass (in the sandbox). None when `root` is not a
    tally repository; -1 when it is one in no known state (tests red, gaps, changes)."""
    root = Path(root)
    if not (git_available(root) and (root / MODULE).is_file() and (root / "todo.md").is_file()):
        return None
    tracked = git(root, "ls-files", "--", "test_step_*.py").split()
    expected = [f"test_step_{n:02d}.py" for n in range(1, len(tracked) + 1)]
    if sorted(tracked) != expected or git(root, "status", "--porcelain"):
        return -1
    if not tracked:
        return 0
    return len(tracked) if run_acceptance(repository_files(root)).ok else -1


def _aside(root: Path, lab: str) -> Path:
    for number in range(1, 100):
        suffix = "" if number == 1 else f"-{number}"
        target = root.with_name(f"{root.name}-before-lab{lab}{suffix}")
        if not target.exists():
            return target
    raise ProjectError(f"too many earlier copies next to {root}: remove some (nothing changed)")


def lab_repository(
    lab: str, folder: str | Path = WORKSPACE, *, fresh: bool | None = None
) -> tuple[Path, str]:
    """The tally repository lab `lab` works in, and one line that says where it came from.

    fresh (default: when no one can click, as in papermill, nbval or the book build): a new
    copy of the lab's known start state in a temporary folder, so labs run in parallel and
    always from the same place. Otherwise `folder` (workspace/tally): the learner's repository
    when it is at the lab's start state; restored there when it is missing or at another
    state (the old one is moved next to it, not deleted); an error when `folder` holds
    something that is not tally's repository."""
    if lab not in LAB_STATES:
        raise ProjectError(f"tally has start states for labs {', '.join(LAB_STATES)}, not {lab!r}")
    done = LAB_STATES[lab][0]
    progress = f"steps 1-{done} done" if done else "no step done"
    start = f"lab {lab}'s start state ({progress})"
    if fresh if fresh is not None else not interactive_frontend():
        root = materialise(Path(tempfile.mkdtemp(prefix=f"tally-lab{lab}-")) / "tally", lab)
        return root, f"A fresh copy of tally at {start} in {root} (an unattended run)."
    root = Path(folder)
    if not root.exists() or (root.is_dir() and not any(root.iterdir())):
        materialise(root, lab)
        return root, f"No tally repository at {root} yet: restored {start} there."
    if not root.is_dir():
        raise ProjectError(f"{root} is a file, not tally's repository: pass another folder")
    state = steps_done(root)
    if state == done:
        return root, f"Continuing your tally repository at {root}: {progress}."
    if state is None and not (root / "spec.md").is_file():
        raise ProjectError(
            f"{root} holds something that is not tally's repository: move it or pass another "
            "folder (nothing was changed)"
        )
    moved = _aside(root, lab)
    root.rename(moved)
    materialise(root, lab)
    if state is None and not (moved / ".git").exists():  # lab 06's interview, not yet a repo
        _commit(
            root,
            {INTERVIEW_SPEC: (moved / "spec.md").read_text(encoding="utf-8")},
            "your spec from lab 06's interview (the steps follow spec.md, whose tests are fixed)",
        )
        return root, (
            f"{start.capitalize()} restored at {root}, with your spec from lab 06 committed "
            f"as {INTERVIEW_SPEC} beside the course's spec.md, which the steps' tests follow "
            f"(the folder as lab 06 left it is at {moved})."
        )
    was = "is not at a known state" if state in (None, -1) else f"has {state} step(s) done"
    return root, f"Your tally at {root} {was}: moved to {moved}, and {start} restored."
