"""Tokens per second of the default local model through our provider vs llama-cpp-python direct.

Both run the same prompts with the same settings (greedy, same threads, same chat format), in
one process, interleaved so that drift in machine load hits both alike. The target is a ratio
of at least 0.95: the course's layer (registry, request, ledger) must cost next to nothing.

    .venv/bin/python bench/local_model.py [--write]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _report import update_section  # noqa: E402

from codegen_hero import settings  # noqa: E402
from codegen_hero.models import client, local_files  # noqa: E402
from codegen_hero.models.providers.local import DEFAULT_SEED  # noqa: E402
from codegen_hero.models.registry import load_registry  # noqa: E402

PROMPTS = [
    "Write a Python function that returns the n-th Fibonacci number iteratively.",
    "Write a Python function is_palindrome(s) that ignores case and spaces.",
    "Write a Python function that merges two sorted lists into one sorted list.",
    "Write a Python function that counts the words in a string and returns a dict.",
    "Write a Python function that flattens a nested list of integers.",
]
MAX_TOKENS = 128
TARGET = 0.95


def run(rounds: int) -> dict[str, float]:
    from llama_cpp import Llama

    registry = load_registry()
    spec = registry.get(registry.default)
    path = local_files.ensure_ready(spec)
    n = settings.threads()
    direct = Llama(
        model_path=str(path),
        n_ctx=spec.context,
        n_threads=n,
        n_threads_batch=n,
        chat_format=spec.chat_format,
        seed=DEFAULT_SEED,
        verbose=False,
    )

    def call_direct(prompt: str) -> int:
        out = direct.create_chat_completion(
            messages=[{"role": "user", "content": prompt}],
            max_tokens=MAX_TOKENS,
            temperature=0.0,
            seed=DEFAULT_SEED,
        )
        return out["usage"]["completion_tokens"]

    def call_ours(prompt: str) -> int:
        answer = client.complete(spec.name, prompt, max_tokens=MAX_TOKENS, cache="off")
        return answer.usage.output_tokens

    call_direct(PROMPTS[0])  # warm-up: load and first-token costs out of the measurement
    call_ours(PROMPTS[0])
    totals = {"direct": [0, 0.0], "ours": [0, 0.0]}
    for r in range(rounds):
        order = [("direct", call_direct), ("ours", call_ours)]
        if r % 2:
            order.reverse()
        for prompt in PROMPTS:
            for label, call in order:
                start = time.perf_counter()
                tokens = call(prompt)
                totals[label][0] += tokens
                totals[label][1] += time.perf_counter() - start
    direct_tps = totals["direct"][0] / totals["direct"][1]
    ours_tps = totals["ours"][0] / totals["ours"][1]
    return {
        "model": f"default local model ({spec.display})",
        "direct_tps": direct_tps,
        "ours_tps": ours_tps,
        "ratio": ours_tps / direct_tps,
        "tokens": totals["ours"][0],
        "threads": n,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--write", action="store_true", help="record the result in BENCHMARKS.md")
    args = parser.parse_args()
    result = run(args.rounds)
    verdict = "meets" if result["ratio"] >= TARGET else "MISSES"
    body = (
        "## Local model: our provider vs llama-cpp-python direct (`bench/local_model.py`)\n\n"
        f"| model | threads | direct tok/s | through `complete()` tok/s | ratio | target |\n"
        f"|---|---|---|---|---|---|\n"
        f"| {result['model']} | {result['threads']} | {result['direct_tps']:.1f} | "
        f"{result['ours_tps']:.1f} | **{result['ratio']:.3f}** | ≥ {TARGET} ({verdict}) |\n\n"
        f"{len(PROMPTS)} prompts × {args.rounds} rounds, {MAX_TOKENS} max tokens, greedy, "
        f"interleaved; {result['tokens']} tokens generated on our side."
    )
    print(body)
    if args.write:
        update_section("local_model", body)


if __name__ == "__main__":
    main()
