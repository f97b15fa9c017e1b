# Precise about everything except what it looks like in use: no examples, so the reader
# has to turn the prose into concrete cases (and may read the formats differently).
PROMPT = """
# Task: write `parse_date(text: str) -> datetime.date`

Write one Python function in a new module `dates.py`. It turns a date written by a person
into a `datetime.date`.

## Inputs
- `text`: a `str` holding one calendar date in one of exactly three formats:
  ISO `YYYY-MM-DD`, European `DD.MM.YYYY`, or `D Month YYYY` with the English month name
  in full. Month names match in any letter case.
- Leading and trailing whitespace is ignored.

## Outputs
- Returns a `datetime.date` for the date written.
- Invalid input (an empty string, any other format, or an impossible date) raises
  `ValueError` whose message quotes the input.

## Constraints
- Python 3.11 standard library only; no `dateutil`.
- No time zones and no times of day: a date only.
- Two-digit years are not accepted.

## Acceptance criteria
- A leap day in 2024 is accepted; 29 February 2023 raises `ValueError`.
- The empty string raises `ValueError`.
- Month names match in upper, lower and mixed case, 3 spellings tested.
- Tests live in `test_dates.py` and pass with `pytest`.
"""
