#!/usr/bin/env bash
# bench_iter.sh: time `pystruct iter` against CPython 3.13 doing the same job,
#
#     for t in struct.iter_unpack(fmt, data): print(t)
#
# on a file of one million '<IIhhd' records, side by side, and print a
# table. Both write to /dev/null; both read the file themselves. Before
# timing, it checks that the two print exactly the same bytes.
#
# Usage, from anywhere in the repository:
#
#     scripts/bench_iter.sh [RUNS]        (RUNS: runs of each, default 5)
#
# Python: $PYSTRUCT_PYTHON if set, else python3 with PYENV_VERSION=3.13.0
# (unless PYENV_VERSION is set). The best run of each counts: other load on
# the machine only ever slows a run down.
set -euo pipefail

runs=${1:-5}
fmt='<IIhhd'
records=1000000

cd "$(git -C "$(dirname "$0")" rev-parse --show-toplevel)"
if [ -n "${PYSTRUCT_PYTHON:-}" ]; then
	py=("$PYSTRUCT_PYTHON")
else
	export PYENV_VERSION=${PYENV_VERSION:-3.13.0}
	py=(python3)
fi
pyversion=$("${py[@]}" -c 'import platform; print(platform.python_implementation(), platform.python_version())')
case $pyversion in
"CPython 3.13."*) ;;
*) echo "bench_iter.sh: needs CPython 3.13, have $pyversion" >&2; exit 1 ;;
esac

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/pystruct" ./cmd/pystruct

# Records of plausible data, the same every time: counters, hashes, small
# signed numbers and doubles with all their digits.
"${py[@]}" - "$work/data" "$fmt" "$records" <<'PY'
import random, struct, sys
path, fmt, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
r = random.Random(20260513)
s = struct.Struct(fmt)
with open(path, "wb") as f:
    f.write(b"".join(s.pack(i, r.getrandbits(32), r.randrange(-32768, 32768),
                            r.randrange(-32768, 32768), r.uniform(-1e6, 1e6))
                     for i in range(n)))
PY

pyprog='import struct, sys
fmt, data = sys.argv[1], open(sys.argv[2], "rb").read()
for t in struct.iter_unpack(fmt, data): print(t)'

"${py[@]}" -c "$pyprog" "$fmt" "$work/data" >"$work/python.out"
"$work/pystruct" iter "$fmt" "$work/data" >"$work/pystruct.out"
if ! cmp -s "$work/python.out" "$work/pystruct.out"; then
	echo "bench_iter.sh: pystruct and CPython print different output:" >&2
	cmp "$work/python.out" "$work/pystruct.out" >&2 || true
	exit 1
fi

# seconds CMD...: run CMD with stdout to /dev/null, print the wall time.
seconds() {
	local start end
	start=$(date +%s%N)
	"$@" >/dev/null
	end=$(date +%s%N)
	echo $(((end - start) / 1000000))
}

pyms=() gems=()
for _ in $(seq "$runs"); do # interleaved, so both see the same load
	pyms+=("$(seconds "${py[@]}" -c "$pyprog" "$fmt" "$work/data")")
	gems+=("$(seconds "$work/pystruct" iter "$fmt" "$work/data")")
done

# stats MS...: print the best and the median, in seconds.
stats() {
	printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { printf "%.3f %.3f", v[1] / 1000, v[int((NR + 1) / 2)] / 1000 }'
}
read -r pybest pymed <<<"$(stats "${pyms[@]}")"
read -r gobest gomed <<<"$(stats "${gems[@]}")"

cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || echo unknown)
echo "pystruct iter vs $pyversion: $records records of '$fmt' ($(wc -c <"$work/data") bytes),"
echo "output to /dev/null, best and median of $runs runs each."
echo "Machine: $cpu, $(nproc) CPUs, $(go env GOOS)/$(go env GOARCH), $(go env GOVERSION); load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)."
echo
printf '| %-58s | %8s | %10s |\n' "command" "best (s)" "median (s)"
printf '|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..60})" "---------:" "-----------:"
printf '| %-58s | %8s | %10s |\n' "python3: for t in struct.iter_unpack(fmt, data): print(t)" "$pybest" "$pymed"
printf '| %-58s | %8s | %10s |\n' "pystruct iter '$fmt' FILE" "$gobest" "$gomed"
echo
awk -v p="$pybest" -v g="$gobest" -v pm="$pymed" -v gm="$gomed" 'BEGIN {
	printf "pystruct is %.1fx as fast as CPython (best against best; %.1fx median against median).\n", p / g, pm / gm }'
echo "The two print the same $(wc -c <"$work/pystruct.out") bytes."
