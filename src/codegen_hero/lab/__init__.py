"""Ghost text while typing in JupyterLab, from the local model.

Two halves: a Jupyter server extension (`handler.py`) that answers POST
/codegen-hero/complete with a fill-in-the-middle suggestion, and a prebuilt JupyterLab
extension (`labextension/`) whose inline completion provider asks it. `install.py` puts both
where a plain `jupyter lab` finds them; `hero lab` installs and starts JupyterLab.
"""

from __future__ import annotations

from typing import Any

EXTENSION = "codegen-hero-completer"


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": "codegen_hero.lab"}]


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    return [{"src": "labextension", "dest": EXTENSION}]


def _load_jupyter_server_extension(server_app: Any) -> None:
    """Called by jupyter_server at start-up when the extension is enabled in its config."""
    from codegen_hero.lab.handler import setup_handlers

    setup_handlers(server_app.web_app)
    server_app.log.info("codegen-hero: ghost-text completion at /codegen-hero/complete")
