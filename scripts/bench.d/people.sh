#!/usr/bin/env bash
# title: People: match time per incoming person against 1,000,000 (p95), SQLite and PostgreSQL
#
# Bulk-loads 1,000,000 generated people into a fresh index, matches 2,000
# incoming people (nine in ten already known) and prints p50/p95/p99 match
# time beside a baseline measured in the same run (fetching one person by
# id) and their ratio. PEOPLE_N and PEOPLE_QUERIES change the sizes.
# PostgreSQL: SAFEGUARD_TEST_POSTGRES (default
# postgres://postgres@127.0.0.1:5432/test), in a schema of its own,
# dropped afterwards; skipped with a message when unreachable.
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${PEOPLE_N:-1000000}
q=${PEOPLE_QUERIES:-2000}
bin=$(mktemp "${TMPDIR:-/tmp}/population.XXXXXX")
trap 'rm -f "$bin"' EXIT
go build -o "$bin" ./cmd/population

"$bin" bench -n "$n" -queries "$q"
echo
rc=0
"$bin" bench -postgres -n "$n" -queries "$q" || rc=$?
if [ "$rc" -eq 3 ]; then
	echo "PostgreSQL unreachable: the PostgreSQL half of this benchmark was SKIPPED"
elif [ "$rc" -ne 0 ]; then
	exit "$rc"
fi
