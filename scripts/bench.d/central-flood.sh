#!/usr/bin/env bash
# title: Central system: push p95 from 20 devices alone vs while 20 loops flood login, device sign-in and enrolment (issue 15; target ratio <= 1.5)
set -euo pipefail
go run ./cmd/bench central-flood
