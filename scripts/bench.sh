#!/usr/bin/env bash
# bench.sh: the speed comparison of issue 4, in one command.
#
# It benchmarks the records "<i5sf", "<IIhhqd?5sxH" and "@ci?d" (pack and
# unpack) and one million "<IIhhd" records (bulk unpack) through
#
#   - hand-written encoding/binary code (the ceiling),
#   - pystruct typed (Struct.MarshalAppend / Struct.Unmarshal),
#   - pystruct dynamic (Struct.Append with boxed values / Struct.Unpack),
#   - pack.Pack (format looked up in the cache) and a precompiled Struct,
#   - encoding/binary Append / Decode on the same Go struct,
#   - github.com/lunixbochs/struc and github.com/go-restruct/restruct
#     (the nested module internal/benchcmp), and
#   - CPython 3.13's Struct.pack / Struct.unpack, timed with timeit,
#
# and prints one Markdown table of ns/op and allocs/op, with each target
# of the issue checked on the row it judges.
#
# Usage, from anywhere in the repository:
#
#     scripts/bench.sh
#
# Environment: ROUNDS (default 7) rounds, each running every benchmark
# once, Go's for BENCHTIME (default 100ms) each; the table shows the median
# of the rounds, and every ratio compares numbers from the same rounds.
# Rounds interleave the Go and Python runs, so that load on the machine
# falls on all of them alike. Python is $PYSTRUCT_PYTHON if set, else
# python3 with PYENV_VERSION=3.13.0 (unless PYENV_VERSION is set).
set -euo pipefail

rounds=${ROUNDS:-7}
benchtime=${BENCHTIME:-100ms}

cd "$(git -C "$(dirname "$0")" rev-parse --show-toplevel)"
if [ -n "${PYSTRUCT_PYTHON:-}" ]; then
	py=("$PYSTRUCT_PYTHON")
else
	export PYENV_VERSION=${PYENV_VERSION:-3.13.0}
	py=(python3)
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "bench: building the benchmarks" >&2
go test -c -o "$tmp/pack.test" ./pack
(cd internal/benchcmp && go test -c -o "$tmp/benchcmp.test" .)

cat >"$tmp/cpython.py" <<'EOF'
# Times Struct.pack and Struct.unpack on the comparison's records: the
# best of 3 repeats, in ns per call, one line per case.
import struct, sys, timeit

records = [
    ("person", "<i5sf", (1, b"zhang", 1.75)),
    ("wide", "<IIhhqd?5sxH", (1, 2, -3, 4, -5, 6.5, True, b"hello", 9)),
    ("native", "@ci?d", (b"x", -7, True, 2.5)),
]
number, only = int(sys.argv[1]), sys.argv[2]
for name, fs, values in records:
    if name != only:
        continue
    s = struct.Struct(fs)
    b = s.pack(*values)
    for op, stmt in (("pack", "s.pack(*v)"), ("unpack", "s.unpack(b)")):
        t = min(timeit.repeat(stmt, globals={"s": s, "v": values, "b": b}, number=number, repeat=3))
        print(f"CPython/{name}/{op} {t / number * 1e9:.1f}")
EOF

# Each round runs every record's benchmarks, Go's and CPython's, one
# record after the other, so that what a ratio compares ran seconds apart.
for r in $(seq "$rounds"); do
	echo "bench: round $r of $rounds" >&2
	for rec in person wide native; do
		"$tmp/pack.test" -test.run '^$' -test.bench "^BenchmarkRecords\$/^$rec\$" \
			-test.benchtime "$benchtime" -test.benchmem >>"$tmp/go.out"
		"$tmp/benchcmp.test" -test.run '^$' -test.bench "^BenchmarkPeers\$/^$rec\$" \
			-test.benchtime "$benchtime" -test.benchmem >>"$tmp/go.out"
		"${py[@]}" "$tmp/cpython.py" 100000 "$rec" >>"$tmp/py.out"
	done
	"$tmp/pack.test" -test.run '^$' -test.bench '^Benchmark(Compile|Bulk|CallFloor)$' \
		-test.benchtime "$benchtime" -test.benchmem >>"$tmp/go.out"
done

cpu=$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | sed 's/.*: //' || true)
machine="${cpu:-unknown CPU}, $(nproc) cores, $(uname -sm), $(go version | cut -d' ' -f3), $("${py[@]}" -c 'import platform; print(platform.python_implementation(), platform.python_version())')"

"${py[@]}" - "$tmp/go.out" "$tmp/py.out" "$machine" "$rounds" <<'EOF'
import re, statistics, sys, datetime

