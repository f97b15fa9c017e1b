"""Book build times: cold (everything executed), warm (every page re-read), and the floor.

The floor is jupyter-book's own cost for the same book with execution switched off, built
fresh. Warm rebuilds every page (`--all`) with nothing changed, so each notebook's outputs come
from the execution cache. Target: warm takes at most 1.5x the floor, i.e. cached execution adds
next to nothing. All are measured in one run, on copies of the book.

    .venv/bin/python bench/book_build.py [--write]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from _report import update_section  # noqa: E402

JUPYTER_BOOK = Path(sys.executable).with_name("jupyter-book")
SOURCES = ["_config.yml", "_toc.yml", "book", "notebooks", "exercises"]
TARGET = 1.5


def copy_book(dest: Path, execute: bool) -> Path:
    for name in SOURCES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        else:
            shutil.copy2(src, dest / name)
    if not execute:
        config = (dest / "_config.yml").read_text()
        config = config.replace("execute_notebooks: cache", 'execute_notebooks: "off"')
        (dest / "_config.yml").write_text(config)
    return dest


def build(book: Path, env: dict[str, str], *extra: str) -> float:
    start = time.perf_counter()
    result = subprocess.run(
        [str(JUPYTER_BOOK), "build", str(book), "-W", "-n", "--keep-going", *extra],
        capture_output=True,
        text=True,
        env=env,
    )
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"build failed in {book}:\n{(result.stdout + result.stderr)[-3000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="record the result in BENCHMARKS.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hero-bench-book-") as tmp:
        tmp_path = Path(tmp)
        env = {
            **os.environ,
            "HERO_PROGRESS": "0",
            "HERO_CACHE_PATH": str(tmp_path / "responses.sqlite3"),
        }  # cold: nothing recorded
        env.pop("ANTHROPIC_API_KEY", None)
        env.pop("OPENAI_API_KEY", None)
        (tmp_path / "executed").mkdir()
        executed = copy_book((tmp_path / "executed").resolve(), execute=True)
        cold = build(executed, env)
        unchanged = build(executed, env)  # Sphinx sees nothing to do
        warm = build(executed, env, "--all")  # every page read again, outputs from the cache
        (tmp_path / "floor").mkdir()
        floor = build(copy_book((tmp_path / "floor").resolve(), execute=False), env, "--all")
    ratio = warm / floor
    verdict = "meets" if ratio <= TARGET else "MISSES"
    body = (
        "## Book build (`bench/book_build.py`)\n\n"
        "| cold build, every notebook executed | warm rebuild, every page re-read | "
        "floor: same book, execution off | warm ÷ floor | target |\n"
        "|---|---|---|---|---|\n"
        f"| {cold:.1f} s | {warm:.1f} s | {floor:.1f} s | **{ratio:.2f}** | ≤ {TARGET} "
        f"({verdict}) |\n\n"
        "Cold starts with an empty response cache and an empty execution cache, on the local "
        "models only. The warm rebuild (`--all`) reads and writes every page again, taking each "
        "notebook's outputs from the execution cache; the floor is the same book built fresh "
        f"with execution switched off. A plain rebuild with nothing changed took {unchanged:.1f} s "
        "(Sphinx skips every page)."
    )
    print(body)
    if args.write:
        update_section("book_build", body)


if __name__ == "__main__":
    main()
