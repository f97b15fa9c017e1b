"""Which models the pane offers: the ones that can answer here, now.

Local models are offered once their files are installed and verified; hosted ones when their
key is set; the workshop's room server when HERO_ROOM_URL points at one. The conversation's
own model is always offered, so a pane never silently switches model.
"""

from __future__ import annotations

import os

from codegen_hero.models.local_files import is_verified
from codegen_hero.models.registry import ModelSpec, load_registry


def can_answer(spec: ModelSpec) -> bool:
    kind = spec.endpoint.kind
    if kind == "local":
        try:
            return is_verified(spec)
        except Exception:  # a registry entry with no file: not offered
            return False
    if spec.endpoint.name == "room":
        return bool(os.environ.get(spec.endpoint.base_url_env or "", ""))
    if spec.endpoint.needs_key:
        return bool(spec.endpoint.key())
    return False  # other local servers (Ollama): chosen by name, not offered blindly


def chat_models(include: str | None = None) -> list[str]:
    """Model names for the picker, local ones first, `include` always among them."""
    registry = load_registry()
    names = [name for name, spec in registry.models.items() if can_answer(spec)]
    names.sort(key=lambda n: (registry.models[n].endpoint.kind != "local", n))
    if include and include not in names:
        names.insert(0, include)
    return names
