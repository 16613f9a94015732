#!/usr/bin/env bash
# Runs every check and test Safeguard has: the README's test command
# (`make test`) and CI (.ci/run) both call this script.
#
# It installs what it needs (Go modules; gcc for -race if missing) and
# needs PostgreSQL at 127.0.0.1:5432 (trust auth, database test) for the
# central store's PostgreSQL half: with CI=true a missing server fails the
# run; elsewhere those tests skip with a loud message.
set -euo pipefail
cd "$(dirname "$0")/.."
export LANG=${LANG:-en_US.UTF-8}
export GOFLAGS="${GOFLAGS:-} -buildvcs=false"

step() { printf '\n==> %s\n' "$*"; }

if ! command -v gcc >/dev/null 2>&1; then
	step "installing gcc (needed by go test -race)"
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gcc libc6-dev >/dev/null
fi

step "go mod download"
go mod download

step "gofmt"
bad=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$bad" ]; then
	echo "not gofmt-formatted:"; echo "$bad"; exit 1
fi

step "go vet"
CGO_ENABLED=0 go vet -tags ci ./...

step "staticcheck"
CGO_ENABLED=0 go run honnef.co/go/tools/cmd/staticcheck@v0.8.2 -tags ci ./...

step "pure-Go build (CGO_ENABLED=0) of everything but the window"
CGO_ENABLED=0 go build -tags ci ./...

step "go test -race (all packages)"
go test -race -tags ci -timeout 40m ./...

step "fuzz smoke (each decoder fuzzed briefly; longer runs: make fuzz)"
FUZZTIME=${FUZZTIME:-8s} bash scripts/fuzz.sh
