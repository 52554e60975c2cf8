package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var quantileTests = []struct {
	xs   []float64
	q    float64
	want float64
}{
	{nil, .5, 0},
	{[]float64{3}, .25, 3},
	{[]float64{4, 1, 3, 2}, 0, 1},
	{[]float64{4, 1, 3, 2}, 1, 4},
	{[]float64{4, 1, 3, 2}, .5, 2.5},
	{[]float64{5, 1, 2, 3, 4}, .25, 2},
	{[]float64{5, 1, 2, 3, 4}, .75, 4},
}

func TestQuantile(t *testing.T) {
	for _, tt := range quantileTests {
		if got := quantile(tt.xs, tt.q); got != tt.want {
			t.Errorf("quantile(%v, %v) = %v, want %v", tt.xs, tt.q, got, tt.want)
		}
	}
}

// The cases a target compares run together; a case no target compares is
// a group of its own; a target naming a case not selected joins nothing.
func TestMakeGroups(t *testing.T) {
	goCases := []*goCase{
		{spec: caseSpec{name: "go/a"}}, {spec: caseSpec{name: "go/b"}},
		{spec: caseSpec{name: "go/c"}}, {spec: caseSpec{name: "go/d"}},
		{spec: caseSpec{name: "go/e"}},
	}
	pyNames := []string{"py/x", "py/y", "py/z"}
	tgts := []target{
		{num: "py/x", den: "go/a"},
		{num: "py/x", den: "go/b"},
		{num: "go/d", den: "go/c"}, // Go against Go
		{num: "py/z", den: "go/e"},
		{num: "go/e", den: "go/missing"},
		{num: "py/missing", den: "go/d"},
	}
	var got [][]string
	for _, g := range makeGroups(goCases, pyNames, tgts) {
		var names []string
		for _, c := range g.goCases {
			names = append(names, c.spec.name)
		}
		got = append(got, append(names, g.py...))
	}
	want := [][]string{{"go/a", "go/b", "py/x"}, {"go/c", "go/d"}, {"go/e", "py/z"}, {"py/y"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("makeGroups (-want +got):\n%s", diff)
	}
}

// A table that report writes, parseTargets reads back: each target's
// median and spread as printed.
func TestReportParsesBack(t *testing.T) {
	ns := map[string][]float64{
		"go/a": {10, 20, 10, 10, 20},
		"py/x": {30, 40, 50, 30, 80},
		"go/b": {5, 5, 5, 5, 5},
	}
	in := runInfo{
		rounds: 5, batch: 10 * time.Microsecond, pinned: "not pinned", pyVersion: "CPython 3.13.0", procs: 1,
		goCases: []*goCase{{spec: caseSpec{name: "go/a", what: "a"}, n: 7}, {spec: caseSpec{name: "go/b", what: "b"}, n: 9}},
		pyNames: []string{"py/x"},
		pyCalls: map[string][]int{"py/x": {3, 4}},
		ns:      ns,
		tgts: []target{
			{label: "x over a", num: "py/x", den: "go/a", min: 2},
			{label: "a over b `<i|d`", num: "go/a", den: "go/b", max: 3},
		},
	}
	var buf bytes.Buffer
	report(&buf, in)
	out := buf.String()
	rows, err := parseTargets(strings.NewReader(out))
	if err != nil {
		t.Fatalf("parseTargets: %v\n%s", err, out)
	}
	// py/x / go/a per round: 3, 2, 5, 3, 4 → p25 3, median 3, p75 4.
	// go/a / go/b per round: 2, 4, 2, 2, 4 → p25 2, median 2, p75 4.
	want := []ratioRow{
		{"x over a", 3, 3, 4, "3.00×", "3.00–4.00"},
		{"a over b `<i|d`", 2, 2, 4, "2.00×", "2.00–4.00"},
	}
	if diff := cmp.Diff(want, rows, cmp.AllowUnexported(ratioRow{})); diff != "" {
		t.Errorf("parseTargets(report(...)) (-want +got):\n%s", diff)
	}
	for _, s := range []string{"| x over a | 3.00× | 3.00–4.00 | ≥ 2× | met |", "| a over b `<i|d` | 2.00× | 2.00–4.00 | ≤ 3× | met |", "2 of 2 targets met.", "| 3–4 | – | – | 40.0 |"} {
		if !strings.Contains(out, s) {
			t.Errorf("report lacks %q:\n%s", s, out)
		}
	}
}

var parseErrorTests = []struct {
	name, text, want string
}{
	{"no table", "| case | what |\n| --- | --- |\n", "no target table"},
	{"bad ratio", "| target | r | s | g | v |\n| --- |\n| t | x× | 1–2 | g | met |\n", "ratio"},
	{"bad spread", "| target | r | s | g | v |\n| t | 1.5× | 1-2 | g | met |\n", "spread"},
	{"reversed spread", "| target | r | s | g | v |\n| t | 1.5× | 2–1 | g | met |\n", "spread"},
	{"short row", "| target | r | s | g | v |\n| t | 1.5× |\n", "5 cells"},
}

func TestParseTargetsErrors(t *testing.T) {
	for _, tt := range parseErrorTests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseTargets(strings.NewReader(tt.text))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("parseTargets = %v, want an error about %q", err, tt.want)
			}
		})
	}
}

