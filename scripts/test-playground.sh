#!/usr/bin/env bash
# Tests the playground (playground/) as a user would: builds willow.wasm, the
# willow-web package and the playground bundle (scripts/serve.sh without
# serving), type-checks it, then drives the page in Debian's Chromium with
# playwright-core (never downloads browsers). Screenshots of the main states
# go to playground/screenshots/ (gitignored).
# Needs Go, Node 20+, npm and /usr/bin/chromium. Usage: bash scripts/test-playground.sh
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ]; then
	echo "test-playground: /usr/bin/chromium is missing (apt-get install -y chromium)" >&2
	exit 1
fi
start=$(date +%s)
PLAYGROUND_NO_SERVE=1 bash scripts/serve.sh
echo "== test-playground: tsc --noEmit"
(cd playground && node_modules/.bin/tsc --noEmit -p tsconfig.json)
echo "== test-playground: Chromium"
(cd playground && node --test --test-reporter=spec --test-concurrency=1 test/)
echo "== test-playground: all passed in $(($(date +%s) - start)) s (screenshots in playground/screenshots/)"
