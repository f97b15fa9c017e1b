"""The chat pane in a real JupyterLab, typed into as a learner would (slow: starts a server).

The model is the loopback test double (an OpenAI-compatible server on 127.0.0.1), so the test
is about the pane: typing, Enter to send, Shift+Enter for a new line, the streamed answer,
the numbers under it, Escape to stop, and no error in the page.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from tests.browser.jupyterlab import jupyterlab, run_all_cells
from tests.fakes.llm_server import FakeLLMServer

MODEL = "openai/chat-pane-browser-test"
pytestmark = pytest.mark.slow

NOTEBOOK = {
    "cells": [
        {
            "cell_type": "code",
            "execution_count": None,
            "id": "pane",
            "metadata": {},
            "outputs": [],
            "source": f"from codegen_hero.chat import Chat\n\nChat({MODEL!r}).pane()",
        }
    ],
    "metadata": {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
    },
    "nbformat": 4,
    "nbformat_minor": 5,
}


@pytest.fixture(scope="module")
def chat_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("chatlab")
    (folder / "chat.ipynb").write_text(json.dumps(NOTEBOOK), encoding="utf-8")
    with FakeLLMServer(chunk_delay=0.3) as fake:
        env = {
            "OPENAI_BASE_URL": fake.url + "/v1",
            "OPENAI_API_KEY": "sk-chat-pane-browser-test",
            "HERO_CACHE": "off",  # every answer streams from the server, none replayed
        }
        with jupyterlab(folder, "chat.ipynb", env=env) as url:
            yield url


def wait_for_answers(tab, count: int) -> None:
    """Until `count` answers have finished (their numbers are under them) and Send is back."""
    tab.wait_for_function(
        f"() => [...document.querySelectorAll('.hero-chat-meta')]"
        f".filter(m => m.textContent.includes('tokens')).length >= {count}"
        " && !document.querySelector('button.hero-chat-send').disabled",
        timeout=60_000,
    )


def test_type_enter_stream_and_stop_in_the_pane(chat_lab: str, browser, tmp_path):
    context = browser.new_context(viewport={"width": 1300, "height": 1000})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.goto(chat_lab, wait_until="domcontentloaded", timeout=120_000)
    run_all_cells(tab)
    box = tab.wait_for_selector(".hero-chat-input textarea", timeout=120_000)

    box.click()
    box.type("first line")
    box.press("Shift+Enter")
    box.type("second line")
    assert box.input_value() == "first line\nsecond line"
    box.press("Enter")
    answer = tab.wait_for_selector(
        ".hero-chat-assistant:has(.hero-chat-meta:has-text('tokens'))", timeout=60_000
    )
    assert "Fake reply" in answer.inner_text()
    assert "cost unknown" in answer.inner_text()
    assert box.input_value() == ""
    user = tab.query_selector(".hero-chat-user")
    assert user is not None and "first line\nsecond line" in user.inner_text()

    # A paste followed at once by Enter: every character reaches the kernel before the send.
    pasted = "def add(a, b):\n    return a + b  # the last keys must not be lost"
    box.fill(pasted)
    box.press("Enter")
    tab.wait_for_selector(
        ".hero-chat-user:has-text('the last keys must not be lost')", timeout=60_000
    )
    wait_for_answers(tab, 2)
    assert box.input_value() == ""

    # The mouse: leaving the box hands its text over before the click on Send arrives.
    box.type("sent with the button")
    tab.click("button.hero-chat-send")
    tab.wait_for_selector(".hero-chat-user:has-text('sent with the button')", timeout=60_000)
    wait_for_answers(tab, 3)
    assert box.input_value() == ""

    box.type("a slow one")
    box.press("Enter")
    tab.wait_for_selector(".hero-chat-assistant:has-text('answering')", timeout=60_000)
    box.press("Escape")
    tab.wait_for_selector(".hero-chat-assistant:has-text('stopped by you')", timeout=60_000)
    clipped = tab.evaluate(  # more messages than fit: the log scrolls, no message is squashed
        "() => [...document.querySelectorAll('.hero-chat-log > *')]"
        ".filter(m => m.scrollHeight > m.clientHeight + 1).length"
    )
    assert clipped == 0
    tab.screenshot(path=str(tmp_path / "chat-pane.png"))
    assert errors == []
    context.close()
