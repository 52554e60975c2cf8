#!/usr/bin/env bash
# bench.sh: pystruct's speed table, from the paired harness
# (internal/benchpair; its package doc describes the method in full).
#
# Every case is timed as short batches of calls (about 10 µs). The cases a
# target compares run together, back to back, in every round, with
# CPython 3.13's batches of the same operations between their Go batches,
# for thousands of rounds; ratios are medians of per-round ratios, with
# their p25–p75 spread. Go runs with GOMAXPROCS=1, and Go and its CPython
# coprocesses are pinned to one CPU. Cases that allocate are charged for
# garbage collection from runs of each case alone, over whole GC cycles,
# timed by CPU time. The table ends with the verdict of every target.
#
# Usage, from anywhere in the repository:
#
#     scripts/bench.sh [-rounds N] [-batch 10us] [-run REGEXP] [-py 4] [-cpu N] [-trace FILE]
#
# To check that two runs agree, save their outputs and run
# scripts/bench_compare.sh A B.
#
# Python is $PYSTRUCT_PYTHON if set, else python3 with PYENV_VERSION=3.13.0
# (unless PYENV_VERSION is set).
set -euo pipefail

cd "$(git -C "$(dirname "$0")" rev-parse --show-toplevel)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/benchpair" ./internal/benchpair
GOMAXPROCS=1 "$tmp/benchpair" "$@"
