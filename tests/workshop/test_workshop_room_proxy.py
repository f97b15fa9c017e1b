"""The room server's front, against real engines on 127.0.0.1: keys, usage, and faults.

Each fault (a malformed request, an oversized prompt, a learner who leaves mid-stream, the
engine dying) must cost that learner one clear error while the others keep being served.
Both engines run behind the same front: llama-server, and llama-cpp-python's server as the
fallback. The smallest real model, one thread, a few tokens per answer.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import httpx2
import openai
import pytest

from codegen_hero import complete
from codegen_hero.models.errors import AuthenticationFailed, HeroError, ProviderResponseError
from codegen_hero.workshop.engine import FALLBACK, LLAMA_SERVER
from codegen_hero.workshop.room_proxy import Usage, last_seen_text, status_html
from tests.workshop.room_server import start_serve

ENGINES = [LLAMA_SERVER, FALLBACK]


@pytest.fixture(scope="module", params=[pytest.param(e, marks=pytest.mark.slow) for e in ENGINES])
def room(request, smallest, tmp_path_factory):
    served = start_serve(smallest, tmp_path_factory.mktemp(request.param), request.param)
    served.alias = smallest.split("/", 1)[1]
    served.engine = request.param
    yield served
    assert served.stop() == 0, served.output.read_text()
    text = served.output.read_text() + served.log.read_text(errors="replace")
    assert not any(key in text for _, key in served.keys), "a learner's key reached a log"


def learner(room, index: int = 0, key: str | None = None) -> openai.OpenAI:
    return openai.OpenAI(
        base_url=room.url, api_key=key or room.key(index), max_retries=0, timeout=120
    )


def ask(room, client: openai.OpenAI, text: str = "Say hi.", tokens: int = 4):
    return client.chat.completions.create(
        model=room.alias,
        messages=[{"role": "user", "content": text}],
        max_tokens=tokens,
        temperature=0,
    )


def post(room, body: bytes | str, index: int = 0) -> httpx2.Response:
    headers = {"Authorization": f"Bearer {room.key(index)}", "Content-Type": "application/json"}
    return httpx2.post(room.url + "/chat/completions", content=body, headers=headers, timeout=60)


def test_keys_decide_who_is_served_and_usage_is_by_label(room, monkeypatch):
    with pytest.raises(openai.AuthenticationError):
        ask(room, learner(room, key="hero-room-not-anybodys-key-at-all"))
    monkeypatch.setenv("HERO_ROOM_URL", room.url)
    with pytest.raises(AuthenticationFailed, match="HERO_ROOM_KEY"):
        complete(f"room/{room.alias}", "hi", max_tokens=4, cache="off")
    monkeypatch.setenv("HERO_ROOM_KEY", room.key(1))
    answer = complete(f"room/{room.alias}", "Say hi.", max_tokens=4, cache="auto")
    assert answer.text and answer.usage.output_tokens > 0
    cache = Path(os.environ["HERO_CACHE_PATH"])
    assert cache.exists() and room.key(1).encode() not in cache.read_bytes()  # recorded, keyless
    rows = {row["label"]: row for row in room.status()["learners"]}
    assert rows["learner-02"]["requests"] >= 1 and rows["learner-02"]["completion_tokens"] > 0
    assert rows["learner-02"]["last_seen"] is not None
    assert set(rows) == {"learner-01", "learner-02"}  # the wrong key counted for nobody
    assert not any(key in str(room.status()) for _, key in room.keys)


def test_a_malformed_request_is_one_clear_error_and_the_next_one_works(room):
    cases = {
        b"{not json": "not valid JSON",
        b"[1, 2]": "JSON object",
        b'{"model": "x", "messages": []}': "non-empty list",
        b'{"messages": [{"role": "user", "content": "hi"}], "max_tokens": -3}': "positive",
    }
    for body, message in cases.items():
        refused = post(room, body)
        assert refused.status_code == 400 and message in refused.json()["error"]["message"]
    assert ask(room, learner(room)).choices[0].message.content
    assert room.status()["state"] == "running"


def test_an_oversized_prompt_is_refused_with_the_numbers_never_cut(room):
    context = room.status()["context_per_learner"]
    huge = "word " * (context + 200)
    with pytest.raises(openai.BadRequestError) as refused:
        ask(room, learner(room), huge)
    assert "context" in str(refused.value) and str(context) in str(refused.value)
    if room.engine == LLAMA_SERVER:  # it counts the prompt first: prompt + answer must fit
        with pytest.raises(openai.BadRequestError, match="ask for at most"):
            ask(room, learner(room), "Say hi.", tokens=context)
    os.environ.pop("HERO_ROOM_KEY", None)
    assert ask(room, learner(room, 1)).choices[0].message.content  # the others carry on


def test_a_learner_who_leaves_mid_stream_frees_their_slot(room):
    client = learner(room)
    stream = client.chat.completions.create(
        model=room.alias,
        messages=[{"role": "user", "content": "Count from 1 to 500, one number a line."}],
        max_tokens=400,
        stream=True,
    )
    next(iter(stream))  # the answer has started
    stream.close()  # the learner closes the notebook
    other = ask(room, learner(room, 1))
    assert other.choices[0].message.content
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(r["active"] for r in room.status()["learners"]):
        time.sleep(0.2)
    assert not any(row["active"] for row in room.status()["learners"])


def test_when_the_engine_dies_one_error_then_the_room_recovers(room):
    before = room.status()
    client = learner(room)
    stream = client.chat.completions.create(
        model=room.alias,
        messages=[{"role": "user", "content": "Count from 1 to 900, one number a line."}],
        max_tokens=1500,
        stream=True,
    )
    pieces = iter(stream)
    next(pieces)
    os.kill(before["engine_pid"], signal.SIGKILL)
    with pytest.raises(openai.APIError, match="stopped mid-answer"):
        for _ in pieces:
            pass
    during = post(room, b'{"messages": [{"role": "user", "content": "hi"}], "max_tokens": 2}', 1)
    if during.status_code != 200:  # asked while the engine restarts: told so, not hung
        assert during.status_code == 503 and "restarting" in during.json()["error"]["message"]
    after = room.wait_running(restarts=before["restarts"] + 1)
    assert after["restarts"] == before["restarts"] + 1
    assert after["engine_pid"] != before["engine_pid"]
    assert ask(room, learner(room, 1)).choices[0].message.content


def test_several_learners_at_once_all_get_whole_answers(room):
    """Neither engine may cut one learner's answer because another learner asked."""
    answers: list[str] = []
    errors: list[BaseException] = []
    counting = "Count from 1 to 100, one number a line."

    def one(index: int) -> None:
        try:
            stream = learner(room, index % 2).chat.completions.create(
                model=room.alias,
                messages=[{"role": "user", "content": counting}],
                max_tokens=12,
                temperature=0,
                stream=True,
            )
            chunks = list(stream)
            text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
            reasons = [c.choices[0].finish_reason for c in chunks if c.choices]
            # Whole: the engine itself ended the answer (its end token, or max_tokens). A cut
            # ends the stream with an error or with no finish reason at all. Which of the two
            # ends it is the model's choice: under parallel slots even temperature 0 is not
            # the same answer each time, and a small model may stop after a few words.
            assert reasons[-1] in ("stop", "length"), (reasons, text)
            assert all(reason is None for reason in reasons[:-1]), (reasons, text)
            answers.append(text)
        except BaseException as exc:  # collected, then reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors and len(answers) == 4 and all(answers)


