"""Chat against a real loopback server (test double): turns, history, faults, stop, export."""

from __future__ import annotations

import threading
import time

from codegen_hero.chat import Chat
from codegen_hero.chat.conversation import PACKER_HINT
from codegen_hero.models.registry import load_registry
from tests.chat.conftest import CANARY_KEY
from tests.fakes.llm_server import Fault


def test_turns_stream_and_the_history_grows(server, hosted):
    chat = Chat(hosted, system="be terse", max_tokens=50)
    seen: list[str] = []
    chat.subscribe(lambda turn: seen.append(turn.content) if turn.role == "assistant" else None)
    first = chat.send("first question")
    second = chat.send("second question")
    assert first.completion and second.completion and not first.error
    assert len([s for s in seen if s]) > 2  # pieces arrived one by one, not only at the end
    body = server.requests[-1].body
    assert [m["role"] for m in body["messages"]] == ["system", "user", "assistant", "user"]
    assert body["messages"][2]["content"] == first.content
    assert [m.role for m in chat.history()] == ["user", "assistant", "user", "assistant"]


def test_empty_message_is_refused_and_nothing_is_sent(server, hosted):
    chat = Chat(hosted)
    turn = chat.send("   \n")
    assert turn.error == "type a message first: nothing was sent"
    assert chat.turns == [] and server.requests == []


def test_missing_key_is_one_line_and_the_chat_is_kept(server, hosted, monkeypatch):
    chat = Chat(hosted)
    chat.send("hello")
    monkeypatch.delenv("OPENAI_API_KEY")
    from codegen_hero.models.providers import reset_providers

    reset_providers()
    failed = chat.send("and again")
    assert "OPENAI_API_KEY" in failed.error and "\n" not in failed.error
    assert len(chat.turns) == 4  # both questions and both answers (one of them failed) stay
    assert [m.role for m in chat.history()] == ["user", "assistant"]  # the failure is not sent on


def test_server_gone_mid_stream_keeps_the_text_so_far(server, hosted):
    chat = Chat(hosted, max_tokens=50)
    chat.send("one")
    server.script(Fault.stream_cut(), Fault.stream_cut(), Fault.stream_cut())
    cut = chat.send("two")
    assert cut.error and "\n" not in cut.error
    assert cut.content  # the pieces that arrived before the cut are kept on screen
    server.clear_script()
    again = chat.send("three")
    assert again.completion is not None
    sent = [m["content"] for m in server.requests[-1].body["messages"]]
    assert "two" not in sent and sent[-1] == "three"


def test_stop_keeps_a_partial_answer_out_of_the_history(server, hosted):
    server.chunk_delay = 0.2
    chat = Chat(hosted, max_tokens=50)
    started = threading.Event()
    chat.subscribe(lambda t: started.set() if t.role == "assistant" and t.content else None)
    worker = threading.Thread(target=chat.send, args=("a long answer please",))
    worker.start()
    assert started.wait(10)
    chat.stop()
    worker.join(10)
    answer = chat.turns[-1]
    assert answer.stopped and answer.content and not answer.error
    assert chat.history() == []
    assert "stopped by you" in chat.to_markdown()


def test_a_second_message_while_streaming_is_refused(server, hosted):
    server.chunk_delay = 0.2
    chat = Chat(hosted, max_tokens=50)
    worker = threading.Thread(target=chat.send, args=("slow",))
    worker.start()
    deadline = time.monotonic() + 10
    while not chat.busy and time.monotonic() < deadline:
        time.sleep(0.01)
    refused = chat.send("impatient")
    chat.stop()
    worker.join(10)
    assert "still streaming" in refused.error
    assert [t.content for t in chat.turns if t.role == "user"] == ["slow"]


def test_a_huge_paste_is_refused_before_any_call_and_offers_the_packer(monkeypatch, tmp_path):
    monkeypatch.setenv("HERO_MODEL_DIR", str(tmp_path))  # nothing installed: nothing may load
    default = load_registry().default
    chat = Chat(default, max_tokens=100)
    turn = chat.send("x = 1\n" * 20_000)
    assert "reads at most" in turn.error and PACKER_HINT in turn.error
    assert len(chat.turns) == 1 and chat.history() == []


def test_a_model_that_is_not_installed_is_one_line(monkeypatch, tmp_path):
    monkeypatch.setenv("HERO_MODEL_DIR", str(tmp_path))
    chat = Chat(load_registry().default)
    turn = chat.send("hello")
    assert "hero models install" in turn.error and "\n" not in turn.error
    assert chat.turns[0].content == "hello"


def test_unknown_cost_and_the_export_carry_no_key(server, hosted):
    chat = Chat(hosted, system="terse")
    chat.send("what does zip do?")
    markdown = chat.to_markdown()
    assert "cost unknown" in markdown and "$0" not in markdown
    assert "what does zip do?" in markdown and "System prompt: terse" in markdown
    assert CANARY_KEY not in markdown and CANARY_KEY not in chat._repr_html_()
    assert server.url not in markdown
