#!/usr/bin/env bash
# The browser benchmark of the IndexedDB store (e2e/persistence/bench.mjs):
# builds and packs the package, bundles the persistence page and runs it in
# Debian's Chromium. Not part of the tests. Usage: bash scripts/bench-browser.sh [query store size, default 100000]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
bash scripts/build-wasm.sh
(cd web && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
work=$(mktemp -d "${TMPDIR:-/tmp}/willow-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
tarball=$(cd web && npm pack --silent --pack-destination "$work" | tail -n 1)
mkdir -p "$work/project/page"
cd "$work/project"
echo '{ "name": "willow-web-bench", "private": true, "type": "module" }' > package.json
npm install --no-audit --no-fund --loglevel=error "$work/$tarball"
cp "$root/e2e/persistence/page.js" "$root/e2e/persistence/index.html" page/
"$root/web/node_modules/.bin/esbuild" page/page.js --bundle --format=esm --log-level=warning --outfile=page/bundle.js
cp node_modules/willow-web/dist/willow.wasm page/
node "$root/e2e/persistence/bench.mjs" page "$root/web/node_modules/playwright-core" "$@"
