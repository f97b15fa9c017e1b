"""How long ghost text takes: a 32-token fill-in-the-middle suggestion on the default model.

Each sample is one `fill_in_middle` call (the call behind JupyterLab's ghost text) at a cursor
inside a realistic cell: earlier cells as context, a signature and docstring, the cursor where
the body starts, code after it. The contexts take turns, so no call reuses the previous
one's evaluated prefix, as when a learner moves between cells. Block stops are off so every
suggestion runs to its 32 tokens; the model may still end early, and the table says so.

    .venv/bin/python bench/completion_latency.py [--rounds 3] [--write]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _report import update_section  # noqa: E402

from codegen_hero import fill_in_middle, settings  # noqa: E402
from codegen_hero.models import local_files  # noqa: E402
from codegen_hero.models.registry import load_registry  # noqa: E402

TOKENS = 32
EARLIER_CELLS = '''import math
from collections import Counter

DATA = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5]


def mean(values):
    """The arithmetic mean of values."""
    return sum(values) / len(values)

'''
CURSORS = [
    ('def median(values: list[float]) -> float:\n    """Return the median of values, as a '
     'float.\n\n    Raises ValueError if values is empty.\n    """\n    ',
     "\n\nprint(median(DATA))\n"),
    ('def word_counts(text: str) -> dict[str, int]:\n    """Count each word of text, '
     'ignoring case and punctuation."""\n    ', "\n\nprint(word_counts('a b a'))\n"),
    ('def is_palindrome(s: str) -> bool:\n    """True if s reads the same backwards, '
     'ignoring case and spaces."""\n    ', "\n\nassert is_palindrome('Never odd or even')\n"),
    ('def flatten(nested: list) -> list[int]:\n    """Flatten a list of integers and lists of '
     'integers, at any depth."""\n    ', "\n\nassert flatten([1, [2, [3]]]) == [1, 2, 3]\n"),
    ('def variance(values: list[float]) -> float:\n    """The population variance of values '
     '(uses mean above)."""\n    ', "\n\nprint(variance(DATA))\n"),
]  # fmt: skip


def percentile(samples: list[float], q: float) -> float:
    """Nearest-rank percentile: the smallest sample with at least q of them at or below it."""
    ordered = sorted(samples)
    rank = max(1, -(-len(ordered) * q // 1))
    return ordered[int(rank) - 1]


def run(rounds: int) -> dict:
    registry = load_registry()
    model = registry.autocomplete
    local_files.ensure_ready(registry.get(model))
    # Warm-up: model load and first-call costs stay out of the measurement.
    fill_in_middle(model, *CURSORS[0], max_tokens=4, cache="off")
    latencies, tokens = [], []
    load_before = os.getloadavg()[0]
    for _ in range(rounds):
        for prefix, suffix in CURSORS:
            answer = fill_in_middle(
                model,
                EARLIER_CELLS + prefix,
                suffix,
                max_tokens=TOKENS,
                stop=["<no block stops in this benchmark>"],
                cache="off",
            )
            latencies.append(answer.latency_s)
            tokens.append(answer.usage.output_tokens)
    return {
        "model": f"default autocomplete model ({registry.get(model).display})",
        "threads": settings.threads(),
        "median": statistics.median(latencies),
        "p95": percentile(latencies, 0.95),
        "samples": len(latencies),
        "full": sum(t == TOKENS for t in tokens),
        "tokens": tokens,
        "load": (load_before, os.getloadavg()[0]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--write", action="store_true", help="record the result in BENCHMARKS.md")
    args = parser.parse_args()
    r = run(args.rounds)
    short = sorted(t for t in r["tokens"] if t < TOKENS)
    ended = (
        f" (the others ended at the model's own end token after {short} tokens)" if short else ""
    )
    body = (
        "## Ghost text: suggestion latency, 32 tokens (`bench/completion_latency.py`)\n\n"
        "| model | threads | median | p95 | p95 ÷ median | samples |\n"
        "|---|---|---|---|---|---|\n"
        f"| {r['model']} | {r['threads']} | {r['median']:.2f} s | {r['p95']:.2f} s | "
        f"**{r['p95'] / r['median']:.2f}** | {r['samples']} |\n\n"
        f"One `fill_in_middle` call per sample ({len(CURSORS)} cursors × {args.rounds} rounds, "
        f"taking turns), greedy, at most {TOKENS} tokens; {r['full']} of {r['samples']} ran to "
        f"all {TOKENS}{ended}. JupyterLab adds its 300 ms typing pause and one loopback "
        f"HTTP request. Load average {r['load'][0]:.1f} before and {r['load'][1]:.1f} after "
        "(other work on this machine competes for the same cores)."
    )
    if max(r["load"]) > (os.cpu_count() or 1):
        body += (
            " The machine was shared and heavily contended during this run (load above its "
            "core count), so these times are upper bounds: a quiet laptop answers faster."
        )
    print(body)
    if args.write:
        update_section("completion_latency", body)


if __name__ == "__main__":
    main()
