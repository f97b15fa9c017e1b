#!/usr/bin/env bash
# Build the HTML book with every lab executed on the embedded local models.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
bash scripts/widget-assets.sh
bash scripts/tryit-assets.sh
# Progress bars are for people at a keyboard, not for the built pages.
export HERO_PROGRESS=0
# Kernels over encrypted TCP (src/codegen_hero/kernels.py): no per-notebook TCP warning.
export JUPYTER_DEFAULT_PROVISIONER_NAME="${JUPYTER_DEFAULT_PROVISIONER_NAME:-hero-encrypted}"
echo "==> building the book (execution is cached: an unchanged rebuild is quick)"
.venv/bin/jupyter-book build . --path-output . -W -n --keep-going
echo "==> open _build/html/index.html"
