# The two-bucket diary: "it passed" or "the logic is wrong". Code that never ran (a syntax
# error, a missing module, a timeout) gets blamed on the model's reasoning.
def classify_attempt(answer_text, result):
    if result is None:
        return "no-code"
    if result["finish_reason"] == "length":
        return "cut-off"
    if result["status"] == "ok":
        return "works"
    return "wrong-logic"


TASK = """Write a Python function parse_duration(text: str) -> int that turns a duration such
as "1h30m", "45s" or "2h5s" into a number of seconds. Units are h, m and s, each at most once,
in that order; raise ValueError for an empty or malformed text. Reply with one Python code
block."""

TESTS = """
import pytest


def test_single_units():
    assert parse_duration("45s") == 45
    assert parse_duration("2m") == 120
    assert parse_duration("1h") == 3600


def test_combined_units():
    assert parse_duration("1h30m") == 5400
    assert parse_duration("2h5s") == 7205


def test_bad_input_raises():
    for text in ["", "10", "5x", "1m1h"]:
        with pytest.raises(ValueError):
            parse_duration(text)
"""

RIGHT = """
import re

PATTERN = re.compile(r"(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?")


def parse_duration(text):
    match = PATTERN.fullmatch(text)
    if not text or match is None:
        raise ValueError(f"not a duration: {text!r}")
    hours, minutes, seconds = (int(part or 0) for part in match.groups())
    return hours * 3600 + minutes * 60 + seconds
"""

WRONG = """
import re


def parse_duration(text):  # the plausible mistake: "1m1h" and "10" slip through
    total = 0
    for number, unit in re.findall(r"(\\d+)([hms]?)", text):
        total += int(number) * {"h": 3600, "m": 60, "s": 1, "": 1}[unit]
    if not text:
        raise ValueError("empty")
    return total
"""

ATTEMPTS = 10
