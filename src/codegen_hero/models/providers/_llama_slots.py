"""Loaded llama.cpp models, each with up to two contexts ("slots") kept warm for conversations.

llama.cpp reuses the part of its KV cache that the new prompt shares with the previous one,
so turn 8 of a chat evaluates only the new message, not the whole history. That only helps
if nothing else ran on that context in between: a lab that compares models between two chat
turns would evict the conversation. So each model gets a second context, created only when a
multi-turn conversation would otherwise be evicted, and every request goes to the slot whose
last request its messages continue. The weights are memory-mapped once and shared; a slot
costs only its context (KV cache and buffers). Calls to one model still take turns behind one
lock, as before: slots keep state, they do not add parallelism.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from codegen_hero.models.request import Message, Request

MAX_SLOTS = 2
Conversation = tuple[str | None, tuple[Message, ...]]


@dataclass
class Slot:
    llm: Any
    last: Conversation = (None, ())
    used: float = field(default_factory=time.monotonic)

    def continues(self, request: Request) -> int:
        """How many messages of `request` this slot has already seen (0: not a continuation)."""
        system, seen = self.last
        if not seen or system != request.system or len(seen) >= len(request.messages):
            return 0
        return len(seen) if request.messages[: len(seen)] == seen else 0

    @property
    def holds_conversation(self) -> bool:
        return len(self.last[1]) > 2  # more than one question and its answer


@dataclass
class ModelSlots:
    """The slots of one model file, and the lock that serialises its use."""

    make: Callable[[], Any]
    slots: list[Slot] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def first(self) -> Any:
        if not self.slots:
            self.slots.append(Slot(self.make()))
        return self.slots[0].llm

    def choose(self, request: Request) -> Slot:
        """The slot to answer `request` on; call with `lock` held."""
        self.first()
        best = max(self.slots, key=lambda s: s.continues(request))
        if best.continues(request):
            return best
        victim = min(self.slots, key=lambda s: s.used)
        if victim.holds_conversation and len(self.slots) < MAX_SLOTS:
            victim = Slot(self.make())
            self.slots.append(victim)
        return victim

    @staticmethod
    def remember(slot: Slot, request: Request, answer: str) -> None:
        """What the slot's context now holds: the request's messages plus the answer."""
        slot.last = (request.system, (*request.messages, Message("assistant", answer)))
        slot.used = time.monotonic()

    def close(self) -> None:
        for slot in self.slots:
            slot.llm.close()
        self.slots.clear()
