"""The gradebook files: exact CSV columns, one-line messages, a self-contained HTML page."""

from __future__ import annotations

import base64
import re

import pytest

from codegen_hero.workshop.gradebook import (
    COLUMNS,
    STATUSES,
    Row,
    chart_png,
    pass_rates,
    read_csv,
    write_csv,
    write_html,
)

ROWS = [
    Row("ada", "01-failure-diary", "passed", 22, 22, "all 22 checks pass"),
    Row("bob", "01-failure-diary", "failed", 18, 22, "first problem:\na refusal"),
    Row("cy", "05-apply-edits", "timeout", 0, 9, "still running <script>alert(1)</script>"),
    Row("", "README.md", "stray file", 0, None, "not inside a learner folder"),
]


def test_csv_round_trip_keeps_every_row(tmp_path):
    write_csv(ROWS, tmp_path / "g.csv")
    assert (tmp_path / "g.csv").read_text().splitlines()[0] == ",".join(COLUMNS)
    assert read_csv(tmp_path / "g.csv") == ROWS


def test_messages_are_one_line_and_bounded():
    row = Row("a", "b", "error", message="line one\nline two " + "x" * 1000)
    assert "\n" not in row.message and len(row.message) <= 300


def test_an_unknown_status_is_a_bug():
    with pytest.raises(ValueError, match="status"):
        Row("a", "b", "kinda passed")


def test_pass_rates_count_only_real_exercises():
    rates = pass_rates(ROWS, ["01-failure-diary", "05-apply-edits"])
    assert rates == {"01-failure-diary": (1, 2), "05-apply-edits": (0, 1)}


def test_the_html_is_self_contained_and_escaped(tmp_path):
    write_html(ROWS, tmp_path / "g.html", ["01-failure-diary", "05-apply-edits"], ["a note"])
    page = (tmp_path / "g.html").read_text()
    image = re.search(r"src='data:image/png;base64,([^']+)'", page)
    assert image and base64.b64decode(image.group(1)).startswith(b"\x89PNG")
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "http://" not in page and "https://" not in page
    assert "50%" in page and "a note" in page and STATUSES["timeout"] in page


def test_the_chart_copes_with_no_exercise_rows():
    assert chart_png({}).startswith(b"\x89PNG")
