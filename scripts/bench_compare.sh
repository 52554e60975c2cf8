#!/usr/bin/env bash
# bench_compare.sh: do two runs of scripts/bench.sh agree?
#
# Reads the two saved outputs and prints, for every target ratio in both,
# whether each run's median lies within the other's p25–p75 spread. Exits
# 0 if every ratio agrees, 1 if one does not, 2 on a bad file.
#
# Usage, from anywhere in the repository:
#
#     scripts/bench.sh >a.md; scripts/bench.sh >b.md
#     scripts/bench_compare.sh a.md b.md
set -euo pipefail

if [ $# -ne 2 ]; then
	echo "usage: scripts/bench_compare.sh A B" >&2
	exit 2
fi
a=$(realpath "$1")
b=$(realpath "$2")
cd "$(git -C "$(dirname "$0")" rev-parse --show-toplevel)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/benchpair" ./internal/benchpair
"$tmp/benchpair" -compare "$a" "$b"
