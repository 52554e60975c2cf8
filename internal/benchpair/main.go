// Command benchpair is pystruct's paired benchmark. It times every case
// of [cases] as short batches of calls (about 10 µs each) for thousands of
// rounds, and compares cases by the median of their per-round ratios, so
// that the two sides of a ratio always ran microseconds apart and the
// load on a shared machine falls on both alike.
//
// # Method
//
// The cases that a target compares, with CPython 3.13's batches of the
// same operations, form a group. Every round runs every group once, the
// groups in rotating order; within a group the Go batches run back to
// back, rotated each round, with the CPython batches between them (half
// of the Go batches before, half after, the halves alternating from turn
// to turn), so a per-round ratio divides two batches a few batches apart,
// tens of microseconds, never a number from another moment. Each batch
// is preceded by an untimed warm-up of a quarter of its calls, so a batch
// that follows the other process is timed warm like the rest (with it,
// which side of the pair ran first made no difference), and its time is
// taken less that of an empty batch (the clock's reads and the call).
//
// CPython runs in -py coprocesses (4) that take the rounds in turn: a
// CPython process's speed depends on where its objects happen to lie in
// memory, which differs from process to process (the iter_unpack case's
// medians differed by 3 % between the four processes of one run), so the
// CPython side of every ratio is a sample over several processes, and
// its spread shows what that moves.
//
// Go runs with GOMAXPROCS=1, as CPython runs on one core, and the
// benchmark and its coprocesses are pinned to one CPU (the one the
// benchmark starts on, or -cpu): both sides of a ratio run on the same
// core, and neither moves when the other core is busy. Unpinned, a busy
// second core put some pairs' two sides on different cores, and those
// pairs gave ratios up to 20 % from the rest.
//
// Each case's calls per batch are calibrated once, before the rounds:
// grown until a batch takes -batch, then set from the fastest of five
// trial batches (load only ever slows a batch down, so the fastest is the
// steadiest choice).
//
// # Garbage collection
//
// Short batches leave much of what allocating costs out of their medians:
// a GC cycle's marking and pauses, and the allocator's slow paths
// (sweeping spans, refilling its caches), land whole in a few batches,
// which the medians drop, and while the Go side waits for CPython the
// runtime's idle-time workers do part of it for free. So every
// Go case is also probed: run alone (no CPython, so the runtime is never
// idle and pays for all of its collection itself) in back-to-back batches
// timed by the CPU time the process got (CLOCK_PROCESS_CPUTIME_ID, which
// the machine's other load does not inflate), probeRuns times spread over
// the rounds; a case that allocates is probed over exactly probeCycles
// whole GC cycles, from the end of one to the end of another, so that
// collection falls in its batches in proportion. A batch during which,
// or just before which, the process was preempted (getrusage's
// involuntary context switches) is left out: it finds its caches cold,
// and more so the more memory the case touches, which made the charge
// grow with the load. A probe's tail is its batches' mean ns/op less
// their median, relative to the median. The cases that allocate nothing
// show the machine's own tail (interrupts and the like: 2–7 % here). A
// case that allocates has an excess: its median tail less theirs, times
// its median in the rounds, per byte it allocates. What collection costs
// per byte depends on the heap, not on which case made the garbage, and
// one case's excess, from a few cycles, varied up to twofold from run to
// run, so every case that allocates is charged the median excess of them
// all, per byte, times its bytes per call, added to every batch.
//
// Other charges were tried and dropped. The batches' time beyond their
// medians less the non-allocating cases' excess, in wall time, measured
// the load, not the collector: 0 to 0.047 ns per byte from run to run.
// The runtime's own GC CPU figure (runtime/metrics /cpu/classes/gc/total)
// per byte leaves the allocator's slow paths out and, being a wall-clock
// estimate, varied sixfold from run to run under load (0.002 to 0.013 ns
// per byte). Long runs timed by CPU time, less the batches' median,
// carried the difference between one long run and many short batches
// (−25 % to +14 % on cases that allocate nothing). Without leaving out
// preempted batches, the machine's tail rose from 5 % to 17–23 % with two
// busy loops and a build on the machine, and the charges doubled with it;
// with them left out, it stays at 2–7 %. With GOGC=400 (cycles four
// times rarer) the charge fell by about a quarter, from 0.063–0.079 to
// 0.051–0.055 ns per byte over two runs each: most of it is work done per
// byte in bursts (sweeping, refilling), not the marking done per cycle.
//
// # Output
//
// It prints a Markdown table: the median ns/op of every case with its
// p25–p75 spread, and for each target the median of the per-round ratios
// with their p25–p75 spread, and the target's verdict. scripts/bench.sh
// runs it. With -trace FILE it also writes every batch (round, case,
// process, start time, ns/op, calls, CPU) as CSV.
//
// With -compare A B it reads two saved outputs instead and says, for
// every target in both, whether each run's median ratio lies within the
// other's p25–p75 spread; it exits with status 1 if one does not.
// scripts/bench_compare.sh runs it.
//
// Usage:
//
//	go run ./internal/benchpair [-rounds 2000] [-batch 10us] [-run regexp] [-py 4] [-cpu N] [-trace FILE]
//	go run ./internal/benchpair -compare A.md B.md
//
// Python is $PYSTRUCT_PYTHON if set, else python3 with PYENV_VERSION=3.13.0
// (unless PYENV_VERSION is set).
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"runtime/metrics"
	"slices"
	"strconv"
	"strings"
	"time"
)

