"""TEST DOUBLE for a model in the toolkit's loops: canned replies, in order, no model involved."""

from __future__ import annotations

from typing import Any


class ScriptedModel:
    """Returns its replies in order (raising any that is an exception); records every call."""

    def __init__(self, *replies: Any) -> None:
        self.replies = list(replies)
        self.calls: list[tuple[Any, str | None, int]] = []

    def __call__(self, prompt_or_messages: Any, system: str | None, attempt: int) -> Any:
        self.calls.append((prompt_or_messages, system, attempt))
        if len(self.calls) > len(self.replies):
            raise AssertionError("the scripted model was called more often than scripted")
        reply = self.replies[len(self.calls) - 1]
        if isinstance(reply, Exception):
            raise reply
        return reply
