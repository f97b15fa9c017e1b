#!/usr/bin/env bash
# The "Try it here" panels run a model (wllama) and Python (Pyodide) in the reader's browser,
# from files inside the built book: no CDN at run time. This copies the pinned npm packages
# (npm ci from the committed lock, cached) and the verified local models, cut into parts under
# GitHub Pages' 100 MB limit (sha256 of each part recorded, checked on every run), into
# book/tryit_built (not committed). Usage: tryit-assets.sh [OUT [MODEL ...]].
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-book/tryit_built}"
shift $(( $# > 0 ? 1 : 0 ))
python="${PYTHON:-.venv/bin/python}"
if ! command -v npm >/dev/null 2>&1; then
  echo "error: npm is needed once to fetch the in-browser runtimes for the book (install Node.js)" >&2
  exit 1
fi
lock_id="$(sha256sum scripts/tryit/package-lock.json | cut -c1-16)"
npm_dir="${XDG_CACHE_HOME:-$HOME/.cache}/codegen-hero/tryit-npm/$lock_id"
if [ ! -f "$npm_dir/.installed" ]; then
  echo "==> fetching wllama, its compat build, Pyodide and coi-serviceworker from npm (once)"
  mkdir -p "$npm_dir"
  cp scripts/tryit/package.json scripts/tryit/package-lock.json "$npm_dir/"
  ( cd "$npm_dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error )
  touch "$npm_dir/.installed"
fi
nm="$npm_dir/node_modules"
vendor="$out/static/tryit-vendor"
mkdir -p "$vendor/wllama" "$vendor/wllama-compat" "$vendor/pyodide" "$out/root"
copy() { cmp -s "$1" "$2" 2>/dev/null || cp "$1" "$2"; }
copy "$nm/@wllama/wllama/esm/index.js" "$vendor/wllama/index.js"
copy "$nm/@wllama/wllama/esm/wasm/wllama.wasm" "$vendor/wllama/wllama.wasm"
copy "$nm/@wllama/wllama/LICENCE" "$vendor/wllama/LICENCE"
copy "$nm/@wllama/wllama-compat/wasm/wllama.js" "$vendor/wllama-compat/wllama.js"
copy "$nm/@wllama/wllama-compat/wasm/wllama.wasm" "$vendor/wllama-compat/wllama.wasm"
for f in pyodide.mjs pyodide.asm.mjs pyodide.asm.wasm python_stdlib.zip pyodide-lock.json; do
  copy "$nm/pyodide/$f" "$vendor/pyodide/$f"
done
# The service worker must sit at the site's root to cover every page (its scope is its folder).
copy "$nm/coi-serviceworker/coi-serviceworker.min.js" "$out/root/coi-serviceworker.min.js"
echo "==> cutting the local models into browser parts (sha256 checked)"
"$python" -m codegen_hero.models.web_parts "$out/static/tryit-models" "$@"
