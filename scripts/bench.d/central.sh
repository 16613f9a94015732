#!/usr/bin/env bash
# title: Central system: ingest throughput (5 children per entry) vs a bare batched insert, and the review-queue query at 1,000,000 entries (p95), SQLite and PostgreSQL
set -euo pipefail
go run ./cmd/bench central -count "${COUNT:-5}"
