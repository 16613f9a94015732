#!/usr/bin/env bash
# title: Device store: autosave latency (median, p99) vs a bare single-row commit; unlock time; listing drafts among 10,000 entries
set -euo pipefail
go run ./devicestore/cmd/storebench
