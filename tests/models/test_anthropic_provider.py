"""The real anthropic SDK against a loopback server we control, with injected faults."""

from __future__ import annotations

import asyncio

import pytest

from codegen_hero.models import client
from codegen_hero.models.errors import (
    AuthenticationFailed,
    HeroError,
    MissingKeyError,
    ProviderResponseError,
    ProviderUnavailable,
    RetiredModelError,
)
from codegen_hero.models.registry import load_registry
from tests.fakes.llm_server import Fault


def priced_model() -> str:
    registry = load_registry()
    return next(
        name
        for name in registry.role("frontier")
        if registry.get(name).provider == "anthropic" and registry.get(name).price
    )


def sampling_model(rejects: bool) -> str:
    registry = load_registry()
    return next(
        name
        for name, spec in registry.models.items()
        if spec.provider == "anthropic" and spec.rejects_sampling is rejects
    )


def assert_nothing_cached():
    assert client.response_cache().stats().entries == 0


def assert_one_line(error: HeroError):
    assert "\n" not in str(error) and len(str(error)) < 300


def test_complete_parses_text_usage_cost(fake_server):
    name = priced_model()
    answer = client.complete(name, "Write fizzbuzz", system="Be brief.", max_tokens=50)
    model_id = load_registry().get(name).model_id
    assert model_id in answer.text and answer.finish_reason == "stop"
    assert answer.usage.input_tokens > 0 and answer.usage.output_tokens > 0
    price = load_registry().get(name).price
    expected = answer.usage.input_tokens * price.input + answer.usage.output_tokens * price.output
    assert answer.cost_usd == pytest.approx(expected / 1e6)
    body = fake_server.requests[-1].body
    assert body["model"] == model_id and body["system"] == "Be brief." and body["max_tokens"] == 50
    assert client.response_cache().stats().entries == 1


def test_sampling_parameters_omitted_for_models_that_reject_them(fake_server):
    client.complete(sampling_model(rejects=True), "hi", temperature=0.2, cache="off")
    assert "temperature" not in fake_server.requests[-1].body
    client.complete(sampling_model(rejects=False), "hi", temperature=0.2, cache="off")
    assert fake_server.requests[-1].body["temperature"] == 0.2


def test_stream_and_async(fake_server):
    pieces: list[str] = []
    streamed = client.stream(priced_model(), "hello there", on_text=pieces.append, cache="off")
    assert len(pieces) > 1 and "".join(pieces) == streamed.text
    assert streamed.usage.output_tokens > 0

    async def two():
        return await asyncio.gather(
            client.acomplete(priced_model(), "one", cache="off"),
            client.acomplete(priced_model(), "two", cache="off"),
        )

    assert all(a.text for a in asyncio.run(two()))
    assert all(a.text for a in asyncio.run(two()))  # a second event loop works too


def test_stop_sequence_and_max_tokens_finish(fake_server):
    fake_server.reply = "alpha beta STOP gamma delta"
    stopped = client.complete(priced_model(), "x", stop=["STOP"], cache="off")
    assert stopped.finish_reason == "stop_sequence" and "gamma" not in stopped.text
    cut = client.complete(priced_model(), "x", max_tokens=2, cache="off")
    assert cut.finish_reason == "length"


@pytest.mark.parametrize(
    ("faults", "requests_made"),
    [
        ([Fault.status(429, retry_after=0.05)], 2),
        ([Fault.status(500)], 2),
        ([Fault.status(529), Fault.status(529)], 3),
        ([Fault.reset()], 2),
    ],
    ids=["429-retry-after", "500", "529-twice", "connection-reset"],
)
def test_transient_faults_are_retried(fake_server, faults, requests_made):
    fake_server.script(*faults)
    answer = client.complete(priced_model(), "retry me")
    assert answer.text
    assert len(fake_server.requests) == requests_made


