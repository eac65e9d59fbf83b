#!/usr/bin/env bash
# Builds willow.wasm and the willow-web package, installs and bundles the
# playground (playground/, esbuild) and serves it on http://127.0.0.1:$PORT
# (default 8080). Usage: bash scripts/serve.sh   (PORT=9000 bash scripts/serve.sh)
# Set PLAYGROUND_NO_SERVE=1 to build only.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/build-wasm.sh
echo "== serve: npm ci (playground; willow-web is a file: dependency on web/)"
(cd playground && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
(cd playground && node build.mjs)
if [ -n "${PLAYGROUND_NO_SERVE:-}" ]; then exit 0; fi
exec node playground/server.mjs playground/dist "${PORT:-8080}"