def test_the_room_provider_turns_a_refusal_into_one_line(room, monkeypatch):
    monkeypatch.setenv("HERO_ROOM_URL", room.url)
    monkeypatch.setenv("HERO_ROOM_KEY", room.key(0))
    context = room.status()["context_per_learner"]
    with pytest.raises(ProviderResponseError, match="400") as refused:
        complete(f"room/{room.alias}", "word " * (context + 50), max_tokens=4, cache="off")
    assert "\n" not in str(refused.value) and isinstance(refused.value, HeroError)


def test_the_status_page_escapes_names_and_shows_no_keys():
    snap = {
        "model": "m",
        "engine": LLAMA_SERVER,
        "state": "running",
        "message": "",
        "slots": 2,
        "context_per_learner": 4096,
        "restarts": 0,
        "learners": [{"label": "<b>x</b>", **Usage(requests=3, last_seen=time.time()).__dict__}],
    }
    page = status_html(snap)
    assert "&lt;b&gt;x&lt;/b&gt;" in page and "<b>x</b>" not in page and "0 s ago" in page
    assert last_seen_text(None) == "never" and last_seen_text(0.0, now=600.0) == "10 min ago"


def test_only_the_serving_machine_sees_the_status_and_keys_come_first():
    """No engine needed: these answers come from the front alone (Starlette's test client
    calls from the address 'testclient', i.e. not loopback)."""
    from starlette.testclient import TestClient

    from codegen_hero.workshop import room_keys
    from codegen_hero.workshop.engine import EngineProcess, Sizing
    from codegen_hero.workshop.room_proxy import Room, build_app

    pairs = room_keys.generate(1)
    idle = EngineProcess(LLAMA_SERVER, [], port=9, sizing=Sizing(1, 4096))
    client = TestClient(build_app(Room(idle, room_keys.room_keys(pairs), "m")))
    assert client.get("/hero/status").status_code == 403
    assert client.get("/hero/").status_code == 403
    refused = client.post("/v1/chat/completions", content=b"{}")
    assert refused.status_code == 401 and "HERO_ROOM_KEY" in refused.json()["error"]["message"]
    auth = {"Authorization": f"Bearer {pairs[0][1]}"}
    assert client.post("/v1/chat/completions", content=b"{", headers=auth).status_code == 400
    down = client.post(
        "/v1/chat/completions", json={"messages": [{"role": "user", "content": "hi"}]}, headers=auth
    )
    assert down.status_code == 503 and "restarting" in down.json()["error"]["message"]
    assert client.get("/v1/files", headers=auth).status_code == 404
