#!/usr/bin/env bash
# Build the HTML book with every lab executed on the embedded local models.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
echo "==> building the book (execution is cached: an unchanged rebuild is quick)"
.venv/bin/jupyter-book build . --path-output . -W -n --keep-going
echo "==> open _build/html/index.html"
