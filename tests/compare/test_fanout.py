"""Fan-out against the loopback server: concurrency, isolation of failures, sampling."""

from __future__ import annotations

import asyncio
import time

import pytest

from codegen_hero.compare import compare
from codegen_hero.compare.fanout import run_sync
from tests.fakes.llm_server import FakeLLMServer

FIZZ_TESTS = """
def test_fizz():
    assert fizzbuzz(3) == "Fizz"

def test_plain():
    assert fizzbuzz(7) == "7"
"""
GOOD = "```python\ndef fizzbuzz(n):\n    return 'Fizz' if n % 3 == 0 else str(n)\n```"
BAD = "```python\ndef fizzbuzz(n):\n    return str(n)\n```"


@pytest.fixture
def server(monkeypatch):
    with FakeLLMServer() as fake:
        monkeypatch.setenv("HERO_OLLAMA_URL", fake.url + "/v1")
        monkeypatch.setenv("HERO_PROGRESS", "0")
        yield fake


def test_k_models_cost_about_the_slowest_not_the_sum(server):
    latencies = {"fake-a": 0.4, "fake-b": 0.4, "fake-c": 0.4, "fake-d": 0.7}
    server.latency_by_model = latencies
    models = [f"ollama/{name}" for name in latencies]
    compare("warm-up: SDK import and client set-up", ["ollama/warm"], cache="off")
    start = time.perf_counter()
    result = compare("hello", models, cache="off")
    wall = time.perf_counter() - start
    assert [row.model for row in result.rows] == models
    assert all(row.error is None for row in result.rows)
    slowest, total = max(latencies.values()), sum(latencies.values())
    assert wall < slowest + (total - slowest) / 2  # one after another would take the sum


def test_one_failing_model_is_an_error_row(server, monkeypatch):
    monkeypatch.setenv("HERO_ROOM_URL", "http://127.0.0.1:9/v1")  # nothing listens there
    monkeypatch.setenv("HERO_TIMEOUT_S", "1")
    result = compare("hello", ["ollama/fake-a", "room/absent", "nowhere/x"], cache="off")
    ok, refused, unknown = result.rows
    assert ok.error is None and ok.completion.text
    assert refused.completion is None and "could not reach" in refused.error
    assert unknown.error and "unknown provider" in unknown.error
    summary = {s.model: s for s in result.summary()}
    assert summary["room/absent"].errors == 1 and summary["ollama/fake-a"].answered == 1


def test_code_is_extracted_and_tested_in_the_sandbox(server):
    server.reply = lambda request: GOOD if request.model == "good" else BAD
    result = compare(
        "fizzbuzz please", ["ollama/good", "ollama/bad"], tests=FIZZ_TESTS, cache="off"
    )
    good, bad = result.rows
    assert "def fizzbuzz" in good.code and "```" not in good.code
    assert good.passed is True and good.test.tests_passed == ["test_fizz", "test_plain"]
    assert bad.passed is False and bad.test.tests_failed == ["test_fizz"]
    assert result.pass_at_k("ollama/good") == 1.0 and result.pass_at_k("ollama/bad") == 0.0


def test_repeat_samples_get_their_own_seed_and_cache_entry(server):
    seen: list[int] = []

    def reply(request):
        seen.append(request.body.get("seed"))
        return GOOD if request.body.get("seed") == 1 else BAD

    server.reply = reply
    result = compare("fizzbuzz please", ["ollama/one"], n=3, tests=FIZZ_TESTS)
    assert sorted(seen) == [0, 1, 2]
    assert [row.passed for row in result.rows] == [False, True, False]
    assert result.pass_at_k("ollama/one", 1) == pytest.approx(1 / 3)
    assert result.pass_at_k("ollama/one", 3) == 1.0
    again = compare("fizzbuzz please", ["ollama/one"], n=3, tests=FIZZ_TESTS)
    assert all(row.completion.cached for row in again.rows) and len(seen) == 3


def test_run_sync_works_inside_a_running_loop():
    async def inner():
        return 42

    async def outer():
        return run_sync(inner())  # what a Jupyter cell does: the kernel's loop is running

    assert asyncio.run(outer()) == 42


def test_bad_arguments():
    with pytest.raises(ValueError, match="n must be"):
        compare("x", ["ollama/a"], n=0)


def test_an_answer_without_code_is_a_failed_attempt_not_a_test_run(server):
    server.reply = "I would rather not write code today."
    result = compare("fizzbuzz please", ["ollama/shy"], tests=FIZZ_TESTS, cache="off")
    (row,) = result.rows
    assert row.code is None and row.passed is False
    assert row.test.status == "error" and row.test.reason == "no code found in the answer"
    assert row.test.tests_passed == [] and row.test.tests_failed == []


def test_a_stop_string_given_with_a_request_reaches_the_server_as_one_sequence(server):
    from codegen_hero.models.request import Request

    compare(Request.of("count to ten"), ["ollama/fake-a"], stop="END", cache="off")
    assert server.requests[-1].body["stop"] == ["END"]
