"""A guarded agent loop (stage 8): the model picks one tool per reply, the loop runs it.

The protocol (PROTOCOL, sent as the system prompt) is one action per reply:

    ACTION: read_file <path>
    ACTION: write_file <path>     followed by one ```python block: the whole new file
    ACTION: run_tests
    ACTION: done

write_file runs the tests afterwards (like aider's --auto-test); test files are read-only.
Model-written code never runs here: the tests and the gate run in the sandbox. The loop
stops on budget (checked before each call), tests green, done, no progress or the turn limit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path

from codegen_hero.models.errors import BudgetExceeded
from codegen_hero.sandbox import SandboxResult, extract_code, run_code
from codegen_hero.toolkit.loops import (
    BUDGET,
    GREEN,
    ITERATIONS,
    NO_PROGRESS,
    Budget,
    ModelCall,
    TestRunner,
    answer_parts,
    feedback_of,
    sandbox_tests,
)

DONE_RED = "done, tests red"
TOOLS = ("read_file", "write_file", "run_tests", "done")
OBSERVATION_CHARS = 800
HINT = "Reply with exactly one action, starting with 'ACTION:', as described."
PROTOCOL = """\
You are a coding agent in a small Python project. You act through tools, one tool call per
reply. After each reply you get its result, then you send the next call.

The tool calls (write exactly one per reply, nothing else):
ACTION: read_file <path>
ACTION: write_file <path>   (the whole new file content follows, in one ```python block)
ACTION: run_tests
ACTION: done

Example of a session:
you: ACTION: read_file test_hello.py
result: (the content of test_hello.py)
you: ACTION: write_file hello.py
```python
def hello():
    return "hello"
```
result: wrote hello.py. tests: 1 passed, 0 failed
you: ACTION: done

write_file runs the tests for you. Rules: never change the tests (test_*.py files are
read-only); no deceptions, never special-case the test inputs."""
# Cut a reply where a model starts to imagine the tool's result or a second call (pass as
# `stop`); without them small models often script the whole session in one reply.
STOP_SEQUENCES = ("\nresult:", "\nyou:", "\nACTION:")
ACTION = re.compile(
    r"^[\s*`#>-]*(?:you:\s*)?action[\s*`]*:[\s*`]*([A-Za-z_]+)[`*]*[ \t]*([^\n]*)$", re.I | re.M
)


@dataclass(frozen=True)
class ToolCall:
    tool: str = ""
    path: str = ""
    content: str = ""
    error: str = ""  # why the reply is not a usable tool call; "" when it is one
    extra: int = 0  # further ACTION lines in the same reply: ignored, and counted

    @property
    def ok(self) -> bool:
        return not self.error


def parse_tool_call(reply: str) -> ToolCall:
    """The first ACTION in a reply, or a ToolCall whose `error` says why there is none."""
    found = list(ACTION.finditer(reply))
    if not found:
        return ToolCall(error="no 'ACTION: <tool>' line")
    first, extra = found[0], len(found) - 1
    tool = first[1].lower()
    words = first[2].split()
    path = words[0].rstrip(".,:;").strip("`'\"<>*").rstrip(".,:;") if words else ""
    if tool not in TOOLS:
        return ToolCall(tool, path, error=f"unknown tool {tool!r}", extra=extra)
    if tool in ("read_file", "write_file") and not path:
        return ToolCall(tool, error=f"{tool} needs a path", extra=extra)
    content = ""
    if tool == "write_file":
        end = found[1].start() if extra else len(reply)
        content = extract_code(reply[first.end() : end])
        if not content.strip():
            return ToolCall(tool, path, error="write_file needs a ```python block", extra=extra)
    return ToolCall(tool, path if tool != "run_tests" else "", content, extra=extra)


