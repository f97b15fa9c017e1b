"""Rendering a conversation: model markup is escaped, numbers say unknown, copy buttons work."""

from __future__ import annotations

from codegen_hero.chat.conversation import Turn
from codegen_hero.chat.render import answer_html, copy_button, numbers, turn_html
from codegen_hero.models.request import Completion, Usage


def test_model_html_is_shown_as_text():
    rendered = answer_html("<script>alert(1)</script> and <b>bold</b>")
    assert "<script>" not in rendered and "&lt;script&gt;" in rendered


def test_numbers_say_unknown_and_replayed():
    unpriced = Turn("assistant", "x", completion=Completion("x", "m", Usage(3, 4), 1.25))
    assert numbers(unpriced) == "1.2 s · 3 in / 4 out tokens · cost unknown · finish: unknown"
    replayed = Completion("x", "m", Usage(3, 4), 0.0, cost_usd=0.0, cached=True)
    assert "replayed from the cache" in numbers(Turn("assistant", "x", completion=replayed))


def test_an_answer_with_code_gets_a_copy_button_holding_the_code():
    turn = Turn("assistant", 'Try:\n\n```python\nprint("a<b")\n```\n', model="m")
    html = turn_html(turn)
    assert "copy code" in html and 'data-code="print(&quot;a&lt;b&quot;)' in html
    assert copy_button("x").count("navigator.clipboard.writeText") == 1


def test_a_streaming_turn_has_no_copy_button_yet():
    turn = Turn("assistant", "```python\nx = 1", model="m", streaming=True)
    assert "answering" in turn_html(turn) and "copy code" not in turn_html(turn)
