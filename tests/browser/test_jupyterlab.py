"""A lab in a real JupyterLab server on 127.0.0.1, run from the browser, shows its widget.

This is what a learner does on a laptop: `jupyter lab`, open the setup check, Run All. The
comparison widget must render in the page (not only as text), with one pane per lab model.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.jupyterlab import jupyterlab, run_all_cells

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory, local_model_ready) -> Iterator[str]:
    """A JupyterLab server on loopback over a copy of the setup check; yields the notebook URL."""
    folder = tmp_path_factory.mktemp("lab")
    shutil.copy(ROOT / "notebooks" / "setup_check.ipynb", folder)
    with jupyterlab(folder, "setup_check.ipynb") as url:
        yield url


def test_the_setup_lab_runs_and_shows_its_comparison_widget(lab: str, browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.goto(lab, wait_until="domcontentloaded", timeout=120_000)
    run_all_cells(tab)  # once the kernel is idle, Run All from the Run menu
    widget = tab.wait_for_selector(".hero-comparison", timeout=300_000)
    panes = widget.query_selector_all(".hero-pane-widget")
    assert len(panes) >= 2, widget.inner_text()[:2000]
    assert "is_even" in widget.inner_text()
    # The last cell (the table's columns) has run too: the whole notebook went through.
    tab.wait_for_function(
        "() => [...document.querySelectorAll('.jp-OutputArea-output')]"
        ".some(e => e.textContent.includes('latency_s'))",
        timeout=120_000,
    )
    failed = tab.query_selector_all(".jp-OutputArea-output[data-mime-type*='error']")
    assert failed == [], [f.inner_text()[:500] for f in failed]
    assert errors == []
    context.close()
