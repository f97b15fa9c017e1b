"""aider against a local model, offline and in the sandbox, bounded, with an honest verdict.

    with serving("local/...") as server:          # `hero serve` on a free loopback port
        result = run_aider(repo, "Step 1 of 9 ...", server=server, read=["test_step_01.py"])
    result.summary()   # edited? tests green? commits, seconds, why it stopped

aider runs in the sandbox's tool profile (`run_tool`): it may write only the repository,
its network namespace has only loopback, and the one bridge leads to the model server. The
four settings that keep aider itself off the network are always on: `--no-check-update`,
`--analytics-disable`, `--model-metadata-file` (so it never downloads model metadata) and
`LITELLM_LOCAL_MODEL_COST_MAP=True`. A model settings file caps every answer's tokens; the
"whole" edit format is the one small models follow best. After the run we run the tests
ourselves, in the sandbox, whatever aider said; a run that did not end green leaves the
repository as it was (its diff and log are kept in the result to show).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from urllib.parse import urlparse

from codegen_hero.models.errors import HeroError
from codegen_hero.models.registry import load_registry
from codegen_hero.sandbox import ToolRun, run_tool
from codegen_hero.sandbox.tool_run import port_answers
from codegen_hero.toolkit.loops import git
from codegen_hero.workshop.engine import free_loopback_port

REPO_ROOT = Path(__file__).resolve().parents[3]
AIDER_HOME = REPO_ROOT / ".tools" / "aider"
INSTALL_HINT = "run `bash scripts/tools-aider.sh` (aider in its own venv, .tools/aider)"
NO_NETWORK_FLAGS = ("--no-check-update", "--analytics-disable")
QUIET_FLAGS = (
    "--yes-always", "--no-pretty", "--no-stream", "--no-fancy-input", "--no-detect-urls",
    "--no-suggest-shell-commands", "--no-auto-lint", "--no-gitignore", "--no-show-model-warnings",
    "--no-restore-chat-history", "--no-show-release-notes", "--no-check-model-accepts-settings",
    "--map-tokens", "0", "--encoding", "utf-8",
    "--chat-history-file", "/tmp/aider.chat.md", "--input-history-file", "/tmp/aider.input",
)  # fmt: skip
GREEN = "tests green"
STOPS = (  # (text aider prints, why it stopped), checked in order after the run
    ("APIConnectionError", "the model server could not be reached"),
    ("Only 3 reflections allowed", "3 test-fix rounds used up, tests still red"),
    ("did not conform to the edit format", "the model did not follow the edit format"),
    ("ContextWindowExceeded", "the prompt did not fit the model's context"),
)


class AiderError(HeroError):
    pass


def aider_executable(home: Path = AIDER_HOME) -> Path:
    """aider's own program in its own venv, or a one-line error saying how to install it."""
    program = home / "bin" / "aider"
    if not program.is_file():
        raise AiderError(f"aider is not installed ({program} is missing): {INSTALL_HINT}")
    return program


@dataclass(frozen=True)
class ModelServer:
    """A running `hero serve`: which model it shares and where."""

    model: str
    url: str


SERVER_START_S = 180.0


@contextlib.contextmanager
def serving(model: str | None = None, port: int | None = None) -> Iterator[ModelServer]:
    """`hero serve` for one local model on a free loopback port, as a learner would start
    it (its own process, one slot), stopped afterwards whatever happens."""
    name = model or load_registry().default
    port = port or free_loopback_port()
    url = f"http://127.0.0.1:{port}/v1"
    command = [sys.executable, "-m", "codegen_hero.workshop.cli", "serve", "-m", name]
    command += ["--port", str(port), "--learners", "1"]
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "HERO_PROGRESS": "0"}
        )
        try:
            _wait_until_serving(url, process, log)
            yield ModelServer(name, url)
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _answers(url: str) -> bool:
    """Does the server list its models yet (the engine is loaded, not just the port bound)?"""
    try:
        with urllib.request.urlopen(f"{url}/models", timeout=5) as reply:
            return bool(reply.status == 200)
    except OSError:
        return False


def _wait_until_serving(url: str, process: subprocess.Popen[bytes], log: IO[bytes]) -> None:
    deadline = time.monotonic() + SERVER_START_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            last = log.read().decode(errors="replace").strip().splitlines()[-1:] or ["no output"]
            raise AiderError(f"hero serve stopped before it answered: {last[0]}")
        if _answers(url):
            return
        time.sleep(0.5)
    raise AiderError(f"hero serve did not answer on {url} within {SERVER_START_S:.0f} s")


