"""Tool-call parsing, tool execution and the guarded agent loop, with scripted TEST DOUBLES.

No model is called here: each double returns canned replies in order and records the
messages it was sent. The tests and the gate run for real, in the sandbox.
"""

from __future__ import annotations

import importlib.util

import pytest

from codegen_hero.models.errors import BudgetExceeded
from codegen_hero.models.request import Completion, Usage
from codegen_hero.toolkit.agent import (
    DONE_RED,
    PROTOCOL,
    Project,
    ToolCall,
    lint_gate,
    parse_tool_call,
    run_agent,
)
from codegen_hero.toolkit.loops import BUDGET, GREEN, ITERATIONS, NO_PROGRESS, Budget
from tests.fakes.scripted_model import ScriptedModel

TESTS = """from slug import slugify


def test_basic():
    assert slugify("Hello World") == "hello-world"


def test_spaces():
    assert slugify("  a  b ") == "a-b"
"""
STUB = "def slugify(text):\n    raise NotImplementedError\n"
RIGHT = "def slugify(text):\n    return '-'.join(text.lower().split())\n"
HALF = "def slugify(text):\n    return text.lower().replace(' ', '-')\n"


def write(path, body):
    return f"ACTION: write_file {path}\n```python\n{body}```"


@pytest.fixture
def project(tmp_path):
    (tmp_path / "slug.py").write_text(STUB)
    (tmp_path / "test_slug.py").write_text(TESTS)
    return Project(tmp_path)


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ("ACTION: run_tests", ToolCall("run_tests")),
        ("ACTION: done", ToolCall("done")),
        ("you: ACTION: done", ToolCall("done")),
        ("I think so.\nACTION: read_file slug.py", ToolCall("read_file", "slug.py")),
        ("**Action:** `read_file` `slug.py`.", ToolCall("read_file", "slug.py")),
        ("ACTION: run_tests\nACTION: done", ToolCall("run_tests", extra=1)),
        ("```python\nx = 1\n```", ToolCall(error="no 'ACTION: <tool>' line")),
        ("ACTION: delete slug.py", ToolCall("delete", "slug.py", error="unknown tool 'delete'")),
        ("ACTION: read_file", ToolCall("read_file", error="read_file needs a path")),
        (
            "ACTION: write_file slug.py\nno code here",
            ToolCall("write_file", "slug.py", error="write_file needs a ```python block"),
        ),
    ],
)
def test_parse_tool_call_on_fixed_replies(reply, expected):
    assert parse_tool_call(reply) == expected


def test_write_file_takes_the_block_before_the_next_action():
    call = parse_tool_call(
        write("slug.py", RIGHT) + "\nACTION: write_file other.py\n```python\nx = 2\n```"
    )
    assert call.tool == "write_file" and call.path == "slug.py" and call.extra == 1
    assert call.content.strip() == RIGHT.strip() and call.ok


def test_project_tools(project):
    text, result = project.execute(ToolCall("read_file", "slug.py"))
    assert "NotImplementedError" in text and result is None
    text, _ = project.execute(ToolCall("read_file", "nope.py"))
    assert text.startswith("no such file") and "test_slug.py" in text
    text, _ = project.execute(ToolCall("read_file", "../etc/passwd"))
    assert text.startswith("refused")
    text, _ = project.execute(ToolCall("write_file", "test_slug.py", "def test_basic(): pass\n"))
    assert text.startswith("refused") and (project.root / "test_slug.py").read_text() == TESTS
    text, result = project.execute(ToolCall("write_file", "slug.py", HALF))
    assert text.startswith("wrote slug.py. tests: 1 passed, 1 failed") and result.status == "fail"
    text, result = project.execute(ToolCall("run_tests"))
    assert "test_spaces" in text and len(result.tests_passed) == 1
    assert project.test_count() == 2


def test_green_after_a_malformed_reply_and_a_half_fix(project):
    model = ScriptedModel("Sure! Here is my plan.", write("slug.py", HALF), write("slug.py", RIGHT))
    run = run_agent(model, project, "Make the tests pass.", max_turns=5)
    assert run.stop_reason == GREEN and (run.tests_passed, run.tests_total) == (2, 2)
    assert run.malformed == 1 and [t.tests_passed for t in run.turns] == [None, 1, 2]
    assert model.calls[1][0][-1]["content"].startswith("result: Not a tool call")
    assert model.calls[0][1] == PROTOCOL and [c[2] for c in model.calls] == [1, 2, 3]
    transcript = run.transcript()
    assert (
        "turn 1: MALFORMED" in transcript and "stopped: tests green; final check: 2/2" in transcript
    )


def test_the_model_sees_the_task_and_a_window_of_recent_turns(project):
    model = ScriptedModel(*["ACTION: read_file slug.py"] * 4)
    run_agent(model, project, "THE TASK", max_turns=4, patience=10, window=1)
    for messages, _, _ in model.calls:
        assert messages[0]["content"].startswith("THE TASK") and messages[-1]["role"] == "user"
        assert len(messages) <= 3
    assert "test_slug.py" in model.calls[0][0][0]["content"]  # the file listing


def test_done_while_red_is_reported_as_such(project):
    run = run_agent(ScriptedModel(write("slug.py", HALF), "ACTION: done"), project, "task")
    assert run.stop_reason == DONE_RED and run.tests_passed == 1


def test_no_progress_and_iterations(project):
    stuck = ScriptedModel(*[write("slug.py", HALF)] * 5)
    run = run_agent(stuck, project, "task", max_turns=5, patience=2)
    assert run.stop_reason == NO_PROGRESS and len(run.turns) == 3
    chatty = ScriptedModel("hello", "ACTION: run_tests\nACTION: done", "hello")
    run = run_agent(chatty, project, "task", max_turns=3, patience=5)
    assert run.stop_reason == ITERATIONS and run.malformed == 2 and run.extra_actions == 1
    assert run.tests_total == 2 and run.tests_passed == 1  # the final check runs the tests


def test_budget_guards(project):
    def priced(cost):
        return Completion("ACTION: run_tests", "test-double", Usage(5, 5), cost_usd=cost)

    run = run_agent(
        ScriptedModel(*[priced(0.03)] * 5), project, "t", patience=9, budget=Budget(0.1)
    )
    assert run.stop_reason == BUDGET and len(run.turns) == 3
    run = run_agent(ScriptedModel(BudgetExceeded("refused")), project, "t")
    assert run.stop_reason == BUDGET and run.turns == []


def test_lint_gate_accepts_good_code_and_rejects_bad():
    ok, report = lint_gate({"slug.py": RIGHT})
    assert ok and report == "gate passed"
    ok, report = lint_gate({"slug.py": "def slugify(text)\n    return text\n"})
    assert not ok and "SyntaxError" in report
    if importlib.util.find_spec("ruff") is not None:
        ok, report = lint_gate({"slug.py": "def slugify(text):\n    return slugfy(text)\n"})
        assert not ok and "F821" in report


def test_git_settings_and_hooks_are_out_of_the_tools_reach(project):
    (project.root / ".git").mkdir()
    said, result = project.execute(ToolCall("write_file", ".git/hooks/pre-commit", "exit 0\n"))
    assert said.startswith("refused:") and ".git" in said and result is None
    assert not (project.root / ".git" / "hooks").exists()


def test_a_project_runner_gets_the_sources_and_the_tests(project):
    seen = []

    def runner(files):
        seen.append(sorted(files))
        return project.__class__(project.root).run_tests()

    result = Project(project.root, runner=runner).run_tests()
    assert seen == [["slug.py", "test_slug.py"]] and result.tests_failed
