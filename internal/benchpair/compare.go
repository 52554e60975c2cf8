package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

// A ratioRow is one target's row of a saved table.
type ratioRow struct {
	label         string
	median        float64
	p25, p75      float64
	medianS, sprS string // as printed
}

// parseTargets reads the target table of a saved benchpair output: the
// rows after the header row that starts with "| target |".
func parseTargets(r io.Reader) ([]ratioRow, error) {
	var rows []ratioRow
	in := false
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 1<<20)
	line := 0
	for sc.Scan() {
		line++
		s := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(s, "| target |") {
			in = true
			continue
		}
		if !in {
			continue
		}
		if !strings.HasPrefix(s, "|") {
			in = false
			continue
		}
		if strings.HasPrefix(s, "| ---") {
			continue
		}
		cells := strings.Split(strings.Trim(s, "|"), "|")
		if len(cells) < 5 {
			return nil, fmt.Errorf("line %d: a target row needs 5 cells: %q", line, s)
		}
		// The label may hold '|' only if a format did; the last four
		// cells are fixed.
		n := len(cells)
		label := strings.TrimSpace(strings.Join(cells[:n-4], "|"))
		medS := strings.TrimSpace(cells[n-4])
		sprS := strings.TrimSpace(cells[n-3])
		med, err := strconv.ParseFloat(strings.TrimSuffix(medS, "×"), 64)
		if err != nil {
			return nil, fmt.Errorf("line %d: ratio %q: %v", line, medS, err)
		}
		lo, hi, ok := strings.Cut(sprS, "–")
		if !ok {
			return nil, fmt.Errorf("line %d: spread %q is not p25–p75", line, sprS)
		}
		p25, err1 := strconv.ParseFloat(lo, 64)
		p75, err2 := strconv.ParseFloat(hi, 64)
		if err1 != nil || err2 != nil || p25 > p75 {
			return nil, fmt.Errorf("line %d: spread %q is not p25–p75", line, sprS)
		}
		rows = append(rows, ratioRow{label, med, p25, p75, medS, sprS})
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("no target table")
	}
	return rows, nil
}

// compareRuns writes, for every target in both a and b, whether each
// run's median ratio lies within the other's p25–p75 spread (bounds
// included, as printed), and reports whether all do. Targets in only one
// of them are listed and do not count against agreement.
func compareRuns(w io.Writer, nameA, nameB string, a, b []ratioRow) bool {
	byLabel := map[string]ratioRow{}
	for _, r := range b {
		byLabel[r.label] = r
	}
	yes := func(ok bool) string {
		if ok {
			return "yes"
		}
		return "**NO**"
	}
	fmt.Fprintf(w, "A: %s\nB: %s\n\n", nameA, nameB)
	fmt.Fprintln(w, "| target | A median | A p25–p75 | B median | B p25–p75 | A's median in B's spread | B's median in A's spread |")
	fmt.Fprintln(w, "| --- | ---: | ---: | ---: | ---: | --- | --- |")
	agree, total := 0, 0
	seen := map[string]bool{}
	var onlyA []string
	for _, ra := range a {
		rb, ok := byLabel[ra.label]
		if !ok {
			onlyA = append(onlyA, ra.label)
			continue
		}
		seen[ra.label] = true
		aInB := rb.p25 <= ra.median && ra.median <= rb.p75
		bInA := ra.p25 <= rb.median && rb.median <= ra.p75
		total++
		if aInB && bInA {
			agree++
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s |\n", ra.label, ra.medianS, ra.sprS, rb.medianS, rb.sprS, yes(aInB), yes(bInA))
	}
	fmt.Fprintf(w, "\n%d of %d ratios agree: each run's median within the other's p25–p75.\n", agree, total)
	for _, l := range onlyA {
		fmt.Fprintf(w, "Only in A: %s\n", l)
	}
	for _, rb := range b {
		if !seen[rb.label] {
			fmt.Fprintf(w, "Only in B: %s\n", rb.label)
		}
	}
	return agree == total && total > 0
}

// compareFiles compares the saved outputs in files a and b.
func compareFiles(w io.Writer, a, b string) (bool, error) {
	var rows [2][]ratioRow
	for i, name := range []string{a, b} {
		f, err := os.Open(name)
		if err != nil {
			return false, err
		}
		rows[i], err = parseTargets(f)
		f.Close()
		if err != nil {
			return false, fmt.Errorf("%s: %v", name, err)
		}
	}
	return compareRuns(w, a, b, rows[0], rows[1]), nil
}
