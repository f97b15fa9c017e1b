"""One real conversation on the embedded local model (slow: it loads the model)."""

from __future__ import annotations

import pytest

from codegen_hero import complete
from codegen_hero.chat import Chat
from codegen_hero.models.providers.local import model_slots
from codegen_hero.models.registry import load_registry


@pytest.mark.slow
def test_a_conversation_survives_a_call_in_between(local_model_ready):
    default = load_registry().default
    chat = Chat(default, system="Answer in one short sentence.", max_tokens=24)
    first = chat.send("What does len([1, 2, 3]) return?")
    second = chat.send("And len('ab')?")
    assert first.completion and second.completion and second.content.strip()
    slots = model_slots(load_registry().get(default))
    complete(default, "Say hi.", max_tokens=4, cache="off")  # another lab call in between
    third = chat.send("And len({})?")
    assert third.completion and not third.error
    conversation = [s for s in slots.slots if len(s.last[1]) == 6]
    assert len(conversation) == 1 and len(slots.slots) == 2  # kept warm in its own slot
