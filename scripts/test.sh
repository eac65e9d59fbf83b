#!/usr/bin/env bash
# Runs every test of the project, as CI does. Usage: bash scripts/test.sh
# Environment: WILLOW_VECTORS (conformance vectors; default ../shared/vectors),
# FUZZTIME (per fuzz target, default 50000x), CI (set: missing vectors fail).
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== go vet"
go vet ./...
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then
	echo "gofmt would change: $unformatted" >&2
	exit 1
fi

echo "== go test (native)"
go test -count=1 ./...
bash scripts/test-idbstore.sh

bash scripts/check-tinygo.sh

if [ -f scripts/fuzz.sh ]; then
	echo "== fuzz targets (briefly)"
	bash scripts/fuzz.sh
fi
bash scripts/test-web.sh
bash scripts/test-persistence.sh
bash scripts/test-playground.sh
bash scripts/test-relay.sh
echo "== all tests passed"
