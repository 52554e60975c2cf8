package pack

import (
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/pystruct/pystruct/format"
)

// A compiled Struct holds at most 64 bytes of heap for each item of its
// format (CPython's hold 33), its format string included: the live heap
// is measured after full collections, with every Struct still reachable,
// over enough items that the collector's own noise is a small fraction.
func TestCompiledStructBytesPerItem(t *testing.T) {
	const (
		items   = 10000 // per format
		structs = 40
		limit   = 64
	)
	for _, tc := range []struct{ name, prefix, unit string }{
		{"standard codes", "<", "bhiqfd?cBHIQ"},
		{"native codes, aligned", "@", "bhiqfd?cBHIQnNP"},
		{"byte strings and pads", ">", "5s3p2xc"},
		{"complex codes", "=", "FDZfZd"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			unit := format.MustParse(tc.prefix + tc.unit).NumFields()
			reps := items / unit
			n := reps * unit
			kept := make([]*Struct, structs)
			before := liveHeap()
			for i := range kept {
				// Distinct strings, made here, so that each Struct's
				// format is its own and counted too.
				fs := tc.prefix + strings.Repeat(tc.unit, reps) + strings.Repeat(" ", i)
				s, err := Compile(fs)
				if err != nil {
					t.Fatal(err)
				}
				if s.Plan().NumFields() != n {
					t.Fatalf("%d fields, want %d", s.Plan().NumFields(), n)
				}
				kept[i] = s
			}
			grown := int64(liveHeap()) - int64(before)
			runtime.KeepAlive(kept)
			perItem := float64(grown) / float64(structs*n)
			t.Logf("%d Structs of %d items: %.1f bytes of heap per item", structs, n, perItem)
			if perItem > limit {
				t.Errorf("compiled Structs hold %.1f bytes of heap per format item, want at most %d", perItem, limit)
			}
			// A plan keeps a field in an int and 8 bytes more: 16 bytes,
			// or 12 where int has 32 bits. Less than half that means the
			// measurement missed the Structs (the margin leaves room for
			// memory other goroutines release meanwhile).
			if planField := float64(strconv.IntSize/8 + 8); perItem < planField/2 {
				t.Errorf("compiled Structs hold %.1f bytes per item, less than half their plans' %.0f-byte fields: the measurement is broken", perItem, planField)
			}

			// The general pack and unpack loops add their 24 bytes a
			// field on first use, and stay within the bound too.
			before = liveHeap()
			for _, s := range kept {
				if ops := s.fieldOps(); len(ops) == 0 {
					t.Fatal("no fields for the general loops")
				}
			}
			grown = int64(liveHeap()) - int64(before)
			runtime.KeepAlive(kept)
			if total := perItem + float64(grown)/float64(structs*n); total > limit {
				t.Errorf("with the general loops' fields made, Structs hold %.1f bytes of heap per format item, want at most %d", total, limit)
			} else {
				t.Logf("with the general loops' fields: %.1f bytes per item", total)
			}
		})
	}
}
