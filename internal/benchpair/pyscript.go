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

// pyScript is the CPython coprocess. It says "hello IMPLEMENTATION
// VERSION OVERHEAD_NS NAME..." and then answers commands on stdin, one
// line each:
//
//	calibrate BATCH_NS NAME...   choose each case's calls per batch;
//	                             reply "NAME CALLS ..."
//	run R NAME...                run one batch of each named case, in that
//	                             order; reply "NAME NS_PER_OP START_UNIX_NS
//	                             CALLS CPU ..."
//
// Each case is a plain counted loop timed with perf_counter_ns, less the
// time of an empty batch, after an untimed warm-up of a quarter of its
// calls, as on the Go side. The calls
// per batch are grown until a batch takes BATCH_NS, then set from the
// fastest of five batches of that size. CPU is the CPU a batch started on,
// or -1 where that cannot be known.
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

try:
    import ctypes
    _getcpu = ctypes.CDLL(None).sched_getcpu
    def getcpu():
        return _getcpu()
except Exception:
    def getcpu():
        return -1

def nothing(n):
    pass

def empty_batch():
    t0 = now()
    nothing(0)
    return now() - t0

# The clock's two reads and the call, which every batch would otherwise
# count: the fastest of many empty batches.
overhead = min(empty_batch() for _ in range(1001))

def time_batch(run, n):
    t0 = now()
    run(n)
    return (now() - t0 - overhead) / n

print("hello", platform.python_implementation(), platform.python_version(), overhead, *cases, flush=True)
chosen = {}
for line in sys.stdin:
    cmd = line.split()
    if not cmd:
        continue
    if cmd[0] == "calibrate":
        batch = int(cmd[1])
        chosen = {}
        out = []
        for name in cmd[2:]:
            run = cases[name]
            run(1)
            n = 1
            while True:
                t = time_batch(run, n) * n
                if t >= batch or n >= 1 << 24:
                    break
                n = max(n + 1, min(n * 10, int(n * batch / max(t, 1) * 1.1)))
            per = min(time_batch(run, n) for _ in range(5) if run(max(1, n // 4)) is None)
            if per > 0:
                n = max(1, min(1 << 24, int(batch / per + 0.5)))
            chosen[name] = (run, n, max(1, n // 4))
            out += [name, str(n)]
        print(*out, flush=True)
    elif cmd[0] == "run":
        out = []
        for name in cmd[2:]:
            run, n, warm = chosen[name]
            run(warm)
            cpu = getcpu()
            start = time.time_ns()
            v = time_batch(run, n)
            out += [name, repr(v), str(start), str(n), str(cpu)]
        print(*out, flush=True)
`
