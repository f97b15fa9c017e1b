"""Ghost text while typing in a real JupyterLab on 127.0.0.1, from the real local model.

What a learner does after `hero lab`: type a signature and a docstring in a notebook cell,
pause, see the model's suggestion in grey, press Tab to take it, run the cell. The extension
is installed into a scratch prefix exactly as the install script installs it into the venv.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from codegen_hero.lab.install import install
from tests.browser.jupyterlab import IDLE, jupyterlab

SCREENSHOT = Path("/tmp/codegen-hero-ghost-text.png")
pytestmark = pytest.mark.slow

EMPTY_NOTEBOOK = {
    "cells": [{"cell_type": "code", "execution_count": None, "id": "c1", "metadata": {},
               "outputs": [], "source": ""}],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                "language": "python"}},
    "nbformat": 4,
    "nbformat_minor": 5,
}  # fmt: skip


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory, local_model_ready) -> Iterator[str]:
    """JupyterLab with the extension from a scratch prefix; yields an empty notebook's URL."""
    root = tmp_path_factory.mktemp("ghost")
    prefix, folder = root / "prefix", root / "work"
    folder.mkdir()
    (folder / "ghost.ipynb").write_text(json.dumps(EMPTY_NOTEBOOK))
    install(prefix)
    env = {
        "JUPYTER_PATH": str(prefix / "share" / "jupyter"),
        "JUPYTER_CONFIG_PATH": str(prefix / "etc" / "jupyter"),
    }
    # HERO_AUTOCOMPLETE dropped: the registry's default autocomplete model answers.
    with jupyterlab(folder, "ghost.ipynb", env=env, drop=("HERO_AUTOCOMPLETE",)) as url:
        yield url


# The grey suggestion; JupyterLab leaves invisible "spacer" copies behind for a moment.
GHOST = ".jp-GhostText:not(.jp-GhostText-lineSpacer):not(.jp-GhostText-letterSpacer)"
SHOWS_A_BODY = f"() => /return/.test(document.querySelector('{GHOST}')?.textContent || '')"
SHOWS_NOTHING = f"() => !document.querySelector('{GHOST}')"


def cell_text(tab) -> str:
    """What the first cell holds: its editor's lines without any grey ghost text."""
    return tab.evaluate(
        """() => {
          const content = document.querySelector('.jp-Notebook .jp-Cell .cm-content');
          const copy = content.cloneNode(true);
          copy.querySelectorAll('.jp-GhostText').forEach(ghost => ghost.remove());
          return [...copy.querySelectorAll('.cm-line')].map(line => line.textContent).join('\\n');
        }"""
    )


def test_type_a_docstring_see_the_suggestion_press_tab_run_the_cell(lab: str, browser):
    context = browser.new_context(viewport={"width": 1300, "height": 800})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    asked: list[str] = []
    tab.on("request", lambda r: asked.append(r.url) if "codegen-hero/complete" in r.url else None)
    tab.goto(lab, wait_until="domcontentloaded", timeout=120_000)
    tab.wait_for_selector(".jp-Notebook .jp-Cell .cm-content", timeout=120_000)
    tab.wait_for_function(IDLE, timeout=120_000)
    tab.click(".jp-Notebook .jp-Cell .cm-content")
    tab.keyboard.type("def is_even(n):", delay=25)
    tab.keyboard.press("Enter")  # JupyterLab indents the next line itself
    tab.keyboard.type('"""Return True when n is even, False when it is odd."""', delay=25)
    tab.wait_for_function(SHOWS_A_BODY, timeout=120_000)
    # Typing something else dismisses the suggestion at once; taking it back asks again.
    tab.keyboard.type("x")
    tab.wait_for_function(SHOWS_NOTHING, timeout=1_000)
    tab.keyboard.press("Backspace")
    tab.wait_for_function(SHOWS_A_BODY, timeout=120_000)
    ghost = tab.query_selector(GHOST)
    suggestion = ghost.text_content() or ""
    tab.screenshot(path=str(SCREENSHOT))
    before = cell_text(tab)
    assert "return" not in before  # grey text is shown, not yet typed into the cell
    tab.keyboard.press("Tab")
    tab.wait_for_function(SHOWS_NOTHING, timeout=10_000)
    accepted = cell_text(tab)
    assert accepted.startswith(before) and suggestion.strip() in accepted, (accepted, suggestion)
    # Run the cell, then use the function: the accepted code is real, working Python.
    tab.keyboard.press("Shift+Enter")
    tab.wait_for_selector(".jp-Notebook .jp-Cell:nth-child(2) .cm-content", timeout=30_000)
    tab.keyboard.type("print(is_even(4), is_even(7))", delay=10)
    tab.keyboard.press("Escape")  # no ghost text in the way of running it
    tab.keyboard.press("Shift+Enter")
    output = tab.wait_for_selector(".jp-OutputArea-output", timeout=60_000)
    assert output.inner_text().strip() == "True False"
    failed = tab.query_selector_all(".jp-OutputArea-output[data-mime-type*='error']")
    assert failed == [], [f.inner_text()[:500] for f in failed]
    assert asked and errors == []
    context.close()
