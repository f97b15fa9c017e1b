"""Drop repeated <script> entries from each page.

sphinx-thebe adds its configuration script whenever documents are (re)read; with executed
notebooks Jupyter Book reads twice, so every page declared `THEBE_JS_URL` twice and the
browser logged an error on each page.
"""

from __future__ import annotations

from typing import Any


def _dedupe(app: Any, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    scripts = context.get("script_files")
    if not scripts:
        return
    seen: set[tuple[str, str]] = set()
    unique = []
    for script in scripts:
        # The repeat differs only in an empty filename ("" vs None), so compare what loads.
        body = str(getattr(script, "attributes", {}).get("body", ""))
        key = (str(getattr(script, "filename", None) or ""), body)
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique


def setup(app: Any) -> dict[str, Any]:
    # Early: emit_firstresult stops at the first handler that returns a template name.
    app.connect("html-page-context", _dedupe, priority=100)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
