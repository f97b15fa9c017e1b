"""Idea honing: a chat model interviews you, one question at a time, then compiles a spec.

This is the first step of the planning workflow (Harper Reed, "My LLM codegen workflow atm",
2025): the model asks, you answer, each question builds on your last answer, and when the
idea is clear a "compile" prompt turns the transcript into a developer-ready `spec.md`.
The checks here read the interview's shape deterministically, like `plans` does for the
documents: one question per message, and questions that pick up what you just said.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from codegen_hero.chat.conversation import Chat
from codegen_hero.toolkit.plans import words

INTERVIEWER = (
    "You are helping me turn an idea into a specification a developer could build from. "
    "Ask me one question at a time, and only one: a single short question, then stop and "
    "wait for my answer. Let each question build on my previous answer. Ask about what the "
    "program must do, its inputs and outputs, edge cases and errors, and how we will test it."
)
SPEC_SECTIONS = ("Requirements", "Architecture", "Data handling", "Error handling", "Testing plan")
QUESTION = re.compile(r"[^.!?\n]*\?")


@dataclass(frozen=True)
class QuestionCheck:
    number: int
    question: str
    one_question: bool  # exactly one question mark in the message
    builds_on_answer: bool  # shares a content word with the answer just before it
    detail: str


def questions_in(text: str) -> list[str]:
    return [q.strip() for q in QUESTION.findall(text) if q.strip(" ?")]


def _content_words(text: str) -> set[str]:
    return {w for w in words(text) if len(w) > 3}


def check_interview(chat: Chat) -> list[QuestionCheck]:
    """One row per model message after the first answer: its shape, not its wisdom."""
    checks: list[QuestionCheck] = []
    answered = [t for t in chat.turns if t.in_history]
    for i, turn in enumerate(answered):
        if turn.role != "assistant":
            continue
        asked = questions_in(turn.content)
        before = answered[i - 1].content if i else ""
        shared = sorted(_content_words(before) & _content_words(turn.content))
        checks.append(
            QuestionCheck(
                number=len(checks) + 1,
                question=asked[0] if asked else turn.content.strip()[:80],
                one_question=len(asked) == 1,
                builds_on_answer=bool(shared),
                detail=(f"{len(asked)} questions" if len(asked) != 1 else "one question")
                + (f"; picks up {', '.join(shared[:3])}" if shared else "; new topic"),
            )
        )
    return checks


def transcript(chat: Chat) -> str:
    """The answered exchanges as plain text, for the compile prompt."""
    lines = []
    for message in chat.history():
        who = "Me" if message.role == "user" else "Interviewer"
        lines.append(f"{who}: {message.content.strip()}")
    return "\n\n".join(lines)


def compile_prompt(chat: Chat) -> str:
    """The prompt that turns the interview into spec.md with the five sections."""
    headings = ", ".join(SPEC_SECTIONS)
    return (
        f"Here is an interview about a program I want built:\n\n{transcript(chat)}\n\n"
        "Compile everything I said into spec.md, a developer-ready specification in "
        f"Markdown with exactly these sections as `##` headings: {headings}. Use only what "
        "the interview decided; be brief, a few bullet points per section."
    )
