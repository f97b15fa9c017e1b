#!/usr/bin/env bash
# aider (aider-chat on PyPI) in a virtualenv of its own, .tools/aider: it needs Python
# 3.10-3.12 and pins its own litellm, openai and numpy, which clash with ours. Pinned by
# scripts/aider-constraints.txt (a `pip freeze` of an install that worked). Safe to run
# again: a stamp of the version and pins skips it. About a minute and 700 MB the first time.
set -euo pipefail
cd "$(dirname "$0")/.."
AIDER_VERSION="0.86.2"
dest=".tools/aider"
pins="scripts/aider-constraints.txt"
stamp="$dest/.hero-$( (echo "$AIDER_VERSION"; cat "$pins") | sha256sum | cut -c1-16)"
if [ -f "$stamp" ] && "$dest/bin/aider" --version >/dev/null 2>&1; then
  echo "==> aider $AIDER_VERSION is up to date ($dest)"
  exit 0
fi
python=""
for candidate in "${AIDER_PYTHON:-}" python3.12 python3.11 python3.10 python3; do
  [ -n "$candidate" ] || continue
  if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c \
      'import sys; sys.exit(0 if (3, 10) <= sys.version_info[:2] <= (3, 12) else 1)' 2>/dev/null; then
    python="$candidate"; break
  fi
done
if [ -z "$python" ]; then
  echo "warning: aider needs Python 3.10-3.12 (none found; set AIDER_PYTHON); the aider lab will say it is missing" >&2
  exit 0
fi
echo "==> installing aider-chat $AIDER_VERSION into $dest (own venv, $("$python" --version); about a minute, once)"
rm -rf "$dest"
"$python" -m venv "$dest"
start=$SECONDS
"$dest/bin/python" -m pip install -q --disable-pip-version-check -c "$pins" "aider-chat==$AIDER_VERSION" 2>&1 \
  | { grep -v "is ignored: it is neither" || true; }
"$dest/bin/aider" --version >/dev/null
touch "$stamp"
echo "    done in $((SECONDS - start))s"
