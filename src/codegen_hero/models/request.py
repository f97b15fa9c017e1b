"""What goes into a model call and what comes out, independent of any provider."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Role = Literal["user", "assistant"]


@dataclass(frozen=True)
class Message:
    role: Role
    content: str


@dataclass(frozen=True)
class Request:
    """A provider-neutral chat request.

    Sampling fields left as None mean "the model's default": some hosted models reject
    any non-default temperature, so we only send what the caller actually asked for.
    `raw` sends the single user message verbatim as a completion prompt, with no chat
    template around it: what an editor's fill-in-the-middle request is.
    """

    messages: tuple[Message, ...]
    system: str | None = None
    max_tokens: int = 512
    temperature: float | None = None
    seed: int | None = None
    stop: tuple[str, ...] = ()
    raw: bool = False

    @classmethod
    def of(
        cls,
        prompt: str | Request | list[Message] | list[dict[str, str]] | tuple[Message, ...],
        **options: Any,
    ) -> Request:
        """Build a request from a plain prompt, a list of messages, or an existing request."""
        if isinstance(prompt, Request):
            return prompt if not options else cls(**{**prompt.as_dict_fields(), **options})
        if isinstance(prompt, str):
            messages: tuple[Message, ...] = (Message("user", prompt),)
        else:
            messages = tuple(
                m if isinstance(m, Message) else Message(m["role"], m["content"])  # type: ignore[arg-type]
                for m in prompt
            )
        if "stop" in options and options["stop"] is not None:
            stop = options["stop"]
            options["stop"] = (stop,) if isinstance(stop, str) else tuple(stop)
        elif "stop" in options:
            options["stop"] = ()
        request = cls(messages=messages, **options)
        request.validate()
        return request

    def as_dict_fields(self) -> dict[str, Any]:
        return {
            "messages": self.messages,
            "system": self.system,
            "max_tokens": self.max_tokens,
            "temperature": self.temperature,
            "seed": self.seed,
            "stop": self.stop,
            "raw": self.raw,
        }

    def validate(self) -> None:
        if not self.messages:
            raise ValueError("a request needs at least one message")
        if self.messages[-1].role != "user":
            raise ValueError("the last message of a request must come from the user")
        if self.max_tokens < 1:
            raise ValueError("max_tokens must be at least 1")
        if self.raw and (len(self.messages) != 1 or self.system):
            raise ValueError("a raw completion is one prompt: a single message and no system")

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["messages"] = [asdict(m) for m in self.messages]
        data["stop"] = list(self.stop)
        if not self.raw:
            del data["raw"]  # keeps every chat request's cache key what it always was
        return data

    def fingerprint(self, model: str) -> str:
        """A stable hash of model + normalised request: the record/replay cache key."""
        payload = {"model": model, **self.to_json()}
        blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()

    def prompt_text(self) -> str:
        """All text a model reads, for rough token estimates."""
        parts = [self.system or ""] + [m.content for m in self.messages]
        return "\n".join(p for p in parts if p)


@dataclass(frozen=True)
class Usage:
    input_tokens: int = 0
    output_tokens: int = 0
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0

    @property
    def total_tokens(self) -> int:
        return (
            self.input_tokens
            + self.output_tokens
            + self.cache_read_tokens
            + self.cache_write_tokens
        )


FinishReason = Literal["stop", "length", "stop_sequence", "error", "unknown"]


@dataclass(frozen=True)
class Completion:
    """One model answer with the numbers the labs compare: latency, tokens, cost."""

    text: str
    model: str
    usage: Usage = field(default_factory=Usage)
    latency_s: float = 0.0
    cost_usd: float | None = None
    finish_reason: FinishReason = "unknown"
    cached: bool = False

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["usage"] = asdict(self.usage)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Completion:
        data = dict(data)
        data["usage"] = Usage(**data.get("usage", {}))
        return cls(**data)

    def __str__(self) -> str:
        return self.text
