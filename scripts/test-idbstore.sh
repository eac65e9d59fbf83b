#!/usr/bin/env bash
# Tests idbstore, the kv.Store over IndexedDB. Its Go tests are compiled to
# WebAssembly and run
#   1. under Node, with the fake-indexeddb npm package providing the
#      indexedDB and IDBKeyRange globals (always);
#   2. in Debian's Chromium against its real IndexedDB, through
#      playwright-core (idbstore/browser/run.mjs), when /usr/bin/chromium
#      exists or IDBSTORE_BROWSER=1 (then it must). No browser is downloaded.
# Both npm packages are pinned in idbstore/package-lock.json.
# Usage: bash scripts/test-idbstore.sh [go test flags…], e.g. for the
# benchmarks: bash scripts/test-idbstore.sh -run '^$' -bench . -benchtime 3x
# (with IDBSTORE_BROWSER=0 to skip Chromium, =1 to require it).
# IDBSTORE_DISKFULL=1 (root only) also runs TestDiskFull in Chromium with its
# profile on a 48 MiB tmpfs: a real disk-full QuotaExceededError.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

echo "== idbstore: npm ci (fake-indexeddb, playwright-core)"
(cd idbstore && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)

echo "== idbstore: vet and native tests"
GOOS=js GOARCH=wasm go vet ./idbstore/
go test -count=1 ./idbstore/

if [ $# -eq 0 ]; then
	set -- -count=1
fi

echo "== idbstore: tests as wasm under Node with fake-indexeddb"
# go_js_wasm_exec runs node; --require loads fake-indexeddb/auto first,
# which defines indexedDB, IDBKeyRange and the other IDB globals.
NODE_OPTIONS="${NODE_OPTIONS:+$NODE_OPTIONS }--require $root/idbstore/node_modules/fake-indexeddb/auto" \
	GOOS=js GOARCH=wasm go test -exec="$(go env GOROOT)/lib/wasm/go_js_wasm_exec" "$@" ./idbstore/

browser=${IDBSTORE_BROWSER:-auto}
if [ "$browser" = auto ]; then
	if [ -x "${CHROMIUM:-/usr/bin/chromium}" ]; then browser=1; else browser=0; fi
fi
if [ "$browser" = 1 ]; then
	echo "== idbstore: tests as wasm in Chromium (real IndexedDB)"
	work=$(mktemp -d "${TMPDIR:-/tmp}/idbstore-browser.XXXXXX")
	trap 'rm -rf "$work"' EXIT
	GOOS=js GOARCH=wasm go test -c -o "$work/idbstore.test.wasm" ./idbstore/
	cp "$(go env GOROOT)/lib/wasm/wasm_exec.js" idbstore/browser/index.html "$work/"
	# go test flags become test binary flags (-run → -test.run); -count=1
	# means nothing to a binary that is run once.
	flags=(-test.timeout=5m) # a later -timeout wins
	for a in "$@"; do
		case "$a" in
		-count=*) ;;
		-*) flags+=("-test.${a#-}") ;;
		*) flags+=("$a") ;;
		esac
	done
	(cd idbstore && IDBSTORE_DISKFULL=0 node browser/run.mjs "$work" "${flags[@]}")
	if [ "${IDBSTORE_DISKFULL:-0}" = 1 ]; then
		echo "== idbstore: disk full in Chromium (profile on a 48 MiB tmpfs)"
		mkdir -p "$work/small"
		mount -t tmpfs -o size=48m tmpfs "$work/small"
		trap 'umount "$work/small" 2>/dev/null; rm -rf "$work"' EXIT
		(cd idbstore && IDBSTORE_DISKFULL=1 IDBSTORE_PROFILE_PARENT="$work/small" node browser/run.mjs "$work" -test.run '^TestDiskFull$' -test.v -test.timeout=5m)
	fi
else
	echo "== idbstore: Chromium run skipped (no ${CHROMIUM:-/usr/bin/chromium}; IDBSTORE_BROWSER=$browser)"
fi
