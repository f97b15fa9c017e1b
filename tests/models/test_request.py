from __future__ import annotations

import pytest

from codegen_hero.models.request import Completion, Message, Request, Usage


def test_plain_prompt_becomes_one_user_message():
    request = Request.of("hello", max_tokens=10, stop="END")
    assert request.messages == (Message("user", "hello"),)
    assert request.stop == ("END",)
    assert request.max_tokens == 10


def test_messages_from_dicts_and_validation():
    request = Request.of(
        [
            {"role": "user", "content": "a"},
            {"role": "assistant", "content": "b"},
            {"role": "user", "content": "c"},
        ]
    )
    assert [m.role for m in request.messages] == ["user", "assistant", "user"]
    with pytest.raises(ValueError, match="last message"):
        Request.of([{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"}])
    with pytest.raises(ValueError, match="at least one"):
        Request.of([])
    with pytest.raises(ValueError, match="max_tokens"):
        Request.of("x", max_tokens=0)


def test_fingerprint_depends_on_model_and_every_field():
    base = Request.of("hi")
    assert base.fingerprint("local/a") == Request.of("hi").fingerprint("local/a")
    variants = [
        Request.of("hi!"),
        Request.of("hi", system="be brief"),
        Request.of("hi", max_tokens=7),
        Request.of("hi", temperature=0.5),
        Request.of("hi", seed=3),
        Request.of("hi", stop=["x"]),
    ]
    prints = {v.fingerprint("local/a") for v in variants} | {base.fingerprint("local/a")}
    assert len(prints) == len(variants) + 1
    assert base.fingerprint("local/b") != base.fingerprint("local/a")


def test_completion_json_round_trip():
    completion = Completion("t", "local/x", Usage(1, 2, 3, 4), 0.5, None, "stop")
    again = Completion.from_json(completion.to_json())
    assert again == completion
    assert again.usage.total_tokens == 10
    assert str(again) == "t"


def test_chat_cache_keys_are_unchanged_by_the_raw_field():
    """Recorded caches stay valid: hashes computed before raw completions existed."""
    chat = Request.of(
        "Write is_even(n).",
        system="Be brief.",
        max_tokens=64,
        temperature=0.2,
        seed=7,
        stop=["\n\n"],
    )
    turns = Request.of(
        [
            {"role": "user", "content": "hi"},
            {"role": "assistant", "content": "hello"},
            {"role": "user", "content": "bye"},
        ]
    )
    assert "raw" not in chat.to_json()
    assert chat.fingerprint("local/a-model") == (
        "af53be5f6f159e28e090b01172a104073a8914ba149e7a503b543704d8a8b5c2"
    )
    assert turns.fingerprint("anthropic/b-model") == (
        "12772b1521747a5991342dc255b391453f764841e30bff5cd5e3dc144c0f3fd2"
    )


def test_a_raw_request_is_one_prompt_with_its_own_cache_key():
    raw = Request.of("<prefix>def f():", raw=True)
    assert raw.raw and raw.to_json()["raw"] is True
    assert raw.fingerprint("local/a") != Request.of("<prefix>def f():").fingerprint("local/a")
    assert Request.of(raw, max_tokens=8).raw  # options keep it raw
    with pytest.raises(ValueError, match="raw completion is one prompt"):
        Request.of("x", raw=True, system="be brief")
    with pytest.raises(ValueError, match="raw completion is one prompt"):
        Request.of(
            [Message("user", "a"), Message("assistant", "b"), Message("user", "c")], raw=True
        )


def test_one_stop_string_stays_one_sequence_on_every_path():
    base = Request.of("hello")
    assert Request.of(base, stop="END").stop == ("END",)
    assert Request.of(base, stop=None).stop == ()
    assert Request.of(base, stop=["a", "b"]).stop == ("a", "b")
    assert Request(messages=(Message("user", "x"),), stop="END").stop == ("END",)  # type: ignore[arg-type]


def test_a_copy_with_new_options_is_validated():
    base = Request.of("hello")
    with pytest.raises(ValueError, match="max_tokens"):
        Request.of(base, max_tokens=0)
    with pytest.raises(ValueError, match="stop sequences"):
        Request.of(base, stop=["END", ""])
    with pytest.raises(ValueError, match="stop must be"):
        Request.of("hello", stop=5)
    with pytest.raises(ValueError, match="at least one"):
        Request(messages=())


def test_unknown_usage_survives_a_json_round_trip_as_unknown():
    silent = Completion("t", "room/x", Usage(), 0.5, 0.0, "stop")
    data = silent.to_json()
    assert data["usage"]["input_tokens"] is None  # stored as null, not 0
    again = Completion.from_json(data)
    assert again == silent and again.usage.input_tokens is None and not again.usage.known
    with pytest.raises(ValueError, match="token count"):
        Completion.from_json({**data, "usage": {"input_tokens": -3, "output_tokens": 1}})


def test_request_json_round_trip_keeps_the_cache_key():
    chat = Request.of(
        [Message("user", "a"), Message("assistant", "b"), Message("user", "c")],
        system="terse",
        stop=["\n\n"],
        max_tokens=40,
    )
    raw = Request.of("<prefix>def f():", raw=True)
    for request in (chat, raw):
        again = Request.from_json(request.to_json())
        assert again == request and again.fingerprint("m") == request.fingerprint("m")
    with pytest.raises(KeyError):
        Request.from_json({"max_tokens": 10})
