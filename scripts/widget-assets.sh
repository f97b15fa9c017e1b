#!/usr/bin/env bash
# Widgets in the static book need require.js and the widget manager. Jupyter Book loads both
# from public CDNs by default, which leaves widgets blank offline; we serve them ourselves.
# The folder must not be called _static: Jupyter Book adds every .js file there to every page.
set -euo pipefail
cd "$(dirname "$0")/.."
dest="book/widgets_js"
if [ -f "$dest/embed-amd.js" ] && [ -f "$dest/require.js" ]; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "error: npm is needed once to fetch the widget manager for the offline book (install Node.js)" >&2
  exit 1
fi
echo "==> fetching the widget manager and require.js from the npm registry (once)"
tmp="$(mktemp -d)"
( cd "$tmp" && npm pack --silent @jupyter-widgets/html-manager@1.0.6 requirejs@2.3.4 >/dev/null \
  && for f in *.tgz; do mkdir "${f%.tgz}" && tar xzf "$f" -C "${f%.tgz}"; done )
mkdir -p "$dest"
cp "$tmp"/jupyter-widgets-html-manager-1.0.6/package/dist/embed-amd.js "$dest/"
cp "$tmp"/requirejs-2.3.4/package/require.js "$dest/"
rm -rf "$tmp"
