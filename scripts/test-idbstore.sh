#!/usr/bin/env bash
# Tests idbstore, the kv.Store over IndexedDB: its Go tests run as
# WebAssembly under Node, with the fake-indexeddb npm package (pinned in
# idbstore/package-lock.json) providing the indexedDB and IDBKeyRange
# globals. Usage: bash scripts/test-idbstore.sh [go test flags…]
# e.g. bash scripts/test-idbstore.sh -run '^$' -bench . for the benchmarks.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

echo "== idbstore: npm ci (fake-indexeddb)"
(cd idbstore && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --ignore-scripts --no-audit --no-fund)

echo "== idbstore: vet and native tests"
GOOS=js GOARCH=wasm go vet ./idbstore/
go test -count=1 ./idbstore/

echo "== idbstore: tests as wasm under Node with fake-indexeddb"
# go_js_wasm_exec runs node; --require loads fake-indexeddb/auto first,
# which defines indexedDB, IDBKeyRange and the other IDB globals.
export NODE_OPTIONS="${NODE_OPTIONS:+$NODE_OPTIONS }--require $root/idbstore/node_modules/fake-indexeddb/auto"
if [ $# -eq 0 ]; then
	set -- -count=1
fi
GOOS=js GOARCH=wasm go test -exec="$(go env GOROOT)/lib/wasm/go_js_wasm_exec" "$@" ./idbstore/
