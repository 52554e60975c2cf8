package main

// pyWhat describes the CPython cases, for the table.
var pyWhat = map[string]string{
	"py/unpack/person":  "`<i5sf` CPython Struct.unpack",
	"py/unpack/wide":    "`<IIhhqd?5sxH` CPython Struct.unpack",
	"py/unpack/native":  "`@ci?d` CPython Struct.unpack",
	"py/pack/person":    "`<i5sf` CPython Struct.pack",
	"py/pack/wide":      "`<IIhhqd?5sxH` CPython Struct.pack",
	"py/pack/native":    "`@ci?d` CPython Struct.pack",
	"py/compile/person": "`<i5sf` CPython struct.Struct(fmt)",
	"py/compile/wide":   "`<IIhhqd?5sxH` CPython struct.Struct(fmt)",
	"py/compile/native": "`@ci?d` CPython struct.Struct(fmt)",
	"py/iter/IIhhd":     "`<IIhhd` CPython `for t in s.iter_unpack(data)`, ns per record",
}

// pyScript is the CPython coprocess. It says "hello VERSION NAME..." and
// then answers commands on stdin, one line each:
//
//	calibrate BATCH_NS NAME...   choose each case's calls per batch; reply "ok"
//	round R                      run one batch of every chosen case, in an
//	                             order rotated by R; reply "NAME NS_PER_OP ..."
//
// Each case is a plain counted loop timed with perf_counter_ns.
const pyScript = `
import platform, struct, sys, time

records = [
    ("person", "<i5sf", (1, b"zhang", 1.75)),
    ("wide", "<IIhhqd?5sxH", (1, 2, -3, 4, -5, 6.5, True, b"hello", 9)),
    ("native", "@ci?d", (b"x", -7, True, 2.5)),
]

def unpack_case(fs, values):
    s = struct.Struct(fs)
    b = s.pack(*values)
    f = s.unpack
    def run(n):
        for _ in range(n):
            f(b)
    return run

def pack_case(fs, values):
    f = struct.Struct(fs).pack
    def run(n):
        for _ in range(n):
            f(*values)
    return run

def compile_case(fs):
    S = struct.Struct
    def run(n):
        for _ in range(n):
            S(fs)
    return run

def iter_case():
    s = struct.Struct("<IIhhd")
    total = 1000000
    data = b"".join(s.pack(i, i*7, i % 30000 - 15000, -(i % 1000), i * 0.5) for i in range(total))
    mv = memoryview(data)
    size = s.size
    pos = [0]
    def run(n):
        n = min(n, total)
        if pos[0] + n > total:
            pos[0] = 0
        chunk = mv[pos[0]*size:(pos[0]+n)*size]
        pos[0] += n
        for t in s.iter_unpack(chunk):
            pass
    return run

cases = {}
for name, fs, values in records:
    cases["py/unpack/" + name] = unpack_case(fs, values)
    cases["py/pack/" + name] = pack_case(fs, values)
    cases["py/compile/" + name] = compile_case(fs)
cases["py/iter/IIhhd"] = iter_case()

now = time.perf_counter_ns

def time_batch(run, n):
    t0 = now()
    run(n)
    return (now() - t0) / n

print("hello", platform.python_version(), *cases, flush=True)
chosen = []
for line in sys.stdin:
    cmd = line.split()
    if not cmd:
        continue
    if cmd[0] == "calibrate":
        batch = int(cmd[1])
        chosen = []
        for name in cmd[2:]:
            run = cases[name]
            run(1)
            n = 1
            while True:
                t = time_batch(run, n) * n
                if t >= batch or n >= 1 << 24:
                    break
                n = max(n + 1, min(n * 10, int(n * batch / max(t, 1) * 1.1)))
            chosen.append((name, run, n))
        print("ok", flush=True)
    elif cmd[0] == "round":
        r = int(cmd[1])
        out = []
        k = len(chosen)
        for i in range(k):
            name, run, n = chosen[(i + r) % k]
            out.append(name)
            out.append(repr(time_batch(run, n)))
        print(*out, flush=True)
`
