#!/usr/bin/env bash
# System tools some tests use: bubblewrap (the sandbox's isolation), Chromium (browser
# tests) and socat (a sandboxed tool's one bridge to the local model server). Installed
# only where we may (root with apt-get); elsewhere those tests say why they were skipped,
# and the sandbox falls back to its weaker rlimit-only mode.
set -uo pipefail
want=()
command -v bwrap >/dev/null 2>&1 || want+=(bubblewrap)
command -v chromium >/dev/null 2>&1 || want+=(chromium)
command -v socat >/dev/null 2>&1 || want+=(socat)  # bridges a sandboxed tool to the model server
[ ${#want[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "==> installing system packages: ${want[*]}"
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${want[@]}" >/dev/null \
    || echo "warning: could not install ${want[*]}; the tests that need them will be skipped" >&2
else
  echo "note: ${want[*]} not installed (needs root and apt-get); related tests will be skipped" >&2
fi
