"""Sandbox-side test doubles: run beside the learner's code, whose names are in scope.

Written at the top of the sandbox's test file (see Submission.probe); learners may read it.
"""

import json as _json
import threading as _threading
import time as _time


class _FakeAgent:
    """TEST DOUBLE for an agent session: canned answer and cost, records peak concurrency."""

    def __init__(self, costs, delays):
        self.costs, self.delays = dict(costs), dict(delays)
        self.lock = _threading.Lock()
        self.in_flight = self.peak = 0
        self.calls = []

    def __call__(self, task):
        with self.lock:
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
            self.calls.append(task)
        try:
            _time.sleep(self.delays.get(task, 0.05))
            return f"answer to {task}", self.costs[task]
        finally:
            with self.lock:
                self.in_flight -= 1


def _plain(value):
    try:
        return _json.loads(_json.dumps(value))
    except (TypeError, ValueError):
        return {"repr": repr(value)[:300]}


def _scenario(costs, delays, max_concurrency, budget):
    agent = _FakeAgent(costs, delays)
    tasks = list(costs)
    try:
        result, error = fan_out(list(tasks), agent, max_concurrency, budget), None
    except NotImplementedError:
        raise
    except Exception as exc:
        result, error = None, f"{type(exc).__name__}: {exc}"[:300]
    return {
        "result": _plain(result),
        "error": error,
        "calls": list(agent.calls),
        "peak": agent.peak,
        "spent": round(sum(agent.costs[t] for t in agent.calls), 6),
    }