func main() {
	rounds := flag.Int("rounds", 2000, "rounds; each runs one batch of every case")
	batch := flag.Duration("batch", 10*time.Microsecond, "target duration of one batch")
	run := flag.String("run", "", "run only the cases and targets whose names match this regexp")
	cpu := flag.Int("cpu", -1, "pin the benchmark and CPython to this CPU (-1: the one it starts on; -2: do not pin)")
	procs := flag.Int("py", 4, "CPython coprocesses, taking the rounds in turn")
	trace := flag.String("trace", "", "write every batch to this CSV file")
	compare := flag.Bool("compare", false, "compare the target ratios of two saved outputs, named as arguments")
	flag.Parse()
	if *compare {
		if flag.NArg() != 2 {
			fmt.Fprintln(os.Stderr, "usage: benchpair -compare A B")
			os.Exit(2)
		}
		ok, err := compareFiles(os.Stdout, flag.Arg(0), flag.Arg(1))
		if err != nil {
			fmt.Fprintln(os.Stderr, "benchpair:", err)
			os.Exit(2)
		}
		if !ok {
			os.Exit(1)
		}
		return
	}
	if flag.NArg() != 0 || *rounds < 1 || *batch <= 0 || *procs < 1 {
		flag.Usage()
		os.Exit(2)
	}
	if err := bench(*rounds, *batch, *run, *cpu, *procs, *trace); err != nil {
		fmt.Fprintln(os.Stderr, "benchpair:", err)
		os.Exit(1)
	}
}

