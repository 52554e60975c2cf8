#!/usr/bin/env bash
# bench.sh: pystruct's speed table, from the paired harness
# (internal/benchpair).
#
# Every case is timed as short batches of calls (about 10 µs), every round
# runs one batch of every case in rotating order, and a CPython 3.13
# coprocess runs its own batches of the same operations between the Go
# rounds; ratios are medians of per-round ratios, with their p25–p75
# spread. Go runs with GOMAXPROCS=1, as CPython runs on one core. The
# table ends with the verdict of every target.
#
# Usage, from anywhere in the repository:
#
#     scripts/bench.sh [-rounds N] [-batch 10us] [-run REGEXP]
#
# Python is $PYSTRUCT_PYTHON if set, else python3 with PYENV_VERSION=3.13.0
# (unless PYENV_VERSION is set).
set -euo pipefail

cd "$(git -C "$(dirname "$0")" rev-parse --show-toplevel)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/benchpair" ./internal/benchpair
GOMAXPROCS=1 "$tmp/benchpair" "$@"
