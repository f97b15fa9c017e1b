"""A conversation as HTML (the pane and the static book) and as Markdown (the export).

Model text is rendered with raw HTML disabled, so an answer that contains markup shows it as
text instead of running it. The copy buttons work with no kernel: they copy from the page.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from markdown_it import MarkdownIt

from codegen_hero.sandbox.extract import extract_code

if TYPE_CHECKING:
    from codegen_hero.chat.conversation import Chat, Turn

_MARKDOWN = MarkdownIt("commonmark", {"html": False})

STYLE = (
    "<style>"
    # A scrolling flex column shrinks its children by default: keep each message whole.
    ".hero-chat-log>*{flex-shrink:0}"
    ".hero-chat-turn{margin:6px 0;padding:6px 10px;border-radius:8px;max-width:100%;"
    "overflow-wrap:anywhere}"
    ".hero-chat-user{background:rgba(66,133,244,.10);border:1px solid rgba(66,133,244,.35)}"
    ".hero-chat-assistant{background:rgba(128,128,128,.08);border:1px solid rgba(128,128,128,.3)}"
    ".hero-chat-who{font-size:85%;opacity:.75;margin-bottom:2px}"
    ".hero-chat-meta{font-size:80%;opacity:.75;margin-top:4px}"
    ".hero-chat-error{color:#b3261e;font-size:90%;margin-top:4px}"
    ".hero-chat-turn pre{white-space:pre-wrap;background:rgba(128,128,128,.12);padding:6px;"
    "border-radius:4px;margin:4px 0}"
    ".hero-chat-copy{font-size:80%;margin-top:2px;cursor:pointer}"
    "</style>"
)


def answer_html(text: str) -> str:
    """Markdown to HTML with raw HTML escaped (a model may write anything)."""
    return _MARKDOWN.render(text) if text.strip() else "<p><em>(no text yet)</em></p>"


def numbers(turn: Turn) -> str:
    """Latency, tokens and cost of an answer; what is not known says so, never 0."""
    c = turn.completion
    if c is None:
        return ""
    usage = c.usage
    tokens_in = getattr(usage, "input_tokens", None)
    tokens_out = getattr(usage, "output_tokens", None)
    tokens = (
        f"{tokens_in if tokens_in is not None else '?'} in / "
        f"{tokens_out if tokens_out is not None else '?'} out tokens"
    )
    if c.cached:
        cost = "replayed from the cache: free now"
    elif c.cost_usd is None:
        cost = "cost unknown"
    else:
        cost = f"${c.cost_usd:.4f}"
    return f"{c.latency_s:.1f} s · {tokens} · {cost} · finish: {c.finish_reason}"


def copy_button(code: str) -> str:
    """A button that copies `code` from the page itself (works in the static book too)."""
    data = html.escape(code, quote=True)
    return (
        f'<button class="hero-chat-copy" data-code="{data}" '
        'onclick="navigator.clipboard.writeText(this.dataset.code);'
        "this.textContent='copied'\">copy code</button>"
    )


def turn_html(turn: Turn) -> str:
    who = "You" if turn.role == "user" else html.escape(turn.model or "model")
    if turn.role == "user":
        body = f"<pre>{html.escape(turn.content)}</pre>"
    else:
        body = answer_html(turn.content)
    parts = [f'<div class="hero-chat-who">{who}</div>', body]
    if turn.role == "assistant" and not turn.streaming:
        code = extract_code(turn.content)
        if code.strip():
            parts.append(copy_button(code))
    if turn.streaming:
        parts.append('<div class="hero-chat-meta">answering…</div>')
    elif turn.stopped:
        parts.append('<div class="hero-chat-meta">stopped by you: not part of the chat</div>')
    elif meta := numbers(turn):
        parts.append(f'<div class="hero-chat-meta">{html.escape(meta)}</div>')
    if turn.error:
        parts.append(f'<div class="hero-chat-error">{html.escape(turn.error)}</div>')
    return f'<div class="hero-chat-turn hero-chat-{turn.role}">{"".join(parts)}</div>'


def transcript_html(chat: Chat) -> str:
    """The whole conversation as one static block: what the book shows with no kernel."""
    head = f"<div class='hero-chat-meta'>model: {html.escape(chat.model)}"
    if chat.system:
        head += f" · system prompt: {html.escape(chat.system)}"
    head += "</div>"
    turns = "".join(turn_html(t) for t in chat.turns) or "<p><em>No messages yet.</em></p>"
    return f'{STYLE}<div class="hero-chat-transcript">{head}{turns}</div>'


def conversation_markdown(chat: Chat) -> str:
    """The conversation as Markdown: messages, numbers and errors; never a key or a URL."""
    lines = [f"# Conversation with {chat.model}", ""]
    if chat.system:
        lines += [f"System prompt: {chat.system}", ""]
    for turn in chat.turns:
        who = "You" if turn.role == "user" else turn.model
        lines += [f"## {who}", "", turn.content.rstrip() or "_(no text)_", ""]
        notes = [numbers(turn)] if turn.completion else []
        if turn.stopped:
            notes.append("stopped by you")
        if turn.error:
            notes.append(f"error: {turn.error}")
        if notes:
            lines += [f"_{' · '.join(notes)}_", ""]
    return "\n".join(lines).rstrip() + "\n"
