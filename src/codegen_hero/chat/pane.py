"""The chat pane: a model picker, a system prompt, the conversation, a message box.

It is a view of a `Chat`: a message sent from code shows up here, and a message typed here
goes through the same `Chat.send`. Answers stream in a background thread, so the kernel stays
free for the Stop button. Keyboard: Enter sends and Shift+Enter starts a new line, Escape
stops (our JupyterLab extension adds these; without it, the buttons do the same).
"""

from __future__ import annotations

import datetime as _dt
import html
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from codegen_hero import settings
from codegen_hero.chat.conversation import Chat, Turn
from codegen_hero.chat.models import chat_models
from codegen_hero.chat.render import STYLE, transcript_html, turn_html
from codegen_hero.sandbox import extract_code, run_code

if TYPE_CHECKING:
    import ipywidgets as widgets

REFRESH_S = 0.08  # at most ~12 redraws a second while an answer streams
SANDBOX_TIMEOUT_S = 10.0
STATIC_NOTE = (
    "<p class='hero-chat-meta'>A recorded conversation. In Jupyter this is a live chat pane: "
    "type a message, Enter sends.</p>"
)


def sandbox_summary(code: str) -> str:
    """Run an answer's code in the sandbox (never in this kernel) and say what happened."""
    result = run_code(code, timeout=SANDBOX_TIMEOUT_S)
    lines = [f"sandbox: {result.status} in {result.duration_s:.2f} s ({result.isolation})"]
    if result.reason:
        lines.append(result.reason)
    for label, text in (("stdout", result.stdout), ("stderr", result.stderr)):
        if text.strip():
            lines.append(f"--- {label}\n{text.rstrip()[-2000:]}")
    return "\n".join(lines)


