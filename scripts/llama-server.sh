#!/usr/bin/env bash
# llama.cpp's own server (`llama-server`: continuous batching, parallel slots, API keys) for
# `hero serve`, built once from the llama.cpp source inside the pinned llama-cpp-python sdist.
#   - The binary lands in the user cache directory, keyed by version and build flags, so it
#     is built once per machine; running this again takes a second.
#   - No network beyond PyPI: the sdist comes through pip (usually from pip's own cache), the
#     web UI is neither built nor downloaded, HTTPS and libcurl are off.
#   - If the build fails, `hero serve` falls back to llama-cpp-python's server and says so.
# Usage: bash scripts/llama-server.sh [PYTHON]   (default: .venv/bin/python)
set -euo pipefail
# shellcheck source=lib/follow-build.sh
source "$(dirname "$0")/lib/follow-build.sh"
cd "$(dirname "$0")/.."

PY="${1:-.venv/bin/python}"
VERSION="$(grep -iE '^llama[-_]cpp[-_]python==' constraints.txt | head -n 1 | cut -d= -f3)"
FLAGS=(
  -DCMAKE_BUILD_TYPE=Release
  -DBUILD_SHARED_LIBS=OFF
  -DLLAMA_BUILD_SERVER=ON -DLLAMA_BUILD_TOOLS=ON -DLLAMA_BUILD_COMMON=ON
  -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_APP=OFF
  -DLLAMA_BUILD_UI=OFF -DLLAMA_USE_PREBUILT_UI=OFF
  -DLLAMA_OPENSSL=OFF -DLLAMA_LLGUIDANCE=OFF
  -DGGML_NATIVE=ON
)
key="$(printf '%s %s %s' "$VERSION" "${FLAGS[*]}" "$(uname -sm)" | sha256sum | cut -c1-12)"
# The same folder the package looks in (codegen_hero.workshop.engine.built_binaries).
root="$("$PY" -c 'from codegen_hero import settings; print(settings.cache_root())')/llama-server"
dest="$root/$VERSION-$key"
if [ -x "$dest/bin/llama-server" ] && "$dest/bin/llama-server" --version >/dev/null 2>&1; then
  echo "==> llama-server $VERSION is built ($dest/bin/llama-server)"
  exit 0
fi

cmake_bin="$(command -v cmake || true)"
if [ -z "$cmake_bin" ]; then
  echo "==> installing cmake from PyPI into $root/tools (once)"
  [ -x "$root/tools/bin/python" ] || "$PY" -m venv "$root/tools"
  "$root/tools/bin/python" -m pip install -q --disable-pip-version-check "cmake==4.4.5"
  cmake_bin="$root/tools/bin/cmake"
fi
generator=()
command -v ninja >/dev/null 2>&1 && generator=(-G Ninja)

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "==> building llama-server $VERSION for hero serve (parallel learners; once per machine)"
echo "    This compiles llama.cpp again, as a server: about 5-7 minutes on 2 cores. If it"
echo "    fails, hero serve uses llama-cpp-python's server instead (one request at a time)."
"$PY" -m pip download -q --disable-pip-version-check --no-deps --no-binary :all: \
  "llama-cpp-python==$VERSION" -d "$work" >"$work/download.log" 2>&1 || {
  echo "error: could not fetch the llama-cpp-python $VERSION source:" >&2
  tail -n 5 "$work/download.log" >&2
  exit 1
}
tar -xzf "$work"/llama_cpp_python-"$VERSION".tar.gz -C "$work"
src="$work/llama_cpp_python-$VERSION/vendor/llama.cpp"

log="$work/build.log"
cores="$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)"
start=$SECONDS
(
  nice -n 10 "$cmake_bin" -S "$src" -B "$work/build" "${generator[@]}" "${FLAGS[@]}" \
    -DLLAMA_BUILD_NUMBER=0 \
    && nice -n 10 "$cmake_bin" --build "$work/build" --target llama-server -j "$cores"
) >"$log" 2>&1 &
follow_build $! "$log" llama-server
mkdir -p "$dest/bin"
cp "$work/build/bin/llama-server" "$dest/bin/llama-server.tmp"
mv "$dest/bin/llama-server.tmp" "$dest/bin/llama-server"
printf '%s\n' "llama-cpp-python $VERSION" "${FLAGS[@]}" >"$dest/build-flags.txt"
echo "    done in $((SECONDS - start))s: $dest/bin/llama-server"
