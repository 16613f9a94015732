#!/usr/bin/env bash
# Prints every figure the issues ask for, each as a ratio to a baseline
# measured in the same run (machines are noisy; absolute times drift).
set -euo pipefail
cd "$(dirname "$0")/.."
export LANG=${LANG:-en_US.UTF-8}
count=${COUNT:-5}
bt=${BENCHTIME:-1s}

section() { printf '\n######## %s\n' "$*"; }

section "Checklist engine: Evaluate on a full entry (6 children, 4 adults) vs decoding its JSON"
go test -run '^$' -bench 'BenchmarkEvaluate|BenchmarkLoad|BenchmarkIncremental' -benchmem -count "$count" -benchtime "$bt" ./forms/ | go run ./internal/benchratio |
	awk '
		function goal(limit) { return sprintf("   goal <= %sx: %s", limit, ($4 + 0 <= limit) ? "met" : "NOT met") }
		/^  BenchmarkEvaluate\/evaluate .*x baseline/ { print $0 goal(1); next }
		/^  BenchmarkLoad\/parse .*x baseline/ { print $0 "   (a file not yet published: the full schema pass)"; next }
		/^  BenchmarkLoad\/published .*x baseline/ { print $0 goal(4); next }
		{ print }'

for extra in scripts/bench.d/*.sh; do
	[ -e "$extra" ] || continue
	section "$(sed -n 's/^# title: //p' "$extra")"
	bash "$extra"
done
