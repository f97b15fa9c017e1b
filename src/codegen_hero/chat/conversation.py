"""A multi-turn conversation with one model, kept whole whatever goes wrong.

The widget (`pane.py`) is only a view of this object, so everything a learner can do in the
pane can also be done, and tested, in plain Python: `Chat.send` streams one answer, records
its latency, tokens and cost, and turns every failure into one readable line on the turn
instead of a traceback. A failed or stopped turn stays on screen but is left out of what the
model reads next, so the history sent to a model is always a valid user/assistant sequence.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from codegen_hero.exercises.tokens import approx_tokens
from codegen_hero.models.client import stream
from codegen_hero.models.errors import HeroError
from codegen_hero.models.registry import load_registry
from codegen_hero.models.request import Completion, Message, Request

Role = Literal["user", "assistant"]
Listener = Callable[["Turn"], None]

DEFAULT_MAX_TOKENS = 400
PACKER_HINT = (
    "pack only what matters with codegen_hero.toolkit.packing.pack_files(files, budget) "
    "(or pack_directory), or start a new chat"
)


class StopRequested(Exception):
    """Raised inside the token callback to end a stream early; never leaves `Chat.send`."""


@dataclass
class Turn:
    """One message on screen. An assistant turn carries the numbers of its answer."""

    role: Role
    content: str
    model: str = ""
    completion: Completion | None = None
    error: str = ""  # one line; the turn is then not part of the model's history
    stopped: bool = False  # the learner pressed stop: a partial answer, kept but not sent on
    streaming: bool = False
    started: float = field(default_factory=time.time)

    @property
    def in_history(self) -> bool:
        return not self.error and not self.stopped and not self.streaming


class Chat:
    """A conversation: `send` a message, get the streamed answer as a new `Turn`.

    `model` defaults to the registry's default (the embedded local model). Listeners are
    told about every change (a new turn, each streamed piece, the end of a turn), which is
    how a displayed pane follows a conversation driven from code.
    """

    def __init__(
        self,
        model: str | None = None,
        system: str | None = None,
        *,
        max_tokens: int = DEFAULT_MAX_TOKENS,
        temperature: float | None = None,
    ) -> None:
        registry = load_registry()
        self.model = model or registry.default
        registry.get(self.model)  # an unknown name fails here, in one line
        self.system = system or None
        self.max_tokens = max_tokens
        self.temperature = temperature
        self.turns: list[Turn] = []
        self._listeners: list[Listener] = []
        self._stop = threading.Event()
        self._busy = threading.Lock()

    # -- observers -----------------------------------------------------------------------

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def _tell(self, turn: Turn) -> None:
        for listener in list(self._listeners):
            listener(turn)

    # -- what the model reads --------------------------------------------------------------

    def history(self) -> list[Message]:
        """The answered exchanges, in order: failed and stopped turns are left out."""
        messages: list[Message] = []
        turns = self.turns
        for i, turn in enumerate(turns):
            if turn.role != "user" or i + 1 >= len(turns):
                continue
            answer = turns[i + 1]
            if answer.role == "assistant" and answer.in_history:
                messages += [Message("user", turn.content), Message("assistant", answer.content)]
        return messages

    def request_for(self, text: str) -> Request:
        return Request.of(
            [*self.history(), Message("user", text)],
            system=self.system,
            max_tokens=self.max_tokens,
            temperature=self.temperature,
        )

    def context_problem(self, request: Request) -> str:
        """A one-line reason the request will not fit the model's context, or ""."""
        spec = load_registry().get(self.model)
        if not spec.registered or spec.endpoint.kind != "local":
            return ""  # hosted models say so themselves, with their real limits
        needed = approx_tokens(request.prompt_text()) + 8 * len(request.messages)
        room = spec.context - request.max_tokens
        if needed <= room:
            return ""
        return (
            f"this message and the conversation so far come to about {needed:,} tokens, and "
            f"{self.model} reads at most {room:,} here ({spec.context:,} minus {request.max_tokens}"
            f" for the answer): nothing was sent; {PACKER_HINT}."
        )

    # -- one turn ---------------------------------------------------------------------------

    def stop(self) -> None:
        """Ask the answer being streamed to end; the text so far is kept on screen."""
        self._stop.set()

    @property
    def busy(self) -> bool:
        return self._busy.locked()

    def send(self, text: str) -> Turn:
        """Ask the model; return the assistant's turn (or the user's turn when refused)."""
        if not text.strip():
            refused = Turn("user", text, error="type a message first: nothing was sent")
            self._tell(refused)  # shown, never stored: an empty turn carries nothing
            return refused
        if not self._busy.acquire(blocking=False):
            refused = Turn("user", text, error="an answer is still streaming: stop it or wait")
            self._tell(refused)
            return refused
        try:
            return self._exchange(text)
        finally:
            self._busy.release()

    def _exchange(self, text: str) -> Turn:
        question = Turn("user", text)
        self.turns.append(question)
        self._tell(question)
        try:
            request = self.request_for(text)
        except ValueError as exc:
            question.error = str(exc)
            self._tell(question)
            return question
        problem = self.context_problem(request)
        if problem:
            question.error = problem
            self._tell(question)
            return question
        answer = Turn("assistant", "", model=self.model, streaming=True)
        self.turns.append(answer)
        self._tell(answer)
        self._stop.clear()

        def on_text(piece: str) -> None:
            if self._stop.is_set():
                raise StopRequested
            answer.content += piece
            self._tell(answer)

        try:
            completion = stream(self.model, request, on_text=on_text)
        except StopRequested:
            answer.stopped = True
        except HeroError as exc:
            answer.error = str(exc)
        except Exception as exc:  # a dropped connection, a broken SDK: still one line
            answer.error = f"{type(exc).__name__}: {' '.join(str(exc).split())}"
        else:
            answer.completion = completion
            answer.content = completion.text  # a replayed answer arrives whole
        answer.streaming = False
        self._tell(answer)
        return answer

    def clear(self) -> None:
        """Start over with the same model and system prompt."""
        if self.busy:
            raise HeroError("an answer is still streaming: stop it before clearing the chat")
        self.turns.clear()

    # -- showing and saving -----------------------------------------------------------------

    def to_markdown(self) -> str:
        from codegen_hero.chat.render import conversation_markdown

        return conversation_markdown(self)

    def _repr_html_(self) -> str:
        from codegen_hero.chat.render import transcript_html

        return transcript_html(self)

    def pane(self) -> object:
        """The interactive chat pane for Jupyter, showing this conversation."""
        from codegen_hero.chat.pane import ChatPane

        return ChatPane(self)
