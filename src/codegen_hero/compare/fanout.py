"""Send one request to several models at once and run the code they write in the sandbox.

Hosted models are called concurrently (a limit per provider); local models share the CPU, so
they take turns. One model failing never sinks the others: its row carries the error.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import sys
import time
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from codegen_hero.compare.comparison import Comparison, Row
from codegen_hero.models import client
from codegen_hero.models.errors import HeroError
from codegen_hero.models.registry import load_registry
from codegen_hero.models.request import Request
from codegen_hero.sandbox import SandboxResult, extract_code, run_code

T = TypeVar("T")
PER_PROVIDER_LIMIT = {"local": 1}  # in-process models share the CPU
DEFAULT_LIMIT = 8
SAMPLE_TEMPERATURE = 0.7  # repeat samples need some randomness to show (in)stability

Progress = Callable[[int, int, str], None]


def run_sync(coro: Coroutine[Any, Any, T]) -> T:
    """asyncio.run, also from inside Jupyter, whose kernel already runs an event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def _progress_enabled(progress: bool | None) -> bool:
    if progress is not None:
        return progress
    if os.environ.get("HERO_PROGRESS", "").strip() in ("0", "false", "no"):
        return False
    return sys.stderr.isatty() or "ipykernel" in sys.modules


def _sample_request(request: Request, sample: int, n: int) -> Request:
    """Each repeat gets its own seed (and so its own cache entry); the first is as asked."""
    if n == 1:
        return request
    temperature = SAMPLE_TEMPERATURE if request.temperature is None else request.temperature
    base = request.seed if request.seed is not None else 0
    return Request.of(request, temperature=temperature, seed=base + sample)


async def _ask_all(
    models: list[str], request: Request, n: int, cache: str | None, tick: Callable[[str], None]
) -> list[Row]:
    registry = load_registry()
    limits: dict[str, asyncio.Semaphore] = {}

    async def one(model: str, sample: int) -> Row:
        try:
            provider = registry.get(model).provider
        except HeroError as exc:
            return Row(model, sample, error=str(exc))
        limit = PER_PROVIDER_LIMIT.get(registry.get(model).endpoint.kind, DEFAULT_LIMIT)
        gate = limits.setdefault(provider, asyncio.Semaphore(limit))
        async with gate:
            try:
                answer = await client.acomplete(
                    model, _sample_request(request, sample, n), cache=cache
                )
                return Row(model, sample, completion=answer)
            except HeroError as exc:
                return Row(model, sample, error=str(exc))
            except Exception as exc:  # a bug in one provider must not sink the others
                return Row(model, sample, error=f"{type(exc).__name__}: {exc}")
            finally:
                tick(model)

    jobs = [one(model, sample) for model in models for sample in range(n)]
    return list(await asyncio.gather(*jobs))


def _run_tests(
    rows: list[Row], tests: str | None, language: str, timeout: float, tick: Callable[[str], None]
) -> None:
    """Extract each answer's code and run it with the tests, several sandboxes at a time."""
    for row in rows:
        if row.completion is not None:
            row.code = extract_code(row.completion.text, language) or None
    if tests is None:
        return
    for row in rows:
        if row.completion is not None and row.code is None:
            # Nothing to run is a failed attempt, not a test run on an empty file.
            row.test = SandboxResult(
                status="error", language=language, reason="no code found in the answer"
            )
    todo = [(row, row.code) for row in rows if row.code is not None]
    workers = max(1, min(len(todo), os.cpu_count() or 1))
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        futures = {
            pool.submit(run_code, code, tests=tests, language=language, timeout=timeout): row
            for row, code in todo
        }
        for future in concurrent.futures.as_completed(futures):
            futures[future].test = future.result()
            tick(futures[future].model)


def compare(
    prompt: str | Request | list[Any],
    models: list[str] | None = None,
    *,
    n: int = 1,
    tests: str | None = None,
    language: str = "python",
    test_timeout: float = 10.0,
    cache: str | None = None,
    progress: bool | None = None,
    **options: Any,
) -> Comparison:
    """Ask every model (default: the lab models) `n` times; run `tests` on the code they write.

    `options` are request fields (system, max_tokens, temperature, seed, stop).
    """
    if n < 1:
        raise ValueError("n must be at least 1")
    request = Request.of(prompt, **options)
    models = list(models or load_registry().lab_models())
    if not models:
        raise ValueError("no models to compare")
    total = len(models) * n * (2 if tests is not None else 1)
    start = time.perf_counter()
    with _progress_bar(total, _progress_enabled(progress)) as tick:
        rows = run_sync(_ask_all(models, request, n, cache, tick))
        _run_tests(rows, tests, language, test_timeout, tick)
    return Comparison(
        request=request,
        rows=rows,
        tests=tests,
        language=language,
        wall_time_s=time.perf_counter() - start,
    )


class _progress_bar:
    """A tqdm bar (notebook-aware) when enabled; a no-op otherwise."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.total, self.enabled, self.bar = total, enabled, None

    def __enter__(self) -> Callable[[str], None]:
        if self.enabled:
            from tqdm.auto import tqdm

            self.bar = tqdm(total=self.total, desc="answers and tests", leave=False)
        return self.tick

    def tick(self, model: str) -> None:
        if self.bar is not None:
            self.bar.set_postfix_str(model, refresh=False)
            self.bar.update(1)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.close()
