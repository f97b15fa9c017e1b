#!/usr/bin/env bash
# The whole test suite on a fresh machine: installs what it needs, then lints and tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
bash scripts/system-deps.sh
# The site test builds the book, which serves the widget manager from book/widgets_js.
bash scripts/widget-assets.sh
echo "==> ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "==> mypy"
.venv/bin/mypy
echo "==> pytest"
# Notebook kernels inherit this: test runs never touch the user's own response cache.
HERO_CACHE_PATH="$(mktemp -d)/responses.sqlite3"
export HERO_CACHE_PATH
.venv/bin/python -m pytest "$@"