class _TurnView:
    """One message: its HTML, and for an answer the "run in sandbox" button and its result."""

    def __init__(self, turn: Turn) -> None:
        import ipywidgets as widgets

        self.turn = turn
        self.body = widgets.HTML(turn_html(turn))
        self.body.add_class("hero-chat-message")
        self.result = widgets.HTML()
        self.run = widgets.Button(
            description="run this code in the sandbox",
            icon="play",
            layout=widgets.Layout(width="auto", display="none"),
        )
        self.run.add_class("hero-chat-run")
        self.run.on_click(self._run)
        self.box = widgets.VBox([self.body, self.run, self.result])
        self._drawn = 0.0
        self.refresh(force=True)

    def refresh(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and self.turn.streaming and now - self._drawn < REFRESH_S:
            return
        self._drawn = now
        self.body.value = turn_html(self.turn)
        has_code = (
            self.turn.role == "assistant"
            and not self.turn.streaming
            and bool(extract_code(self.turn.content).strip())
        )
        self.run.layout.display = "" if has_code else "none"

    def _run(self, _: Any = None) -> None:
        self.run.disabled = True
        self.result.value = "<em>running in the sandbox…</em>"
        try:
            text = sandbox_summary(extract_code(self.turn.content))
        except Exception as exc:  # the sandbox refused: say so, keep the chat
            text = f"sandbox: {' '.join(str(exc).split())}"
        self.result.value = f"<pre class='hero-chat-sandbox'>{html.escape(text)}</pre>"
        self.run.disabled = False


class ChatPane:
    """The widget. Build it with `Chat(...).pane()` or `ChatPane(chat)`; display it."""

    def __init__(self, chat: Chat | None = None, *, height: str = "460px") -> None:
        import ipywidgets as widgets

        self.chat = chat or Chat()
        self._views: dict[int, _TurnView] = {}
        self._lock = threading.Lock()
        self._worker: threading.Thread | None = None

        options = chat_models(include=self.chat.model)
        self.model = widgets.Dropdown(options=options, value=self.chat.model, description="model")
        self.model.add_class("hero-chat-model")
        self.model.observe(self._model_changed, names="value")
        self.system = widgets.Textarea(
            value=self.chat.system or "",
            placeholder="system prompt (optional): who the model should be, how to answer",
            layout=widgets.Layout(width="100%", height="3.2em"),
        )
        self.system.add_class("hero-chat-system")
        self.system.observe(self._system_changed, names="value")
        # column-reverse keeps the scroll position at the newest message, with no script.
        self.log = widgets.Box(
            layout=widgets.Layout(
                display="flex",
                flex_flow="column-reverse",
                overflow="auto",
                max_height=height,
                border="1px solid rgba(128,128,128,.35)",
                padding="4px",
            )
        )
        self.log.add_class("hero-chat-log")
        # The text reaches the kernel on 'change' (blur, or Enter through the lab extension),
        # never keystroke by keystroke: throttled keystroke updates could land after Send.
        self.input = widgets.Textarea(
            continuous_update=False,
            placeholder="Message (Enter sends, Shift+Enter for a new line; paste code freely)",
            layout=widgets.Layout(width="100%", height="5.5em"),
        )
        self.input.add_class("hero-chat-input")
        fit = widgets.Layout(width="auto")
        self.send_button = widgets.Button(
            description="Send", button_style="primary", icon="send", layout=fit
        )
        self.stop_button = widgets.Button(
            description="Stop", icon="stop", disabled=True, layout=fit
        )
        self.clear_button = widgets.Button(description="New chat", icon="trash", layout=fit)
        self.export_button = widgets.Button(
            description="Export Markdown", icon="download", layout=fit
        )
        for button, cls in (
            (self.send_button, "hero-chat-send"),
            (self.stop_button, "hero-chat-stop"),
            (self.clear_button, "hero-chat-clear"),
            (self.export_button, "hero-chat-export"),
        ):
            button.add_class(cls)
        self.send_button.on_click(lambda _: self.submit())
        self.stop_button.on_click(lambda _: self.chat.stop())
        self.clear_button.on_click(lambda _: self._clear())
        self.export_button.on_click(lambda _: self.export())
        self.status = widgets.HTML()
        self.status.add_class("hero-chat-status")
        buttons = widgets.HBox(
            [self.send_button, self.stop_button, self.clear_button, self.export_button],
            layout=widgets.Layout(flex_flow="row wrap"),
        )
        self.widget = widgets.VBox(
            [
                widgets.HTML(STYLE),
                self.model,
                self.system,
                self.log,
                self.input,
                buttons,
                self.status,
            ]
        )
        self.widget.add_class("hero-chat")
        self.chat.subscribe(self._on_turn)
        for turn in self.chat.turns:
            self._on_turn(turn)

    # -- display -----------------------------------------------------------------------------

    def _ipython_display_(self) -> None:
        """The live pane where someone can type; elsewhere (the book build, papermill,
        nbval) the conversation as static HTML, which reads with no kernel and no script."""
        from IPython.display import HTML, display

        if settings.interactive_frontend():
            display(self.widget)
        else:
            display(HTML(transcript_html(self.chat) + STATIC_NOTE))

    def _on_turn(self, turn: Turn) -> None:
        with self._lock:
            view = self._views.get(id(turn))
            if view is None:
                if turn not in self.chat.turns:  # a refused message: shown as a status only
                    self._say_error(turn.error)
                    return
                view = _TurnView(turn)
                self._views[id(turn)] = view
                self.log.children = (view.box, *self.log.children)
            else:
                view.refresh(force=not turn.streaming)
            if turn.error and turn in self.chat.turns:
                self._say_error(turn.error)
            busy = turn.streaming
            self.send_button.disabled = busy
            self.stop_button.disabled = not busy

    def _say_error(self, line: str) -> None:
        self.status.value = f"<span class='hero-chat-error'>{html.escape(line)}</span>"

    def _redraw(self) -> None:
        with self._lock:
            self._views.clear()
            self.log.children = ()
        for turn in self.chat.turns:
            self._on_turn(turn)

    # -- actions -----------------------------------------------------------------------------

    def submit(self, text: str | None = None, *, wait: bool = False) -> None:
        """Send the message box (or `text`) in the background; `wait=True` blocks until done."""
        message = self.input.value if text is None else text
        if self.chat.busy:
            self._say_error("an answer is still streaming: stop it or wait")
            return
        if message.strip():
            self.input.value = ""
        self.status.value = ""
        self._worker = threading.Thread(target=self.chat.send, args=(message,), daemon=True)
        self._worker.start()
        if wait:
            self._worker.join()

    def _model_changed(self, change: dict[str, Any]) -> None:
        self.chat.model = change["new"]
        self.status.value = f"next answers come from {html.escape(change['new'])}"

    def _system_changed(self, change: dict[str, Any]) -> None:
        self.chat.system = change["new"].strip() or None

    def _clear(self) -> None:
        try:
            self.chat.clear()
        except Exception as exc:
            self._say_error(str(exc))
            return
        self._redraw()
        self.status.value = "new chat: the model forgets the previous messages"

    def export(self, folder: str | Path = ".") -> Path:
        """Write the conversation as Markdown next to the notebook and say where."""
        stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        path = Path(folder) / f"chat-{stamp}.md"
        path.write_text(self.chat.to_markdown(), encoding="utf-8")
        self.status.value = f"saved the conversation to <code>{html.escape(str(path))}</code>"
        return path

    @property
    def views(self) -> list[widgets.Widget]:
        """The message widgets, oldest first (tests and curious learners)."""
        return [self._views[id(t)].box for t in self.chat.turns if id(t) in self._views]
