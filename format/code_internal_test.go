package format

import (
	"strconv"
	"testing"
	"unsafe"
)

// Parse pads native fields with a mask, which holds only for alignments
// that are powers of two, as C's are.
func TestNativeAlignmentsArePowersOfTwo(t *testing.T) {
	for c, lay := range native {
		if a := lay.align; a&(a-1) != 0 {
			t.Errorf("native %q aligns to %d, not a power of two", rune(c), a)
		}
	}
}

// A plan keeps each field in an int and 8 bytes more (pack's memory test
// counts on it).
func TestItemSize(t *testing.T) {
	if got, want := unsafe.Sizeof(item{}), uintptr(strconv.IntSize/8+8); got != want {
		t.Errorf("an item is %d bytes, want %d", got, want)
	}
}
