"""Sandbox-side test doubles: run beside the learner's code, whose names are in scope.

Written at the top of the sandbox's test file (see Submission.probe); learners may read it.
"""

import json as _json


class ScriptedAgent:
    """A fake agent: one scripted step result per call, every call recorded."""

    def __init__(self, script):
        self.script = script
        self.calls = []

    def __call__(self, iteration):
        if len(self.calls) >= len(self.script):
            raise RuntimeError(
                f"the agent was called {len(self.calls) + 1} times, past its script of "
                f"{len(self.script)} steps: the loop did not stop"
            )
        self.calls.append(iteration if isinstance(iteration, (int, float)) else repr(iteration))
        return dict(self.script[len(self.calls) - 1])


def _plain(value):
    try:
        return _json.loads(_json.dumps(value))
    except (TypeError, ValueError):
        return {"__not_plain__": repr(value)[:200]}


def _run(script, budget, max_iterations, patience):
    agent = ScriptedAgent(script)
    out = {"calls": agent.calls}
    try:
        out["result"] = _plain(run_agent(agent, budget, max_iterations, patience))
    except NotImplementedError:
        raise  # still the stub: the checker reports "not attempted"
    except Exception as exc:
        out["error"] = f"{type(exc).__name__}: {exc}"[:300]
    out["spent"] = sum(step["cost"] for step in script[: len(agent.calls)])
    return out
