// Command benchpair is pystruct's paired benchmark: it times every case
// of [cases] as short batches of calls (about 10 µs each), one batch of
// each case per round in rotating order, for hundreds of rounds, with
// CPython 3.13's batches of the same operations run between the Go rounds
// by a Python coprocess. A case compared with another ran microseconds
// from it, so the load on a shared machine falls on both alike.
//
// It prints a Markdown table: the median ns/op of every case, and for each
// target the median of the per-round ratios with their p25–p75 spread, and
// the target's verdict. scripts/bench.sh runs it.
//
// Usage:
//
//	go run ./internal/benchpair [-rounds 400] [-batch 10us] [-run regexp]
//
// Python is $PYSTRUCT_PYTHON if set, else python3 with PYENV_VERSION=3.13.0
// (unless PYENV_VERSION is set).
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
)

func main() {
	rounds := flag.Int("rounds", 400, "rounds; each runs one batch of every case")
	batch := flag.Duration("batch", 10*time.Microsecond, "target duration of one batch")
	run := flag.String("run", "", "run only the cases and targets whose names match this regexp")
	flag.Parse()
	runtime.GOMAXPROCS(1)

	var re *regexp.Regexp
	if *run != "" {
		re = regexp.MustCompile(*run)
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

	py, err := startPython()
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchpair:", err)
		os.Exit(1)
	}
	defer py.close()
	pyNames := py.names
	if re != nil {
		pyNames = slices.DeleteFunc(slices.Clone(pyNames), func(n string) bool { return !re.MatchString(n) })
	}

	// Set up and calibrate: each case gets the number of calls that takes
	// about one batch.
	for _, c := range goCases {
		c.fn = c.spec.setup()
		c.n = calibrate(c.fn, *batch)
		c.bytesPerOp = bytesPerOp(c.fn, c.n)
	}
	if err := py.calibrate(pyNames, *batch); err != nil {
		fmt.Fprintln(os.Stderr, "benchpair:", err)
		os.Exit(1)
	}

	// ns[name][round] is the ns/op of the case's batch in that round.
	ns := map[string][]float64{}
	fmt.Fprintf(os.Stderr, "benchpair: %d Go cases, %d CPython cases, %d rounds\n", len(goCases), len(pyNames), *rounds)
	for r := range *rounds {
		for i := range goCases {
			c := goCases[(i+r)%len(goCases)]
			ns[c.spec.name] = append(ns[c.spec.name], timeBatch(c.fn, c.n))
		}
		res, err := py.round(r)
		if err != nil {
			fmt.Fprintln(os.Stderr, "benchpair:", err)
			os.Exit(1)
		}
		for name, v := range res {
			ns[name] = append(ns[name], v)
		}
		if (r+1)%100 == 0 {
			fmt.Fprintf(os.Stderr, "benchpair: round %d of %d\n", r+1, *rounds)
		}
	}
	gcPerByte := gcCharge(goCases, ns)
	for _, c := range goCases {
		c.gcCharge = c.bytesPerOp * gcPerByte
		v := ns[c.spec.name]
		for i := range v {
			v[i] += c.gcCharge
		}
	}
	runtime.KeepAlive(sinkAny)
	runtime.KeepAlive(sinkBytes)
	runtime.KeepAlive(sinkS)
	report(os.Stdout, goCases, pyNames, ns, tgts, py.version, *rounds, gcPerByte)
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
	n          int     // calls per batch
	bytesPerOp float64 // heap bytes allocated per call
	gcCharge   float64 // ns of garbage collection charged per call
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

// gcCharge returns the ns of garbage collection to charge per byte
// allocated. A collection cycle lands whole in a few batches, which the
// medians leave out, so the medians miss what allocation costs. The Go
// batches' total time exceeds what their medians account for by the
// collections plus the machine's other noise; the noise is estimated as
// the same excess, relative to the medians, that the cases that allocate
// nothing show, and the rest is charged per byte allocated.
func gcCharge(goCases []*goCase, ns map[string][]float64) float64 {
	var excess, medTotal, quietExcess, quietMed, bytes float64
	for _, c := range goCases {
		v := ns[c.spec.name]
		calls := float64(c.n * len(v))
		sum := 0.0
		for _, x := range v {
			sum += x
		}
		med := quantile(v, .5) * calls
		total := sum * float64(c.n)
		if c.bytesPerOp < 1 {
			quietExcess += total - med
			quietMed += med
			continue
		}
		excess += total - med
		medTotal += med
		bytes += c.bytesPerOp * calls
	}
	if bytes == 0 {
		return 0
	}
	noise := 0.0
	if quietMed > 0 {
		noise = max(0, quietExcess/quietMed)
	}
	return max(0, excess-noise*medTotal) / bytes
}

// A target compares two cases of the same rounds: ratio = ns(num)/ns(den)
// per round; the verdict holds if the median ratio is >= min (min > 0) or
// <= max (max > 0).
type target struct {
	label    string
	num, den string
	min, max float64
}

func calibrate(fn func(int), batch time.Duration) int {
	fn(1) // warm up
	n := 1
	for {
		t := timeBatch(fn, n) * float64(n)
		if t >= float64(batch) || n >= 1<<24 {
			return n
		}
		if t <= 0 {
			n *= 10
			continue
		}
		n = max(n+1, min(n*10, int(float64(n)*float64(batch)/t*1.1)))
	}
}

// timeBatch returns the ns per call of n calls of fn.
func timeBatch(fn func(int), n int) float64 {
	t0 := time.Now()
	fn(n)
	return float64(time.Since(t0).Nanoseconds()) / float64(n)
}

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

func report(w io.Writer, goCases []*goCase, pyNames []string, ns map[string][]float64, tgts []target, pyVersion string, rounds int, gcPerByte float64) {
	fmt.Fprintf(w, "Paired run of %s on %s, GOMAXPROCS=1; %d rounds of batches of about 10 µs.\n",
		time.Now().UTC().Format("2006-01-02 15:04 UTC"), machine(pyVersion), rounds)
	fmt.Fprintf(w, "Go's ns/op include a garbage-collection charge of %.3f ns per byte allocated, times the case's bytes per call: the Go batches' time beyond their medians, less the noise the non-allocating cases show, over the bytes allocated.\n\n", gcPerByte)
	fmt.Fprintln(w, "| case | what | B/op | GC charge ns/op | median ns/op | p25–p75 |")
	fmt.Fprintln(w, "| --- | --- | ---: | ---: | ---: | ---: |")
	row := func(name, what, bytes, charge string) {
		v := ns[name]
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s–%s |\n", name, what, bytes, charge, fmtNs(quantile(v, .5)), fmtNs(quantile(v, .25)), fmtNs(quantile(v, .75)))
	}
	for _, c := range goCases {
		row(c.spec.name, c.spec.what, strconv.FormatFloat(c.bytesPerOp, 'f', 0, 64), fmtNs(c.gcCharge))
	}
	for _, n := range pyNames {
		row(n, pyWhat[n], "–", "–")
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| target | ratio (median of per-round ratios) | p25–p75 | goal | verdict |")
	fmt.Fprintln(w, "| --- | ---: | ---: | ---: | --- |")
	met, total := 0, 0
	for _, t := range tgts {
		a, b := ns[t.num], ns[t.den]
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
	if out, err := exec.Command("nproc").Output(); err == nil {
		nproc = strings.TrimSpace(string(out))
	}
	gover := runtime.Version()
	if out, err := exec.Command("go", "version").Output(); err == nil {
		gover = strings.TrimSpace(string(out))
	}
	return fmt.Sprintf("%s, %s cores (nproc), %s/%s, %s (benchpair built with %s), %s",
		cpu, nproc, runtime.GOOS, runtime.GOARCH, gover, runtime.Version(), pyVersion)
}

// python is the CPython coprocess.
type python struct {
	cmd     *exec.Cmd
	in      io.WriteCloser
	out     *bufio.Scanner
	names   []string
	version string
}

func startPython() (*python, error) {
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
	p := &python{cmd: cmd, in: in, out: bufio.NewScanner(out)}
	p.out.Buffer(nil, 1<<20)
	line, err := p.line()
	if err != nil {
		return nil, err
	}
	// "hello VERSION name name ..."
	f := strings.Fields(line)
	if len(f) < 3 || f[0] != "hello" {
		return nil, fmt.Errorf("python said %q", line)
	}
	p.version = "CPython " + f[1]
	p.names = f[2:]
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

func (p *python) calibrate(names []string, batch time.Duration) error {
	fmt.Fprintf(p.in, "calibrate %d %s\n", batch.Nanoseconds(), strings.Join(names, " "))
	_, err := p.line()
	return err
}

// round asks python to run one batch of each of its cases, rotated by r,
// and returns their ns/op.
func (p *python) round(r int) (map[string]float64, error) {
	fmt.Fprintf(p.in, "round %d\n", r)
	line, err := p.line()
	if err != nil {
		return nil, err
	}
	f := strings.Fields(line)
	res := map[string]float64{}
	for i := 0; i+1 < len(f); i += 2 {
		v, err := strconv.ParseFloat(f[i+1], 64)
		if err != nil {
			return nil, fmt.Errorf("python said %q", line)
		}
		res[f[i]] = v
	}
	return res, nil
}

func (p *python) close() {
	p.in.Close()
	p.cmd.Wait()
}
