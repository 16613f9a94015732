#!/usr/bin/env bash
# title: Sync engine: 10,000 entries from one device vs server ingest; bytes per entry vs gzip; 256 kbit/s + 300 ms link vs bandwidth bound; immediate entry behind 500 others
set -euo pipefail
go run ./cmd/syncbench -entries "${SYNC_ENTRIES:-10000}" -count "${COUNT:-5}"
