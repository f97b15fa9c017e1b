"""A "Try it here" panel at the end of every stage chapter.

The panel runs a small local model (wllama) and a Python check (Pyodide in a Web Worker) in the
reader's browser, from files served by the book itself. Which chapters get which panel is in
`book/tryit/panels.toml`; a chapter's front matter can switch its panel off with `tryit: off`.
The model's answer to the panel's prompt is recorded at build time through
`codegen_hero.complete` (cached like every lab call), so a reader without JavaScript,
WebAssembly or memory enough still sees a real answer.
"""

from __future__ import annotations

import html
import json
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.util import logging

logger = logging.getLogger(__name__)
HERE = Path(__file__).resolve().parent
TRYIT = HERE.parent / "tryit"
FILL = "# <fill>"
MAX_TOKENS = 160


@dataclass(frozen=True)
class Panel:
    kind: str  # "chat" or "fim"
    prompt: str
    task: str
    prefix: str = ""
    suffix: str = ""


@dataclass(frozen=True)
class Recorded:
    model: str
    text: str
    latency_s: float
    note: str


def load_panels(path: Path = TRYIT / "panels.toml") -> dict[str, Panel]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    panels = {}
    for docname, item in data["panels"].items():
        prefix = suffix = ""
        prompt = item.get("prompt", "")
        if item["kind"] == "fim":
            prefix, suffix = split_snippet((TRYIT / "tasks" / item["snippet"]).read_text())
            prompt = (
                "Write only the missing lines that replace the line `# <fill>` in this Python "
                f"code, nothing else:\n\n```python\n{prefix}{FILL}\n{suffix}```"
            )
        panels[docname] = Panel(item["kind"], prompt, item["task"], prefix, suffix)
    return panels


def split_snippet(text: str) -> tuple[str, str]:
    """The code before and after the `# <fill>` line; the cursor keeps that line's indent."""
    before, marker, after = text.partition(FILL)
    if not marker:
        raise ValueError(f"a fill-in-the-middle snippet needs a {FILL!r} line")
    return before, after.removeprefix("\n")


def record(panel: Panel) -> Recorded:
    """The answer a real local model gives at build time (replayed from the cache later)."""
    from codegen_hero import complete
    from codegen_hero.models.registry import load_registry

    registry = load_registry()
    if panel.kind == "fim":
        # The coder is the model a fill-in-the-middle demo is about; `complete` speaks chat, so
        # the recording asks for the gap in words while the live panel sends the raw FIM tokens.
        name = registry.default
        note = "a chat request for the missing lines"
    else:
        # The page's default model is the smallest local one: the one the recording shows.
        local = [registry.get(n) for n in registry.role("offline")]
        name = min(local, key=lambda spec: spec.size or 0).name
        note = "the same prompt"
    answer = complete(name, panel.prompt, max_tokens=MAX_TOKENS, temperature=0.0)
    spec = registry.get(name)
    return Recorded(spec.display or name, answer.text.strip(), answer.latency_s or 0.0, note)


def _task_files(task: str) -> tuple[str, str]:
    folder = TRYIT / "tasks"
    return (folder / f"{task}.py").read_text(), (folder / f"{task}_check.py").read_text()


def _docstring(source: str) -> str:
    start = source.find('"""')
    end = source.find('"""', start + 3)
    return " ".join(source[start + 3 : end].split()) if start >= 0 and end > start else ""


