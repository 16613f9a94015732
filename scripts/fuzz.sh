#!/usr/bin/env bash
# Runs every fuzz target for FUZZTIME (default 30s) each. A crash fails the
# run and leaves its input under the package's testdata/fuzz for go test to
# replay. Go's fuzzer sometimes ends a short run with a bare "context
# deadline exceeded" (no failing input) when its deadline interrupts work on
# a busy machine: such a run is tried once more, then reported, not failed.
set -euo pipefail
cd "$(dirname "$0")/.."
t=${FUZZTIME:-30s}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for pkg in $(go list ./...); do
	dir=$(go list -f '{{.Dir}}' "$pkg")
	for f in $(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | sed 's/^func //' | sort -u); do
		echo "fuzz $pkg $f ($t)"
		for try in 1 2; do
			if go test -tags ci -run '^$' -fuzz "^$f\$" -fuzztime "$t" "$pkg" >"$log" 2>&1; then
				tail -n 1 "$log"
				break
			fi
			if grep -q "Failing input written\|panic:\|--- FAIL" "$log" && ! grep -q "^    context deadline exceeded$" "$log"; then
				cat "$log"
				exit 1
			fi
			if [ "$try" = 2 ]; then
				echo "warning: $f ended with the fuzzer's own deadline error twice, no failing input:"
				tail -n 5 "$log"
			fi
		done
	done
done
