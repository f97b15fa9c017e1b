"""A one-chapter book with the "Try it here" panel, built the way the real book is.

The browser test and `bench/browser_model.py` need the panel, its runtimes and one model, not
every executed lab: this builds the stage 3 chapter's panel through the same extension and the
same asset script as `scripts/book.sh`, with only the smallest local model, in a minute or so.
Two chapters: the chat panel (stage 3) and the fill-in-the-middle panel (stage 2).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
JUPYTER_BOOK = Path(sys.executable).with_name("jupyter-book")
CHAPTER = "book/03-chat"
FIM_CHAPTER = "book/02-autocomplete"
PAGES = {
    CHAPTER: "# Stage 3: Chat about your code\n",
    FIM_CHAPTER: "# Stage 2: AI autocomplete\n",
}
NOTE = '\nA small book for testing the "Try it here" panels: the real panels, not the prose.\n'


def smallest_local_model() -> str:
    """The page's default model: the smallest of the offline models."""
    from codegen_hero.models.registry import load_registry

    registry = load_registry()
    specs = [registry.get(name) for name in registry.role("offline")]
    return min(specs, key=lambda spec: spec.size or 0).name


def _run(cmd: list[str], env: dict[str, str], timeout: int) -> None:
    result = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout)
    if result.returncode != 0:
        tail = "\n".join((result.stdout + result.stderr).splitlines()[-30:])
        raise RuntimeError(f"{' '.join(cmd[:3])} failed:\n{tail}")


def build_assets(out: Path, models: list[str]) -> Path:
    env = {**os.environ, "PYTHON": sys.executable, "PYTHONPATH": str(ROOT / "src")}
    _run(["bash", str(ROOT / "scripts" / "tryit-assets.sh"), str(out), *models], env, 900)
    return out


def build_site(out: Path, assets: Path) -> Path:
    """Build strictly (-W -n), execution off; returns the HTML folder."""
    src = out / "src"
    (src / "book").mkdir(parents=True, exist_ok=True)
    for docname, title in PAGES.items():
        (src / f"{docname}.md").write_text(title + NOTE, encoding="utf-8")
    toc = f"format: jb-book\nroot: {CHAPTER}\nchapters:\n  - file: {FIM_CHAPTER}\n"
    (src / "_toc.yml").write_text(toc, encoding="utf-8")
    (src / "_config.yml").write_text(
        "\n".join(
            [
                'title: "Try it here"',
                "only_build_toc_files: true",
                "execute:",
                '  execute_notebooks: "off"',
                "sphinx:",
                "  local_extensions:",
                f"    dedupe_scripts: {ROOT / 'book' / '_ext'}",
                f"    tryit: {ROOT / 'book' / '_ext'}",
                "  config:",
                "    nitpicky: true",
                f"    tryit_assets: {assets}",
                "    html_context:",
                "      default_mode: auto",
                "",
            ]
        ),
        encoding="utf-8",
    )
    env = {**os.environ, "HERO_PROGRESS": "0", "PYTHONPATH": str(ROOT / "src")}
    cmd = [str(JUPYTER_BOOK), "build", str(src), "--path-output", str(out), "-W", "-n"]
    _run([*cmd, "--keep-going"], env, 900)
    return out / "_build" / "html"