@pytest.mark.parametrize(
    ("fault", "error", "words"),
    [
        (Fault.status(529), ProviderUnavailable, "overloaded"),
        (Fault.status(429, retry_after=0.01), ProviderUnavailable, "rate limited"),
        (Fault.status(500), ProviderUnavailable, "failed \\(500\\)"),
        (Fault.reset(), ProviderUnavailable, "could not reach"),
    ],
    ids=["529", "429", "500", "reset"],
)
def test_persistent_faults_end_in_one_clear_error(fake_server, fault, error, words):
    fake_server.script(fault, fault, fault)
    with pytest.raises(error, match=words) as info:
        client.complete(priced_model(), "doomed")
    assert_one_line(info.value)
    assert len(fake_server.requests) == 3  # the first try and the SDK's two retries
    assert_nothing_cached()


def test_timeout(fake_server, monkeypatch):
    monkeypatch.setenv("HERO_TIMEOUT_S", "0.3")
    fake_server.script(Fault.hang(3), Fault.hang(3), Fault.hang(3))
    with pytest.raises(ProviderUnavailable, match="timed out") as info:
        client.complete(priced_model(), "slow")
    assert_one_line(info.value)
    assert_nothing_cached()


def test_malformed_json(fake_server):
    fake_server.script(Fault.malformed())
    with pytest.raises(ProviderResponseError, match="cannot read"):
        client.complete(priced_model(), "garbled")
    assert_nothing_cached()


def test_overload_inside_a_stream(fake_server):
    fake_server.script(Fault.stream_overload())
    pieces: list[str] = []
    with pytest.raises(ProviderUnavailable, match="overloaded") as info:
        client.stream(priced_model(), "stream please", on_text=pieces.append)
    assert_one_line(info.value)
    assert_nothing_cached()


def test_stream_cut_mid_answer(fake_server):
    fake_server.script(Fault.stream_cut())
    with pytest.raises(ProviderUnavailable, match="dropped|could not reach"):
        client.stream(priced_model(), "stream please", on_text=lambda t: None)
    assert_nothing_cached()


def test_retired_model_points_at_models_check(fake_server):
    fake_server.script(Fault.status(404))
    with pytest.raises(RetiredModelError, match="hero models check"):
        client.complete(priced_model(), "gone?")


def test_rejected_key(fake_server):
    fake_server.script(Fault.status(401))
    with pytest.raises(AuthenticationFailed, match="ANTHROPIC_API_KEY"):
        client.complete(priced_model(), "who am i")


def test_bad_request_message_is_carried_on_one_line(fake_server):
    fake_server.script(Fault.status(400, message="max_tokens: too\nlarge"))
    with pytest.raises(ProviderResponseError, match="refused the request \\(400\\)") as info:
        client.complete(priced_model(), "x")
    assert_one_line(info.value)


def test_missing_key_names_variable_and_offline_option(monkeypatch):
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    with pytest.raises(MissingKeyError, match="set ANTHROPIC_API_KEY") as info:
        client.complete(priced_model(), "x")
    assert "local model" in str(info.value)


def test_models_check_reports_retired_ids(fake_server):
    from typer.testing import CliRunner

    from codegen_hero.cli import app

    registry = load_registry()
    anthropic_ids = [s.model_id for s in registry.models.values() if s.provider == "anthropic"]
    other_ids = [s.model_id for s in registry.models.values() if s.provider == "openai"]
    fake_server.models = anthropic_ids[1:] + other_ids  # the first one is no longer offered
    result = CliRunner().invoke(app, ["models", "check"], env={"COLUMNS": "200"})
    assert result.exit_code == 1
    assert "RETIRED" in result.output and anthropic_ids[0] in result.output
    fake_server.models = anthropic_ids + other_ids
    fine = CliRunner().invoke(app, ["models", "check"], env={"COLUMNS": "200"})
    assert fine.exit_code == 0 and "RETIRED" not in fine.output


def test_a_raw_completion_is_refused_in_one_line(fake_server):
    with pytest.raises(HeroError, match="no raw completion") as info:
        client.complete(priced_model(), "<prefix>def f():", raw=True)
    assert_one_line(info.value)
    assert fake_server.requests == []  # refused before anything was sent
