# Safeguard. The two commands a newcomer needs:
#   make run    the central system (embedded SQLite, demo accounts) plus the app
#   make test   every check and test (what CI runs)
# Both install what they need.

SHELL := /bin/bash
GO ?= go
export LANG ?= en_US.UTF-8

.PHONY: run test bench fuzz check-tools clean

run:
	bash scripts/run.sh

test:
	bash scripts/test.sh

fuzz:
	FUZZTIME=$${FUZZTIME:-60s} bash scripts/fuzz.sh

# Every figure the issues ask for, each as a ratio to a baseline measured
# in the same run. BENCHTIME and COUNT tune the Go benchmarks.
BENCHTIME ?= 1s
COUNT ?= 5
bench:
	bash scripts/bench.sh

clean:
	rm -rf bin dist
