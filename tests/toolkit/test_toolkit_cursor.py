from __future__ import annotations

import pytest

from codegen_hero.models.errors import HeroError
from codegen_hero.toolkit.cursor import CURSOR, ghost_html, split_at_cursor


def test_the_code_is_split_at_the_one_cursor():
    assert split_at_cursor(f"def f():\n    {CURSOR}\n\nf()") == ("def f():\n    ", "\n\nf()")
    assert split_at_cursor("x = |", marker="|") == ("x = ", "")


@pytest.mark.parametrize("code", ["x = 1", f"{CURSOR} and {CURSOR}"])
def test_no_cursor_or_two_is_one_clear_line(code):
    with pytest.raises(HeroError, match="exactly one") as info:
        split_at_cursor(code)
    assert "\n" not in str(info.value)


def test_the_suggestion_is_shown_grey_and_the_code_escaped():
    page = ghost_html("if a < b:\n    ", "return a", "\n")
    assert "if a &lt; b:" in page and "font-style:italic'>return a</span>" in page
    assert "(no suggestion)" in ghost_html("x = ", "", "")
