"""Ghost text is cut where an editor would cut it: pure rules, no model involved."""

from __future__ import annotations

from codegen_hero.models.fim import (
    BLOCK_STOPS,
    place_at_cursor,
    stops_for,
    trim_suggestion,
)

BODY_PREFIX = 'def median(values):\n    """Return the median."""\n    '


def test_a_function_body_ends_where_the_function_ends():
    text = "ordered = sorted(values)\n    return ordered[len(ordered) // 2]\n\nprint(median([3]))"
    assert trim_suggestion(text, BODY_PREFIX, "") == (
        "ordered = sorted(values)\n    return ordered[len(ordered) // 2]"
    )


def test_nested_blocks_and_blank_lines_inside_the_body_are_kept():
    text = "if not values:\n        raise ValueError\n\n    return values[0]\nx = 1"
    assert trim_suggestion(text, BODY_PREFIX, "") == (
        "if not values:\n        raise ValueError\n\n    return values[0]"
    )


def test_after_a_colon_the_body_is_kept_and_the_next_statement_is_not():
    text = "\n    return n % 2 == 0\nprint(is_even(3))"
    assert trim_suggestion(text, "def is_even(n):", "") == "\n    return n % 2 == 0"


def test_at_top_level_a_blank_line_ends_the_statement():
    text = "total = 0\nfor x in data:\n    total += x\n\nprint(total)"
    assert trim_suggestion(text, "data = [1, 2]\n", "") == (
        "total = 0\nfor x in data:\n    total += x"
    )


def test_mid_line_the_suggestion_is_the_rest_of_that_line_without_what_follows():
    assert trim_suggestion('name}!"\nprint(1)', 'return f"Hello, {', '}!"\n') == "name"
    assert trim_suggestion("a, b", "pair = (", ")") == "a, b"


def test_it_stops_before_repeating_the_code_below_the_cursor():
    text = "total = sum(values)\n    return total\n    print('x')"
    suffix = "\n    return total\n"
    assert trim_suggestion(text, "def f(values):\n    ", suffix) == "total = sum(values)"


def test_stop_tokens_and_a_cut_off_last_line_are_dropped():
    assert trim_suggestion("x = 1<|endoftext|>junk", "", "", ("<|endoftext|>",)) == "x = 1"
    text = "a = 1\n    b = 2\n    return the_half_writ"
    assert trim_suggestion(text, BODY_PREFIX, "", cut_off=True) == "a = 1\n    b = 2"
    assert trim_suggestion("a = 1", BODY_PREFIX, "", cut_off=True) == "a = 1"


def test_indentation_already_typed_is_not_inserted_twice():
    assert place_at_cursor("    return 1\n    pass", "def f():\n    ", "") == "return 1\n    pass"
    assert place_at_cursor("\n    return 1", "def f():\n    ", "") == "\n    return 1"
    assert place_at_cursor("  1", "x =", "") == "  1"  # nothing typed on the line: kept


def test_a_next_line_the_model_began_without_its_newline_gets_one():
    doc = 'def f(n):\n    """Say if n is even."""'
    assert place_at_cursor("    return n % 2 == 0", doc, "") == "\n    return n % 2 == 0"
    assert place_at_cursor("    return 1", "def f():", "\n") == "\n    return 1"
    assert place_at_cursor("  # the count", "x = 1", "") == "  # the count"  # inline comment
    assert place_at_cursor("    1", "x = max(", ")") == "    1"  # code follows on the line


def test_generation_stops_at_the_line_end_only_when_code_follows_on_that_line():
    assert stops_for(")\nprint(1)") == (*BLOCK_STOPS, "\n")
    assert stops_for("\nprint(1)") == BLOCK_STOPS
    assert stops_for("") == BLOCK_STOPS