func bench(rounds int, batch time.Duration, run string, cpu, procs int, tracePath string) error {
	runtime.GOMAXPROCS(1)
	pinned := "not pinned to a CPU"
	if cpu != -2 {
		if cpu == -1 {
			cpu = currentCPU()
		}
		if err := pinTo(cpu); err != nil {
			fmt.Fprintln(os.Stderr, "benchpair: not pinned:", err)
		} else {
			pinned = fmt.Sprintf("Go and CPython pinned to CPU %d", cpu)
		}
	}

	var re *regexp.Regexp
	if run != "" {
		var err error
		if re, err = regexp.Compile(run); err != nil {
			return err
		}
	}
	var goCases []*goCase
	for _, c := range cases() {
		if re == nil || re.MatchString(c.name) {
			goCases = append(goCases, &goCase{spec: c})
		}
	}
	var tgts []target
	for _, t := range targets() {
		if re == nil || re.MatchString(t.num) || re.MatchString(t.den) {
			tgts = append(tgts, t)
		}
	}

	pys := make([]*python, procs)
	for i := range pys {
		py, err := startPython(i + 1)
		if err != nil {
			return err
		}
		defer py.close()
		pys[i] = py
	}
	pyNames := pys[0].names
	if re != nil {
		pyNames = slices.DeleteFunc(slices.Clone(pyNames), func(n string) bool { return !re.MatchString(n) })
	}

	// Set up and calibrate: each case gets the number of calls that takes
	// about one batch.
	for _, c := range goCases {
		c.fn = c.spec.setup()
		c.n = calibrate(c.fn, batch)
		c.warm = max(1, c.n/4)
		c.bytesPerOp = bytesPerOp(c.fn, c.n)
	}
	pyCalls := map[string][]int{}
	for _, py := range pys {
		calls, err := py.calibrate(pyNames, batch)
		if err != nil {
			return err
		}
		for n, c := range calls {
			pyCalls[n] = append(pyCalls[n], c)
		}
	}
	groups := makeGroups(goCases, pyNames, tgts)

	var tw *bufio.Writer
	if tracePath != "" {
		f, err := os.Create(tracePath)
		if err != nil {
			return err
		}
		defer f.Close()
		tw = bufio.NewWriter(f)
		defer tw.Flush()
		fmt.Fprintln(tw, "round,case,proc,start_unix_ns,ns_per_op,calls,cpu")
	}

	// ns[name][round] is the ns/op of the case's batch in that round.
	ns := map[string][]float64{}
	fmt.Fprintf(os.Stderr, "benchpair: %d Go cases, %d CPython cases (%d coprocesses) in %d groups, %d rounds; %s\n", len(goCases), len(pyNames), procs, len(groups), rounds, pinned)
	for r := range rounds {
		if r%max(1, rounds/probeRuns) == rounds/probeRuns/2 {
			for _, c := range goCases {
				c.probe()
			}
		}
		py := pys[r%len(pys)]
		for gi := range groups {
			g := groups[(gi+r)%len(groups)]
			k := len(g.goCases)
			// The Go batches rotate; the CPython batches sit in the
			// middle, the halves alternating every turn of the
			// coprocesses, so that each coprocess sees both orders.
			half := (k + r/len(pys)%2) / 2
			for j := range k {
				if j == half && len(g.py) > 0 {
					if err := runPython(py, r, g.py, ns, tw); err != nil {
						return err
					}
				}
				c := g.goCases[(j+r)%k]
				start := time.Now()
				v := c.time()
				ns[c.spec.name] = append(ns[c.spec.name], v)
				if tw != nil {
					fmt.Fprintf(tw, "%d,%s,0,%d,%.3f,%d,%d\n", r, c.spec.name, start.UnixNano(), v, c.n, currentCPU())
				}
			}
			if half >= k && len(g.py) > 0 {
				if err := runPython(py, r, g.py, ns, tw); err != nil {
					return err
				}
			}
		}
		if (r+1)%200 == 0 {
			fmt.Fprintf(os.Stderr, "benchpair: round %d of %d\n", r+1, rounds)
		}
	}
	control, perByte, lo, hi := gcCharges(goCases, ns)
	for _, c := range goCases {
		v := ns[c.spec.name]
		for i := range v {
			v[i] += c.gcCharge
		}
	}
	runtime.KeepAlive(sinkAny)
	runtime.KeepAlive(sinkBytes)
	runtime.KeepAlive(sinkS)
	report(os.Stdout, runInfo{
		control: control, perByte: perByte, perByteLo: lo, perByteHi: hi, rounds: rounds, batch: batch, pinned: pinned, pyVersion: pys[0].version, procs: procs, pyOverhead: pys[0].overhead,
		goCases: goCases, pyNames: pyNames, pyCalls: pyCalls, ns: ns, tgts: tgts,
	})
	return nil
}

// runPython runs one batch of each of the CPython cases names and records
// their ns/op.
func runPython(py *python, r int, names []string, ns map[string][]float64, tw *bufio.Writer) error {
	res, err := py.run(r, names)
	if err != nil {
		return err
	}
	for _, b := range res {
		ns[b.name] = append(ns[b.name], b.nsPerOp)
		if tw != nil {
			fmt.Fprintf(tw, "%d,%s,%d,%d,%.3f,%d,%d\n", r, b.name, py.id, b.start, b.nsPerOp, b.calls, b.cpu)
		}
	}
	return nil
}

// A caseSpec is one benchmark: setup prepares its data and returns a
// function that makes n calls of the operation timed.
type caseSpec struct {
	name  string
	what  string // what the case times, for the table
	setup func() func(n int)
}

type goCase struct {
	spec       caseSpec
	fn         func(n int)
	n          int       // calls per batch
	warm       int       // calls of the untimed warm-up before each batch
	bytesPerOp float64   // heap bytes allocated per call
	gcCharge   float64   // ns of garbage collection charged per call
	probes     []float64 // the probes' tails, relative to their medians
}

// time runs one warm-up and one timed batch and returns the batch's ns
// per call.
func (c *goCase) time() float64 {
	c.fn(c.warm)
	return timeBatch(c.fn, c.n)
}

