#!/usr/bin/env bash
# Keeps core/ TinyGo-compatible by construction (TinyGo itself cannot be
# installed here): builds core for js/wasm and wasip1/wasm with the tags a
# TinyGo build would use, vets it, refuses imports TinyGo or our layering
# cannot take, and runs the core tests as WebAssembly under Node.
set -euo pipefail
cd "$(dirname "$0")/.."

tags=purego,math_big_pure_go,osusergo
echo "== check-tinygo: build core/... for js/wasm and wasip1/wasm"
GOOS=js GOARCH=wasm go build -tags "$tags" ./core/...
GOOS=wasip1 GOARCH=wasm go build -tags "$tags" ./core/...
GOOS=js GOARCH=wasm go vet -tags "$tags" ./core/...

echo "== check-tinygo: forbidden imports in core/ (tests excepted)"
forbidden='^(syscall/js|reflect|encoding/json|encoding/gob|encoding/xml|text/template|html/template|net|net/.*|os/exec|runtime/debug|plugin|C)$'
bad=$(go list -f '{{$p := .ImportPath}}{{range .Imports}}{{$p}} imports {{.}}{{"\n"}}{{end}}' ./core/... |
	awk -v re="$forbidden" '$3 ~ re' || true)
if [ -n "$bad" ]; then
	echo "core/ must stay TinyGo-compatible; forbidden imports:" >&2
	echo "$bad" >&2
	exit 1
fi

echo "== check-tinygo: core tests as wasm under Node"
exec_wasm="$(go env GOROOT)/lib/wasm/go_js_wasm_exec"
GOOS=js GOARCH=wasm go test -short -tags purego -exec="$exec_wasm" ./core/...

# The npm package's module is built with the willowfast tag: full chunks of
# WILLIAM3 go to a hand-written wasm module (internal/tools/fastcompress).
# Run the bab tests (differential against the per-block Go path, vectors)
# with it linked in.
echo "== check-tinygo: core/bab tests as wasm with the willowfast chunk module"
fast=$(mktemp -d)
trap 'rm -rf "$fast"' EXIT
go run ./internal/tools/fastcompress -o "$fast/chunks.wasm"
FASTCOMPRESS_WASM="$fast/chunks.wasm" GOOS=js GOARCH=wasm go test -short -tags purego,willowfast \
	-exec="node $PWD/internal/tools/fastcompress/exec.cjs" ./core/bab/...
echo "check-tinygo: ok"
