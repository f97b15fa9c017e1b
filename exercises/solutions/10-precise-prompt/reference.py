PROMPT = """
# Task: write `parse_date(text: str) -> datetime.date`

Write one Python function in a new module `dates.py`. It turns a date written by a person
into a `datetime.date`.

## Inputs
- `text`: a `str` holding one calendar date in one of exactly three formats:
  ISO `YYYY-MM-DD`, European `DD.MM.YYYY`, or `D Month YYYY` with the English month name
  in full (`3 March 2024`). Month names match in any letter case.
- Leading and trailing whitespace is ignored.

## Outputs
- Returns a `datetime.date` for the date written.
- Invalid input (an empty string, any other format, or an impossible date such as
  `2024-02-30`) raises `ValueError` whose message quotes the input.

## Constraints
- Python 3.11 standard library only; no `dateutil`.
- No time zones and no times of day: a date only.
- Two-digit years are not accepted.
- Do not guess: text that matches none of the three formats is an error.

## Examples
- `parse_date("2024-03-01")` -> `datetime.date(2024, 3, 1)`
- `parse_date("01.03.2024")` -> `datetime.date(2024, 3, 1)`
- `parse_date("  3 march 2024 ")` -> `datetime.date(2024, 3, 3)`
- `parse_date("2024-02-30")` -> raises `ValueError`

## Acceptance criteria
- `parse_date("2024-02-29")` returns `datetime.date(2024, 2, 29)` (a leap day).
- `parse_date("29.02.2023")` raises `ValueError` (2023 is not a leap year).
- `parse_date("")` and `parse_date("03/01/2024")` raise `ValueError`.
- `parse_date("3 MARCH 2024")` equals `parse_date("2024-03-03")`.
- Tests for every example above live in `test_dates.py` and pass with `pytest`.
"""
