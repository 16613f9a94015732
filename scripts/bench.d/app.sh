#!/usr/bin/env bash
# title: App: start to the home screen (store open, PIN unlock at production argon2id, screens) and switching parts of a full entry (6 children, 4 adults)
set -euo pipefail
export LANG=${LANG:-en_US.UTF-8}
{
	CGO_ENABLED=0 go test -tags ci -run '^$' -bench 'BenchmarkStartToHome|BenchmarkStartProcess|BenchmarkFirstCheckCompile' -benchtime 10x -count "${COUNT:-5}" .
	CGO_ENABLED=0 go test -tags ci -run '^$' -bench 'BenchmarkSwitchSection|BenchmarkAnswer|BenchmarkPaired' -benchtime 50x -count "${COUNT:-5}" ./app/checklistui/
} | go run ./internal/benchratio
