package cabi

import (
	"runtime"
	"testing"
	"unsafe"
)

func TestSizesMatchGo(t *testing.T) {
	if got, want := PointerSize, int(unsafe.Sizeof(uintptr(0))); got != want {
		t.Errorf("PointerSize = %d, want %d", got, want)
	}
	if runtime.GOOS == "windows" && LongSize != 4 {
		t.Errorf("LongSize on windows = %d, want 4", LongSize)
	}
	if runtime.GOOS != "windows" && LongSize != PointerSize {
		t.Errorf("LongSize = %d, want the pointer size %d", LongSize, PointerSize)
	}
	// Go lays out struct{byte; int64} like C on the supported platforms.
	var s struct {
		c byte
		x uint64
	}
	if got := int(unsafe.Offsetof(s.x)); got != LongLongAlign {
		t.Errorf("LongLongAlign = %d, Go aligns uint64 to %d", LongLongAlign, got)
	}
}

func TestByteOrder(t *testing.T) {
	x := uint16(1)
	little := *(*byte)(unsafe.Pointer(&x)) == 1
	if BigEndian == little {
		t.Errorf("BigEndian = %v on a platform whose first byte of 1 is %v", BigEndian, little)
	}
}
