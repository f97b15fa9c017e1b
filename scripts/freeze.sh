#!/usr/bin/env bash
# Rewrite constraints.txt from the current .venv after an intentional upgrade.
set -euo pipefail
cd "$(dirname "$0")/.."
{
  echo "# Pinned versions for a reproducible install (regenerate: scripts/freeze.sh)."
  .venv/bin/pip freeze --exclude-editable | grep -v "codegen.hero" | sort -f
} > constraints.txt
echo "constraints.txt: $(grep -vc '^#' constraints.txt) pins"
