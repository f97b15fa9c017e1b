"""Constants and helpers shared by the sandbox tests."""

from __future__ import annotations

import os
from pathlib import Path

from codegen_hero.sandbox import isolation_report

CANARY_KEY = "sk-ant-canary-0123456789abcdef"
CANARY_SECRETS = {
    "ANTHROPIC_API_KEY": CANARY_KEY,
    "OPENAI_API_KEY": "sk-openai-canary-42",
    "GITHUB_TOKEN": "ghp_canary_token_42",
    "DB_PASSWORD": "hunter2-canary",
    "AWS_SECRET_ACCESS_KEY": "aws-canary-secret",
}


def bwrap_unavailable_reason() -> str | None:
    saved = os.environ.pop("HERO_SANDBOX", None)
    try:
        level, why = isolation_report()
    finally:
        if saved is not None:
            os.environ["HERO_SANDBOX"] = saved
    return None if level == "bwrap" else why


def snapshot(path: Path) -> dict[str, str]:
    """Names and contents (files only) under a directory."""
    found = {}
    for item in sorted(path.rglob("*")):
        found[str(item.relative_to(path))] = item.read_text() if item.is_file() else "<dir>"
    return found


def home_listing() -> list[str]:
    return sorted(os.listdir(Path.home()))
