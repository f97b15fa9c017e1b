"""The interview checks and the compile prompt, on a conversation with a loopback server."""

from __future__ import annotations

import itertools

import pytest

from codegen_hero.chat import Chat
from codegen_hero.toolkit.interview import (
    INTERVIEWER,
    SPEC_SECTIONS,
    check_interview,
    compile_prompt,
    questions_in,
    transcript,
)
from tests.fakes.llm_server import FakeLLMServer

REPLIES = (
    "Which words should count: should punctuation be stripped?",
    "Should the output list the counts for the top words? How many? And sorted how?",
    "Great.",
)


@pytest.fixture
def interviewer(monkeypatch):
    replies = itertools.cycle(REPLIES)
    with FakeLLMServer(reply=lambda _: next(replies)) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.url + "/v1")
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
        yield server


def test_one_question_at_a_time_and_building_on_the_answer(interviewer):
    chat = Chat("openai/interview-test", system=INTERVIEWER)
    chat.send("A tool that counts words in a text file.")
    chat.send("Punctuation stripped; show the counts of the most common words.")
    chat.send("The top ten, most common first.")
    first, second, third = check_interview(chat)
    assert first.one_question and first.builds_on_answer  # "words" from the idea
    assert not second.one_question and second.detail.startswith("3 questions")
    assert second.builds_on_answer and "counts" in second.detail
    assert not third.one_question and third.detail.startswith("0 questions")


def test_transcript_and_compile_prompt_carry_every_answer(interviewer):
    chat = Chat("openai/interview-test", system=INTERVIEWER)
    chat.send("A tool that counts words.")
    chat.send("Strip punctuation.")
    text = transcript(chat)
    assert text.startswith("Me: A tool that counts words.") and "Interviewer: " in text
    prompt = compile_prompt(chat)
    assert "Strip punctuation." in prompt and all(s in prompt for s in SPEC_SECTIONS)


def test_questions_in_counts_sentences_ending_with_a_question_mark():
    assert questions_in("Fine. What input? And the output?\nOk") == [
        "What input?",
        "And the output?",
    ]
    assert questions_in("No questions here.") == []
