"""Stage 7's edit, test, commit loop: what aider runs for you, written out.

Each iteration the model writes the whole module; the tests run in the sandbox (`run_code`,
never in this process); a green answer that kept the rules is committed with git, a red one
sends the failing output back verbatim. Stop checks, in order: budget (before the call),
tests green, no progress, iterations. Deterministic apart from the model, a plain callable.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from codegen_hero import complete
from codegen_hero.models.errors import BudgetExceeded
from codegen_hero.sandbox import SandboxResult, extract_code, run_code, strip_main_and_tests

GREEN, ITERATIONS, NO_PROGRESS, BUDGET = "tests green", "iterations", "no progress", "budget"
FEEDBACK_CHARS = 1200
CONVENTIONS = """\
Conventions for this repository (they apply to every answer):
- Change only {module}. Never change, skip, delete or weaken the tests in {tests}.
- No deceptions: never special-case the test inputs. If a test cannot pass, say why.
- Python 3.11, standard library only.
- Reply with the complete new {module} in one ```python code block."""
NO_CODE = "(Your reply had no ```python block, so the module is unchanged.)\n"
SKIP_MARKERS = ("pytest.skip", "mark.skip", "mark.xfail", "unittest.skip", "skipTest")

GIT_SETTINGS = {  # local to the lab's repository: a fresh machine has no global identity
    "user.name": "Lab Human",
    "user.email": "lab@example.invalid",
    "commit.gpgsign": "false",
    "core.hooksPath": ".git/hooks",
}
ModelCall = Callable[[Any, str, int], Any]  # (prompt or messages, system, attempt) -> answer
# Runs a project's tests, given its files (module and test_*.py), in the sandbox.
TestRunner = Callable[[dict[str, str]], SandboxResult]


def caller(
    model: str, max_tokens: int = 256, retry_temperature: float = 0.7, **options: Any
) -> ModelCall:
    """A ModelCall for a registry model. Attempt 1 is greedy (temperature 0); later attempts
    sample at `retry_temperature` with the attempt as seed, because at temperature 0 a small
    model often repeats its last answer word for word however clear the feedback is.
    `options` go to `complete` as they are (e.g. stop sequences)."""

    def call(prompt: Any, system: str, attempt: int = 1) -> Any:
        temperature = 0.0 if attempt <= 1 else retry_temperature
        return complete(
            model,
            prompt,
            system=system,
            temperature=temperature,
            seed=attempt,
            max_tokens=max_tokens,
            **options,
        )

    return call


def answer_parts(answer: Any) -> tuple[str, int | None, int | None, float | None, float]:
    """(text, input tokens, output tokens, dollars, latency) of a str or Completion; a count
    or cost the provider did not report is None."""
    if isinstance(answer, str):
        return answer, 0, 0, 0.0, 0.0
    used = answer.usage
    return answer.text, used.input_tokens, used.output_tokens, answer.cost_usd, answer.latency_s


@dataclass
class Budget:
    """Spend so far and the check before the next call: the largest call so far must still fit.
    An unknown cost makes the spend unknown, and an unknown spend cannot be checked: stop."""

    limit: float | None = None
    spent: float | None = 0.0
    largest: float = 0.0

    def allows_next(self) -> bool:
        fits = self.spent is not None and self.spent + self.largest <= (self.limit or 0) + 1e-12
        return self.limit is None or fits

    def add(self, cost: float | None) -> None:
        self.spent = None if cost is None or self.spent is None else self.spent + cost
        self.largest = max(self.largest, cost or 0.0)


def git_available(directory: str | Path | None = None) -> bool:
    """Is git installed (and, given a directory, is that directory a repository)?"""
    return bool(shutil.which("git")) and (directory is None or Path(directory, ".git").exists())


def git(directory: str | Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=directory, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)} failed: {done.stderr.strip()}")
    return done.stdout.strip()


def init_repo(directory: str | Path, files: dict[str, str], branch: str | None = None) -> None:
    """git init, a local identity, the files committed on main, then (if named) a new branch."""
    root = Path(directory)
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q")
    git(root, "symbolic-ref", "HEAD", "refs/heads/main")
    for key, value in GIT_SETTINGS.items():
        git(root, "config", "--local", key, value)
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    git(root, "add", "--", *files)
    git(root, "commit", "-q", "-m", "scaffold: stub and tests")
    if branch:
        git(root, "checkout", "-q", "-b", branch)


def commit_files(directory: str | Path, paths: list[str], message: str) -> str:
    git(directory, "add", "--", *paths)
    git(directory, "commit", "-q", "-m", message)
    return git(directory, "rev-parse", "--short", "HEAD")


def touched_tests(answer: str, tests: str, tests_source: str) -> list[str]:
    """Why an answer breaks "never change the tests": it names the test file as a file to
    write, redefines one of its tests, or skips a test. [] when it keeps to the rule."""
    header = r"^[\s#*`>~-]*(python\s+)?((file(name)?|path)\s*:\s*)?"
    named = any(
        re.sub(header, "", ln, flags=re.I).strip(" `*:") == tests for ln in answer.split("\n")
    )
    found = [f"names {tests} as a file to write"] if named else []
    defined = set(re.findall(r"^\s*def\s+(test_\w+)\s*\(", answer, re.M))
    names = re.findall(r"^def (test_\w+)\s*\(", tests_source, re.M)
    found += [f"redefines {name}" for name in names if name in defined]
    found += [f"uses {marker}" for marker in SKIP_MARKERS if marker in answer]
    return found


