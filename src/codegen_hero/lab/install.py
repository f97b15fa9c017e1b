"""Put the ghost-text extension where a plain `jupyter lab` finds it, once and idempotently.

Two files trees under a prefix (the virtualenv by default):
- `share/jupyter/labextensions/codegen-hero-completer/`: the prebuilt frontend, its script
  named after its content hash so a browser never runs a stale copy;
- `etc/jupyter/jupyter_server_config.d/codegen_hero.json`: enables the server extension.

    python -m codegen_hero.lab.install [--prefix DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from importlib import resources
from pathlib import Path

from codegen_hero.lab import EXTENSION

SERVER_CONFIG = {"ServerApp": {"jpserver_extensions": {"codegen_hero.lab": True}}}
INSTALL_INFO = {
    "packageManager": "python",
    "packageName": "codegen-hero",
    "uninstallInstructions": "Delete this folder and etc/jupyter/jupyter_server_config.d/"
    "codegen_hero.json from the environment.",
}


def _write(path: Path, data: bytes) -> bool:
    """Write only if different; True when something changed."""
    if path.is_file() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


def _json(data: dict) -> bytes:
    return (json.dumps(data, indent=2) + "\n").encode()


def install(prefix: Path) -> list[Path]:
    """Install into `prefix`; returns the files written (empty when already up to date)."""
    source = resources.files("codegen_hero.lab").joinpath("labextension")
    script = source.joinpath("static", "remoteEntry.js").read_bytes()
    package = json.loads(source.joinpath("package.json").read_text("utf-8"))
    entry = f"static/remoteEntry.{hashlib.sha256(script).hexdigest()[:16]}.js"
    package["jupyterlab"]["_build"]["load"] = entry
    target = prefix / "share" / "jupyter" / "labextensions" / EXTENSION
    files = {
        target / entry: script,
        target / "package.json": _json(package),
        target / "install.json": _json(INSTALL_INFO),
        prefix / "etc" / "jupyter" / "jupyter_server_config.d" / "codegen_hero.json": _json(
            SERVER_CONFIG
        ),
    }
    written = [path for path, data in files.items() if _write(path, data)]
    for stale in (target / "static").glob("remoteEntry.*.js"):
        if stale != target / entry:
            stale.unlink()
            written.append(stale)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prefix", type=Path, default=Path(sys.prefix), help="default: this venv")
    args = parser.parse_args(argv)
    changed = install(args.prefix)
    state = "installed" if changed else "already up to date"
    print(f"==> JupyterLab ghost text (local model): extension {state} in {args.prefix}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
