"""A real headless Chromium and a loopback web server, started once per test module.

Playwright's own browser download cannot run here, so we drive the distribution's Chromium.
Tests that need it skip (with the reason) when it is missing.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        """Keep the test output clean; failures show up as page errors instead."""


@dataclass
class Site:
    """Files written to `root` are served at `url` (loopback only)."""

    root: Path
    url: str

    def publish(self, name: str, text: str) -> str:
        (self.root / name).write_text(text, encoding="utf-8")
        return f"{self.url}/{name}"


@dataclass
class OpenedPage:
    page: Any
    errors: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    root = tmp_path_factory.mktemp("site")
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Site(root, f"http://127.0.0.1:{server.server_address[1]}")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def open_page(browser: Any) -> Iterator[Callable[..., OpenedPage]]:
    """Open a URL at a given viewport, recording console errors and uncaught page errors."""
    contexts: list[Any] = []

    def opener(url: str, width: int = 1280, height: int = 900) -> OpenedPage:
        context = browser.new_context(viewport={"width": width, "height": height})
        contexts.append(context)
        page = context.new_page()
        opened = OpenedPage(page)
        page.on(
            "console", lambda msg: opened.errors.append(msg.text) if msg.type == "error" else None
        )
        page.on("pageerror", lambda exc: opened.errors.append(str(exc)))
        page.goto(url, wait_until="load")
        return opened

    yield opener
    for context in contexts:
        context.close()
