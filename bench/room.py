"""Serving a room: many learners asking one server at once, measured with the openai client.

1, 4, 8 and 16 learners send a chat request at the same moment, each for a 64-token answer
(streamed, as the labs do); per level: the room's aggregate tok/s, median and p95 latency,
time to first token. Without --url it starts `hero serve` on loopback for each engine in
turn (llama-server, then llama-cpp-python's server), every learner with their own key, and
reports both in one run: 8 learners vs 1 (target: aggregate ≥ 1.5x, p95 ≤ 6x one learner's
latency) and a capacity table (learners per core for an answer length and a wait).

    .venv/bin/python bench/room.py [--threads 2] [--learners 1,4,8,16] [--write]
    .venv/bin/python bench/room.py --url http://gpu-box:8080/v1 --key KEY   # any server
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import openai

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from _report import update_section  # noqa: E402

from codegen_hero.models.registry import load_registry  # noqa: E402
from codegen_hero.workshop import room_keys  # noqa: E402
from codegen_hero.workshop.engine import FALLBACK, LLAMA_SERVER, llama_server_binary  # noqa: E402

PROMPT = (
    "Write a Python function `median(xs)` that returns the median of a list of numbers, "
    "with a docstring, input checks and three pytest tests."
)
TARGET_AGGREGATE = 1.5  # 8 learners' aggregate tok/s over one learner's
TARGET_P95 = 6.0  # 8 learners' p95 latency over one learner's median latency
WAITS_S = (10, 30, 60)
ANSWERS = (64, 256)


@dataclass
class Level:
    learners: int
    requests: int
    tokens: int
    wall_s: float
    aggregate_tps: float
    latency_median_s: float
    latency_p95_s: float
    ttft_median_s: float
    ttft_p95_s: float
    errors: int
    short: int  # answers that stopped before the tokens asked for (cut, or the model ended)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]


def one_request(client: openai.OpenAI, model: str, tokens: int) -> tuple[float, float, int]:
    """(latency, time to first token, answer tokens) for one streamed answer."""
    start = time.perf_counter()
    first, pieces, counted = None, 0, None
    stream = client.chat.completions.create(
        model=model,
        messages=[{"role": "user", "content": PROMPT}],
        max_tokens=tokens,
        temperature=0,
        stream=True,
        stream_options={"include_usage": True},
    )
    for chunk in stream:
        if chunk.usage and chunk.usage.completion_tokens:
            counted = chunk.usage.completion_tokens
        if chunk.choices and chunk.choices[0].delta and chunk.choices[0].delta.content:
            first = first or time.perf_counter()
            pieces += 1
    end = time.perf_counter()
    return end - start, (first or end) - start, counted or pieces


def run_level(url: str, keys: list[str], model: str, learners: int, tokens: int, rounds: int):
    clients = [
        openai.OpenAI(base_url=url, api_key=keys[i % len(keys)], max_retries=0, timeout=600)
        for i in range(learners)
    ]
    latencies, ttfts, total, errors, short, wall = [], [], 0, 0, 0, 0.0
    for _ in range(max(rounds, math.ceil(4 / learners))):  # at least 4 answers per level
        results: list[tuple[float, float, int] | BaseException] = []
        gate = threading.Barrier(learners)

        def learner(client: openai.OpenAI, gate: threading.Barrier, results: list) -> None:
            gate.wait()  # everyone presses Run at the same moment
            try:
                results.append(one_request(client, model, tokens))
            except Exception as exc:  # counted and reported, never hidden
                results.append(exc)

        threads = [threading.Thread(target=learner, args=(c, gate, results)) for c in clients]
        start = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall += time.perf_counter() - start
        for result in results:
            if isinstance(result, BaseException):
                errors += 1
                print(f"    error: {type(result).__name__}: {result}", file=sys.stderr)
                continue
            latencies.append(result[0])
            ttfts.append(result[1])
            total += result[2]
            short += result[2] < tokens
    if not latencies:
        raise SystemExit(f"every request failed at {learners} learners")
    return Level(
        learners, len(latencies), total, wall, total / wall,
        statistics.median(latencies), p95(latencies),
        statistics.median(ttfts), p95(ttfts), errors, short,
    )  # fmt: skip


def first_model(url: str, key: str) -> str:
    return openai.OpenAI(base_url=url, api_key=key, max_retries=0).models.list().data[0].id


class LocalServer:
    """`hero serve` on loopback with one key per learner, as a room would run it."""

    def __init__(self, engine: str, model: str, threads: int, learners: int) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="bench-room-"))
        self.engine, self.model = engine, model
        keys_file = self.folder / "keys.txt"
        self.command = [
            sys.executable, "-m", "codegen_hero.workshop.cli", "serve", "-m", model,
            "--port", "0", "--engine", engine, "--threads", str(threads),
            "--learners", str(learners), "--keys", str(keys_file),
            "--log", str(self.folder / "engine.log"),
        ]  # fmt: skip
        self.keys_file = keys_file
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> LocalServer:
        out = (self.folder / "serve.out").open("w")
        self.process = subprocess.Popen(self.command, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 300
        text = ""
        while time.monotonic() < deadline and "Press Ctrl-C" not in text:
            if self.process.poll() is not None:
                raise SystemExit(f"hero serve failed:\n{text}")
            time.sleep(0.3)
            text = (self.folder / "serve.out").read_text()
        self.url = re.search(r"HERO_ROOM_URL=(\S+)", text).group(1)  # type: ignore[union-attr]
        self.engine_line = next(line for line in text.splitlines() if line.startswith("Engine:"))
        self.keys = [key for _, key in room_keys.parse(self.keys_file.read_text())]
        return self

    def __exit__(self, *exc: object) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def measure(url: str, keys: list[str], model: str, levels: list[int], tokens: int, rounds: int):
    run_level(url, keys, model, 1, 8, 1)  # warm up: model pages, prompt cache
    found = []
    for learners in levels:
        level = run_level(url, keys, model, learners, tokens, rounds)
        print(
            f"  {learners:>3} learners: {level.aggregate_tps:6.1f} tok/s aggregate, latency "
            f"median {level.latency_median_s:5.2f} s p95 {level.latency_p95_s:5.2f} s, first "
            f"token median {level.ttft_median_s:5.2f} s ({level.requests} answers, "
            f"{level.errors} errors, {level.short} short)",
            flush=True,
        )
        found.append(level)
    return found


def ratios(levels: list[Level]) -> tuple[float, float] | None:
    by = {level.learners: level for level in levels}
    if 1 not in by or 8 not in by:
        return None
    one, eight = by[1], by[8]
    return eight.aggregate_tps / one.aggregate_tps, eight.latency_p95_s / one.latency_median_s


def capacity(levels: list[Level], cores: int) -> list[tuple[int, int, float]]:
    """(answer tokens, wait s, learners per core) if everyone asks at once, from the best
    measured aggregate rate and the first-token wait at the largest room measured."""
    best = max(levels, key=lambda level: level.aggregate_tps)
    biggest = max(levels, key=lambda level: level.learners)
    rows = []
    for answer in ANSWERS:
        for wait in WAITS_S:
            served = max(0.0, wait - biggest.ttft_median_s) * best.aggregate_tps / answer
            rows.append((answer, wait, served / cores))
    return rows


def table(name: str, levels: list[Level]) -> list[str]:
    lines = [
        f"**{name}**",
        "",
        "| learners | aggregate tok/s | latency median | latency p95 | first token median | "
        "first token p95 | answers | errors | short answers |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {lv.learners} | {lv.aggregate_tps:.1f} | {lv.latency_median_s:.2f} s | "
        f"{lv.latency_p95_s:.2f} s | {lv.ttft_median_s:.2f} s | {lv.ttft_p95_s:.2f} s | "
        f"{lv.requests} | {lv.errors} | {lv.short} |"
        for lv in levels
    ]
    return [*lines, ""]


def verdict(value: float, target: float, above: bool) -> str:
    ok = value >= target if above else value <= target
    return f"{'≥' if above else '≤'} {target:g} ({'meets' if ok else 'misses'})"


def report(results: dict[str, list[Level]], threads: int, tokens: int, load: str) -> str:
    lines = ["## Serving a room: many learners at once (`bench/room.py`)", ""]
    lines += [
        f"Default model, `hero serve` on loopback with one key per learner, {threads} "
        f"thread(s) per engine, {tokens}-token streamed answers, official openai client; "
        f"measured in the same run: {', '.join(results)}. {load}",
        "",
        "| engine | 8 learners vs 1: aggregate tok/s | target | 8 learners' p95 latency vs "
        "one learner's | target |",
        "|---|---|---|---|---|",
    ]
    for name, levels in results.items():
        found = ratios(levels)
        if found:
            agg, lat = found
            lines.append(
                f"| {name} | **{agg:.2f}x** | {verdict(agg, TARGET_AGGREGATE, True)} | "
                f"**{lat:.1f}x** | {verdict(lat, TARGET_P95, False)} |"
            )
    if LLAMA_SERVER in results and FALLBACK in results:
        new = {lv.learners: lv for lv in results[LLAMA_SERVER]}
        old = {lv.learners: lv for lv in results[FALLBACK]}
        if 8 in new and 8 in old:
            lines += [
                "",
                f"At 8 learners llama-server gives the room "
                f"**{new[8].aggregate_tps / old[8].aggregate_tps:.2f}x** the aggregate tok/s of "
                f"llama-cpp-python's server, and a p95 wait "
                f"{new[8].latency_p95_s:.1f} s instead of {old[8].latency_p95_s:.1f} s.",
            ]
    lines.append("")
    for name, levels in results.items():
        lines += table(name, levels)
    name = LLAMA_SERVER if LLAMA_SERVER in results else next(iter(results))
    best = results[name]
    lines += [
        f"**Capacity ({name}): learners per core** who can all press Run at the same "
        "moment and all have their answer within the wait. Derived from the best aggregate "
        "rate above and the first-token wait of the largest room measured; prompts of about "
        "40 tokens; per core = per engine thread. Long prompts, a busier machine or a bigger "
        "model lower it; measure your own machine with this script.",
        "",
        "| answer tokens | " + " | ".join(f"wait {w} s" for w in WAITS_S) + " |",
        "|---|" + "---|" * len(WAITS_S),
    ]
    rows = capacity(best, threads)
    for answer in ANSWERS:
        cells = [f"{per:.1f}" for a, _, per in rows if a == answer]
        lines.append(f"| {answer} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="measure this OpenAI-compatible server instead")
    parser.add_argument("--key", default=os.environ.get("HERO_ROOM_KEY", "none"))
    parser.add_argument("--model", help="the id to ask for (default: the server's first)")
    parser.add_argument("--learners", default="1,4,8,16")
    parser.add_argument("--tokens", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--engines", default=f"{LLAMA_SERVER},{FALLBACK}")
    parser.add_argument("--json", type=Path, help="also write the raw numbers here")
    parser.add_argument("--write", action="store_true", help="record the result in BENCHMARKS.md")
    args = parser.parse_args()
    levels = [int(n) for n in args.learners.split(",")]
    results: dict[str, list[Level]] = {}
    if args.url:
        model = args.model or first_model(args.url, args.key)
        print(f"{args.url} ({model}):")
        results[args.url] = measure(args.url, [args.key], model, levels, args.tokens, args.rounds)
    else:
        model = args.model or load_registry().default
        for engine in args.engines.split(","):
            if engine == LLAMA_SERVER and llama_server_binary() is None:
                print("llama-server is not built (scripts/llama-server.sh): skipped")
                continue
            with LocalServer(engine, model, args.threads, max(levels)) as server:
                print(f"{engine}: {server.engine_line}", flush=True)
                alias = model.split("/", 1)[1]
                results[engine] = measure(
                    server.url, server.keys, alias, levels, args.tokens, args.rounds
                )
    if args.json:
        raw = {name: [asdict(level) for level in found] for name, found in results.items()}
        args.json.write_text(json.dumps(raw, indent=2))
    load = f"Load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores."
    body = report(results, args.threads, args.tokens, load)
    print(body)
    if args.write:
        update_section("room", body)


if __name__ == "__main__":
    main()
