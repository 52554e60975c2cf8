package main

import (
	"bytes"
	"encoding/hex"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pystruct/pystruct/format"
	"github.com/pystruct/pystruct/internal/testvec"
)

// workbenchFormat returns a random format for layout and dump: caseGen's,
// sometimes with complex items, zero counts or a trailing alignment.
func (g *caseGen) workbenchFormat() string {
	fs := g.format()
	if g.chance(0.2) {
		fs += strconv.Itoa(g.r.IntN(3)) + g.pick("F", "D", "Zf", "Zd")
	}
	if g.chance(0.2) {
		fs += "0" + g.pick("h", "i", "l", "q", "d", "P", "s", "x")
	}
	return fs
}

// seededGen returns a caseGen from -seed, or from the clock, logging the
// seed so that a failure can be replayed.
func seededGen(t *testing.T) *caseGen {
	seed := *liveSeed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	t.Logf("random cases from -seed=%d", seed)
	return &caseGen{rand.New(rand.NewPCG(seed, seed))}
}

// logLeftOut logs how many random cases a test left out because their
// results depend on the platform and CPython's platform p is not this
// program's.
func logLeftOut(t *testing.T, n int, p testvec.Platform) {
	t.Helper()
	if n > 0 {
		t.Logf("left out %d random cases whose results depend on the platform: CPython runs on %+v, this program on %+v", n, p, testvec.Host)
	}
}

// pystruct layout of random formats, native ones included, agrees with
// CPython: the reference finds each item's offset, size and padding from
// struct.calcsize of the prefixes of the format alone.
func TestLayoutAgreesWithCPython(t *testing.T) {
	pyPlatform := pythonPlatform(t)
	g := seededGen(t)
	var cases []refCase
	leftOut := 0
	for len(cases) < *liveCount {
		args := []string{"layout"}
		if g.chance(0.5) {
			args = append(args, "--json")
		}
		args = append(args, "--", g.workbenchFormat())
		if holdsOn(pyPlatform, args) {
			cases = append(cases, refCase{Args: args})
		} else {
			leftOut++
		}
	}
	logLeftOut(t, leftOut, pyPlatform)
	res := runRef(t, cases)
	failures := 0
	outcomes := make(map[int]int)
	for i, c := range cases {
		var stdout, stderr bytes.Buffer
		exit := run(c.Args, strings.NewReader(""), &stdout, &stderr)
		outcomes[exit]++
		if why := agree(res[i], stdout.Bytes(), stderr.Bytes(), exit, true); why != "" {
			t.Errorf("pystruct %q: %s", c.Args, why)
			if failures++; failures == 20 {
				t.Fatal("too many failures")
			}
		}
	}
	t.Logf("exit statuses (status: cases): %v", outcomes)
	if outcomes[0] < len(cases)/2 {
		t.Errorf("only %d of %d random layouts succeeded: the test checks too little", outcomes[0], len(cases))
	}
}

// pystruct dump of random records, from a file and from a pipe, agrees with
// CPython: the reference prints the value of each item as repr of what
// struct.unpack_from gives, and its error for a record cut short or an
// offset past the end.
func TestDumpAgreesWithCPython(t *testing.T) {
	pyPlatform := pythonPlatform(t)
	g := seededGen(t)
	var cases []refCase
	var stdins [][]byte
	leftOut := 0
	for len(cases) < *liveCount/3 {
		fs := g.workbenchFormat()
		n := 0
		if p, err := format.Parse(fs); err == nil {
			n = p.Size()
		}
		off := 0
		if g.chance(0.3) {
			off = g.r.IntN(2*n + 8)
		}
		data := g.randBytes(off + n*g.r.IntN(4))
		if g.chance(0.2) {
			data = append(data, g.randBytes(1+g.r.IntN(max(n, 1)))...)
		}
		if g.chance(0.1) {
			data = data[:g.r.IntN(len(data)+1)]
		}
		args := []string{"dump"}
		if off != 0 || g.chance(0.1) {
			args = append(args, "--offset", strconv.Itoa(off))
		}
		if g.chance(0.3) {
			args = append(args, "--count", strconv.Itoa(g.r.IntN(4)))
		}
		args = append(args, "--", fs)
		if holdsOn(pyPlatform, args) {
			cases = append(cases, refCase{Args: args, Stdin: hex.EncodeToString(data)})
			stdins = append(stdins, data)
		} else {
			leftOut++
		}
	}
	logLeftOut(t, leftOut, pyPlatform)
	res := runRef(t, cases)
	dir := t.TempDir()
	failures := 0
	outcomes := make(map[int]int)
	for i, c := range cases {
		fileOut, fileErr, fileExit := runWithFileStdin(t, dir, c.Args, stdins[i])
		var pipeOut, pipeErr bytes.Buffer
		pipeExit := run(c.Args, bytes.NewReader(stdins[i]), &pipeOut, &pipeErr)
		outcomes[fileExit]++
		why := agree(res[i], fileOut, fileErr, fileExit, true)
		if why == "" {
			if why = agree(res[i], pipeOut.Bytes(), pipeErr.Bytes(), pipeExit, true); why != "" {
				why = "from a pipe: " + why
			}
		}
		if why != "" {
			t.Errorf("pystruct %q with stdin %x: %s", c.Args, stdins[i], why)
			if failures++; failures == 20 {
				t.Fatal("too many failures")
			}
		}
	}
	t.Logf("exit statuses (status: cases): %v", outcomes)
	if outcomes[0] < len(cases)/3 || outcomes[1] < len(cases)/20 {
		t.Errorf("of %d random dumps, %d succeeded and %d failed with an error: the test checks too little", len(cases), outcomes[0], outcomes[1])
	}
}
