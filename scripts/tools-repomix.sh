#!/usr/bin/env bash
# repomix (a context packer, npm) pinned by tools/repomix/package-lock.json: 1.14.0, the
# newest release that runs on Node 20 (1.14.1 and later need Node 22). Safe to run again:
# skipped while the installed copy matches the lock file. Its tokenizer is bundled, so it
# packs and counts tokens offline.
set -euo pipefail
cd "$(dirname "$0")/../tools/repomix"
stamp="node_modules/.hero-$(sha256sum package-lock.json | cut -c1-16)"
if [ -f "$stamp" ] && [ -f node_modules/repomix/bin/repomix.cjs ]; then
  echo "==> repomix is up to date (tools/repomix)"
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "warning: npm not found; repomix is not installed and the packer lab will say so" >&2
  exit 0
fi
echo "==> installing repomix from npm into tools/repomix (pinned; about a minute, once)"
start=$SECONDS
npm ci --no-audit --no-fund --loglevel=error
touch "$stamp"
echo "    done in $((SECONDS - start))s"