// A group is the cases that targets compare with one another, directly
// or through other cases: they run together in every round.
type group struct {
	goCases []*goCase
	py      []string
}

// makeGroups groups the cases by the targets that compare them. A case
// that no target compares is a group of its own.
func makeGroups(goCases []*goCase, pyNames []string, tgts []target) []*group {
	parent := map[string]string{}
	var find func(string) string
	find = func(s string) string {
		if p := parent[s]; p != s {
			parent[s] = find(p)
		}
		return parent[s]
	}
	for _, c := range goCases {
		parent[c.spec.name] = c.spec.name
	}
	for _, n := range pyNames {
		parent[n] = n
	}
	for _, t := range tgts {
		_, ok1 := parent[t.num]
		_, ok2 := parent[t.den]
		if ok1 && ok2 {
			parent[find(t.num)] = find(t.den)
		}
	}
	byRoot := map[string]*group{}
	var groups []*group
	get := func(name string) *group {
		root := find(name)
		g := byRoot[root]
		if g == nil {
			g = &group{}
			byRoot[root] = g
			groups = append(groups, g)
		}
		return g
	}
	for _, c := range goCases {
		g := get(c.spec.name)
		g.goCases = append(g.goCases, c)
	}
	for _, n := range pyNames {
		g := get(n)
		g.py = append(g.py, n)
	}
	return groups
}

// bytesPerOp measures the heap bytes a call of fn allocates.
func bytesPerOp(fn func(int), n int) float64 {
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	for range 10 {
		fn(n)
	}
	runtime.ReadMemStats(&m1)
	return float64(m1.TotalAlloc-m0.TotalAlloc) / float64(10*n)
}

// probe runs the case alone (no CPython, so the Go runtime is never idle
// and pays for all of its collection itself) in back-to-back batches,
// timing each batch by the CPU time the process got (which does not count
// the time other processes had the CPU), and keeps as a sample what the
// batches' slow tail added to them: their mean ns/op less their median,
// relative to the median. For a case that allocates, the batches span
// exactly probeCycles GC cycles, from the end of one to the end of
// another, so that collection falls in them in proportion; for one that
// does not, they run for probeRun, and the tail is the machine's (cache
// refills when the process gets the CPU back, interrupts), the control.
func (c *goCase) probe() {
	cycles := []metrics.Sample{{Name: "/gc/cycles/total:gc-cycles"}}
	count := func() uint64 {
		metrics.Read(cycles)
		if cycles[0].Value.Kind() != metrics.KindUint64 {
			return 0
		}
		return cycles[0].Value.Uint64()
	}
	allocates := c.bytesPerOp >= 1
	deadline := time.Now().Add(probeMax)
	start := count()
	if allocates {
		// Run to the end of a cycle, so that the probe spans whole ones.
		for count() == start {
			if time.Now().After(deadline) {
				return
			}
			c.fn(c.n)
		}
		start = count()
	}
	var ns []float64
	var spent time.Duration
	p0, hit := preemptions(), true
	for {
		if allocates && count()-start >= probeCycles || !allocates && spent >= probeRun {
			break
		}
		if time.Now().After(deadline) {
			return
		}
		t0 := cpuTime()
		c.fn(c.n)
		d := cpuTime() - t0
		spent += d
		// A batch during which, or just before which, other work
		// took the CPU finds its caches cold: leave it out.
		p1 := preemptions()
		if p1 == p0 && !hit || p1 < 0 {
			ns = append(ns, float64(d.Nanoseconds())/float64(c.n))
		}
		hit = p1 != p0
		p0 = p1
	}
	if len(ns) == 0 {
		return
	}
	sum := 0.0
	for _, v := range ns {
		sum += v
	}
	med := quantile(ns, .5)
	if med > 0 {
		c.probes = append(c.probes, (sum/float64(len(ns))-med)/med)
	}
}

// Every case gets probeRuns probes spread over the rounds: of probeCycles
// GC cycles if it allocates, else of probeRun; a probe is given up after
// probeMax.
const (
	probeRuns   = 9
	probeCycles = 2
	probeRun    = 20 * time.Millisecond
	probeMax    = time.Second
)

// tail returns the median of the case's probe samples, as a fraction of
// the median ns/op.
func (c *goCase) tail() (float64, bool) {
	if len(c.probes) == 0 {
		return 0, false
	}
	return quantile(c.probes, .5), true
}

