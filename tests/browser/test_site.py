"""The built book in a real headless Chromium: every page, the comparison view, the buttons.

The book is built once for this module, strictly (-W -n), with every notebook executed. A canary
key is set and the frontier models answer from our loopback test double, so the test also
proves that no key reaches the published pages.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from functools import partial
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest
import yaml

from tests.browser.conftest import QuietHandler
from tests.fakes.llm_server import FakeLLMServer

ROOT = Path(__file__).resolve().parents[2]
CANARY = "sk-ant-canary-book-5c1d0e7a9b3f4c2d8e6a-never-publish"
JUPYTER_BOOK = Path(sys.executable).with_name("jupyter-book")
pytestmark = [pytest.mark.slow, pytest.mark.timeout(2400)]  # the fixture builds the whole book


def toc_pages() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    pages = [toc["root"]]

    def walk(entries: list[dict]) -> None:
        for entry in entries:
            pages.append(entry["file"])
            walk(entry.get("sections", []))

    for part in toc.get("parts", []):
        walk(part["chapters"])
    walk(toc.get("chapters", []))
    return pages


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    out = tmp_path_factory.mktemp("book")
    with FakeLLMServer() as fake:
        env = {
            **os.environ,
            "HERO_PROGRESS": "0",
            "ANTHROPIC_API_KEY": CANARY,
            "ANTHROPIC_BASE_URL": fake.url,
        }
        result = subprocess.run(
            [
                str(JUPYTER_BOOK),
                "build",
                str(ROOT),
                "--path-output",
                str(out),
                "-W",
                "-n",
                "--keep-going",
            ],
            capture_output=True,
            text=True,
            env=env,
            timeout=3000,
        )
    assert result.returncode == 0, why_the_build_failed(result.stdout + result.stderr, out)
    yield out / "_build" / "html"


def why_the_build_failed(log: str, out: Path) -> str:
    """The build's own warnings and each failing notebook's traceback, without kernel chatter."""
    noise = ("[IPKernelApp]", "Kernel is running over TCP")
    lines = [line for line in log.splitlines() if not any(n in line for n in noise)]
    flagged = [line for line in lines if "WARNING" in line or "ERROR" in line or "Error" in line]
    reports = sorted((out / "_build" / "html" / "reports").rglob("*.log"))
    parts = ["build warnings and errors:", *flagged[-40:]]
    for report in reports:
        parts += [f"--- {report.name} ---", report.read_text(errors="replace")[-3000:]]
    if not flagged and not reports:
        parts += ["(nothing flagged; the end of the log follows)", *lines[-40:]]
    return "\n".join(parts)


@pytest.fixture(scope="module")
def served(built: Path) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(built)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def test_no_key_anywhere_in_the_built_site(built: Path):
    files = [p for p in built.rglob("*") if p.is_file()]
    assert len(files) > 50
    leaks = [p for p in files if CANARY.encode() in p.read_bytes()]
    assert leaks == []


@pytest.mark.parametrize("page", toc_pages())
def test_every_page_loads_cleanly(page: str, served: str, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    errors: list[str] = []
    failed: list[str] = []
    tab.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    tab.on("requestfailed", lambda request: failed.append(f"failed {request.url}"))
    try:
        response = tab.goto(f"{served}/{page}.html", wait_until="networkidle")
        assert response is not None and response.status == 200
        assert tab.locator("main h1").count() >= 1
        assert failed == [], failed
        assert errors == [], errors
    finally:
        context.close()


def test_internal_links_resolve(built: Path):
    broken = []
    for html in [built / f"{page}.html" for page in toc_pages()]:
        for href in re.findall(r'href="([^"#?]+)', html.read_text(encoding="utf-8")):
            if urlparse(href).scheme or href.startswith(("mailto:", "//")):
                continue
            target = Path(urlparse(urljoin(html.as_uri(), href)).path)
            if not target.exists():
                broken.append(f"{html.relative_to(built)} -> {href}")
    assert broken == []


def test_comparison_views_show_every_model_pane(served: str, built: Path, open_page):
    pages = [p for p in built.rglob("*.html") if 'class="hero-pane"' in p.read_text("utf-8")]
    assert pages, "no page shows a comparison"
    for path in pages:
        opened = open_page(f"{served}/{path.relative_to(built).as_posix()}")
        panes = opened.page.locator(".hero-pane")
        assert panes.count() >= 2, path.name
        assert all(panes.nth(i).is_visible() for i in range(panes.count())), path.name


def test_notebook_pages_have_launch_and_repository_buttons(built: Path):
    for page in [p for p in toc_pages() if p.startswith(("notebooks/", "exercises/"))]:
        html = (built / f"{page}.html").read_text(encoding="utf-8")
        assert "mybinder.org" in html, page
        assert "colab.research.google.com" in html, page
        assert "github.com/codegen-hero/codegen-hero" in html, page


def test_recorded_conversations_read_without_a_kernel(served: str, built: Path, open_page):
    pages = [p for p in built.rglob("*.html") if 'class="hero-chat-turn' in p.read_text("utf-8")]
    names = {p.stem for p in pages}
    assert {"03-chat", "06-planning"} <= names, names
    for path in pages:
        opened = open_page(f"{served}/{path.relative_to(built).as_posix()}")
        turns = opened.page.locator(".hero-chat-turn")
        assert turns.count() >= 2, path.name  # a question and its answer, at least
        assert turns.nth(1).is_visible(), path.name
        assert opened.errors == [], (path.name, opened.errors)
