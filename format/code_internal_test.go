package format

import "testing"

// Parse pads native fields with a mask, which holds only for alignments
// that are powers of two, as C's are.
func TestNativeAlignmentsArePowersOfTwo(t *testing.T) {
	for c, lay := range native {
		if a := lay.align; a&(a-1) != 0 {
			t.Errorf("native %q aligns to %d, not a power of two", rune(c), a)
		}
	}
}
