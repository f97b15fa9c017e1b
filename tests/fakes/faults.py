"""TEST DOUBLE support for :mod:`tests.fakes.llm_server`: fault scripting and reply shaping.

Holds the public data types (:class:`Fault`, :class:`RecordedRequest`) and the deterministic,
wire-format-neutral helpers both fake APIs share: tokens are whitespace-separated words,
``max_tokens`` truncates to that many words and stop sequences cut where they first occur.
Never used by production code.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

FAULT_KINDS = frozenset(
    {"ok", "status", "delay", "hang", "reset", "malformed", "stream_overload", "stream_cut"}
)
STREAM_PREFIX_DELTAS = 2  # text deltas sent before stream_overload / stream_cut strike


class EventStream(NamedTuple):
    """A reply as encoded SSE frames, split where stream faults strike: ``head`` and the first
    :data:`STREAM_PREFIX_DELTAS` of ``deltas`` are sent before a stream fault, ``tail`` only
    when the stream completes."""

    head: list[bytes]
    deltas: list[bytes]
    tail: list[bytes]


# --------------------------------------------------------------------------------------------
# Public data types
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the server received it (recorded before any fault is applied)."""

    method: str
    path: str  # without the query string
    headers: dict[str, str]  # lower-cased names; repeated headers joined with ", "
    body: dict[str, Any] | None  # parsed JSON object, or None if absent / not a JSON object
    raw: bytes = b""
    query: dict[str, str] = field(default_factory=dict)

    @property
    def model(self) -> str | None:
        model = (self.body or {}).get("model")
        return model if isinstance(model, str) else None

    @property
    def stream(self) -> bool:
        return bool((self.body or {}).get("stream") is True)


@dataclass(frozen=True)
class Fault:
    """One scripted action. Build it with the constructors below, not directly."""

    kind: str
    status_code: int | None = None
    retry_after: float | None = None
    error_type: str | None = None
    message: str | None = None
    seconds: float = 0.0
    should_retry: bool | None = None
    headers: tuple[tuple[str, str], ...] = ()

    @classmethod
    def ok(cls) -> Fault:
        """Normal success (useful to interleave with faults)."""
        return cls("ok")

    @classmethod
    def status(
        cls,
        code: int,
        retry_after: float | None = None,
        error_type: str | None = None,
        message: str | None = None,
        *,
        should_retry: bool | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Fault:
        """HTTP error ``code`` with a provider-shaped JSON error body.

        ``retry_after`` is sent as a ``retry-after`` header (seconds, may be fractional).
        ``should_retry`` sets the ``x-should-retry`` header both SDKs obey when present.
        """
        return cls(
            "status",
            status_code=code,
            retry_after=retry_after,
            error_type=error_type,
            message=message,
            should_retry=should_retry,
            headers=tuple((headers or {}).items()),
        )

    @classmethod
    def delay(cls, seconds: float) -> Fault:
        """Sleep ``seconds`` (on top of any latency), then succeed normally."""
        return cls("delay", seconds=seconds)

    @classmethod
    def hang(cls, seconds: float) -> Fault:
        """Sleep ``seconds`` before writing anything, then close the connection unanswered."""
        return cls("hang", seconds=seconds)

    @classmethod
    def reset(cls) -> Fault:
        """Abort the connection with a TCP RST (SO_LINGER 0) before any response byte."""
        return cls("reset")

    @classmethod
    def malformed(cls) -> Fault:
        """200 with ``content-type: application/json`` and a body that is not valid JSON.

        A streaming request instead gets a proper ``text/event-stream`` whose first event's
        ``data:`` is not valid JSON."""
        return cls("malformed")

    @classmethod
    def stream_overload(cls) -> Fault:
        """Streaming: a few events, then an in-stream overload error, then end of stream.

        Anthropic streams get ``event: error`` with an ``overloaded_error``; OpenAI streams get a
        ``data:`` chunk holding an ``error`` object. A non-streaming request gets a plain
        overload status instead (529 for Anthropic, 503 for OpenAI).
        """
        return cls("stream_overload")

    @classmethod
    def stream_cut(cls) -> Fault:
        """Streaming: a few events, then the socket is closed mid-body (chunked encoding left
        unterminated, no final events). A non-streaming request gets half of its JSON body
        (with a Content-Length announcing all of it) before the close."""
        return cls("stream_cut")


Reply = str | Callable[[RecordedRequest], str]


# --------------------------------------------------------------------------------------------
# Helpers: deterministic token counting and reply shaping
# --------------------------------------------------------------------------------------------

_WORD = re.compile(r"\S+")


def count_words(text: str) -> int:
    return len(_WORD.findall(text))


def _collect_text(value: Any) -> list[str]:
    """All text in a system prompt / message list (strings and ``text``/``content`` blocks)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [t for item in value for t in _collect_text(item)]
    if isinstance(value, dict):
        out: list[str] = []
        for key in ("text", "content", "input"):
            if key in value:
                inner = value[key]
                out.extend(_collect_text(json.dumps(inner) if key == "input" else inner))
        return out
    return []


def input_token_count(body: Mapping[str, Any] | None) -> int:
    if not body:
        return 0
    texts = _collect_text(body.get("system")) + _collect_text(body.get("messages"))
    return sum(count_words(t) for t in texts)


def shape_reply(
    text: str, max_tokens: int | None, stop_sequences: Iterable[str]
) -> tuple[str, str, str | None]:
    """Apply stop sequences and max_tokens. Returns (text, reason, matched_stop_sequence),
    reason being one of "end_turn", "max_tokens", "stop_sequence"."""
    cut_at: int | None = None
    matched: str | None = None
    for seq in stop_sequences:
        if not seq:
            continue
        idx = text.find(seq)
        if idx != -1 and (cut_at is None or idx < cut_at):
            cut_at, matched = idx, seq
    candidate = text if cut_at is None else text[:cut_at]
    if max_tokens is not None and max_tokens >= 0:
        words = list(_WORD.finditer(candidate))
        if len(words) > max_tokens:
            end = words[max_tokens - 1].end() if max_tokens > 0 else 0
            return candidate[:end], "max_tokens", None
    if matched is not None:
        return candidate, "stop_sequence", matched
    return text, "end_turn", None


def split_for_stream(text: str) -> list[str]:
    """Split into word-sized pieces whose concatenation is exactly ``text``."""
    if not text:
        return []
    pieces = re.findall(r"\s*\S+\s*", text)
    if "".join(pieces) != text:  # whitespace-only text
        return [text]
    return pieces


def as_str_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def int_or_none(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
