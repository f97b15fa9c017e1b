"""The in-browser model (wllama in headless Chromium) vs llama-cpp-python, same model, same threads.

Both sides generate the same greedy answer to the same chat prompt on the same machine, one
after the other, in one run (the machine is shared, so each side's best round is kept). Speed is
generation only (tokens after the first, prompt processing excluded) on both sides. The page
is the real "Try it here" panel of a one-chapter book (tests/browser/tryit_site.py); bytes
fetched are counted by our own loopback server. Also writes the speed probe's calibration
(`book/tryit/web/tryit-calibration.json`) that the panel scales its estimate by.

    .venv/bin/python bench/browser_model.py [--write] [--all-models] [--tokens 64]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import threading
import time
from datetime import date
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from _report import update_section  # noqa: E402

from tests.browser.tryit_site import CHAPTER, build_assets, build_site  # noqa: E402

PROMPT = "Write a Python function that returns the n-th Fibonacci number, with a docstring."
CALIBRATION = ROOT / "book" / "tryit" / "web" / "tryit-calibration.json"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


class CountingHandler(SimpleHTTPRequestHandler):
    sent = 0
    lock = threading.Lock()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        """Quiet."""

    def copyfile(self, source: Any, outputfile: Any) -> None:
        while chunk := source.read(1 << 20):
            outputfile.write(chunk)
            with CountingHandler.lock:
                CountingHandler.sent += len(chunk)


def native_round(path: Path, threads: int, tokens: int) -> float:
    """Generation tokens per second of llama-cpp-python on the same prompt, greedy."""
    from llama_cpp import Llama

    llm = Llama(str(path), n_threads=threads, n_ctx=1024, verbose=False, seed=0)
    stamps = []
    stream = llm.create_chat_completion(
        messages=[{"role": "user", "content": PROMPT}],
        max_tokens=tokens,
        temperature=0.0,
        stream=True,
    )
    for chunk in stream:
        if chunk["choices"][0]["delta"].get("content"):
            stamps.append(time.perf_counter())
    llm.close()
    return (len(stamps) - 1) / (stamps[-1] - stamps[0])


def browser_round(browser: Any, url: str, model: dict, tokens: int) -> dict[str, float]:
    """Load the model in the panel (fresh profile, nothing cached) and ask the same prompt."""
    context = browser.new_context(service_workers="block")  # one thread, as on the native side
    page = context.new_page()
    page.add_init_script(f"window.tryitMaxTokens = {tokens}")
    page.goto(f"{url}/{CHAPTER}.html", wait_until="load")
    page.wait_for_selector(".tryit-load:not([disabled])", timeout=60_000)
    probe = page.evaluate("window.tryitProbe(1000)")
    page.select_option(".tryit-model-picker", model["sha256"])
    before = CountingHandler.sent
    page.click(".tryit-load")
    page.wait_for_selector(".tryit-ask-button:not([disabled])", timeout=900_000)
    fetched = CountingHandler.sent - before
    stats = page.evaluate("window.tryitStats")
    page.fill(".tryit-prompt", PROMPT)
    page.click(".tryit-ask-button")
    page.wait_for_selector(".tryit[data-answered=true]", timeout=900_000)
    run = page.evaluate("window.tryitLastRun")
    context.close()
    return {
        "tok_s": run["tok_s"],
        "tokens": run["tokens"],
        "fetch_s": stats["fetch_s"],
        "load_s": stats["load_s"],
        "bytes": fetched,
        "threads": stats["threads"],
        "probe": probe,
    }


def measure(models: list[str], tokens: int, rounds: int) -> list[dict]:
    from playwright.sync_api import sync_playwright

    from codegen_hero.models.local_files import ensure_ready
    from codegen_hero.models.registry import load_registry

    registry = load_registry()
    work = Path(tempfile.mkdtemp(prefix="hero-browser-bench-"))
    try:
        assets = build_assets(work / "assets", models)
        html = build_site(work / "book", assets)
        manifest = json.loads((assets / "static" / "tryit-models" / "manifest.json").read_text())
        server = ThreadingHTTPServer(
            ("127.0.0.1", 0), partial(CountingHandler, directory=str(html))
        )
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_address[1]}"
        results = []
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
            )
            for model in manifest["models"]:
                path = ensure_ready(registry.get(model["name"]))
                native, inside = [], []
                for _ in range(rounds):  # interleaved, so both sides see the same machine load
                    native.append(native_round(path, 1, tokens))
                    inside.append(browser_round(browser, url, model, tokens))
                    print(
                        f"  {model['display']}: native {native[-1]:.1f} tok/s, "
                        f"browser {inside[-1]['tok_s']:.1f} tok/s",
                        file=sys.stderr,
                    )
                best = max(inside, key=lambda r: r["tok_s"])
                quickest = min(inside, key=lambda r: r["fetch_s"] + r["load_s"])
                results.append(
                    {"model": model, "native": max(native), "browser": best, "load": quickest}
                )
            browser.close()
        server.shutdown()
        return results
    finally:
        shutil.rmtree(work, ignore_errors=True)


def report(results: list[dict], tokens: int, rounds: int, load: tuple[float, float]) -> str:
    rows = []
    for r in results:
        b, q = r["browser"], r["load"]
        rows.append(
            f"| {r['model']['display']} | 1 | {r['native']:.1f} | {b['tok_s']:.1f} | "
            f"**{b['tok_s'] / r['native']:.2f}** | {q['fetch_s'] + q['load_s']:.1f} s "
            f"({q['fetch_s']:.1f} fetch + {q['load_s']:.1f} load) | {q['bytes'] / 1e6:.1f} MB |"
        )
    return "\n".join(
        [
            "## In-browser model: wllama in Chromium vs llama-cpp-python "
            "(`bench/browser_model.py`)",
            "",
            "| model | threads | native tok/s | in-browser tok/s | ratio | first load (no cache) "
            "| bytes fetched |",
            "|---|---|---|---|---|---|---|",
            *rows,
            "",
            f"Same chat prompt, greedy, {tokens} tokens at most, generation speed only; best of "
            f"{rounds} interleaved rounds per side, headless Chromium. One thread on both sides "
            "(service workers blocked, so no cross-origin isolation). Bytes fetched: the page, "
            "the runtimes and the model parts, counted by the site's server. The machine is "
            "shared with other work: "
            f"load average {load[0]:.1f} before and {load[1]:.1f} after.",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="update BENCHMARKS.md and the probe")
    parser.add_argument("--all-models", action="store_true", help="every offline model")
    parser.add_argument("--tokens", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    from codegen_hero.models.registry import load_registry
    from tests.browser.tryit_site import smallest_local_model

    models = load_registry().role("offline") if args.all_models else [smallest_local_model()]
    before = os.getloadavg()[0]
    results = measure(models, args.tokens, args.rounds)
    body = report(results, args.tokens, args.rounds, (before, os.getloadavg()[0]))
    print(body)
    if args.write:
        update_section("browser_model", body)
        probe = max(r["browser"]["probe"] for r in results)
        calibration = {
            "measured": date.today().isoformat(),
            "about": "probe score and in-browser speed (1 thread) on the benchmark machine",
            "probe_score": round(probe, 1),
            "models": {
                r["model"]["sha256"]: {"tok_s": round(r["browser"]["tok_s"], 2), "threads": 1}
                for r in results
            },
        }
        CALIBRATION.write_text(json.dumps(calibration, indent=1) + "\n")


if __name__ == "__main__":
    main()
