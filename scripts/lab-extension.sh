#!/usr/bin/env bash
# Ghost-text completion in JupyterLab: install the prebuilt frontend (one hand-written file, no
# Node build) and enable the server extension inside .venv, so a plain `.venv/bin/jupyter lab`
# offers the local model's suggestions. Idempotent: it rewrites nothing that is up to date.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/python -m codegen_hero.lab.install --prefix .venv