go_out, py_out, machine, rounds = sys.argv[1:5]
ns, allocs = {}, {}
line_re = re.compile(r"^Benchmark(\S+?)(?:-\d+)?\s+\d+\s+([\d.]+) ns/op(?:.*?\s([\d.]+) allocs/op)?")
for line in open(go_out):
    m = line_re.match(line)
    if m:
        name = m.group(1)
        ns.setdefault(name, []).append(float(m.group(2)))
        if m.group(3) is not None:
            allocs.setdefault(name, []).append(float(m.group(3)))
for line in open(py_out):
    name, v = line.split()
    ns.setdefault(name, []).append(float(v))

med = {k: statistics.median(v) for k, v in ns.items()}
alc = {k: statistics.median(v) for k, v in allocs.items()}

def fmt_ns(v):
    return f"{v:,.0f}" if v >= 100 else f"{v:.1f}"

checks = []  # (met, text)
def check(name, ratio, goal, ok, what):
    met = ok(ratio)
    checks.append(met)
    return f"{what}: {ratio:.2f}× (goal {goal}) **{'met' if met else 'MISSED'}**"

rows = []
def row(label, key, notes=""):
    if key not in med:
        rows.append(f"| {label} | – | – | not run |")
        return
    a = alc.get(key)
    rows.append(f"| {label} | {fmt_ns(med[key])} | {'–' if a is None else f'{a:g}'} | {notes} |")

for rec, fs in (("person", "<i5sf"), ("wide", "<IIhhqd?5sxH"), ("native", "@ci?d")):
    for op in ("pack", "unpack"):
        k = lambda way: f"Records/{rec}/{way}/{op}"
        hand, typed, dyn, binary = (med.get(k(w)) for w in ("hand", "typed", "dynamic", "binary"))
        cpy = med.get(f"CPython/{rec}/{op}")
        title = f"`{fs}` {op}"
        row(f"{title}: hand-written", k("hand"))
        notes = []
        if hand and typed:
            notes.append(check("typed/hand", typed / hand, "≤ 2×", lambda r: r <= 2, "vs hand-written"))
            if alc.get(k("typed"), 1) != 0:
                checks.append(False)
                notes.append("allocates: **MISSED**")
        if binary and typed:
            notes.append(check("binary/typed", binary / typed, "≥ 5×", lambda r: r >= 5, "faster than encoding/binary"))
        row(f"{title}: pystruct typed", k("typed"), "; ".join(notes))
        notes = []
        if dyn and cpy:
            notes.append(check("dyn/cpython", cpy / dyn, "> 1×", lambda r: r > 1, f"faster than CPython Struct.{op}"))
        way = "Append" if op == "pack" else "Unpack"
        row(f"{title}: pystruct dynamic ({way})", k("dynamic"), "; ".join(notes))
        row(f"{title}: pystruct precompiled Struct.{'Pack' if op == 'pack' else 'Unpack'}", k("precompiled"))
        notes = []
        if op == "pack" and k("cached") in med and k("precompiled") in med:
            notes.append(check("cached/precompiled", med[k("cached")] / med[k("precompiled")], "≤ 1.5×", lambda r: r <= 1.5, "vs precompiled"))
        row(f"{title}: pack.{'Pack' if op == 'pack' else 'Unpack'} (cached)", k("cached"), "; ".join(notes))
        row(f"{title}: encoding/binary", k("binary"))
        row(f"{title}: lunixbochs/struc", f"Peers/{rec}/struc/{op}")
        row(f"{title}: go-restruct/restruct", f"Peers/{rec}/restruct/{op}")
        row(f"{title}: CPython Struct.{op}", f"CPython/{rec}/{op}")
    for stage in ("parse", "compile", "bind"):
        what = {"parse": "format.Parse", "compile": "pack.Compile", "bind": "Compile + first MarshalAppend (binds the type)"}[stage]
        row(f"`{fs}`: {what}", f"Compile/{rec}/{stage}")

notes = []
if "Bulk/hand" in med and "Bulk/typed" in med:
    notes.append(check("bulk", med["Bulk/typed"] / med["Bulk/hand"], "≤ 1.5×", lambda r: r <= 1.5, "vs hand-written loop"))
row("1,000,000 `<IIhhd` records into `[]T`: hand-written loop", "Bulk/hand")
row("1,000,000 `<IIhhd` records into `[]T`: Unmarshal(buf, &slice)", "Bulk/typed", "; ".join(notes))
row("a non-inlined call that does nothing, with Unmarshal's signature", "CallFloor", "what every typed call costs before any work")

print(f"Benchmarks of {datetime.date.today().isoformat()} on {machine}; median of {rounds} rounds.\n")
print("| case | ns/op | allocs/op | targets (ratios from the same rounds) |")
print("| --- | ---: | ---: | --- |")
print("\n".join(rows))
print(f"\n{sum(checks)} of {len(checks)} targets met.")
EOF
