"""A "your turn" pick in a real JupyterLab: buttons appear, nothing is revealed before a click,
and the click reveals under the buttons. Proves that a kernel started by JupyterLab counts as
interactive (the unattended path is covered in tests/toolkit/test_toolkit_yourturn.py).
"""

from __future__ import annotations

from collections.abc import Iterator

import nbformat
import pytest

from tests.browser.jupyterlab import jupyterlab, run_all_cells

pytestmark = pytest.mark.slow

PICK_CELL = """\
from codegen_hero.toolkit.yourturn import choose


def reveal(pick):
    print(f"revealed after the pick: {pick}")


choice = choose(["A", "B", "C"], reveal)"""


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """JupyterLab on loopback over a one-cell notebook that offers a pick; yields its URL."""
    folder = tmp_path_factory.mktemp("choice")
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(PICK_CELL)]
    # Without a kernelspec JupyterLab asks which kernel to start, and nothing runs.
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    nbformat.write(notebook, folder / "pick.ipynb")
    with jupyterlab(folder, "pick.ipynb", drop=("HERO_INTERACTIVE", "JPY_SESSION_NAME")) as url:
        yield url


def test_a_click_records_the_pick_and_only_then_reveals(lab: str, browser) -> None:
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.goto(lab, wait_until="domcontentloaded", timeout=120_000)
    run_all_cells(tab)
    choice = tab.wait_for_selector(".hero-choice", timeout=120_000)
    buttons = choice.query_selector_all(".hero-choice-button")
    assert [b.inner_text().strip() for b in buttons] == ["A", "B", "C"]
    assert "revealed" not in choice.inner_text()  # nothing shown before the click

    buttons[1].click()
    tab.wait_for_function(
        "() => document.querySelector('.hero-choice').textContent"
        ".includes('revealed after the pick: B')",
        timeout=60_000,
    )
    assert all(b.is_disabled() for b in choice.query_selector_all(".hero-choice-button"))
    assert errors == []
    context.close()
