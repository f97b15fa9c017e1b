"""Fan-out: K models answering at once should cost about the slowest, not the sum.

K=4 OpenAI-compatible "models" on a loopback server we control, each answering after 1 s of
simulated latency. We time one call to a single model, then `compare()` over all four, in the
same run, and report compare's wall time divided by the single call's. Target: at most 1.15.

    .venv/bin/python bench/fanout.py [--write]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _report import update_section  # noqa: E402

from codegen_hero.compare import compare  # noqa: E402
from codegen_hero.models import client  # noqa: E402
from tests.fakes.llm_server import FakeLLMServer  # noqa: E402  (the loopback test double)

K = 4
LATENCY_S = 1.0
TARGET = 1.15


def run(rounds: int) -> dict[str, float]:
    with FakeLLMServer(latency=LATENCY_S) as server:
        os.environ["HERO_OLLAMA_URL"] = server.url + "/v1"
        os.environ["HERO_PROGRESS"] = "0"
        models = [f"ollama/bench-{i}" for i in range(K)]
        client.complete(models[0], "warm-up", cache="off")  # imports and client set-up
        singles, fans = [], []
        for r in range(rounds):
            start = time.perf_counter()
            client.complete(models[-1], f"single {r}", cache="off")
            singles.append(time.perf_counter() - start)
            start = time.perf_counter()
            result = compare(f"fan-out {r}", models, cache="off")
            fans.append(time.perf_counter() - start)
            assert all(row.error is None for row in result.rows), result.rows
    single, fan = min(singles), min(fans)
    return {"single_s": single, "fanout_s": fan, "ratio": fan / single, "sum_s": K * single}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--write", action="store_true", help="record the result in BENCHMARKS.md")
    args = parser.parse_args()
    result = run(args.rounds)
    verdict = "meets" if result["ratio"] <= TARGET else "MISSES"
    body = (
        "## Fan-out: compare() over K models vs one call (`bench/fanout.py`)\n\n"
        "| K | latency per model | one call | compare() over K | ratio | target |\n"
        "|---|---|---|---|---|---|\n"
        f"| {K} | {LATENCY_S:.1f} s (loopback server) | {result['single_s']:.3f} s | "
        f"{result['fanout_s']:.3f} s | **{result['ratio']:.3f}** | ≤ {TARGET} ({verdict}) |\n\n"
        f"Calling the {K} one after another would take about {result['sum_s']:.1f} s. "
        f"Best of {args.rounds} rounds for each side."
    )
    print(body)
    if args.write:
        update_section("fanout", body)


if __name__ == "__main__":
    main()
