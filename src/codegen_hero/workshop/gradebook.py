"""The gradebook: one row per submitted file, as CSV for a spreadsheet and HTML for a glance.

The HTML is one self-contained file (the chart is an inline PNG), so it opens from a USB
stick or an e-mail attachment with no network.
"""

from __future__ import annotations

import base64
import csv
import html
import io
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

COLUMNS = ("learner", "exercise", "status", "score", "max_score", "message")
MESSAGE_LIMIT = 300

# Every status a row can carry, and what it tells the instructor.
STATUSES: dict[str, str] = {
    "passed": "runs top to bottom and the exercise's checker passes every case",
    "failed": "runs; the checker fails some cases (score says how many pass)",
    "not attempted": "the answer cells still hold the stubs",
    "error": "the checker cannot judge the answer cells (they do not run on their own)",
    "exception": "a cell raises when the notebook runs top to bottom",
    "timeout": "the notebook does not finish within the time limit",
    "crashed": "the kernel died (os._exit, a crash, a memory limit)",
    "too much output": "the notebook prints more than the output limit",
    "invalid notebook": "not valid JSON, not nbformat 4, too large, or no answer cells",
    "unknown exercise": "the file name is not an exercise slug",
    "not a notebook": "a file in a learner's folder that is not .ipynb",
    "stray file": "a file outside SUBMISSIONS/<learner>/<exercise>.ipynb",
    "empty": "a learner folder with nothing in it",
    "not graded": "grading was interrupted before this file (run again)",
    "grader error": "the grader itself failed on this file (a bug: please report it)",
}
COLOURS = {"passed": "#1a7f37", "failed": "#cf222e", "not attempted": "#9a6700"}


@dataclass(frozen=True)
class Row:
    learner: str
    exercise: str
    status: str
    score: int = 0
    max_score: int | None = None
    message: str = ""

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"unknown gradebook status {self.status!r}")
        object.__setattr__(self, "message", one_line(self.message))

    def as_csv(self) -> dict[str, str]:
        data = {k: "" if v is None else str(v) for k, v in asdict(self).items()}
        return {column: data[column] for column in COLUMNS}


def one_line(text: str, limit: int = MESSAGE_LIMIT) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def sort_rows(rows: Iterable[Row]) -> list[Row]:
    return sorted(rows, key=lambda r: (r.learner, r.exercise, r.status))


def write_csv(rows: Iterable[Row], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow(row.as_csv())


def read_csv(path: Path) -> list[Row]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [
            Row(
                r["learner"],
                r["exercise"],
                r["status"],
                int(r["score"] or 0),
                int(r["max_score"]) if r["max_score"] else None,
                r["message"],
            )
            for r in csv.DictReader(fh)
        ]


def pass_rates(rows: Iterable[Row], exercises: Iterable[str]) -> dict[str, tuple[int, int]]:
    """exercise -> (passed, submitted), for the exercises that are real ones."""
    known = set(exercises)
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        if row.exercise in known:
            counts[row.exercise][1] += 1
            counts[row.exercise][0] += row.status == "passed"
    return {slug: (c[0], c[1]) for slug, c in sorted(counts.items())}


def chart_png(rates: dict[str, tuple[int, int]]) -> bytes:
    """A horizontal bar per exercise: the share of submissions that pass."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib.figure import Figure

    names = list(rates) or ["(no exercise submissions)"]
    shares = [100 * p / n if n else 0.0 for p, n in rates.values()] or [0.0]
    fig = Figure(figsize=(7.5, 0.45 * len(names) + 1.2), dpi=100)
    ax = fig.subplots()
    bars = ax.barh(names[::-1], shares[::-1], color="#1a7f37")
    labels = [f"{p}/{n}" for p, n in rates.values()][::-1] or [""]
    ax.bar_label(bars, labels=labels, padding=3, fontsize=8)
    ax.set_xlim(0, 110)
    ax.set_xlabel("submissions that pass (%)")
    ax.set_title("Pass rate per exercise")
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def write_html(
    rows: list[Row], path: Path, exercises: Iterable[str], notes: Iterable[str] = ()
) -> None:
    rates = pass_rates(rows, exercises)
    image = base64.b64encode(chart_png(rates)).decode("ascii")
    status_counts = Counter(row.status for row in rows)
    learners = len({row.learner for row in rows if row.learner})
    esc = html.escape
    parts = [
        "<!doctype html><html><head><meta charset='utf-8'><title>Gradebook</title>",
        "<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:70em}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25em .6em;"
        "text-align:left;vertical-align:top}th{background:#f4f4f4}</style></head><body>",
        "<h1>Gradebook</h1>",
        f"<p>{len(rows)} files from {learners} learners, graded "
        f"{esc(datetime.now().strftime('%Y-%m-%d %H:%M'))}.</p>",
        *[f"<p><em>{esc(note)}</em></p>" for note in notes],
        f"<img alt='pass rate per exercise' src='data:image/png;base64,{image}'>",
        "<h2>Per exercise</h2><table><tr><th>exercise</th><th>passed</th><th>submitted</th>"
        "<th>pass rate</th></tr>",
        *[
            f"<tr><td>{esc(slug)}</td><td>{p}</td><td>{n}</td><td>{100 * p / n:.0f}%</td></tr>"
            for slug, (p, n) in rates.items()
        ],
        "</table><h2>Statuses</h2><table><tr><th>status</th><th>files</th><th>meaning</th></tr>",
        *[
            f"<tr><td>{esc(s)}</td><td>{status_counts[s]}</td><td>{esc(STATUSES[s])}</td></tr>"
            for s in STATUSES
            if status_counts[s]
        ],
        "</table><h2>Every file</h2><table><tr>",
        *[f"<th>{c}</th>" for c in COLUMNS],
        "</tr>",
    ]
    for row in rows:
        colour = COLOURS.get(row.status, "#57606a")
        cells = row.as_csv()
        parts.append("<tr>")
        for column in COLUMNS:
            style = f" style='color:{colour};font-weight:600'" if column == "status" else ""
            parts.append(f"<td{style}>{esc(cells[column])}</td>")
        parts.append("</tr>")
    parts.append("</table></body></html>")
    path.write_text("\n".join(parts), encoding="utf-8")
