"""The edit/test/commit loop, driven by scripted TEST DOUBLES instead of models.

No model is called here: each double returns canned answers in order and records what it
was asked. The tests themselves do run, in the real sandbox, and git runs for real in a
temporary directory (skipped when git is missing).
"""

from __future__ import annotations

import pytest

from codegen_hero.models.errors import BudgetExceeded
from codegen_hero.models.request import Completion, Usage
from codegen_hero.toolkit import loops
from codegen_hero.toolkit.loops import (
    BUDGET,
    GREEN,
    ITERATIONS,
    NO_PROGRESS,
    Budget,
    edit_test_loop,
    init_repo,
    touched_tests,
)
from tests.fakes.scripted_model import ScriptedModel

needs_git = pytest.mark.skipif(not loops.git_available(), reason="git is not installed")

TESTS = """from slug import slugify


def test_basic():
    assert slugify("Hello World") == "hello-world"


def test_spaces():
    assert slugify("  a  b ") == "a-b"
"""
STUB = "def slugify(text):\n    raise NotImplementedError\n"
RIGHT = "```python\ndef slugify(text):\n    return '-'.join(text.lower().split())\n```"
HALF = "```python\ndef slugify(text):\n    return text.lower().replace(' ', '-')\n```"
WRONG = "```python\ndef slugify(text):\n    return text\n```"


def priced(text, cost):
    """A canned Completion that reports a cost, for the budget checks."""
    return Completion(text=text, model="test-double", usage=Usage(10, 20), cost_usd=cost)


@pytest.fixture
def repo(tmp_path):
    files = {"slug.py": STUB, "test_slug.py": TESTS}
    if loops.git_available():
        init_repo(tmp_path, files, branch="feature/slug")
    else:
        for name, text in files.items():
            (tmp_path / name).write_text(text)
    return tmp_path


def run(model, repo, **options):
    return edit_test_loop(model, repo, "Write slugify.", module="slug.py", tests="test_slug.py",
                          **options)  # fmt: skip


@needs_git
def test_green_on_second_try_commits_once_and_feeds_back_the_failure(repo):
    model = ScriptedModel(WRONG, RIGHT)
    record = run(model, repo, max_iterations=3, label="double")
    assert record.stop_reason == GREEN and record.green
    assert [(it.status, it.tests_passed) for it in record.iterations] == [("fail", 0), ("ok", 2)]
    assert [attempt for _, _, attempt in model.calls] == [1, 2]
    second_prompt = model.calls[1][0]
    assert "The tests failed on it" in second_prompt and "test_basic" in second_prompt
    assert "return text" in second_prompt  # the current module is the last attempt
    assert "Never change" in model.calls[0][1]  # the conventions are the system prompt
    log = loops.git(repo, "log", "--oneline").splitlines()
    assert len(log) == 2 and "double: Write slugify." in log[0]
    assert record.iterations[1].commit == log[0].split()[0]
    assert record.iterations[0].commit is None
    assert loops.git(repo, "rev-parse", "--abbrev-ref", "HEAD") == "feature/slug"


@needs_git
def test_init_repo_sets_a_local_identity(repo):
    assert loops.git(repo, "config", "--local", "user.email") == "lab@example.invalid"
    assert loops.git(repo, "config", "--local", "user.name") == "Lab Human"


@needs_git
def test_never_green_stops_on_iterations_without_committing(repo):
    record = run(ScriptedModel(WRONG, WRONG), repo, max_iterations=2)
    assert record.stop_reason == ITERATIONS and not record.green
    assert len(loops.git(repo, "log", "--oneline").splitlines()) == 1


def test_no_progress_after_patience_runs_out(repo):
    record = run(ScriptedModel(HALF, WRONG, HALF, RIGHT), repo, max_iterations=6, patience=2)
    assert record.stop_reason == NO_PROGRESS
    assert [it.tests_passed for it in record.iterations] == [1, 0, 1]  # back to 1 is no progress


def test_budget_is_checked_before_each_call(repo):
    model = ScriptedModel(*[priced(WRONG, 0.02)] * 5)
    budget = Budget(limit=0.05)
    record = run(model, repo, max_iterations=5, budget=budget)
    assert record.stop_reason == BUDGET
    assert len(model.calls) == 2 and budget.spent == pytest.approx(0.04)
    assert record.iterations[0].cost_usd == 0.02 and record.iterations[0].output_tokens == 20


