#!/usr/bin/env bash
# title: Referrals: approving a live entry (referral built and queued in the outbox) vs a training approval; serving the referral PDF rendered on demand vs the stored JSON (SQLite, audited reads)
#
# BenchmarkApprove/referral is the approval of the complete example entry
# with its referral document built and inserted in the outbox in the same
# transaction; its baseline approves the same entry in the training
# namespace (no referral). BenchmarkReferral/pdf is GET referral.pdf's
# work (audit record, stored JSON decoded, A4 PDF rendered); its baseline
# serves the stored JSON. COUNT and BENCHTIME as in scripts/bench.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
go test -run '^$' -bench 'BenchmarkApprove|BenchmarkReferral' -benchmem -count "${COUNT:-5}" -benchtime "${BENCHTIME:-1s}" ./central/bench/ | go run ./internal/benchratio