def panel_html(panel: Panel, recorded: Recorded, runtimes: bool = True) -> str:
    """The panel as plain HTML that reads without JavaScript; tryit.js brings it to life.

    `runtimes` says whether the site carries the in-browser runtimes and model files.
    """
    e = html.escape
    starter, checks = _task_files(panel.task)
    config = {"kind": panel.kind, "starter": starter, "checks": checks, "runtimes": runtimes}
    config_json = json.dumps(config).replace("</", "<\\/")
    if panel.kind == "fim":
        ask = (
            "<p>The code around the cursor goes to the model: the part before it and the part "
            "after it. A coder model with fill-in-the-middle tokens writes what belongs in "
            "between; a model without them can only continue the part before.</p>"
            f'<label>Before the cursor<textarea class="tryit-prefix" rows="6">{e(panel.prefix)}'
            "</textarea></label>"
            f'<label>After the cursor<textarea class="tryit-suffix" rows="4">{e(panel.suffix)}'
            "</textarea></label>"
        )
        ask_label = "Fill in the middle"
    else:
        ask = (
            '<label>Your prompt<textarea class="tryit-prompt" rows="3">'
            f"{e(panel.prompt)}</textarea></label>"
        )
        ask_label = "Ask"
    return f"""
<section class="tryit" id="try-it-here" aria-label="Try it here">
<h2>Try it here</h2>
<p>A small model and Python run right here, in your browser: no install, no key, nothing sent
anywhere.</p>
<div class="tryit-status" role="status" data-kind="info">This panel needs JavaScript and
WebAssembly to run the model. Below is the answer the model gave when the book was built.</div>
<select class="tryit-model-picker" aria-label="Model" hidden></select>
<button class="tryit-load" type="button" hidden disabled>Load the model</button>
<progress class="tryit-progress" hidden></progress>
{ask}
<button class="tryit-ask-button" type="button" disabled>{ask_label}</button>
<pre class="tryit-live" aria-live="polite" hidden></pre>
<figure class="tryit-recorded">
<figcaption>Recorded when the book was built: {e(recorded.model)}, {e(recorded.note)},
{recorded.latency_s:.1f} s on the build machine.</figcaption>
<pre>{e(recorded.text)}</pre>
</figure>
<h3>Your turn</h3>
<p>{e(_docstring(starter))} Write the function, then run the checks: they run in Python inside
your browser. Or let the model try, and check its answer the same way.</p>
<textarea class="tryit-code" rows="10" spellcheck="false" aria-label="Your code">
{e(starter)}</textarea>
<button class="tryit-run" type="button" disabled>Run the checks</button>
<button class="tryit-solve" type="button" disabled>Ask the model for a solution</button>
<div class="tryit-result" aria-live="polite"></div>
<details><summary>The checks</summary><pre>{e(checks)}</pre></details>
<script type="application/json" class="tryit-config">{config_json}</script>
</section>
"""


def _assets(app: Any) -> Path:
    return Path(app.srcdir) / app.config.tryit_assets


def _add_paths(app: Any, config: Any) -> None:
    """Serve the panel's own files always; the npm runtimes and model parts once built."""
    config.html_static_path.append(str(TRYIT / "web"))
    built = Path(app.srcdir) / config.tryit_assets
    if (built / "static").is_dir():
        config.html_static_path.append(str(built / "static"))
    if (built / "root").is_dir():
        config.html_extra_path.append(str(built / "root"))


def _wants_panel(app: Any, docname: str) -> bool:
    switch = str(app.env.metadata.get(docname, {}).get("tryit", "on")).lower()
    return docname in app.env.tryit_panels and switch not in {"off", "false", "no"}


def _insert(app: Any, doctree: nodes.document, docname: str) -> None:
    if app.builder.format != "html" or not _wants_panel(app, docname):
        return
    from codegen_hero.models.errors import HeroError

    panel = app.env.tryit_panels[docname]
    try:
        recorded = record(panel)
    except HeroError as exc:
        logger.warning(f"Try it here: could not record the model's answer: {exc}", location=docname)
        recorded = Recorded("no model", "(not recorded: the local model was unavailable)", 0.0, "")
    runtimes = (_assets(app) / "static" / "tryit-models" / "manifest.json").is_file()
    doctree.append(nodes.raw("", panel_html(panel, recorded, runtimes), format="html"))


def _page_assets(app: Any, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    if doctree is not None and _wants_panel(app, pagename):
        app.add_css_file("tryit.css")
        app.add_js_file("tryit.js", type="module")


def _env_panels(app: Any) -> None:
    app.env.tryit_panels = load_panels()


def setup(app: Any) -> dict[str, Any]:
    app.add_config_value("tryit_assets", "book/tryit_built", "env")
    app.connect("config-inited", _add_paths)
    app.connect("builder-inited", _env_panels)
    app.connect("doctree-resolved", _insert)
    # Before dedupe_scripts (priority 100), which replaces the page's list of scripts.
    app.connect("html-page-context", _page_assets, priority=50)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
