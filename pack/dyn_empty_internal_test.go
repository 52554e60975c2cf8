package pack

import (
	"testing"
	"unsafe"
)

var escapedEmpty []byte

// An empty byte string that Unpack, IterUnpack or UnpackValues returns
// points at Go's static zero-size allocation, as make([]byte, 0) does:
// never at stack memory that may be gone, whose address the collector
// might later find inside a heap span (it did, on 386, as "found pointer
// to free object").
func TestEmptyBytesPointAtZeroBase(t *testing.T) {
	escapedEmpty = make([]byte, 0)
	want := uintptr(unsafe.Pointer(unsafe.SliceData(escapedEmpty)))
	check := func(way string, vals []any) {
		t.Helper()
		empty := 0
		for i, v := range vals {
			b, ok := v.([]byte)
			if !ok {
				continue
			}
			if len(b) != 0 {
				t.Fatalf("%s: value %d = %q, want an empty []byte", way, i, v)
			}
			empty++
			if p := uintptr(unsafe.Pointer(unsafe.SliceData(b))); p != want {
				t.Errorf("%s: value %d points at %#x, want the zero-size allocation %#x", way, i, p, want)
			}
		}
		if empty == 0 {
			t.Fatalf("%s: no empty byte string among %v", way, vals)
		}
	}
	// Small records and one of more than dynPackMax values, which decode
	// op by op.
	for _, fs := range []string{"<b0s", "<0pb", "1p?", "<0s0p1ph", "<" + itoa(dynPackMax+1) + "b0s5p"} {
		s := MustCompile(fs)
		rec := make([]byte, s.Size())
		vals, err := s.Unpack(rec)
		if err != nil {
			t.Fatal(err)
		}
		check(fs+" Unpack", vals)
		it, err := s.IterUnpack(append(rec, rec...))
		if err != nil {
			t.Fatal(err)
		}
		for vals := range it {
			check(fs+" IterUnpack", vals)
		}
		vals, err = s.UnpackValues(new(Values), rec)
		if err != nil {
			t.Fatal(err)
		}
		check(fs+" UnpackValues", vals)
	}
}
