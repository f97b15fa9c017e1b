"""Where things live and which switches are on, read from the environment each time.

Reading the environment on every call (rather than once at import) lets a notebook or a test
change a setting without restarting the kernel.
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_cache_dir, user_config_dir

APP = "codegen-hero"
CACHE_MODES = ("auto", "record", "replay", "off")


def _env_path(name: str, default: Path) -> Path:
    value = os.environ.get(name, "").strip()
    return Path(value).expanduser() if value else default


def cache_root() -> Path:
    return _env_path("HERO_HOME", Path(user_cache_dir(APP)))


def model_dir() -> Path:
    """Assembled local model files (GGUF), verified by sha256."""
    return _env_path("HERO_MODEL_DIR", cache_root() / "models")


def response_cache_path() -> Path:
    """The SQLite file of recorded responses."""
    return _env_path("HERO_CACHE_PATH", cache_root() / "responses.sqlite3")


def user_registry_path() -> Path:
    """Models a user registered themselves (their own GGUF files, their own endpoints)."""
    return _env_path("HERO_USER_REGISTRY", Path(user_config_dir(APP)) / "models.toml")


def cache_mode() -> str:
    mode = os.environ.get("HERO_CACHE", "auto").strip().lower() or "auto"
    if mode not in CACHE_MODES:
        raise ValueError(f"HERO_CACHE={mode!r} is not one of {', '.join(CACHE_MODES)}")
    return mode


def budget_usd() -> float | None:
    value = os.environ.get("HERO_BUDGET_USD", "").strip()
    if not value:
        return None
    try:
        budget = float(value)
    except ValueError:
        raise ValueError(f"HERO_BUDGET_USD={value!r} is not a number of dollars") from None
    if budget < 0:
        raise ValueError("HERO_BUDGET_USD cannot be negative")
    return budget


def threads() -> int:
    """llama.cpp defaults to half the cores; on a 2-core laptop that costs a third of the speed."""
    value = os.environ.get("HERO_THREADS", "").strip()
    return int(value) if value else max(1, os.cpu_count() or 1)


def request_timeout() -> float:
    """Seconds to wait for a hosted model before giving up (the SDKs then retry twice)."""
    value = os.environ.get("HERO_TIMEOUT_S", "").strip()
    return float(value) if value else 120.0


def interactive_frontend() -> bool:
    """Can somebody click a widget in this kernel?

    A Jupyter server (JupyterLab, Notebook 7) sets JPY_SESSION_NAME for the kernels it starts;
    nbclient (papermill, nbval, the book build) does not. HERO_INTERACTIVE=1 or 0 overrides.
    """
    forced = os.environ.get("HERO_INTERACTIVE", "").strip().lower()
    if forced in ("1", "true", "yes"):
        return True
    if forced in ("0", "false", "no"):
        return False
    return bool(os.environ.get("JPY_SESSION_NAME"))
