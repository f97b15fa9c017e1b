"""Wire-compatibility tests for the FakeLLMServer test double, using the real SDK clients.

These tests also pin down which exception each SDK raises for each fault, so that provider
error mapping can be built (and kept honest) against them. Observed with anthropic 2.12 and
openai 3.54 (both on httpx2):

fault                  anthropic                             openai
---------------------  ------------------------------------  -------------------------------
status(429)            RateLimitError (retried)              RateLimitError (retried)
status(500)            InternalServerError (retried)         InternalServerError (retried)
status(529)            OverloadedError (retried),            InternalServerError (retried)
                       subclass of InternalServerError
hang + client timeout  APITimeoutError                       APITimeoutError
reset()                APIConnectionError                    APIConnectionError
malformed()            json.JSONDecodeError (stdlib, not     json.JSONDecodeError (same)
                       wrapped, not retried)
stream_overload()      base APIStatusError, status_code=200, base openai.APIError (no
                       .type == "overloaded_error"           status_code), .type from body
stream_cut()           httpx2.RemoteProtocolError, NOT       APIConnectionError
                       wrapped by the SDK
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
import urllib.error
import urllib.request

import anthropic
import httpx2
import openai
import pytest

# Relative import: works under both `pytest` and `python -m pytest`, whatever the rootdir.
from .llm_server import FakeLLMServer, Fault, RecordedRequest

pytestmark = pytest.mark.timeout(60)

MSGS = [{"role": "user", "content": "hello there you"}]  # 3 words
DEFAULT_REPLY = "Fake reply from {model}: the quick brown fox jumps over the lazy dog."


@pytest.fixture
def server():
    with FakeLLMServer() as srv:
        yield srv
        assert srv.errors == []


def ant(server: FakeLLMServer, **kw) -> anthropic.Anthropic:
    kw.setdefault("max_retries", 0)
    kw.setdefault("timeout", 10.0)
    return anthropic.Anthropic(base_url=server.url, api_key="test-key", **kw)


def oai(server: FakeLLMServer, **kw) -> openai.OpenAI:
    kw.setdefault("max_retries", 0)
    kw.setdefault("timeout", 10.0)
    return openai.OpenAI(base_url=server.url + "/v1", api_key="test-key", **kw)


def ant_create(client: anthropic.Anthropic, model: str = "claude-fake", **kw):
    kw.setdefault("max_tokens", 100)
    return client.messages.create(model=model, messages=MSGS, **kw)


def oai_create(client: openai.OpenAI, model: str = "gpt-fake", **kw):
    return client.chat.completions.create(model=model, messages=MSGS, **kw)


# --------------------------------------------------------------------------------------------
# Anthropic Messages
# --------------------------------------------------------------------------------------------


def test_anthropic_sync_create(server):
    msg = ant_create(ant(server), model="claude-x", system="be very nice")
    assert isinstance(msg, anthropic.types.Message)
    assert msg.id.startswith("msg_")
    assert msg.model == "claude-x"
    assert msg.role == "assistant"
    assert msg.content[0].type == "text"
    assert msg.content[0].text == DEFAULT_REPLY.format(model="claude-x")
    assert msg.stop_reason == "end_turn"
    assert msg.stop_sequence is None
    assert msg.usage.input_tokens == 3 + 3  # system words + message words
    assert msg.usage.output_tokens == len(msg.content[0].text.split())
    assert msg.usage.cache_read_input_tokens == 0
    assert msg._request_id is not None

    (req,) = server.requests
    assert isinstance(req, RecordedRequest)
    assert (req.method, req.path) == ("POST", "/v1/messages")
    # anthropic 2.12 sends api_key as a bearer token (older SDKs sent x-api-key).
    assert req.headers["authorization"] == "Bearer test-key"
    assert "x-api-key" not in req.headers
    assert "anthropic-version" in req.headers  # what the fake keys the /v1/models shape on
    assert req.body is not None and req.body["model"] == "claude-x"
    assert json.loads(req.raw) == req.body


def test_anthropic_max_tokens_and_stop_sequence(server):
    server.reply = "one two three four five six"
    client = ant(server)
    msg = ant_create(client, max_tokens=3)
    assert (msg.content[0].text, msg.stop_reason) == ("one two three", "max_tokens")
    assert msg.usage.output_tokens == 3

    msg = ant_create(client, stop_sequences=["four", "six"])
    assert msg.content[0].text == "one two three "
    assert (msg.stop_reason, msg.stop_sequence) == ("stop_sequence", "four")


def test_anthropic_reply_callable_sees_request(server):
    server.reply = lambda req: f"{req.model} got {len(req.body['messages'])} message(s)"
    msg = ant_create(ant(server), model="m-cb")
    assert msg.content[0].text == "m-cb got 1 message(s)"


def test_anthropic_sync_stream_helper(server):
    with ant(server).messages.stream(model="claude-s", max_tokens=100, messages=MSGS) as stream:
        pieces = list(stream.text_stream)
        final = stream.get_final_message()
    expected = DEFAULT_REPLY.format(model="claude-s")
    assert len(pieces) > 3
    assert "".join(pieces) == expected
    assert final.content[0].text == expected
    assert final.model == "claude-s"
    assert final.stop_reason == "end_turn"
    assert final.usage.input_tokens == 3
    assert final.usage.output_tokens == len(expected.split())
    assert server.requests[0].body["stream"] is True


def test_anthropic_raw_stream_event_sequence(server):
    server.reply = "alpha beta gamma"
    events = list(ant_create(ant(server), stream=True, max_tokens=2))
    types = [e.type for e in events]
    assert types[:2] == ["message_start", "content_block_start"]
    assert types[-3:] == ["content_block_stop", "message_delta", "message_stop"]
    deltas = [e.delta.text for e in events if e.type == "content_block_delta"]
    assert "".join(deltas) == "alpha beta"
    assert events[-2].delta.stop_reason == "max_tokens"
    assert events[-2].usage.output_tokens == 2
    assert events[0].message.usage.input_tokens == 3


def test_anthropic_async_create_and_stream(server):
    async def run():
        async with anthropic.AsyncAnthropic(
            base_url=server.url, api_key="k", max_retries=0, timeout=10.0
        ) as client:
            msg = await client.messages.create(model="a-async", max_tokens=50, messages=MSGS)
            async with client.messages.stream(
                model="a-async", max_tokens=50, messages=MSGS
            ) as stream:
                pieces = [p async for p in stream.text_stream]
                final = await stream.get_final_message()
            return msg, pieces, final

    msg, pieces, final = asyncio.run(run())
    expected = DEFAULT_REPLY.format(model="a-async")
    assert msg.content[0].text == expected and msg.stop_reason == "end_turn"
    assert "".join(pieces) == expected
    assert final.usage.output_tokens == len(expected.split())
    assert final.stop_reason == "end_turn"


def test_anthropic_count_tokens(server):
    count = ant(server).messages.count_tokens(model="m", messages=MSGS, system="two words")
    assert count.input_tokens == 5
    assert server.requests[0].path == "/v1/messages/count_tokens"


def test_anthropic_request_validation(server):
    # The typed API always sends max_tokens, so use the client's raw POST to omit it.
    with pytest.raises(anthropic.BadRequestError) as info:
        ant(server).post("/v1/messages", body={"model": "m", "messages": MSGS}, cast_to=object)
    assert info.value.type == "invalid_request_error"
    assert "max_tokens" in str(info.value)


# --------------------------------------------------------------------------------------------
# OpenAI chat completions
# --------------------------------------------------------------------------------------------


def test_openai_sync_create(server):
    comp = oai_create(oai(server), model="gpt-x")
    assert comp.object == "chat.completion"
    assert comp.id.startswith("chatcmpl-")
    assert comp.model == "gpt-x"
    choice = comp.choices[0]
    assert choice.message.role == "assistant"
    assert choice.message.content == DEFAULT_REPLY.format(model="gpt-x")
    assert choice.finish_reason == "stop"
    assert comp.usage.prompt_tokens == 3
    assert comp.usage.completion_tokens == len(choice.message.content.split())
    assert comp.usage.total_tokens == comp.usage.prompt_tokens + comp.usage.completion_tokens

    (req,) = server.requests
    assert (req.method, req.path) == ("POST", "/v1/chat/completions")
    assert req.headers["authorization"] == "Bearer test-key"


def test_openai_length_and_stop(server):
    server.reply = "one two three four five six"
    client = oai(server)
    comp = oai_create(client, max_tokens=2)
    assert (comp.choices[0].message.content, comp.choices[0].finish_reason) == ("one two", "length")
    comp = oai_create(client, max_completion_tokens=4)
    assert comp.choices[0].finish_reason == "length"
    assert comp.usage.completion_tokens == 4
    comp = oai_create(client, stop=["three"])
    assert comp.choices[0].message.content == "one two "
    assert comp.choices[0].finish_reason == "stop"


def test_openai_sync_stream_with_usage(server):
    chunks = list(
        oai_create(oai(server), model="gpt-s", stream=True, stream_options={"include_usage": True})
    )
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == DEFAULT_REPLY.format(model="gpt-s")
    assert all(c.object == "chat.completion.chunk" and c.model == "gpt-s" for c in chunks)
    finishes = [c.choices[0].finish_reason for c in chunks if c.choices]
    assert finishes[-1] == "stop" and set(finishes[:-1]) == {None}
    assert chunks[-1].choices == []
    assert chunks[-1].usage.prompt_tokens == 3
    assert chunks[-1].usage.completion_tokens == len(text.split())


def test_openai_stream_without_usage(server):
    chunks = list(oai_create(oai(server), stream=True))
    assert all(c.usage is None for c in chunks)
    assert chunks[-1].choices[0].finish_reason == "stop"


def test_openai_async_create_and_stream(server):
    async def run():
        async with openai.AsyncOpenAI(
            base_url=server.url + "/v1", api_key="k", max_retries=0, timeout=10.0
        ) as client:
            comp = await client.chat.completions.create(model="o-async", messages=MSGS)
            stream = await client.chat.completions.create(
                model="o-async",
                messages=MSGS,
                stream=True,
                stream_options={"include_usage": True},
            )
            chunks = [c async for c in stream]
            return comp, chunks

    comp, chunks = asyncio.run(run())
    expected = DEFAULT_REPLY.format(model="o-async")
    assert comp.choices[0].message.content == expected
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == expected
    assert chunks[-1].usage.total_tokens == 3 + len(expected.split())


# --------------------------------------------------------------------------------------------
# Models
# --------------------------------------------------------------------------------------------


def test_openai_text_completion_continues_the_prompt(server):
    server.reply = "return n % 2 == 0\n\nprint(is_even(4))"
    client = oai(server)
    out = client.completions.create(model="fim-fake", prompt="def is_even(n):", max_tokens=50)
    assert out.choices[0].text == server.reply and out.choices[0].finish_reason == "stop"
    assert out.usage.prompt_tokens == 2 and out.usage.completion_tokens == 7
    cut = client.completions.create(model="fim-fake", prompt="x", stop=["\n\n"], max_tokens=9)
    assert cut.choices[0].text == "return n % 2 == 0"
    short = client.completions.create(model="fim-fake", prompt="x", max_tokens=2)
    assert short.choices[0].text == "return n" and short.choices[0].finish_reason == "length"
    chunks = list(
        client.completions.create(
            model="fim-fake", prompt="x", stream=True, stream_options={"include_usage": True}
        )
    )
    assert "".join(c.choices[0].text for c in chunks if c.choices) == server.reply
    assert chunks[-1].usage.completion_tokens == 7
    assert server.requests[0].path == "/v1/completions"
    assert server.requests[0].body["prompt"] == "def is_even(n):"


def test_models_list_both_sdks(server):
    server.models = ["id-a", "id-b", "id-c"]
    a_models = list(ant(server).models.list())
    assert [m.id for m in a_models] == ["id-a", "id-b", "id-c"]
    assert a_models[0].type == "model" and a_models[0].display_name == "id-a"
    assert a_models[0].created_at.year == 2026
    assert ant(server).models.retrieve("id-b").id == "id-b"
    with pytest.raises(anthropic.NotFoundError):
        ant(server).models.retrieve("nope")

    o_models = list(oai(server).models.list())
    assert [m.id for m in o_models] == ["id-a", "id-b", "id-c"]
    assert o_models[0].object == "model" and o_models[0].owned_by == "fake"
    assert oai(server).models.retrieve("id-c").id == "id-c"


def test_anthropic_models_pagination(server):
    server.models = [f"m{i}" for i in range(5)]
    page = ant(server).models.list(limit=2)
    assert [m.id for m in page.data] == ["m0", "m1"] and page.has_more
    assert [m.id for m in ant(server).models.list(limit=2)] == server.models  # auto-paging


# --------------------------------------------------------------------------------------------
# Faults
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("sdk", ["anthropic", "openai"])
def test_429_with_retry_after_then_ok_retries(server, sdk):
    server.script(Fault.status(429, retry_after=0.05), Fault.ok())
    start = time.monotonic()
    if sdk == "anthropic":
        result = ant_create(ant(server, max_retries=2)).content[0].text
    else:
        result = oai_create(oai(server, max_retries=2)).choices[0].message.content
    elapsed = time.monotonic() - start
    assert result.startswith("Fake reply")
    assert len(server.requests) == 2
    assert elapsed >= 0.05
    assert server.requests[1].headers.get("x-stainless-retry-count") == "1"


@pytest.mark.parametrize("sdk", ["anthropic", "openai"])
def test_retry_after_is_honoured(server, sdk):
    # Without the header the first retry waits 0.375-0.5 s (0.5 s with -25% jitter), so a
    # wait of at least 0.8 s proves the header was used. Lower bound only: no tight timing.
    server.script(Fault.status(429, retry_after=0.8))
    start = time.monotonic()
    if sdk == "anthropic":
        ant_create(ant(server, max_retries=1))
    else:
        oai_create(oai(server, max_retries=1))
    assert time.monotonic() - start >= 0.8
    assert len(server.requests) == 2


def test_three_529s_anthropic_overloaded_after_retries(server):
    server.script(*[Fault.status(529, retry_after=0.01)] * 3)
    with pytest.raises(anthropic.OverloadedError) as info:
        ant_create(ant(server, max_retries=2))
    err = info.value
    assert isinstance(err, anthropic.InternalServerError)
    assert err.status_code == 529
    assert err.type == "overloaded_error"
    assert err.request_id is not None and err.request_id.startswith("req_")
    assert len(server.requests) == 3  # 529 is retried (status >= 500)


def test_three_529s_openai_internal_server_error(server):
    server.script(*[Fault.status(529, retry_after=0.01)] * 3)
    with pytest.raises(openai.InternalServerError) as info:
        oai_create(oai(server, max_retries=2))
    assert info.value.status_code == 529
    assert len(server.requests) == 3


@pytest.mark.parametrize("sdk", ["anthropic", "openai"])
def test_500_then_ok_retries(server, sdk):
    server.script(Fault.status(500, retry_after=0.01), Fault.ok())
    if sdk == "anthropic":
        assert ant_create(ant(server, max_retries=2)).stop_reason == "end_turn"
    else:
        assert oai_create(oai(server, max_retries=2)).choices[0].finish_reason == "stop"
    assert len(server.requests) == 2


def test_status_error_bodies_and_types(server):
    server.script(Fault.status(401), Fault.status(404, error_type="not_found_error", message="x"))
    with pytest.raises(anthropic.AuthenticationError) as a_info:
        ant_create(ant(server))
    assert a_info.value.type == "authentication_error"
    assert a_info.value.body["type"] == "error"
    with pytest.raises(openai.NotFoundError) as o_info:
        oai_create(oai(server))
    assert o_info.value.body == {
        "message": "x",
        "type": "not_found_error",
        "param": None,
        "code": "model_not_found",
    }


def test_openai_refuses_to_retry_when_retry_after_exceeds_two_minutes(server):
    server.script(Fault.status(429, retry_after=500))
    with pytest.raises(openai.RateLimitError):
        oai_create(oai(server, max_retries=2))
    assert len(server.requests) == 1


@pytest.mark.parametrize("sdk", ["anthropic", "openai"])
def test_hang_gives_timeout_and_does_not_block_shutdown(sdk):
    srv = FakeLLMServer().start()
    try:
        srv.script(Fault.hang(5))
        start = time.monotonic()
        if sdk == "anthropic":
            with pytest.raises(anthropic.APITimeoutError):
                ant_create(ant(srv, timeout=0.5))
        else:
            with pytest.raises(openai.APITimeoutError):
                oai_create(oai(srv, timeout=0.5))
        assert 0.4 <= time.monotonic() - start < 3.0
    finally:
        start = time.monotonic()
        srv.stop()
        assert time.monotonic() - start < 2.0  # the 5 s hang was interrupted
    assert len(srv.requests) == 1


@pytest.mark.parametrize("sdk", ["anthropic", "openai"])
def test_reset_gives_connection_error(server, sdk):
    server.script(Fault.reset())
    exc_type = anthropic.APIConnectionError if sdk == "anthropic" else openai.APIConnectionError
    timeout_type = anthropic.APITimeoutError if sdk == "anthropic" else openai.APITimeoutError
    with pytest.raises(exc_type) as info:
        if sdk == "anthropic":
            ant_create(ant(server))
        else:
            oai_create(oai(server))
    assert not isinstance(info.value, timeout_type)
    assert isinstance(info.value.__cause__, httpx2.TransportError)
    # recorded before the fault was applied
    assert server.requests[0].body["messages"] == MSGS


def test_reset_is_retried_then_succeeds(server):
    server.script(Fault.reset(), Fault.ok())
    assert ant_create(ant(server, max_retries=1)).stop_reason == "end_turn"
    assert len(server.requests) == 2


@pytest.mark.parametrize("sdk", ["anthropic", "openai"])
@pytest.mark.parametrize("stream", [False, True])
def test_malformed_raises_json_decode_error_without_retry(server, sdk, stream):
    # Observed: neither SDK wraps this; the stdlib json.JSONDecodeError escapes, and it is not
    # retried even with max_retries=2.
    server.script(Fault.malformed())
    with pytest.raises(json.JSONDecodeError):
        if sdk == "anthropic":
            result = ant_create(ant(server, max_retries=2), stream=stream)
        else:
            result = oai_create(oai(server, max_retries=2), stream=stream)
        if stream:
            list(result)
    assert len(server.requests) == 1


def test_anthropic_stream_overload_surfaces_as_plain_api_status_error(server):
    server.script(Fault.stream_overload())
    pieces: list[str] = []
    client = ant(server, max_retries=2)
    with (
        pytest.raises(anthropic.APIStatusError) as info,
        client.messages.stream(model="m", max_tokens=100, messages=MSGS) as stream,
    ):
        for piece in stream.text_stream:
            pieces.append(piece)
    err = info.value
    # The SDK builds the error from the 200 response that carried the stream, so the status-code
    # table does not apply: it is the base APIStatusError, NOT OverloadedError/InternalServerError.
    assert type(err) is anthropic.APIStatusError
    assert not isinstance(err, anthropic.InternalServerError)
    assert err.status_code == 200
    assert err.type == "overloaded_error"
    assert err.body == {
        "type": "error",
        "error": {"type": "overloaded_error", "message": "Overloaded"},
    }
    assert "".join(pieces) == "Fake reply "  # text received before the error
    assert len(server.requests) == 1  # not retried: the stream had already started


def test_anthropic_stream_overload_async(server):
    server.script(Fault.stream_overload())

    async def run():
        async with anthropic.AsyncAnthropic(base_url=server.url, api_key="k") as client:
            stream = await client.messages.create(
                model="m", max_tokens=10, messages=MSGS, stream=True
            )
            return [event.type async for event in stream]

    with pytest.raises(anthropic.APIStatusError) as info:
        asyncio.run(run())
    assert info.value.status_code == 200 and info.value.type == "overloaded_error"


def test_openai_stream_overload_surfaces_as_api_error(server):
    server.script(Fault.stream_overload())
    pieces: list[str] = []
    with pytest.raises(openai.APIError) as info:
        for chunk in oai_create(oai(server, max_retries=2), stream=True):
            pieces.append(chunk.choices[0].delta.content or "")
    err = info.value
    assert type(err) is openai.APIError  # not an APIStatusError: no status_code attribute
    assert err.message == "Overloaded"
    assert err.type == "server_error"
    assert "".join(pieces) == "Fake reply "
    assert len(server.requests) == 1


def test_stream_overload_on_non_streaming_request_is_an_overload_status(server):
    server.script(Fault.stream_overload(), Fault.stream_overload())
    with pytest.raises(anthropic.OverloadedError):
        ant_create(ant(server))
    with pytest.raises(openai.InternalServerError):
        oai_create(oai(server))


def test_anthropic_stream_cut_raises_raw_httpx2_error(server):
    # Observed: the anthropic SDK does NOT wrap transport errors raised while iterating a stream;
    # the caller sees httpx2.RemoteProtocolError (not anthropic.APIConnectionError).
    server.script(Fault.stream_cut())
    pieces: list[str] = []
    client = ant(server)
    with (
        pytest.raises(httpx2.RemoteProtocolError),
        client.messages.stream(model="m", max_tokens=100, messages=MSGS) as stream,
    ):
        for piece in stream.text_stream:
            pieces.append(piece)
    assert "".join(pieces) == "Fake reply "


def test_openai_stream_cut_raises_api_connection_error(server):
    server.script(Fault.stream_cut())
    pieces: list[str] = []
    with pytest.raises(openai.APIConnectionError) as info:
        for chunk in oai_create(oai(server), stream=True):
            pieces.append(chunk.choices[0].delta.content or "")
    assert isinstance(info.value.__cause__, httpx2.RemoteProtocolError)
    assert "".join(pieces) == "Fake reply "


def test_stream_cut_on_non_streaming_request_is_a_connection_error(server):
    server.script(Fault.stream_cut())
    with pytest.raises(anthropic.APIConnectionError):
        ant_create(ant(server))


def test_delay_then_success(server):
    server.script(Fault.delay(0.2))
    start = time.monotonic()
    assert ant_create(ant(server)).stop_reason == "end_turn"
    assert time.monotonic() - start >= 0.2


def test_script_is_fifo_and_then_succeeds(server):
    server.script(Fault.status(400), Fault.ok())
    server.script(Fault.status(403))
    assert server.pending_faults == 3
    client = oai(server)
    with pytest.raises(openai.BadRequestError):
        oai_create(client)
    assert oai_create(client).choices[0].finish_reason == "stop"
    with pytest.raises(openai.PermissionDeniedError):
        oai_create(client)
    assert oai_create(client).choices[0].finish_reason == "stop"
    assert server.pending_faults == 0
    with pytest.raises(TypeError):
        server.script("not a fault")  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------
# Latency
# --------------------------------------------------------------------------------------------


def test_latency_and_latency_by_model(server):
    server.latency = 0.2
    server.latency_by_model = {"slow-model": 0.5}
    client = ant(server)
    start = time.monotonic()
    ant_create(client, model="fast-model")
    fast = time.monotonic() - start
    start = time.monotonic()
    ant_create(client, model="slow-model")
    slow = time.monotonic() - start
    start = time.monotonic()
    oai_create(oai(server), model="slow-model")
    slow_oai = time.monotonic() - start
    assert fast >= 0.2
    assert slow >= 0.5
    assert slow_oai >= 0.5


def test_latency_applies_concurrently(server):
    server.latency = 0.4

    async def run():
        async with anthropic.AsyncAnthropic(
            base_url=server.url, api_key="k", max_retries=0, timeout=10.0
        ) as client:
            return await asyncio.gather(
                *[client.messages.create(model="m", max_tokens=5, messages=MSGS) for _ in range(4)]
            )

    start = time.monotonic()
    results = asyncio.run(run())
    elapsed = time.monotonic() - start
    assert len(results) == 4
    assert 0.4 <= elapsed < 1.2  # 4 x 0.4 s would take 1.6 s if served one at a time


def test_chunk_delay_spreads_stream(server):
    server.reply = "a b c d e"
    server.chunk_delay = 0.05
    start = time.monotonic()
    events = list(ant_create(ant(server), stream=True))
    assert time.monotonic() - start >= 0.05 * (len(events) - 1)


# --------------------------------------------------------------------------------------------
# Plumbing
# --------------------------------------------------------------------------------------------


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict]:
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=5) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


def test_unknown_path_is_404_json_in_either_shape(server):
    status, body = _get(server.url + "/v2/nothing")
    assert status == 404 and body["error"]["type"] == "invalid_request_error"
    status, body = _get(server.url + "/nothing", {"anthropic-version": "2023-06-01"})
    assert status == 404 and body == {
        "type": "error",
        "error": {"type": "not_found_error", "message": "Not found: GET /nothing"},
    }
    assert [r.path for r in server.requests] == ["/v2/nothing", "/nothing"]


def test_models_shape_chosen_by_headers(server):
    _, body = _get(server.url + "/v1/models?limit=5", {"x-api-key": "k"})
    assert body["has_more"] is False and body["first_id"] == server.models[0]
    _, body = _get(server.url + "/v1/models")
    assert body["object"] == "list" and body["data"][0]["owned_by"] == "fake"
    assert server.requests[0].query == {"limit": "5"}


def test_binds_loopback_and_shuts_down_cleanly():
    with FakeLLMServer() as srv:
        assert srv.url.startswith("http://127.0.0.1:")
        port = srv.port
        ant_create(ant(srv))  # leaves a keep-alive connection open
        oai_create(oai(srv), stream=True)
        assert srv.live_threads()
    assert not srv.running
    leftover = [t for t in threading.enumerate() if t.name.startswith("fake-llm")]
    assert leftover == []
    with socket.socket() as sock, pytest.raises(OSError):
        sock.settimeout(1)
        sock.connect(("127.0.0.1", port))