func row(label string, m, p25, p75 float64) ratioRow {
	return ratioRow{label: label, median: m, p25: p25, p75: p75}
}

var compareTests = []struct {
	name  string
	a, b  []ratioRow
	agree bool
	lines []string
}{
	{
		name:  "same",
		a:     []ratioRow{row("t", 2, 1.9, 2.1)},
		b:     []ratioRow{row("t", 2, 1.9, 2.1)},
		agree: true,
		lines: []string{"| yes | yes |", "1 of 1 ratios agree"},
	},
	{
		name:  "bounds count",
		a:     []ratioRow{row("t", 2, 1.9, 2.1)},
		b:     []ratioRow{row("t", 2.1, 2, 2.2)},
		agree: true,
		lines: []string{"| yes | yes |"},
	},
	{
		name:  "one way only",
		a:     []ratioRow{row("t", 2, 1.5, 2.5)},
		b:     []ratioRow{row("t", 2.4, 2.3, 2.45)},
		agree: false,
		lines: []string{"| **NO** | yes |", "0 of 1 ratios agree"},
	},
	{
		name:  "neither",
		a:     []ratioRow{row("t", 2, 1.9, 2.1), row("u", 1, .9, 1.1)},
		b:     []ratioRow{row("t", 3, 2.9, 3.1), row("u", 1, .95, 1.05)},
		agree: false,
		lines: []string{"| **NO** | **NO** |", "1 of 2 ratios agree"},
	},
	{
		name:  "targets in one run only do not count",
		a:     []ratioRow{row("t", 2, 1.9, 2.1), row("old", 1, 1, 1)},
		b:     []ratioRow{row("new", 1, 1, 1), row("t", 2, 1.9, 2.1)},
		agree: true,
		lines: []string{"1 of 1 ratios agree", "Only in A: old", "Only in B: new"},
	},
	{
		name:  "nothing in common",
		a:     []ratioRow{row("t", 2, 1.9, 2.1)},
		b:     []ratioRow{row("u", 2, 1.9, 2.1)},
		agree: false,
		lines: []string{"0 of 0 ratios agree"},
	},
}

func TestCompareRuns(t *testing.T) {
	for _, tt := range compareTests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if got := compareRuns(&buf, "a", "b", tt.a, tt.b); got != tt.agree {
				t.Errorf("compareRuns = %v, want %v\n%s", got, tt.agree, buf.String())
			}
			for _, l := range tt.lines {
				if !strings.Contains(buf.String(), l) {
					t.Errorf("output lacks %q:\n%s", l, buf.String())
				}
			}
		})
	}
}

// The control is the median tail of the cases that allocate nothing;
// every allocating case is charged the median excess per byte of all of
// them, times its own bytes per call.
func TestGCCharges(t *testing.T) {
	mk := func(name string, bytes float64, tails ...float64) *goCase {
		return &goCase{spec: caseSpec{name: name}, bytesPerOp: bytes, probes: tails}
	}
	goCases := []*goCase{
		mk("quiet1", 0, .05, .04, .06),   // tail .05
		mk("quiet2", 0, .10, .10, .10),   // tail .10
		mk("quiet3", 0.5, .07, .08, .09), // tail .08 (less than a byte: quiet)
		mk("a", 100, .30, .28, .40),      // tail .30: (.30-.08)*50/100 = .11
		mk("b", 200, .18, .18, .18),      // tail .18: (.18-.08)*300/200 = .15
		mk("c", 50, .05, .05, .05),       // below the control: 0
		mk("unprobed", 10),               // no probes: not an excess, still charged
	}
	ns := map[string][]float64{"a": {50, 50, 50}, "b": {300, 300, 300}, "c": {80, 80, 80}}
	control, perByte, lo, hi := gcCharges(goCases, ns)
	near := func(a, b float64) bool { return a-b < 1e-9 && b-a < 1e-9 }
	if !near(control, .08) || !near(perByte, .11) || !near(lo, 0) || !near(hi, .15) {
		t.Errorf("gcCharges = %v, %v, %v, %v; want 0.08, 0.11, 0, 0.15", control, perByte, lo, hi)
	}
	want := map[string]float64{"quiet1": 0, "quiet2": 0, "quiet3": 0, "a": 11, "b": 22, "c": 5.5, "unprobed": 1.1}
	for _, c := range goCases {
		if !near(c.gcCharge, want[c.spec.name]) {
			t.Errorf("%s charged %v, want %v", c.spec.name, c.gcCharge, want[c.spec.name])
		}
	}
}

// With no case that allocates nothing, no machine's tail is taken off,
// and the report says so.
func TestGCChargesWithoutControl(t *testing.T) {
	c := &goCase{spec: caseSpec{name: "a"}, bytesPerOp: 100, probes: []float64{.2}}
	control, perByte, _, _ := gcCharges([]*goCase{c}, map[string][]float64{"a": {50}})
	if control != -1 || perByte != .1 || c.gcCharge != 10 {
		t.Errorf("gcCharges = %v, %v, charge %v; want -1, 0.1, 10", control, perByte, c.gcCharge)
	}
}