def sandbox_tests(files: dict[str, str], tests_source: str, timeout: float = 10) -> SandboxResult:
    """Run the tests against the project's files in the sandbox (they import them by name)."""
    return run_code("", tests=tests_source, files=files, timeout=timeout)


def feedback_of(result: SandboxResult, tests: str = "") -> str:
    """What the model reads after a red run: the test output verbatim (tracebacks with the
    failing line), with the sandbox's own paths and file names made readable."""
    lines = [f"{name}: {message}" for name, message in result.failures.items()]
    text = result.stderr.strip() or "\n".join(lines) or result.reason or result.status
    text = re.sub(r'File "[^"]*/([^"/]+)"', r'File "\1"', text)
    text = text.replace("test_solution.py", tests) if tests else text
    return text[-FEEDBACK_CHARS:]


@dataclass
class Iteration:
    number: int
    status: str  # the sandbox's verdict on the tests: ok, fail, error, timeout, ...
    tests_passed: int
    tests_failed: int
    feedback: str
    code: str
    violations: list[str] = field(default_factory=list)  # rules the answer broke
    gate: str = ""  # the gate's report when it refused the change
    commit: str | None = None
    input_tokens: int | None = 0  # None: the server did not say
    output_tokens: int | None = 0
    cost_usd: float | None = 0.0
    latency_s: float = 0.0


@dataclass
class LoopRecord:
    task: str
    iterations: list[Iteration]
    stop_reason: str

    @property
    def green(self) -> bool:
        return self.stop_reason == GREEN


def build_prompt(task: str, module: str, current: str, tests: str, tests_source: str) -> str:
    """The task, the tests (unless `tests_source` is empty) and the module as it is now."""
    shown = f"The tests ({tests}, read-only):\n```python\n{tests_source.strip()}\n```\n\n"
    current = current.strip() or "(empty)"
    return f"{task}\n\n{shown if tests_source else ''}Current {module}:\n```python\n{current}\n```"


def edit_test_loop(
    model_call: ModelCall,
    directory: str | Path,
    task: str,
    *,
    module: str,
    tests: str,
    max_iterations: int = 3,
    patience: int | None = None,
    budget: Budget | None = None,
    gate: Callable[[dict[str, str]], tuple[bool, str]] | None = None,
    use_git: bool | None = None,
    conventions: str = CONVENTIONS,
    label: str = "model",
    show_tests: bool = True,
    runner: TestRunner | None = None,
) -> LoopRecord:
    """Ask, write `module`, test in the sandbox, commit when green and clean, else feed back.
    `gate(files) -> (passed, report)` runs before a commit, like a pre-commit hook.
    `show_tests=False` keeps the tests out of the prompt: the model sees only their failures.
    `runner(files)`, when given, judges each answer instead of the sandbox's harness: it gets
    the module and every test_*.py file of the directory (earlier steps' tests too)."""
    root = Path(directory)
    use_git = git_available(root) if use_git is None else use_git
    budget = budget or Budget()
    system = conventions.format(module=module, tests=tests)
    tests_source = (root / tests).read_text(encoding="utf-8")
    iterations: list[Iteration] = []
    best, stale, feedback = -1, 0, ""
    for number in range(1, max_iterations + 1):
        if not budget.allows_next():
            return LoopRecord(task, iterations, BUDGET)
        current = (root / module).read_text(encoding="utf-8")
        prompt = build_prompt(task, module, current, tests, tests_source if show_tests else "")
        if feedback:
            prompt += (
                f"\n\nThe tests failed on it:\n{feedback}\n\nFix {module}; send the whole file."
            )
        try:
            answer = model_call(prompt, system, number)
        except BudgetExceeded:
            return LoopRecord(task, iterations, BUDGET)
        text, tokens_in, tokens_out, cost, latency = answer_parts(answer)
        budget.add(cost)
        found = extract_code(text)  # no code block: the module stays as it was
        code = strip_main_and_tests(found) if found.strip() else current
        (root / module).write_text(code, encoding="utf-8")
        if runner is None:
            result = sandbox_tests({module: code}, tests_source)
        else:
            suite = {p.name: p.read_text(encoding="utf-8") for p in sorted(root.glob("test_*.py"))}
            result = runner({**suite, module: code})
        said = "" if result.ok else ("" if found.strip() else NO_CODE) + feedback_of(result, tests)
        it = Iteration(
            number, result.status, len(result.tests_passed), len(result.tests_failed), said, code,
            touched_tests(text, tests, tests_source), "", None,
            tokens_in, tokens_out, cost, latency,
        )  # fmt: skip
        iterations.append(it)
        if result.ok and it.violations:
            it.feedback = "The tests pass, but you broke a rule: " + "; ".join(it.violations)
        elif result.ok and gate is not None:
            passed, report = gate({module: code})
            it.gate, it.feedback = ("", "") if passed else (report, f"The gate said:\n{report}")
        if result.ok and not it.feedback:
            if use_git:
                it.commit = commit_files(root, [module], f"{label}: {task.splitlines()[0][:60]}")
            return LoopRecord(task, iterations, GREEN)
        stale = stale + 1 if it.tests_passed <= best else 0
        best = max(best, it.tests_passed)
        if patience is not None and stale >= patience:
            return LoopRecord(task, iterations, NO_PROGRESS)
        feedback = it.feedback
    return LoopRecord(task, iterations, ITERATIONS)