@dataclass
class AiderResult:
    """One bounded aider run on one step, judged by our own test run afterwards."""

    model: str
    edited: bool
    tests_green: bool
    tests: str  # e.g. "4 passed, 0 failed"
    commits: list[str]
    diff: str
    duration_s: float
    stop_reason: str
    loopback_only: bool
    tokens_sent: int | None = None
    tokens_received: int | None = None
    transcript: str = field(default="", repr=False)

    def row(self) -> dict[str, object]:
        """One line of a comparison table."""
        return {
            "model": self.model,
            "edited": self.edited,
            "tests green": self.tests_green,
            "tests": self.tests,
            "commits": len(self.commits),
            "seconds": round(self.duration_s),
            "tokens sent": self.tokens_sent,
            "tokens received": self.tokens_received,
            "why it stopped": self.stop_reason,
        }

    def summary(self) -> str:
        verdict = "green" if self.tests_green else "red"
        return (
            f"{self.model}: edited={self.edited}, tests {verdict} ({self.tests}), "
            f"{len(self.commits)} commit(s), {self.duration_s:.0f} s; stopped: {self.stop_reason}"
        )


def model_files(model_name: str, alias: str, context: int, max_tokens: int, folder: Path) -> None:
    """The metadata file (so aider never downloads it) and the settings file (the cap)."""
    metadata = {
        model_name: {
            "max_input_tokens": context,
            "max_output_tokens": max_tokens,
            "max_tokens": context,
            "input_cost_per_token": 0.0,
            "output_cost_per_token": 0.0,
            "litellm_provider": "openai",
            "mode": "chat",
        }
    }
    settings = [
        {
            "name": model_name,
            "edit_format": "whole",
            "use_repo_map": False,
            "weak_model_name": model_name,
            "extra_params": {"max_tokens": max_tokens},
        }
    ]
    (folder / "metadata.json").write_text(json.dumps(metadata, indent=1), encoding="utf-8")
    # JSON is YAML, which aider expects here.
    (folder / "settings.yml").write_text(json.dumps(settings, indent=1), encoding="utf-8")


def aider_command(
    program: Path,
    *,
    model_name: str,
    api_base: str,
    message: str,
    files: Sequence[str],
    read: Sequence[str],
    test_cmd: str,
    config: Path,
    edit_format: str,
    call_timeout: float,
) -> list[str]:
    argv = [str(program), "--model", model_name, "--weak-model", model_name]
    argv += ["--openai-api-base", api_base, "--openai-api-key", "local-no-key"]
    argv += [*NO_NETWORK_FLAGS, "--model-metadata-file", str(config / "metadata.json")]
    argv += ["--model-settings-file", str(config / "settings.yml"), "--edit-format", edit_format]
    argv += ["--test-cmd", test_cmd, "--auto-test", "--timeout", f"{call_timeout:g}"]
    argv += [*QUIET_FLAGS, "--max-chat-history-tokens", "1024"]
    for name in read:
        argv += ["--read", name]
    return [*argv, "--message", message, *files]


def pytest_command() -> str:
    """Our own interpreter has pytest (aider's venv has none); no plugins, no cache."""
    return f"{sys.executable} -m pytest -q -p no:cacheprovider"


def run_tests(repo: Path, timeout: float = 60) -> tuple[bool, str]:
    """The repository's tests, run by us in the sandbox: (all green, "N passed, M failed")."""
    run = run_tool(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        workdir=repo,
        timeout=timeout,
        env={"PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"},
    )
    passed = _count(run.output, "passed")
    failed = _count(run.output, "failed") + _count(run.output, "error")
    return run.exit_code == 0 and passed > 0, f"{passed} passed, {failed} failed"


def _count(output: str, word: str) -> int:
    found = re.findall(rf"(\d+) {word}", output)
    return int(found[-1]) if found else 0


def _tokens(transcript: str) -> tuple[int | None, int | None]:
    """Sum aider's "Tokens: 1.2k sent, 300 received." lines (None when it printed none)."""
    found = re.findall(r"Tokens: ([\d.]+)(k?) sent, ([\d.]+)(k?) received", transcript)
    if not found:
        return None, None

    def value(number: str, k: str) -> int:
        return round(float(number) * (1000 if k else 1))

    return sum(value(a, b) for a, b, _, _ in found), sum(value(c, d) for _, _, c, d in found)