// gcCharges sets the GC charge of every case that allocates. A case's
// excess is its tail less the control (the median tail of the cases that
// allocate nothing), times the median of its batches in the rounds, per
// byte it allocates; what collection costs per byte depends on the heap,
// not on which case made the garbage, so every case is charged the
// median excess per byte of all of them, times its bytes per call (one
// case's own excess, from a few cycles, varied up to twofold from run to
// run). It returns the control (-1 if no case that allocates nothing was
// probed, when none is taken off) and the charge per byte, with the range
// of the cases' excesses.
func gcCharges(goCases []*goCase, ns map[string][]float64) (control float64, perByte, lo, hi float64) {
	var quiet, excess []float64
	for _, c := range goCases {
		if t, ok := c.tail(); ok && c.bytesPerOp < 1 {
			quiet = append(quiet, t)
		}
	}
	if len(quiet) > 0 {
		control = quantile(quiet, .5)
	}
	defer func() {
		if len(quiet) == 0 {
			control = -1
		}
	}()
	for _, c := range goCases {
		if t, ok := c.tail(); ok && c.bytesPerOp >= 1 {
			excess = append(excess, max(0, t-control)*quantile(ns[c.spec.name], .5)/c.bytesPerOp)
		}
	}
	if len(excess) == 0 {
		return control, 0, 0, 0
	}
	perByte = quantile(excess, .5)
	for _, c := range goCases {
		if c.bytesPerOp >= 1 {
			c.gcCharge = perByte * c.bytesPerOp
		}
	}
	return control, perByte, slices.Min(excess), slices.Max(excess)
}

// A target compares two cases of the same rounds: ratio = ns(num)/ns(den)
// per round; the verdict holds if the median ratio is >= min (min > 0) or
// <= max (max > 0).
type target struct {
	label    string
	num, den string
	min, max float64
}

// calibrate returns the number of calls of fn that takes about one batch:
// grown until a batch takes that long, then set from the fastest of five
// batches of that size (other load only ever slows a batch down).
func calibrate(fn func(int), batch time.Duration) int {
	fn(1) // warm up
	n := 1
	for {
		t := timeBatch(fn, n) * float64(n)
		if t >= float64(batch) || n >= 1<<24 {
			break
		}
		if t <= 0 {
			n *= 10
			continue
		}
		n = max(n+1, min(n*10, int(float64(n)*float64(batch)/t*1.1)))
	}
	per := math.Inf(1)
	for range 5 {
		fn(max(1, n/4))
		per = min(per, timeBatch(fn, n))
	}
	if per <= 0 {
		return n
	}
	return max(1, min(1<<24, int(float64(batch)/per+.5)))
}

// timeBatch returns the ns per call of n calls of fn, counting the
// batch's time less timerOverhead.
func timeBatch(fn func(int), n int) float64 {
	t0 := time.Now()
	fn(n)
	return (float64(time.Since(t0).Nanoseconds()) - timerOverhead) / float64(n)
}

// timerOverhead is the ns that timing an empty batch of a function that
// does nothing takes: the clock's two reads and the call, which every
// batch would otherwise count (about 20 ns here, and 50 ns for CPython:
// under 1 % of a batch).
// The CPython side takes off its own, likewise measured.
var timerOverhead = func() float64 {
	fn := func(int) {}
	best := math.Inf(1)
	for range 1001 {
		t0 := time.Now()
		fn(0)
		best = min(best, float64(time.Since(t0).Nanoseconds()))
	}
	return best
}()

func quantile(xs []float64, q float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	pos := q * float64(len(s)-1)
	i := int(pos)
	if i+1 >= len(s) {
		return s[len(s)-1]
	}
	return s[i] + (s[i+1]-s[i])*(pos-float64(i))
}

type runInfo struct {
	control, perByte     float64
	perByteLo, perByteHi float64
	rounds               int
	batch                time.Duration
	pinned               string
	pyVersion            string
	goCases              []*goCase
	pyNames              []string
	procs                int
	pyOverhead           float64
	pyCalls              map[string][]int
	ns                   map[string][]float64
	tgts                 []target
}

