"""The debugging prompt builder: frames, budget, priorities, and what it reports."""

from __future__ import annotations

import pytest

from codegen_hero.exercises.tokens import approx_tokens
from codegen_hero.toolkit.prompts import (
    build_debug_prompt,
    clean_traceback,
    enclosing_source,
    error_line,
    parse_frames,
)

INVENTORY = """PRICES = {"apple": 0.5, "pear": 0.75}


def price_of(item):
    return PRICES[item]
"""
ORDER = """from inventory import price_of


def order_total(lines):
    total = 0
    for line in lines:
        name, qty = line.split(",")
        total += price_of(name) * int(qty)
    return total


print(order_total(["apple,3", "Pear,2"]))
"""
SOURCES = {"order.py": ORDER, "inventory.py": INVENTORY}
TRACEBACK = """Traceback (most recent call last):
  File "/tmp/hero-sandbox-abc/solution.py", line 3, in <module>
    runpy.run_path('order.py', run_name='__main__')
  File "<frozen runpy>", line 291, in run_path
  File "order.py", line 12, in <module>
    print(order_total(["apple,3", "Pear,2"]))
  File "order.py", line 8, in order_total
    total += price_of(name) * int(qty)
  File "/tmp/hero-sandbox-abc/inventory.py", line 5, in price_of
    return PRICES[item]
           ~~~~~~^^^^^^
KeyError: 'Pear'
"""


def test_error_line_is_the_last_line():
    assert error_line(TRACEBACK) == "KeyError: 'Pear'"
    assert error_line("\n\n") == ""


def test_frames_keep_only_our_files_and_shorten_their_paths():
    frames = parse_frames(TRACEBACK, SOURCES)
    assert [(f.file, f.line, f.func) for f in frames] == [
        ("order.py", 12, "<module>"),
        ("order.py", 8, "order_total"),
        ("inventory.py", 5, "price_of"),
    ]
    assert frames[-1].source_line == "return PRICES[item]"


def test_clean_traceback_cuts_temporary_directories():
    cleaned = clean_traceback(TRACEBACK, SOURCES)
    assert 'File "inventory.py", line 5' in cleaned
    assert "/tmp/hero-sandbox-abc/inventory.py" not in cleaned
    assert 'File "solution.py", line 3' in cleaned  # the same directory goes everywhere
    assert '"<frozen runpy>"' in cleaned
    assert clean_traceback(cleaned, SOURCES) == cleaned


def test_enclosing_source_finds_the_function():
    first, last, code = enclosing_source(ORDER, 8)
    assert (first, last) == (4, 9)
    assert code.startswith("def order_total")
    assert enclosing_source(ORDER, 12) is None  # module level
    assert enclosing_source("def broken(:\n", 1) is None


def test_roomy_budget_carries_everything_and_whole_files():
    prompt = build_debug_prompt(TRACEBACK, SOURCES, 600)
    assert prompt.tokens == approx_tokens(prompt.text) <= 600
    assert "KeyError: 'Pear'" in prompt.text and "?" in prompt.text
    assert "return PRICES[item]" in prompt.text
    assert 'PRICES = {"apple": 0.5' in prompt.text  # the whole file holds the cause
    assert prompt.dropped == []
    assert "whole file: inventory.py" in prompt.included
    # a whole file replaces its function excerpt, so the function appears once
    assert prompt.text.count("def price_of(item):") == 1
    assert "<frozen runpy>" not in prompt.text and "/tmp/" not in prompt.text


@pytest.mark.parametrize("budget", [60, 80, 120, 200, 300])
def test_tight_budgets_never_overflow_and_keep_the_innermost_frame(budget):
    prompt = build_debug_prompt(TRACEBACK, SOURCES, budget)
    assert approx_tokens(prompt.text) <= budget
    assert "KeyError: 'Pear'" in prompt.text
    assert ("return PRICES[item]" in prompt.text) == (budget >= 80)
    assert len(prompt.included) + len(prompt.dropped) == 2 + 3 + 2 + 2


def test_innermost_material_goes_first():
    prompt = build_debug_prompt(TRACEBACK, SOURCES, 80)
    assert "frame line: inventory.py line 5, in price_of" in prompt.included
    assert any("order.py line 12" in item for item in prompt.dropped)
    report = prompt.report()
    assert report.startswith(f"{prompt.tokens} of 80 tokens")
    assert "dropped (no room)" in report


def test_too_small_a_budget_is_refused():
    with pytest.raises(ValueError, match="cannot hold"):
        build_debug_prompt(TRACEBACK, SOURCES, 10)
    with pytest.raises(ValueError, match="empty"):
        build_debug_prompt("", SOURCES, 500)


def test_a_custom_question_and_unknown_files():
    prompt = build_debug_prompt(TRACEBACK, {}, 200, question="What broke?")
    assert prompt.text.startswith("What broke?")
    assert prompt.frames == []
    assert str(prompt) == prompt.text
