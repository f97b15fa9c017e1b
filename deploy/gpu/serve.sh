#!/usr/bin/env bash
# Serve a room from a GPU box with llama.cpp's llama-server (built with CUDA, Metal or Vulkan).
#   MODEL=/path/model.gguf ALIAS=name KEYS=keys.txt bash deploy/gpu/serve.sh [extra flags]
# ALIAS is what learners call: room/<ALIAS>. KEYS is a file from `hero serve --keys FILE`
# (one key per line, '#' comments), which llama-server reads as it is.
# Learners set HERO_ROOM_URL=http://<this box>:8080/v1 and HERO_ROOM_KEY=<their key>.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
: "${MODEL:?set MODEL to a GGUF file}" "${ALIAS:?set ALIAS to the name learners call}"
: "${KEYS:?set KEYS to a key file (make one: hero serve --keys keys.txt, then Ctrl-C)}"
mapfile -t flags < <(grep -v '^\s*#' "$here/llama-server.args" | grep -v '^\s*$' | tr ' ' '\n')
exec "${LLAMA_SERVER:-llama-server}" --model "$MODEL" --alias "$ALIAS" \
  --api-key-file "$KEYS" "${flags[@]}" "$@"
