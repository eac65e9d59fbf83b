#!/usr/bin/env bash
# Runs every Go fuzz target of the repository briefly, one after the other.
# Usage: bash scripts/fuzz.sh [packages…]   (default ./...)
# Environment: FUZZTIME (per target, default 50000x; any -fuzztime value).
# The default is a count, not a duration: with a duration, Go 1.26's fuzz
# coordinator can fail a healthy target with "context deadline exceeded" when
# the deadline races a busy worker (golang/go#75804, fixed in Go 1.27).
# Targets are discovered with `go test -list 'Fuzz.*'`, so new ones are
# picked up without editing this file. A failing input is written to the
# package's testdata/fuzz/ by Go; commit it as a regression seed.
set -euo pipefail
cd "$(dirname "$0")/.."

fuzztime="${FUZZTIME:-50000x}"
pkgs=("$@")
[ ${#pkgs[@]} -gt 0 ] || pkgs=(./...)

# `go test -list` prints the matching names of a package, then a line
# "ok <package> <time>" (or "? <package> [no test files]").
targets=$(go test -list '^Fuzz' "${pkgs[@]}" | awk '
	/^Fuzz/ { names[n++] = $1; next }
	/^ok[ \t]/ { for (i = 0; i < n; i++) print $2, names[i]; n = 0; next }
	{ n = 0 }
')
if [ -z "$targets" ]; then
	echo "fuzz.sh: no fuzz targets found" >&2
	exit 1
fi

count=0
while read -r pkg name; do
	echo "== fuzz $name ($pkg, $fuzztime)"
	go test -run '^$' -fuzz "^${name}\$" -fuzztime "$fuzztime" "$pkg"
	count=$((count + 1))
done <<<"$targets"
echo "fuzz.sh: $count targets ran for $fuzztime each without a failure"
