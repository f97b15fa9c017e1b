# Examples that only check the error case: an implementation that raises for everything
# passes them all, so they cannot tell a working parse_date from a useless one.
PROMPT = """
# Write `parse_date(text: str) -> datetime.date`

Write one Python function, `parse_date(text: str) -> datetime.date`, using only the
standard library.

## Input
- `text`: a date in one of exactly two formats: ISO `YYYY-MM-DD` (`2024-03-01`) or
  European `DD.MM.YYYY` (`01.03.2024`).
- Strip leading and trailing whitespace first.

## Output
- Return a `datetime.date`, not a `datetime.datetime`: call `.date()` on the result of
  `datetime.datetime.strptime`.
- Invalid input (an empty string, any other format, or an impossible date such as
  `2024-02-30`) raises `ValueError`.

## Examples
- `parse_date("2024-03-01")` returns `datetime.date(2024, 3, 1)`
- `parse_date(" 01.03.2024 ")` returns `datetime.date(2024, 3, 1)`
- `parse_date("2024-02-30")` raises `ValueError`
- `parse_date("03/01/2024")` raises `ValueError`
"""

EXAMPLES = """
import pytest


def test_rejects_garbage():
    with pytest.raises(ValueError):
        parse_date("not a date")


def test_rejects_empty():
    with pytest.raises(ValueError):
        parse_date("")


def test_rejects_impossible():
    with pytest.raises(ValueError):
        parse_date("2024-02-30")
"""
