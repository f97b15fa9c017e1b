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
        return cls(messages=messages, **options)

    def __post_init__(self) -> None:
        """Every way into a Request (`of`, a copy with new options, the constructor) ends here:
        one stop string is one stop sequence, never a tuple of its characters."""
        object.__setattr__(self, "stop", _stop_sequences(self.stop))
        self.validate()

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
        if any(not isinstance(s, str) or not s for s in self.stop):
            raise ValueError(f"stop sequences must be non-empty strings, got {self.stop!r}")

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["messages"] = [asdict(m) for m in self.messages]
        data["stop"] = list(self.stop)
        if not self.raw:
            del data["raw"]  # keeps every chat request's cache key what it always was
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Request:
        """The inverse of `to_json`: how a cache row or an export line becomes a request again."""
        fields = dict(data)
        return cls.of(fields.pop("messages"), **fields)

    def fingerprint(self, model: str) -> str:
        """A stable hash of model + normalised request: the record/replay cache key."""
        payload = {"model": model, **self.to_json()}
        blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()

    def prompt_text(self) -> str:
        """All text a model reads, for rough token estimates."""
        parts = [self.system or ""] + [m.content for m in self.messages]
        return "\n".join(p for p in parts if p)


def _stop_sequences(stop: Any) -> tuple[str, ...]:
    if stop is None:
        return ()
    if isinstance(stop, str):
        return (stop,)
    try:
        return tuple(stop)
    except TypeError:
        raise ValueError(f"stop must be a string or a list of strings, got {stop!r}") from None


@dataclass(frozen=True)
class Usage:
    """Tokens as the provider reported them, or as we counted them with the model's own
    tokenizer. None means unknown (the server did not say and we could not count): zero
    would be a claim, and a wrong one."""

    input_tokens: int | None = None
    output_tokens: int | None = None
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0

    @property
    def known(self) -> bool:
        return self.input_tokens is not None and self.output_tokens is not None

    def describe(self) -> str:
        """Like "12 in / 34 out tokens", with "?" for a count nobody knows."""
        shown = ["?" if n is None else f"{n:,}" for n in (self.input_tokens, self.output_tokens)]
        return f"{shown[0]} in / {shown[1]} out tokens"

    @property
    def total_tokens(self) -> int | None:
        if self.input_tokens is None or self.output_tokens is None:
            return None
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
        data["usage"] = usage_from_json(data.get("usage"))
        return cls(**data)

    def __str__(self) -> str:
        return self.text


def usage_from_json(data: dict[str, Any] | None) -> Usage:
    """A stored usage; a missing or null count stays unknown rather than becoming 0."""
    data = data or {}
    return Usage(
        input_tokens=_count(data.get("input_tokens")),
        output_tokens=_count(data.get("output_tokens")),
        cache_read_tokens=_count(data.get("cache_read_tokens")) or 0,
        cache_write_tokens=_count(data.get("cache_write_tokens")) or 0,
    )


def _count(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"a token count must be a whole number of at least 0, got {value!r}")
    return value
