"""A diary of attempts: file each answer of a comparison into one outcome, then count.

Stage 1 of the journey asks for a fair trial instead of a verdict from one bad answer. Each
attempt falls into one of five outcomes, and each outcome has its own fix:

    works          it ran and every test passed
    wrong-logic    it ran, but a test failed
    does-not-run   syntax or import error, endless loop, memory limit
    no-code        prose, a question back or a refusal: nothing to run
    cut-off        the model stopped at the token limit

Two more labels exist for rows that say nothing about the model's code: `no-answer` (the
call itself failed, e.g. a network error) and `untested` (code, but no test verdict: no tests
were given, or the sandbox skipped a language whose toolchain is missing). They appear in a
count table only when they occur.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

    from codegen_hero.compare import Comparison, Row

CATEGORIES = ("works", "wrong-logic", "does-not-run", "no-code", "cut-off")
NO_ANSWER = "no-answer"
UNTESTED = "untested"
EXTRA = (NO_ANSWER, UNTESTED)

FIXES = {
    "works": "keep the prompt; try a harder task",
    "wrong-logic": "state the rule it missed, give an example, paste the failing test",
    "does-not-run": "say which language version and libraries you use",
    "no-code": "ask for code explicitly, or answer its question",
    "cut-off": "allow a longer answer, or ask for less at once",
    NO_ANSWER: "not the model's code: check the key, the network or the model name",
    UNTESTED: "write a test, or install the language's toolchain",
}

COLOURS = {
    "works": "#55A868",
    "wrong-logic": "#DD8452",
    "does-not-run": "#C44E52",
    "no-code": "#8172B3",
    "cut-off": "#937860",
    NO_ANSWER: "#8C8C8C",
    UNTESTED: "#CCB974",
}


def classify_row(row: Row) -> str:
    """The diary outcome of one attempt (one Row of a Comparison).

    Decided in order of precedence: no answer at all; no code in the answer; cut off at the
    token limit (whatever the tests said, the code is incomplete); then the sandbox's status.
    """
    completion = row.completion
    if completion is None:
        return NO_ANSWER
    if not (row.code or "").strip():
        return "no-code"
    if completion.finish_reason == "length":
        return "cut-off"
    if row.test is None or row.test.status == "skipped":
        return UNTESTED
    if row.test.status == "ok":
        return "works"
    if row.test.status == "fail":
        return "wrong-logic"
    return "does-not-run"  # error, timeout, killed


def attempt_result(row: Row) -> dict[str, Any] | None:
    """One attempt as exercise 01's `classify_attempt` receives it: None when the answer held
    no code to run; otherwise the sandbox's verdict plus the model's finish reason."""
    if not (row.code or "").strip() or row.test is None:
        return None
    return {
        "status": row.test.status,
        "tests_passed": list(row.test.tests_passed),
        "tests_failed": list(row.test.tests_failed),
        "reason": row.test.reason,
        "finish_reason": row.completion.finish_reason if row.completion else "error",
    }


def run_diary(
    task: str,
    tests: str,
    n: int = 10,
    classify: Callable[[str, dict[str, Any] | None], str] | None = None,
    *,
    model: str | None = None,
    **options: Any,
) -> pd.DataFrame:
    """Ask `model` (default: the course's default, a local model) `n` times for `task`, run
    `tests` on each answer in the sandbox and keep a diary line per attempt.

    Several samples of one prompt run at a sampling temperature, each with its own seed. With
    `classify` (your own filing function), the column `yours` holds its category next to
    the course's `outcome`; attempts whose call failed are `no-answer` in both.
    """
    from codegen_hero.compare import compare
    from codegen_hero.models.registry import load_registry

    chosen = model or load_registry().default
    comparison = compare(task, [chosen], n=n, tests=tests, **options)
    frame = diary_frame(comparison)
    if classify is not None:
        frame["yours"] = [
            classify(row.text, attempt_result(row)) if row.completion is not None else NO_ANSWER
            for row in comparison.rows
        ]
    return frame


def _note(row: Row, category: str) -> str:
    """A short reason a human can act on: failing test names, the sandbox's reason, an error."""
    if category == NO_ANSWER:
        return (row.error or "")[:120]
    if category == "wrong-logic" and row.test is not None:
        return "failed: " + ", ".join(row.test.tests_failed)
    if category in ("does-not-run", UNTESTED) and row.test is not None:
        return row.test.reason[:120]
    if category == "cut-off":
        return "stopped at max_tokens"
    if category == "no-code":
        return "no code found in the answer"
    return ""


def diary_frame(comparison: Comparison) -> pd.DataFrame:
    """One diary line per attempt: model, sample, finish reason, code?, status, outcome, note.

    `status` and `failed_tests` are the sandbox's, and empty when the answer held no code:
    tests run against nothing fail, and that says nothing about the model's logic.
    """
    import pandas as pd

    records = []
    for row in comparison.rows:
        category = classify_row(row)
        completion = row.completion
        has_code = bool((row.code or "").strip())
        test = row.test if has_code else None
        records.append(
            {
                "model": row.model,
                "sample": row.sample,
                "finish_reason": completion.finish_reason if completion else "error",
                "has_code": has_code,
                "status": test.status if test else None,
                "outcome": category,
                "failed_tests": list(test.tests_failed) if test else [],
                "note": _note(row, category),
            }
        )
    columns = [
        "model",
        "sample",
        "finish_reason",
        "has_code",
        "status",
        "outcome",
        "failed_tests",
        "note",
    ]
    return pd.DataFrame(records, columns=columns)


def count_diary(comparison: Comparison) -> pd.DataFrame:
    """Outcomes counted per model (rows, in the comparison's order) with a total column.

    The five outcomes are always columns, so tables from different runs line up; `no-answer`
    and `untested` are added only when some attempt has them.
    """
    import pandas as pd

    outcomes = [classify_row(row) for row in comparison.rows]
    columns = list(CATEGORIES) + [extra for extra in EXTRA if extra in outcomes]
    models = comparison.models
    counts = {model: dict.fromkeys(columns, 0) for model in models}
    for row, outcome in zip(comparison.rows, outcomes, strict=True):
        counts[row.model][outcome] += 1
    frame = pd.DataFrame.from_dict(counts, orient="index", columns=columns)
    frame.index.name = "model"
    frame["total"] = frame[columns].sum(axis=1)
    return frame.astype(int)


def diary_lines(comparison: Comparison, task: str) -> list[str]:
    """The diary in the chapter's one-line-per-model form: `task  model  N tries  outcomes`."""
    table = count_diary(comparison)
    lines = []
    for model, counts in table.iterrows():
        parts = [f"{name} {counts[name]}" for name in table.columns[:-1] if counts[name]]
        lines.append(f"{task}  {model}  {counts['total']} tries  {', '.join(parts)}")
    return lines


def plot_diary(counts: pd.DataFrame) -> Figure:
    """A stacked horizontal bar per model: how its attempts split over the outcomes."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    columns = [column for column in counts.columns if column != "total"]
    models = list(counts.index)
    fig = Figure(figsize=(10, 1.6 + 0.55 * max(len(models), 2)))
    ax = fig.subplots()
    left = [0] * len(models)
    for column in columns:
        values = [int(v) for v in counts[column]]
        bars = ax.barh(
            range(len(models)),
            values,
            left=left,
            height=0.6,
            color=COLOURS.get(column, "#999999"),
            label=column,
        )
        labels = [str(v) if v else "" for v in values]
        ax.bar_label(bars, labels=labels, label_type="center", fontsize=9, color="white")
        left = [a + b for a, b in zip(left, values, strict=True)]
    ax.set_yticks(range(len(models)), labels=models)
    ax.invert_yaxis()
    ax.set_xlabel("attempts")
    ax.set_xlim(0, max(left, default=0) or 1)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False, fontsize=9)
    ax.set_title("Diary: what happened to each attempt")
    fig.tight_layout()
    return fig
