#!/usr/bin/env bash
# Persistence tests of willow-web's IndexedDB stores in Debian's Chromium
# (e2e/persistence): 10,000 signed entries and an 8 MiB streamed payload
# across a reload, two pages (Worker and calling-thread modes) writing one
# store concurrently while a third reads, with subscriptions seeing each
# other's inserts, a page closed in the middle of a drop ingest, and a tiny
# quota (simulated in the page: Chromium ignores DevTools' quota override
# for IndexedDB), and a page without navigator.locks/BroadcastChannel. Builds willow.wasm, packs
# web/ and bundles the page from the installed tarball, as a user would.
# Needs Go, Node 20+, npm and /usr/bin/chromium; never downloads browsers.
# Usage: bash scripts/test-persistence.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

if [ ! -x /usr/bin/chromium ]; then
	echo "test-persistence: /usr/bin/chromium is missing (apt-get install -y chromium)" >&2
	exit 1
fi
bash scripts/build-wasm.sh
echo "== test-persistence: npm ci"
(cd web && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)

work=$(mktemp -d "${TMPDIR:-/tmp}/willow-persistence.XXXXXX")
trap 'rm -rf "$work"' EXIT
tarball=$(cd web && npm pack --silent --pack-destination "$work" | tail -n 1)
mkdir -p "$work/project/page"
cd "$work/project"
echo '{ "name": "willow-web-persistence", "private": true, "type": "module" }' > package.json
npm install --no-audit --no-fund --loglevel=error "$work/$tarball"
cp "$root/e2e/persistence/page.js" "$root/e2e/persistence/index.html" page/
"$root/web/node_modules/.bin/esbuild" page/page.js --bundle --format=esm --log-level=warning --outfile=page/bundle.js
cp node_modules/willow-web/dist/willow.wasm page/

echo "== test-persistence: Chromium"
node "$root/e2e/persistence/run.mjs" page "$root/web/node_modules/playwright-core"
