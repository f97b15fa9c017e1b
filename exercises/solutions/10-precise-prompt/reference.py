# A small model needs every decision spelled out: the import, the formats, the `.date()`,
# what happens after the loop. Each sentence is one that a test below checks.
PROMPT = """
Write a Python function `parse_date(text: str) -> datetime.date`.

- Start with `import datetime` (not `from datetime import datetime`).
- Strip whitespace from `text`.
- Loop over the formats `"%Y-%m-%d"` and `"%d.%m.%Y"`. For each, try
  `return datetime.datetime.strptime(text, fmt).date()` and on `ValueError` continue with the next format.
- After the loop, raise `ValueError(text)`: empty, malformed or impossible dates such as `2024-02-30` end here.

Examples: `parse_date("2024-03-01")` returns `datetime.date(2024, 3, 1)`; `parse_date(" 01.03.2024 ")` returns `datetime.date(2024, 3, 1)`; `parse_date("03/01/2024")` raises `ValueError`.

Write only the function and its import, no tests.
"""

EXAMPLES = """
import datetime

import pytest


def test_iso():
    assert parse_date("2024-03-01") == datetime.date(2024, 3, 1)


def test_european_with_spaces():
    assert parse_date(" 01.03.2024 ") == datetime.date(2024, 3, 1)


def test_returns_a_date_not_a_datetime():
    assert type(parse_date("2024-02-29")) is datetime.date


def test_impossible_date_raises():
    with pytest.raises(ValueError):
        parse_date("2024-02-30")


def test_other_formats_raise():
    for text in ["", "03/01/2024", "1 March 2024"]:
        with pytest.raises(ValueError):
            parse_date(text)
"""