def _check_repo(repo: Path) -> str:
    if not (repo / ".git").exists():
        raise AiderError(f"{repo} is not a git repository: aider commits each edit, give it one")
    if git(repo, "status", "--porcelain"):
        raise AiderError(f"{repo} has uncommitted changes: commit or stash them first")
    return git(repo, "rev-parse", "HEAD")


def _restore(repo: Path, start: str) -> None:
    git(repo, "reset", "-q", "--hard", start)
    git(repo, "clean", "-q", "-fd")


def stop_reason(run: ToolRun, green: bool, edited: bool) -> str:
    if run.status != "ok":
        return run.reason or run.status
    if green:
        return GREEN
    for text, why in STOPS:
        if text in run.output:
            return why
    return "aider finished without editing" if not edited else "aider finished, tests red"


def run_aider(
    repo: str | Path,
    message: str,
    *,
    server: ModelServer | None = None,
    api_base: str | None = None,
    model: str | None = None,
    files: Sequence[str] = ("tally.py",),
    read: Sequence[str] = (),
    timeout: float = 240.0,
    max_tokens: int = 512,
    edit_format: str = "whole",
    keep_failed: bool = False,
    aider_home: Path = AIDER_HOME,
) -> AiderResult:
    """Give aider one task on `repo` against the model behind `server` (or `api_base`, a
    loopback URL such as http://127.0.0.1:8765/v1 for `model`). At most `timeout` seconds,
    `max_tokens` per answer, aider's 3 test-fix rounds. Unless `keep_failed`, a run that
    does not end green is undone (its diff and log stay in the result)."""
    program = aider_executable(aider_home)
    registry = load_registry()
    name = model or (server.model if server else registry.default)
    spec = registry.get(name)
    base = server.url if server else api_base
    if not base:
        raise AiderError("run_aider needs a running server (see `serving`) or api_base")
    parsed = urlparse(base)
    if parsed.hostname not in ("127.0.0.1", "localhost") or parsed.port is None:
        raise AiderError(f"aider runs against a model server on loopback only, not {base}")
    if not port_answers(parsed.port):
        raise AiderError(f"no model server answers on {base}: start one with `hero serve`")
    repo = Path(repo).resolve()
    start = _check_repo(repo)
    alias = f"openai/{spec.model_id}"
    inner_base = f"http://127.0.0.1:{parsed.port}{parsed.path or '/v1'}"
    with tempfile.TemporaryDirectory(prefix="hero-aider-") as scratch:
        config = Path(scratch)
        model_files(alias, spec.model_id, spec.context, max_tokens, config)
        argv = aider_command(
            program,
            model_name=alias,
            api_base=inner_base,
            message=message,
            files=files,
            read=read,
            test_cmd=pytest_command(),
            config=config,
            edit_format=edit_format,
            call_timeout=max(30.0, timeout / 2),
        )
        env = {
            "LITELLM_LOCAL_MODEL_COST_MAP": "True",
            "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
            "PATH": f"{program.parent}:/usr/local/bin:/usr/bin:/bin",
        }
        readable = [str(aider_home), str(Path(program.parent / "python").resolve().parents[1])]
        run = run_tool(
            argv,
            workdir=repo,
            timeout=timeout,
            env=env,
            bridges=[parsed.port],
            readable=[*readable, scratch],
        )
    if run.status == "refused":
        raise AiderError(run.reason)
    commits = git(repo, "log", "--format=%h %s", f"{start}..HEAD").splitlines()
    diff = git(repo, "diff", start, "--", *files)
    green, counts = run_tests(repo)
    sent, received = _tokens(run.output)
    result = AiderResult(
        model=name,
        edited=bool(diff.strip()),
        tests_green=green,
        tests=counts,
        commits=commits,
        diff=diff,
        duration_s=run.duration_s,
        stop_reason=stop_reason(run, green, bool(diff.strip())),
        loopback_only=run.loopback_only,
        tokens_sent=sent,
        tokens_received=received,
        transcript=run.output,
    )
    if not green and not keep_failed:
        _restore(repo, start)
    return result
