"""A cursor placed in code with a marker, and a suggestion shown at it as grey ghost text."""

from __future__ import annotations

import html

from codegen_hero.models.errors import HeroError

CURSOR = "█"


class CursorError(HeroError):
    pass


def split_at_cursor(code: str, marker: str = CURSOR) -> tuple[str, str]:
    """The code before and after the one cursor marker: what an editor sends around it."""
    found = code.count(marker)
    if found != 1:
        raise CursorError(
            f"put exactly one {marker} in the code where the cursor is (found {found})"
        )
    prefix, _, suffix = code.partition(marker)
    return prefix, suffix


def ghost_html(prefix: str, suggestion: str, suffix: str) -> str:
    """The code as an editor shows it: the suggestion in grey italics between the two parts."""
    ghost = html.escape(suggestion) or "<i>(no suggestion)</i>"
    return (
        "<pre style='background:#f7f7f7;padding:6px'>"
        f"{html.escape(prefix)}<span style='color:#999;font-style:italic'>{ghost}</span>"
        f"{html.escape(suffix)}</pre>"
    )
