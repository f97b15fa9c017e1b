"""The "Try it here" panel in a real headless Chromium, with every request off the site failed.

A one-chapter book is built with the real extension, asset script and smallest local model
(tests/browser/tryit_site.py); the whole executed book is not needed. Service workers are
blocked so that every request passes our router (so the model runs on one thread here).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import partial
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import QuietHandler
from tests.browser.tryit_site import (
    CHAPTER,
    FIM_CHAPTER,
    build_assets,
    build_site,
    smallest_local_model,
)

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

SLUGIFY = """import re


def slugify(title: str) -> str:
    words = re.findall(r"[a-z0-9]+", title.lower().replace("'", ""))
    return "-".join(words)
"""
WRONG_SLUGIFY = """def slugify(title: str) -> str:
    return title.lower().replace(" ", "-")
"""


@pytest.fixture(scope="module")
def tryit_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("tryit")
    assets = build_assets(out / "assets", [smallest_local_model()])
    return build_site(out / "book", assets)


@pytest.fixture(scope="module")
def served(tryit_html: Path) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(tryit_html)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


class Tab:
    """A page whose every request to another origin is failed and remembered."""

    def __init__(self, browser: Any, origin: str, **options: Any) -> None:
        self.context = browser.new_context(
            viewport={"width": 1280, "height": 900}, service_workers="block", **options
        )
        self.outside: list[str] = []
        self.inside: list[str] = []
        self.errors: list[str] = []
        self.context.route("**/*", partial(self._route, origin))
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)

    def _route(self, origin: str, route: Any) -> None:
        url = route.request.url
        if url == origin or url.startswith(origin + "/"):
            self.inside.append(url)
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()


@pytest.fixture
def tab(browser: Any, served: str) -> Iterator[Any]:
    tabs: list[Tab] = []

    def opener(**options: Any) -> Tab:
        tabs.append(Tab(browser, served, **options))
        return tabs[-1]

    yield opener
    for opened in tabs:
        opened.context.close()


def run_check(page: Any, code: str) -> str:
    page.fill(".tryit-code", code)
    page.evaluate("document.querySelector('.tryit').removeAttribute('data-checked')")
    page.click(".tryit-run")
    page.wait_for_selector(".tryit[data-checked=true]", timeout=120_000)
    return page.inner_text(".tryit-result .tryit-verdict")


def test_the_panel_runs_the_model_and_python_without_leaving_the_site(tab, served: str):
    opened = tab()
    page = opened.page
    page.add_init_script("window.tryitMaxTokens = 12")
    page.goto(f"{served}/{CHAPTER}.html", wait_until="load")
    page.wait_for_selector(".tryit-load:not([disabled])", timeout=30_000)
    # The probe speaks before any download: the size, and nothing fetched from the model yet.
    assert "MB" in page.inner_text(".tryit-model-picker option")
    assert not [url for url in opened.inside if "tryit-models/" in url and url.endswith(".bin")]
    page.click(".tryit-load")
    page.wait_for_selector(".tryit-ask-button:not([disabled])", timeout=300_000)
    page.fill(".tryit-prompt", "Say hello in one short sentence.")
    page.click(".tryit-ask-button")
    page.wait_for_selector(".tryit[data-answered=true]", timeout=300_000)
    assert page.inner_text(".tryit-live").strip()
    assert "tokens/s" in page.inner_text(".tryit-status")

    assert run_check(page, SLUGIFY) == "All 3 checks pass."
    assert run_check(page, WRONG_SLUGIFY).startswith("1 of 3")

    assert any(url.endswith(".bin") for url in opened.inside)

    # The next chapter loads the model from the browser's cache: no part is fetched again.
    fetched = len(opened.inside)
    page.goto(f"{served}/{FIM_CHAPTER}.html", wait_until="load")
    page.wait_for_selector(".tryit-load:not([disabled])", timeout=30_000)
    assert "no fill-in-the-middle tokens" in page.inner_text(".tryit-status")
    page.click(".tryit-load")
    page.wait_for_selector(".tryit-ask-button:not([disabled])", timeout=300_000)
    assert not [url for url in opened.inside[fetched:] if url.endswith(".bin")]
    page.click(".tryit-ask-button")
    page.wait_for_selector(".tryit[data-answered=true]", timeout=300_000)
    assert page.inner_text(".tryit-live").strip()

    assert opened.outside == []
    assert opened.errors == [], opened.errors


def test_without_javascript_the_chapter_and_recorded_answer_still_read(tab, served: str):
    page = tab(java_script_enabled=False).page
    page.goto(f"{served}/{CHAPTER}.html", wait_until="load")
    assert page.locator("main h1").first.inner_text().startswith("Stage 3")
    assert page.locator(".tryit h2").inner_text() == "Try it here"
    recorded = page.locator(".tryit-recorded pre")
    assert recorded.is_visible() and recorded.inner_text().strip()
    assert "needs JavaScript" in page.inner_text(".tryit-status")
    assert page.locator(".tryit-ask-button").is_disabled()


def test_without_webassembly_the_panel_says_why_and_keeps_the_recording(tab, served: str):
    opened = tab()
    opened.page.add_init_script("delete window.WebAssembly")
    opened.page.goto(f"{served}/{CHAPTER}.html", wait_until="load")
    status = opened.page.locator(".tryit-status")
    status.filter(has_text="no WebAssembly").wait_for(timeout=15_000)
    assert opened.page.locator(".tryit-recorded pre").is_visible()
    assert opened.page.locator(".tryit-load").is_hidden()
    assert opened.outside == []


def test_a_phone_gets_the_recorded_answer_not_a_download(tab, served: str):
    phone = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Mobile Safari/537.36"
    opened = tab(user_agent=phone, is_mobile=True)
    opened.page.goto(f"{served}/{CHAPTER}.html", wait_until="load")
    opened.page.locator(".tryit-status").filter(has_text="phones").wait_for(timeout=15_000)
    assert opened.page.locator(".tryit-load").is_hidden()
    assert not [url for url in opened.inside if url.endswith(".bin")]
