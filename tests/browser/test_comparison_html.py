"""The comparison HTML in a real headless Chromium: layout, wrapping, readability, no errors."""

from __future__ import annotations

import re
import shutil
from typing import Any

import pytest

if shutil.which("chromium") is None:
    pytest.skip(
        "chromium not found on PATH: apt-get install chromium to run the browser tests",
        allow_module_level=True,
    )
pytest.importorskip("playwright.sync_api", reason="playwright (python) is not installed")

from playwright.sync_api import expect  # noqa: E402

from codegen_hero.compare import Comparison, Row  # noqa: E402
from codegen_hero.compare.views import render_html  # noqa: E402
from codegen_hero.models.request import Completion, Request, Usage  # noqa: E402
from codegen_hero.sandbox import SandboxResult  # noqa: E402

GOOD, BAD = "anthropic/hosted-test-model", "local/small-test-model"
# pydata-sphinx-theme's dark palette, roughly: what the book looks like in dark mode.
LIGHT = "background:#ffffff;color:#222832;"
DARK = "background:#14181e;color:#ced6dd;"


def two_models() -> Comparison:
    """One model passes, the other fails a test; a long line checks that panes do not widen."""
    good = "def fizzbuzz(n: int) -> str:\n    if n % 15 == 0:\n        return 'FizzBuzz'\n"
    good += "    if n % 3 == 0:\n        return 'Fizz'\n    return str(n)  # " + "x" * 150
    bad = "def fizzbuzz(n):\n    return 'Fizz' if n % 3 == 0 else n  # <script>no</script>"

    def completion(model: str, code: str, cost: float | None, latency: float) -> Completion:
        text = f"Here is a solution:\n```python\n{code}\n```\nIt handles the edge cases."
        usage = Usage(input_tokens=52, output_tokens=88)
        return Completion(text, model, usage, latency, cost, "stop", cached=model == GOOD)

    return Comparison(
        request=Request.of("Write fizzbuzz(n) that returns 'Fizz', 'Buzz', 'FizzBuzz' or n."),
        rows=[
            Row(
                GOOD,
                0,
                completion(GOOD, good, 0.00049, 1.84),
                good,
                SandboxResult("ok", 0, tests_passed=["test_fizz", "test_plain"]),
            ),
            Row(
                BAD,
                0,
                completion(BAD, bad, 0.0, 6.2),
                bad,
                SandboxResult(
                    "fail",
                    1,
                    tests_passed=["test_fizz"],
                    tests_failed=["test_plain"],
                    failures={"test_plain": "AssertionError: assert 7 == '7'"},
                ),
            ),
        ],
        tests="def test_fizz(): ...\ndef test_plain(): ...",
        wall_time_s=6.4,
    )


def page_html(fragment: str, body_style: str = LIGHT) -> str:
    return (
        '<!doctype html><html><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<link rel="icon" href="data:,"><title>comparison</title></head>'
        f'<body style="margin:16px;font-size:16px;{body_style}">{fragment}</body></html>'
    )


def boxes(page: Any) -> list[dict[str, float]]:
    panes = page.locator(".hero-pane")
    return [panes.nth(i).bounding_box() for i in range(panes.count())]


def page_overflow(page: Any) -> int:
    """How many pixels the page is wider than the viewport (horizontal scrolling)."""
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


@pytest.fixture(scope="module")
def fragment() -> str:
    return render_html(two_models())


def test_wide_screen_panes_side_by_side(site, open_page, fragment, tmp_path) -> None:
    opened = open_page(site.publish("wide.html", page_html(fragment)), width=1280, height=900)
    page = opened.page
    panes = page.locator(".hero-pane")
    expect(panes).to_have_count(2)
    for i, model in enumerate((GOOD, BAD)):
        expect(panes.nth(i)).to_be_visible()
        assert panes.nth(i).get_attribute("data-model") == model
    left, right = boxes(page)
    assert abs(left["y"] - right["y"]) < 1, "panes should share a row"
    assert left["x"] + left["width"] <= right["x"], "panes must not overlap"
    assert left["width"] > 400 and right["width"] > 400

    good, bad = panes.nth(0), panes.nth(1)
    expect(good.get_by_text(GOOD, exact=True)).to_be_visible()
    expect(bad.get_by_text(BAD, exact=True)).to_be_visible()
    passed = good.locator(".hero-badge", has_text=re.compile(r"^passed$"))
    failed = bad.locator(".hero-badge", has_text=re.compile(r"^failed$"))
    expect(passed).to_be_visible()
    expect(failed).to_be_visible()
    assert passed.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(26, 127, 55)"
    assert failed.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(207, 34, 46)"
    expect(bad.get_by_text("test_plain", exact=True)).to_be_visible()
    expect(bad.get_by_text("tests 1 passed / 1 failed")).to_be_visible()
    expect(good.get_by_text("replayed", exact=True)).to_be_visible()
    expect(bad.get_by_text("cost $0", exact=True)).to_be_visible()
    expect(page.locator("script")).to_have_count(0)  # the model's <script> stayed text
    expect(bad.locator("pre code.language-python")).to_contain_text("<script>no</script>")
    assert page_overflow(page) <= 2, "a long code line must scroll inside its pane"

    shot = tmp_path / "comparison-1280.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    assert opened.errors == []


def test_narrow_screen_panes_stack_and_stay_readable(site, open_page, fragment, tmp_path) -> None:
    opened = open_page(site.publish("narrow.html", page_html(fragment)), width=400, height=900)
    page = opened.page
    top, below = boxes(page)
    assert below["y"] >= top["y"] + top["height"], "panes should wrap onto their own rows"
    assert abs(top["x"] - below["x"]) < 1
    assert top["width"] > 300, "a stacked pane uses the width it has"
    assert page_overflow(page) <= 4, "no horizontal page scrolling on a phone"
    code = page.locator(".hero-pane pre code").first
    expect(code).to_be_visible()
    assert float(code.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 12
    page.screenshot(path=str(tmp_path / "comparison-400.png"), full_page=True)
    assert opened.errors == []


def test_dark_page_keeps_text_readable(site, open_page, fragment, tmp_path) -> None:
    """Text inherits the theme's colour; only badges bring their own (white on colour)."""
    opened = open_page(site.publish("dark.html", page_html(fragment, DARK)), width=1280)
    page = opened.page
    body = page.evaluate("getComputedStyle(document.body).color")
    for selector in (".hero-pane", ".hero-pane pre code", ".hero-summary td", ".hero-header"):
        colour = page.locator(selector).first.evaluate("e => getComputedStyle(e).color")
        assert colour == body, f"{selector} should inherit the page colour"
    badge = page.locator(".hero-badge", has_text=re.compile(r"^failed$"))
    assert badge.evaluate("e => getComputedStyle(e).color") == "rgb(255, 255, 255)"
    page.screenshot(path=str(tmp_path / "comparison-dark.png"), full_page=True)
    assert opened.errors == []


def test_layout_survives_without_style_element(site, open_page, fragment) -> None:
    """GitHub's notebook renderer strips <style>: the inline styles alone must do the layout."""
    bare = re.sub(r"<style>.*?</style>", "", fragment, flags=re.S)
    assert "<style>" not in bare
    opened = open_page(site.publish("github.html", page_html(bare)), width=1280)
    left, right = boxes(opened.page)
    assert abs(left["y"] - right["y"]) < 1 and left["x"] + left["width"] <= right["x"]
    assert opened.errors == []