func report(w io.Writer, in runInfo) {
	fmt.Fprintf(w, "Paired run of %s on %s, GOMAXPROCS=1, %s; %d rounds of batches of about %v, the two sides of a ratio a few batches apart, CPython in %d coprocesses taking the rounds in turn.\n",
		time.Now().UTC().Format("2006-01-02 15:04 UTC"), machine(in.pyVersion), in.pinned, in.rounds, in.batch, in.procs)
	fmt.Fprintf(w, "Each batch's time is taken less that of an empty batch (the clock's reads and the call: Go %.0f ns, CPython %.0f ns).\n", timerOverhead, in.pyOverhead)
	machineTail := fmt.Sprintf("%.1f %%, the machine's", 100*in.control)
	if in.control < 0 {
		machineTail = "none ran: nothing taken off"
	}
	fmt.Fprintf(w, "Each Go case that allocates is charged %.3f ns per byte it allocates for garbage collection and the allocator's slow paths, which short batches leave out (\"GC charge\", added to every batch of the rounds). Every case ran alone %d times over the rounds, in back-to-back batches timed by the CPU time the process got, over %d whole GC cycles if it allocates, leaving out batches around a preemption; a case's tail is the median, over those probes, of the batches' mean less their median; an allocating case's excess is its tail less the median tail of the cases that allocate nothing (%s), times its median, per byte; the charge is the median excess, of %.3f–%.3f ns per byte.\n\n", in.perByte, probeRuns, probeCycles, machineTail, in.perByteLo, in.perByteHi)
	fmt.Fprintln(w, "| case | what | calls/batch | B/op | GC charge ns/op | median ns/op | p25–p75 |")
	fmt.Fprintln(w, "| --- | --- | ---: | ---: | ---: | ---: | ---: |")
	row := func(name, what string, calls string, bytes, charge string) {
		v := in.ns[name]
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s–%s |\n", name, what, calls, bytes, charge, fmtNs(quantile(v, .5)), fmtNs(quantile(v, .25)), fmtNs(quantile(v, .75)))
	}
	for _, c := range in.goCases {
		charge := "–"
		if c.bytesPerOp >= 1 {
			charge = fmtNs(c.gcCharge)
		}
		// Less than a byte per call (a buffer grown once over many
		// calls) counts as allocating nothing: show it as it is.
		prec := 0
		if c.bytesPerOp > 0 && c.bytesPerOp < 1 {
			prec = 2
		}
		row(c.spec.name, c.spec.what, strconv.Itoa(c.n), strconv.FormatFloat(c.bytesPerOp, 'f', prec, 64), charge)
	}
	for _, n := range in.pyNames {
		calls := slices.Clone(in.pyCalls[n])
		slices.Sort(calls)
		s := strconv.Itoa(calls[0])
		if calls[len(calls)-1] != calls[0] {
			s += "–" + strconv.Itoa(calls[len(calls)-1])
		}
		row(n, pyWhat[n], s, "–", "–")
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| target | ratio (median of per-round ratios) | p25–p75 | goal | verdict |")
	fmt.Fprintln(w, "| --- | ---: | ---: | ---: | --- |")
	met, total := 0, 0
	for _, t := range in.tgts {
		a, b := in.ns[t.num], in.ns[t.den]
		if len(a) == 0 || len(b) == 0 || len(a) != len(b) {
			continue
		}
		ratios := make([]float64, len(a))
		for i := range a {
			ratios[i] = a[i] / b[i]
		}
		m := quantile(ratios, .5)
		goal, ok := "", false
		if t.min > 0 {
			goal, ok = "≥ "+strconv.FormatFloat(t.min, 'g', -1, 64)+"×", m >= t.min
		} else {
			goal, ok = "≤ "+strconv.FormatFloat(t.max, 'g', -1, 64)+"×", m <= t.max
		}
		verdict := "met"
		if !ok {
			verdict = "**MISSED**"
		} else {
			met++
		}
		total++
		fmt.Fprintf(w, "| %s | %.2f× | %.2f–%.2f | %s | %s |\n", t.label, m, quantile(ratios, .25), quantile(ratios, .75), goal, verdict)
	}
	fmt.Fprintf(w, "\n%d of %d targets met.\n", met, total)
}

func fmtNs(v float64) string {
	if v >= 100 {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'f', 1, 64)
}

// machine describes the machine as it reports itself.
func machine(pyVersion string) string {
	cpu := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				cpu = strings.TrimSpace(v)
				break
			}
		}
	}
	nproc := strconv.Itoa(runtime.NumCPU())
	if out, err := exec.Command("nproc", "--all").Output(); err == nil {
		nproc = strings.TrimSpace(string(out))
	}
	gover := runtime.Version()
	if out, err := exec.Command("go", "version").Output(); err == nil {
		gover = strings.TrimSpace(string(out))
	}
	return fmt.Sprintf("%s, %s cores (nproc --all), %s/%s, %s (benchpair built with %s), %s",
		cpu, nproc, runtime.GOOS, runtime.GOARCH, gover, runtime.Version(), pyVersion)
}

