"""Sandbox-side test doubles: run beside the learner's code, whose names are in scope.

Written at the top of the sandbox's test file (see Submission.probe); learners may read it.
"""

import json as _json


class _ScriptedModel:
    """TEST DOUBLE for the model: canned answers in order; records every prompt it sees."""

    def __init__(self, answers):
        self.answers = list(answers)
        self.prompts = []
        self.overcalls = 0

    def __call__(self, prompt):
        self.prompts.append(prompt if isinstance(prompt, str) else repr(prompt))
        if len(self.prompts) > len(self.answers):
            self.overcalls += 1
            raise RuntimeError("the scripted model has no more answers: called too often")
        return self.answers[len(self.prompts) - 1]


class _FakeTests:
    """TEST DOUBLE for the test runner: green only for the canned answers listed as green."""

    def __init__(self, green):
        self.green = set(green)
        self.runs = []

    def __call__(self, code):
        passed = code in self.green
        number = len(self.runs) + 1
        output = (
            "1 passed in 0.01s"
            if passed
            else f"FAILED test_task.py::test_behaviour - AssertionError: run {number}: "
            f"{code!r} is not right yet\n1 failed in 0.01s"
        )
        self.runs.append({"code": code, "passed": passed, "output": output})
        return passed, output


class _RecordingCommit:
    """TEST DOUBLE for git: records each commit instead of making it."""

    def __init__(self):
        self.commits = []

    def __call__(self, code, message):
        self.commits.append(
            {"code": code, "message": message if isinstance(message, str) else repr(message)}
        )


def _plain(value):
    try:
        return _json.loads(_json.dumps(value))
    except (TypeError, ValueError):
        return {"repr": repr(value)[:300]}


def _scenario(task, answers, green, max_iterations):
    """Run the learner's loop against the doubles; return what they recorded, as plain data."""
    model, tests = _ScriptedModel(answers), _FakeTests(green)
    commit = _RecordingCommit()
    try:
        result, error = edit_test_loop(model, tests, commit, task, max_iterations), None
    except NotImplementedError:
        raise
    except Exception as exc:
        result, error = None, f"{type(exc).__name__}: {exc}"[:300]
    return {
        "result": _plain(result),
        "error": error,
        "prompts": model.prompts,
        "overcalls": model.overcalls,
        "runs": tests.runs,
        "commits": commit.commits,
    }
