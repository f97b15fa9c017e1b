"""Time to first token of a chat's turn 8 vs its turn 1, on the default local model.

Each turn asks a question of the same length; between turns another call runs on the same
model (as when a lab compares models between two chat messages). If the provider re-read the
whole history at every turn, or that other call evicted the conversation, turn 8 would wait
for ~8 turns of tokens; with the KV cache kept warm it waits only for the new message. Target:
turn 8 ÷ turn 1 ≤ 1.5. The same conversation is also timed with one context only (the
conversation evicted by every call in between), for contrast, in the same run.

    .venv/bin/python bench/chat_turns.py [--turns 8] [--write]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _report import update_section  # noqa: E402

from codegen_hero import complete  # noqa: E402
from codegen_hero.chat import Chat, Turn  # noqa: E402
from codegen_hero.models.providers import _llama_slots, local  # noqa: E402
from codegen_hero.models.registry import load_registry  # noqa: E402

TARGET = 1.5
ANSWER_TOKENS = 48
QUESTIONS = [
    "What does the Python builtin len return for an empty list, and why?",
    "What does the Python builtin zip return when given lists of unequal size?",
    "What does the Python builtin sorted return when given a dict of numbers?",
    "What does the Python builtin enumerate return when given a string of text?",
    "What does the Python builtin reversed return when given a list of numbers?",
    "What does the Python builtin sum return when given an empty tuple of numbers?",
    "What does the Python builtin max return when given a list of equal strings?",
    "What does the Python builtin any return when given an empty list of values?",
]


def first_token_times(model: str, turns: int) -> list[float]:
    """Seconds from sending each turn to its first streamed piece."""
    chat = Chat(model, system="Answer in two sentences.", max_tokens=ANSWER_TOKENS)
    started = [0.0]
    firsts: list[float] = []

    def on_turn(turn: Turn) -> None:
        if turn.role == "assistant" and turn.content and len(firsts) < turn_number[0]:
            firsts.append(time.perf_counter() - started[0])

    turn_number = [0]
    chat.subscribe(on_turn)
    for i in range(turns):
        turn_number[0] = i + 1
        started[0] = time.perf_counter()
        answer = chat.send(QUESTIONS[i % len(QUESTIONS)])
        if answer.error:
            raise SystemExit(f"turn {i + 1} failed: {answer.error}")
        complete(model, f"Name one Python keyword ({i}).", max_tokens=4, cache="off")
    return firsts


def row(label: str, times: list[float], ratio: str, target: str) -> str:
    first, last, median = times[0], times[-1], statistics.median(times)
    return f"| {label} | {first:.3f} s | {last:.3f} s | {median:.3f} s | {ratio} | {target} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=8)
    parser.add_argument("--write", action="store_true", help="update BENCHMARKS.md")
    args = parser.parse_args()
    os.environ["HERO_CACHE"] = "off"  # every turn must really run
    registry = load_registry()
    model = registry.default
    complete(model, "Warm up.", max_tokens=2)  # load the model before timing anything

    warm = first_token_times(model, args.turns)
    _llama_slots.MAX_SLOTS = 1  # the contrast: one context, evicted by every call in between
    local._close_all()
    complete(model, "Warm up.", max_tokens=2)
    evicted = first_token_times(model, args.turns)
    ratio, contrast = warm[-1] / warm[0], evicted[-1] / evicted[0]
    verdict = "meets" if ratio <= TARGET else "misses"
    load = os.getloadavg()[0]
    print(f"warm slots: turn 1 {warm[0]:.3f} s, turn {args.turns} {warm[-1]:.3f} s, {ratio:.2f}")
    print(
        f"one slot:   turn 1 {evicted[0]:.3f} s, turn {args.turns} {evicted[-1]:.3f} s, "
        f"{contrast:.2f}"
    )
    body = f"""## Chat: time to first token at turn {args.turns} vs turn 1 (`bench/chat_turns.py`)

| context | turn 1 | turn {args.turns} | median of all turns | ratio | target |
|---|---|---|---|---|---|
{row("kept warm (the provider's slots)", warm, f"**{ratio:.2f}**", f"≤ {TARGET} ({verdict})")}
{row("evicted by the call in between", evicted, f"{contrast:.2f}", "(contrast)")}

Default local model ({registry.get(model).display}), questions of the same length, answers of
at most {ANSWER_TOKENS} tokens, another call on the same model between turns. Load average
{load:.1f} at the end (other work on this machine competes for the same cores).
"""
    print(body)
    if args.write:
        update_section("chat_turns", body)


if __name__ == "__main__":
    main()