// python is the CPython coprocess.
type python struct {
	id       int     // 1, 2, ... in the trace
	overhead float64 // ns of an empty batch, taken off every batch
	cmd      *exec.Cmd
	in       io.WriteCloser
	out      *bufio.Scanner
	names    []string
	version  string
}

func startPython(id int) (*python, error) {
	var cmd *exec.Cmd
	if p := os.Getenv("PYSTRUCT_PYTHON"); p != "" {
		cmd = exec.Command(p, "-c", pyScript)
	} else {
		cmd = exec.Command("python3", "-c", pyScript)
		if os.Getenv("PYENV_VERSION") == "" {
			cmd.Env = append(os.Environ(), "PYENV_VERSION=3.13.0")
		}
	}
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting python: %v", err)
	}
	p := &python{id: id, cmd: cmd, in: in, out: bufio.NewScanner(out)}
	p.out.Buffer(nil, 1<<20)
	line, err := p.line()
	if err != nil {
		return nil, err
	}
	// "hello IMPLEMENTATION VERSION OVERHEAD_NS name name ..."
	f := strings.Fields(line)
	if len(f) < 5 || f[0] != "hello" {
		return nil, fmt.Errorf("python said %q", line)
	}
	if p.overhead, err = strconv.ParseFloat(f[3], 64); err != nil {
		return nil, fmt.Errorf("python said %q", line)
	}
	if f[1] != "CPython" || !strings.HasPrefix(f[2], "3.13.") {
		p.close()
		return nil, fmt.Errorf("the targets are CPython 3.13's; python is %s %s (set PYSTRUCT_PYTHON)", f[1], f[2])
	}
	p.version = f[1] + " " + f[2]
	p.names = f[4:]
	return p, nil
}

func (p *python) line() (string, error) {
	if !p.out.Scan() {
		if err := p.out.Err(); err != nil {
			return "", err
		}
		return "", fmt.Errorf("python exited")
	}
	return p.out.Text(), nil
}

// calibrate has python choose each case's calls per batch, and returns
// them.
func (p *python) calibrate(names []string, batch time.Duration) (map[string]int, error) {
	fmt.Fprintf(p.in, "calibrate %d %s\n", batch.Nanoseconds(), strings.Join(names, " "))
	line, err := p.line()
	if err != nil {
		return nil, err
	}
	f := strings.Fields(line)
	if len(f) != 2*len(names) {
		return nil, fmt.Errorf("python said %q", line)
	}
	calls := map[string]int{}
	for i := 0; i < len(f); i += 2 {
		n, err := strconv.Atoi(f[i+1])
		if err != nil {
			return nil, fmt.Errorf("python said %q", line)
		}
		calls[f[i]] = n
	}
	return calls, nil
}

// A pyBatch is one timed batch of a CPython case.
type pyBatch struct {
	name    string
	nsPerOp float64
	start   int64 // Unix ns
	calls   int
	cpu     int
}

// run asks python to run one batch of each of the named cases, in that
// order, and returns their timings.
func (p *python) run(r int, names []string) ([]pyBatch, error) {
	fmt.Fprintf(p.in, "run %d %s\n", r, strings.Join(names, " "))
	line, err := p.line()
	if err != nil {
		return nil, err
	}
	f := strings.Fields(line)
	if len(f) != 5*len(names) {
		return nil, fmt.Errorf("python said %q", line)
	}
	res := make([]pyBatch, len(names))
	for i := range res {
		g := f[5*i : 5*i+5]
		v, err1 := strconv.ParseFloat(g[1], 64)
		start, err2 := strconv.ParseInt(g[2], 10, 64)
		calls, err3 := strconv.Atoi(g[3])
		cpu, err4 := strconv.Atoi(g[4])
		if g[0] != names[i] || err1 != nil || err2 != nil || err3 != nil || err4 != nil {
			return nil, fmt.Errorf("python said %q", line)
		}
		res[i] = pyBatch{g[0], v, start, calls, cpu}
	}
	return res, nil
}

func (p *python) close() {
	p.in.Close()
	p.cmd.Wait()
}
