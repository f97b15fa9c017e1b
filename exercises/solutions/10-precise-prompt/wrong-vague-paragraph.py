# The request as people first write it: one friendly paragraph that leaves every decision
# (formats, return type, errors) to the reader, who will guess.
PROMPT = """
Please make a function to parse dates. It should handle the common formats people use,
like ISO dates, European dates, written-out months and so on, and give back a proper date
object. Make it robust and nice to use, and handle errors somehow if the input is weird.
Add some tests too.
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
