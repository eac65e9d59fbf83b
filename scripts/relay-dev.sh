#!/usr/bin/env bash
# Runs the drop relay Worker locally: builds relay/worker/build/ (relay.wasm,
# wasm_exec.js), then `wrangler dev` (relay/worker's npm devDependency) on
# 127.0.0.1 with local R2 and KV persisted under a state directory, and
# prints the URL. Nothing leaves loopback (no metrics, error reports or
# Request.cf download). Stop it with Ctrl-C; the state stays for next time.
#
# Usage: bash scripts/relay-dev.sh
# Environment: PORT (default 8787), RELAY_STATE (default relay/worker/.state),
# extra wrangler dev arguments after "--", e.g. -- --var MAX_NAMESPACE_BYTES:1000000
set -euo pipefail
cd "$(dirname "$0")/.."
port=${PORT:-8787}
state=${RELAY_STATE:-relay/worker/.state}
extra=()
if [ "${1:-}" = "--" ]; then
	shift
	extra=("$@")
elif [ $# -gt 0 ]; then
	echo "usage: [PORT=8787] [RELAY_STATE=dir] bash scripts/relay-dev.sh [-- wrangler dev args]" >&2
	exit 2
fi

build=relay/worker/build
mkdir -p "$build"
GOOS=js GOARCH=wasm go build -trimpath -ldflags="-s -w" -o "$build/relay.wasm" ./relay/worker
cp "$(go env GOROOT)/lib/wasm/wasm_exec.js" "$build/wasm_exec.js"
if [ ! -x relay/worker/node_modules/.bin/wrangler ]; then
	(cd relay/worker && npm ci --no-audit --no-fund)
fi
mkdir -p "$state"
state=$(cd "$state" && pwd)

echo "relay: http://127.0.0.1:$port (local R2 + KV in $state)"
echo "try:   willow relay list --url http://127.0.0.1:$port --secret HEX --namespace ID"
cd relay/worker
export WRANGLER_SEND_METRICS=false WRANGLER_SEND_ERROR_REPORTS=false CLOUDFLARE_CF_FETCH_ENABLED=false NO_UPDATE_NOTIFIER=1
exec node_modules/.bin/wrangler dev --local --ip 127.0.0.1 --port "$port" --persist-to "$state" \
	--show-interactive-dev-session=false "${extra[@]}"