def test_an_unknown_cost_under_a_budget_stops_the_loop(repo):
    record = run(ScriptedModel(priced(WRONG, None), WRONG), repo, budget=Budget(limit=1.0))
    assert record.stop_reason == BUDGET and len(record.iterations) == 1


def test_a_refused_call_stops_on_budget(repo):
    record = run(ScriptedModel(BudgetExceeded("no money left")), repo)
    assert record.stop_reason == BUDGET and record.iterations == []


def test_touching_the_tests_blocks_the_commit_even_when_green(repo):
    cheat = RIGHT + "\n\n```python\ndef test_basic():\n    pass\n```"
    record = run(ScriptedModel(cheat, RIGHT), repo, use_git=False)
    first, second = record.iterations
    assert first.status == "ok" and first.violations == ["redefines test_basic"]
    assert "broke a rule" in first.feedback and first.commit is None
    assert record.stop_reason == GREEN and second.violations == []
    assert (repo / "test_slug.py").read_text() == TESTS


def test_a_refusing_gate_blocks_the_commit(repo):
    def gate(files):  # TEST DOUBLE for a pre-commit gate: refuses the first change only
        gate.calls = getattr(gate, "calls", 0) + 1
        return gate.calls > 1, "slug.py:1: E999 refused by the test double"

    record = run(ScriptedModel(RIGHT, RIGHT), repo, gate=gate, use_git=False)
    assert record.iterations[0].gate.startswith("slug.py:1")
    assert record.stop_reason == GREEN and len(record.iterations) == 2


def test_a_reply_without_code_leaves_the_module_unchanged(repo):
    record = run(ScriptedModel("I would use a regex.", RIGHT), repo, use_git=False)
    assert "no ```python block" in record.iterations[0].feedback
    assert "NotImplementedError" in record.iterations[0].code


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (RIGHT, []),
        ("test_slug.py\n```python\nx = 1\n```", ["names test_slug.py as a file to write"]),
        ("```python\n# file: test_slug.py\nx = 1\n```", ["names test_slug.py as a file to write"]),
        ("Run `pytest test_slug.py` to check.", []),
        ("```python\ndef test_spaces():\n    assert True\n```", ["redefines test_spaces"]),
        ("```python\ndef test_mine():\n    assert True\n```", []),
        ("```python\nimport pytest\npytest.skip('later')\n```", ["uses pytest.skip"]),
    ],
)
def test_touched_tests_on_fixed_answers(answer, expected):
    assert touched_tests(answer, "test_slug.py", TESTS) == expected


def test_budget_arithmetic():
    budget = Budget(limit=0.1)
    assert budget.allows_next()
    budget.add(0.05)
    assert budget.allows_next()  # 0.05 spent + 0.05 (largest call) fits exactly
    budget.add(0.05)
    assert not budget.allows_next()
    assert Budget().allows_next()
    unknown = Budget(limit=1.0)
    unknown.add(None)
    assert unknown.spent is None and not unknown.allows_next()


def test_caller_is_greedy_first_then_samples(monkeypatch):
    seen = []

    def fake_complete(model, prompt, **options):  # TEST DOUBLE for codegen_hero.complete
        seen.append((model, options["temperature"], options["seed"], options["max_tokens"]))
        return "ok"

    monkeypatch.setattr(loops, "complete", fake_complete)
    call = loops.caller("provider/model", max_tokens=99, retry_temperature=0.5)
    call("p", "s", 1), call("p", "s", 2)
    assert seen == [("provider/model", 0.0, 1, 99), ("provider/model", 0.5, 2, 99)]


def test_a_runner_judges_the_module_with_every_test_file_of_the_folder(repo):
    (repo / "test_more.py").write_text("def test_more():\n    pass\n")
    seen = []

    def runner(files):
        seen.append(sorted(files))
        return loops.sandbox_tests(
            {"slug.py": files["slug.py"]},
            TESTS + "\n\ndef test_x():\n    assert slugify('A') == 'b'\n",
        )

    record = run(ScriptedModel(RIGHT), repo, max_iterations=1, runner=runner, use_git=False)
    assert seen == [["slug.py", "test_more.py", "test_slug.py"]]
    assert record.stop_reason == ITERATIONS and record.iterations[0].tests_failed == 1
