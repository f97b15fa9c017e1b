"""Slot choice for local models, with stand-in contexts (no model is loaded here)."""

from __future__ import annotations

from codegen_hero.models.providers._llama_slots import MAX_SLOTS, ModelSlots
from codegen_hero.models.request import Message, Request


class Context:
    """Stands in for a llama.cpp context: only identity and close() matter to the slots."""

    closed = False

    def close(self) -> None:
        self.closed = True


def ask(slots: ModelSlots, *texts: str, system: str | None = None) -> object:
    roles = ["user", "assistant"] * len(texts)
    messages = [Message(role, text) for role, text in zip(roles, texts, strict=False)]  # type: ignore[arg-type]
    request = Request.of(messages, system=system)
    slot = slots.choose(request)
    slots.remember(slot, request, f"answer to {texts[-1]}")
    return slot.llm


def test_a_conversation_keeps_its_context_across_other_calls():
    slots = ModelSlots(make=Context)
    chat = ask(slots, "q1")
    assert ask(slots, "q1", "answer to q1", "q2") is chat
    other = ask(slots, "unrelated")  # the chat holds two turns: a second context is made
    assert other is not chat and len(slots.slots) == 2
    assert ask(slots, "q1", "answer to q1", "q2", "answer to q2", "q3") is chat
    assert ask(slots, "another one") is other  # single calls take the least recently used


def test_single_calls_never_make_a_second_context():
    slots = ModelSlots(make=Context)
    first = ask(slots, "a")
    for text in "bcdef":
        assert ask(slots, text) is first
    assert len(slots.slots) == 1


def test_a_different_system_prompt_is_not_a_continuation():
    slots = ModelSlots(make=Context)
    ask(slots, "q1", system="terse")
    one = ask(slots, "q1", "answer to q1", "q2", system="terse")
    assert slots.slots[0].continues(Request.of([Message("user", "q1")], system="verbose")) == 0
    assert one is slots.slots[0].llm


def test_never_more_than_max_slots_and_close_frees_them():
    slots = ModelSlots(make=Context)
    for name in "abcd":
        ask(slots, f"{name}1")
        ask(slots, f"{name}1", f"answer to {name}1", f"{name}2")
    assert len(slots.slots) == MAX_SLOTS
    contexts = [s.llm for s in slots.slots]
    slots.close()
    assert all(c.closed for c in contexts) and slots.slots == []
