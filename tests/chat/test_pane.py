"""The chat pane (ipywidgets) driven as a learner would, with clicks simulated in Python."""

from __future__ import annotations

from codegen_hero.chat import Chat, ChatPane
from codegen_hero.compare.views_widget import find_widgets

CODE_REPLY = "Here you go:\n\n```python\nprint(sum(range(4)))\n```\n"


def test_pane_shows_turns_sent_from_code_and_from_the_box(server, hosted):
    chat = Chat(hosted)
    chat.send("from code")
    pane = ChatPane(chat)
    assert len(pane.views) == 2
    pane.input.value = "from the box"
    pane.submit(wait=True)
    assert pane.input.value == ""  # the box empties once the message is sent
    assert len(pane.views) == 4 and chat.turns[-2].content == "from the box"
    assert not pane.send_button.disabled and pane.stop_button.disabled
    assert find_widgets(pane.widget, "hero-chat-log")[0].children[0] is pane.views[-1]


def test_empty_box_says_so_in_the_status_line(server, hosted):
    pane = ChatPane(Chat(hosted))
    pane.submit("", wait=True)
    assert "type a message first" in pane.status.value and pane.views == []


def test_run_in_sandbox_runs_the_answers_code(server, hosted):
    server.reply = CODE_REPLY
    pane = ChatPane(Chat(hosted))
    pane.submit("sum it", wait=True)
    run = find_widgets(pane.views[-1], "hero-chat-run")[0]
    assert run.layout.display == ""
    run.click()
    result = pane.views[-1].children[-1].value
    assert "sandbox: ok" in result and "6" in result


def test_model_picker_system_prompt_clear_and_export(server, hosted, tmp_path):
    pane = ChatPane(Chat(hosted))
    assert hosted in pane.model.options
    pane.system.value = "answer in French"
    pane.submit("bonjour", wait=True)
    assert server.requests[-1].body["messages"][0]["content"] == "answer in French"
    path = pane.export(tmp_path)
    assert path.read_text().startswith(f"# Conversation with {hosted}")
    pane.clear_button.click()
    assert pane.chat.turns == [] and pane.views == []