@dataclass
class Project:
    """A directory the agent works in; files matching `readonly` cannot be written.
    `runner(files)`, when given, runs the tests instead of the sandbox's harness."""

    root: Path
    readonly: str = "test_*.py"
    timeout: float = 10.0
    runner: TestRunner | None = None

    def files(self) -> list[str]:
        return sorted(p.name for p in Path(self.root).iterdir() if p.is_file())

    def _split(self) -> tuple[dict[str, str], str]:
        sources, tests = {}, []
        for name in self.files():
            if name.endswith(".py"):
                text = (Path(self.root) / name).read_text(encoding="utf-8")
                if fnmatch(name, self.readonly):
                    tests.append(text)
                else:
                    sources[name] = text
        return sources, "\n\n".join(tests)

    def test_count(self) -> int:
        return len(re.findall(r"^def test_\w+\(", self._split()[1], re.M))

    def run_tests(self) -> SandboxResult:
        sources, tests = self._split()
        if self.runner is not None:
            suite = {n: (Path(self.root) / n).read_text(encoding="utf-8") for n in self.files()
                     if n.endswith(".py") and fnmatch(n, self.readonly)}  # fmt: skip
            return self.runner({**sources, **suite})
        return sandbox_tests(sources, tests, timeout=self.timeout)

    def execute(self, call: ToolCall) -> tuple[str, SandboxResult | None]:
        """Run one well-formed tool call: (what the model reads next, the test run if any)."""
        target = Path(self.root) / call.path
        if call.path and (Path(call.path).is_absolute() or ".." in Path(call.path).parts):
            return f"refused: {call.path} is outside the project", None
        if ".git" in Path(call.path).parts:  # git's settings and hooks are not the agent's
            return f"refused: {call.path} is inside .git, which the tools cannot touch", None
        if call.tool == "read_file":
            if not target.is_file():
                return f"no such file: {call.path}; files: {', '.join(self.files())}", None
            return f"{call.path}:\n```python\n{target.read_text(encoding='utf-8')}\n```", None
        if call.tool == "write_file":
            if fnmatch(target.name, self.readonly):
                return f"refused: {call.path} is a test file, and the tests are read-only", None
            target.write_text(call.content.rstrip("\n") + "\n", encoding="utf-8")
        result = self.run_tests()
        verdict = f"tests: {len(result.tests_passed)} passed, {len(result.tests_failed)} failed"
        verdict += "" if result.ok else f" ({result.status})\n{feedback_of(result)}"
        wrote = f"wrote {call.path}. " if call.tool == "write_file" else ""
        return wrote + verdict, result


@dataclass
class Turn:
    number: int
    reply: str
    call: ToolCall
    observation: str
    tests_passed: int | None = None  # when this turn ran the tests
    input_tokens: int | None = 0  # None: the server did not say
    output_tokens: int | None = 0
    cost_usd: float | None = 0.0
    latency_s: float = 0.0


@dataclass
class AgentRun:
    turns: list[Turn] = field(default_factory=list)
    stop_reason: str = ""
    tests_passed: int = 0  # the loop's own final test run, whatever the model claimed
    tests_total: int = 0

    @property
    def malformed(self) -> int:
        return sum(1 for turn in self.turns if not turn.call.ok)

    @property
    def extra_actions(self) -> int:
        return sum(1 for turn in self.turns if turn.call.extra)

    def finish(
        self, project: Project, reason: str, result: SandboxResult | None = None
    ) -> AgentRun:
        result = result or project.run_tests()  # the loop checks; it does not trust "done"
        self.stop_reason, self.tests_passed = reason, len(result.tests_passed)
        ran = len(result.tests_passed) + len(result.tests_failed)  # parametrized tests count
        self.tests_total = ran or project.test_count()  # the file's tests when none could run
        return self

    def transcript(self, chars: int = 300) -> str:
        def cut(text: str) -> str:
            text = text.strip() or "(empty)"
            return text if len(text) <= chars else text[:chars] + " [...]"

        lines = []
        for turn in self.turns:
            call = turn.call
            head = f"{call.tool} {call.path}".strip() if call.ok else f"MALFORMED: {call.error}"
            extra = f" (+{call.extra} more ACTION lines, ignored)" if call.extra else ""
            lines += [f"--- turn {turn.number}: {head}{extra}", cut(turn.reply)]
            lines.append("  -> " + cut(turn.observation).replace("\n", "\n     "))
        lines.append(f"=== stopped: {self.stop_reason}; final check: "
                     f"{self.tests_passed}/{self.tests_total} tests pass")  # fmt: skip
        return "\n".join(lines)


