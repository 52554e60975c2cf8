package pack

import (
	"math"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pystruct/pystruct/format"
	"github.com/pystruct/pystruct/internal/testvec"
)

// The two ways of unpacking a record, in one block and value by value,
// give the same values for every unpack case of the golden vectors.
func TestUnpackBlockAgreesWithUnpackEach(t *testing.T) {
	cases, err := testvec.ReadDir("../testdata/vectors")
	if err != nil {
		t.Fatal(err)
	}
	h, err := testvec.ReadHeader("../testdata/vectors/ints.txt")
	if err != nil {
		t.Fatal(err)
	}
	bits := cmp.Comparer(func(a, b float64) bool { return math.Float64bits(a) == math.Float64bits(b) })
	n := 0
	for _, c := range cases {
		if c.Op != "unpack" || !c.OK || !h.Holds(&c) {
			continue
		}
		s, err := Compile(c.Format)
		if err != nil {
			t.Fatalf("%s: %v", c.Pos(), err)
		}
		block, ok := s.unpackBlock(c.Buffer)
		if !ok {
			// Complex values take the coders' path by design.
			if s.numValues > 0 && !slices.ContainsFunc(s.plan.Fields(), func(f format.Field) bool { return f.Kind == format.Complex }) {
				t.Errorf("%s: unpackBlock declined a small record", c.Pos())
			}
			continue
		}
		if diff := cmp.Diff(s.unpackEach(c.Buffer), block, bits); diff != "" {
			t.Errorf("%s: %s: unpackBlock differs from unpackEach (-each +block):\n%s", c.Pos(), &c, diff)
		}
		n++
	}
	if n < 1000 {
		t.Errorf("compared only %d records", n)
	}
}