def run_agent(
    model_call: ModelCall,
    project: Project,
    task: str,
    *,
    max_turns: int = 6,
    patience: int = 3,
    budget: Budget | None = None,
    window: int = 2,
) -> AgentRun:
    """The guarded loop. `patience`: turns in a row without a new best test count before
    "no progress"; `window`: how many past exchanges the model sees besides the task."""
    budget, run = budget or Budget(), AgentRun()
    opening = f"{task}\n\nProject files: {', '.join(project.files())}.\nYour first tool call:"
    history: list[dict[str, str]] = []
    best, stale = -1, 0
    for number in range(1, max_turns + 1):
        if not budget.allows_next():
            return run.finish(project, BUDGET)
        recent = history[max(0, len(history) - 2 * window) :]
        try:
            answer = model_call([{"role": "user", "content": opening}, *recent], PROTOCOL, number)
        except BudgetExceeded:
            return run.finish(project, BUDGET)
        text, tokens_in, tokens_out, cost, latency = answer_parts(answer)
        budget.add(cost)
        call = parse_tool_call(text)
        if call.ok:
            observation, result = project.execute(call)
        else:
            observation, result = f"Not a tool call ({call.error}). {HINT}", None
        if call.extra:
            observation += "\n(Only your first ACTION ran: send one per reply.)"
        passed = None if result is None else len(result.tests_passed)
        run.turns.append(Turn(number, text, call, observation[:OBSERVATION_CHARS], passed,
                              tokens_in, tokens_out, cost, latency))  # fmt: skip
        if result is not None and result.ok:
            return run.finish(project, GREEN, result)
        if call.ok and call.tool == "done":
            return run.finish(project, DONE_RED, result)
        stale = 0 if passed is not None and passed > best else stale + 1
        best = max(best, -1 if passed is None else passed)
        if stale >= patience:
            return run.finish(project, NO_PROGRESS)
        history += [
            {"role": "assistant", "content": text.strip() or "(empty reply)"},
            {"role": "user", "content": "result: " + observation[:OBSERVATION_CHARS]},
        ]
    return run.finish(project, ITERATIONS)


GATE_SCRIPT = """\
import importlib.util, subprocess, sys
names = {names!r}
bad = []
for name in names:
    try:
        compile(open(name, encoding="utf-8").read(), name, "exec")
    except SyntaxError as exc:
        bad.append(f"{{name}}:{{exc.lineno}}: SyntaxError: {{exc.msg}}")
if not bad and importlib.util.find_spec("ruff") is not None:
    args = ["check", "--no-cache", "--select", "E9,F63,F7,F82", "--output-format", "concise"]
    run = subprocess.run([sys.executable, "-m", "ruff", *args, *names], capture_output=True,
                         text=True)
    bad += [ln for ln in run.stdout.splitlines() if ln.startswith(tuple(names))]
print("\\n".join(bad) or "gate passed")
sys.exit(1 if bad else 0)
"""


def lint_gate(files: dict[str, str], timeout: float = 20) -> tuple[bool, str]:
    """A pre-commit-style gate, run in the sandbox: every file must compile, and ruff (when
    installed) must find no syntax errors or undefined names. Returns (passed, report)."""
    result = run_code(GATE_SCRIPT.format(names=sorted(files)), files=files, timeout=timeout)
    return result.ok, (result.stdout.strip() or result.reason or result.status)
