package pack_test

import (
	"testing"

	"github.com/pystruct/pystruct/pack"
)

// The allocation promises of the typed and dynamic paths, once a Struct
// has met the type: checked with testing.AllocsPerRun on the benchmark
// records.

func TestTypedAllocs(t *testing.T) {
	for _, r := range benchRecords() {
		s := pack.MustCompile(r.fs)
		rec, err := s.Marshal(r.ptr)
		if err != nil {
			t.Fatalf("%s: Marshal: %v", r.name, err)
		}
		buf := make([]byte, 0, 64)
		allocs := map[string]float64{
			"MarshalAppend into a buffer with room": testing.AllocsPerRun(100, func() {
				buf, err = s.MarshalAppend(buf[:0], r.ptr)
			}),
			"Unmarshal into a struct": testing.AllocsPerRun(100, func() {
				err = s.Unmarshal(rec, r.ptr)
			}),
		}
		if err != nil {
			t.Fatalf("%s: %v", r.name, err)
		}
		for name, n := range allocs {
			if n != 0 {
				t.Errorf("%s %q: %s: %v allocations, want 0", r.name, r.fs, name, n)
			}
		}
	}
}

func TestTypedLocalAllocs(t *testing.T) {
	// The argument does not escape: a local variable, passed by pointer or
	// by value, stays on the stack.
	s := pack.MustCompile("<i5sf")
	rec, _ := s.Pack(1, []byte("zhang"), 1.75)
	buf := make([]byte, 0, 64)
	var err error
	n := testing.AllocsPerRun(100, func() {
		var p benchPerson
		if err = s.Unmarshal(rec, &p); err == nil {
			buf, err = s.MarshalAppend(buf[:0], &p)
		}
		if err == nil {
			buf, err = s.MarshalAppend(buf[:0], p)
		}
	})
	if err != nil || n != 0 {
		t.Errorf("Unmarshal and MarshalAppend with a local variable: %v allocations (err %v), want 0", n, err)
	}
}

func TestTypedBulkAllocs(t *testing.T) {
	s := pack.MustCompile("<IIhhd")
	buf := make([]byte, 20*100)
	out := make([]benchBulk, 0, 100)
	var err error
	n := testing.AllocsPerRun(20, func() {
		err = s.Unmarshal(buf, &out)
	})
	if err != nil || len(out) != 100 {
		t.Fatalf("Unmarshal(100 records) = %v, %d records", err, len(out))
	}
	if n != 0 {
		t.Errorf("Unmarshal of 100 records into a slice with room: %v allocations, want 0", n)
	}
	// Into an empty slice: the slice itself, once.
	var fresh []benchBulk
	n = testing.AllocsPerRun(20, func() {
		fresh = nil
		err = s.Unmarshal(buf, &fresh)
	})
	if n != 1 {
		t.Errorf("Unmarshal of 100 records into a nil slice: %v allocations, want 1", n)
	}
}

func TestTypedStringAllocs(t *testing.T) {
	// string and []byte fields share one allocation per call.
	s := pack.MustCompile("<3s2sh")
	var v struct {
		A string
		B []byte
		C int16
	}
	rec := []byte("abcde\x01\x00")
	var err error
	n := testing.AllocsPerRun(100, func() {
		err = s.Unmarshal(rec, &v)
	})
	if err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("Unmarshal into string and []byte fields: %v allocations, want 1", n)
	}
}

func TestDynamicAllocs(t *testing.T) {
	for _, r := range benchRecords() {
		s := pack.MustCompile(r.fs)
		buf := make([]byte, 0, 64)
		rec, err := s.Pack(r.values...)
		if err != nil {
			t.Fatalf("%s: Pack: %v", r.name, err)
		}
		n := testing.AllocsPerRun(100, func() {
			buf, err = s.Append(buf[:0], r.values...)
		})
		if err != nil || n != 0 {
			t.Errorf("%s: Append with boxed values into a buffer with room: %v allocations (err %v), want 0", r.name, n, err)
		}
		// Unpack boxes its values into one block.
		n = testing.AllocsPerRun(100, func() {
			_, err = s.Unpack(rec)
		})
		if err != nil || n != 1 {
			t.Errorf("%s: Unpack: %v allocations (err %v), want 1", r.name, n, err)
		}
	}
	// The example: values boxed by the caller.
	s := pack.MustCompile("<q5sd")
	vals := []any{int64(1), []byte("zhang"), 1.75}
	buf := make([]byte, 0, 64)
	if n := testing.AllocsPerRun(100, func() { buf, _ = s.Append(buf[:0], vals...) }); n != 0 {
		t.Errorf("Append(buf[:0], vals...): %v allocations, want 0", n)
	}
}

// Compile makes two allocations for a format of up to 16 fields (the plan
// with its fields, and the Struct) and three for a longer one, and reuses
// nothing between calls: each Struct is new.
func TestCompileAllocs(t *testing.T) {
	for _, tt := range []struct {
		fs   string
		want float64
	}{
		{"<i5sf", 2},
		{"<IIhhqd?5sxH", 2},
		{"@ci?d", 2},
		{"<16b", 2},
		{"<bhbhbhbhbhbhbhbh", 2},
		{"<bhbhbhbhbhbhbhbhb", 3},
		{"", 2},
	} {
		var prev *pack.Struct
		n := testing.AllocsPerRun(100, func() {
			s, err := pack.Compile(tt.fs)
			if err != nil || s == prev {
				t.Fatalf("Compile(%q) = %p, %v; the previous call gave %p", tt.fs, s, err, prev)
			}
			prev = s
		})
		if n != tt.want {
			t.Errorf("Compile(%q): %v allocations, want %v", tt.fs, n, tt.want)
		}
	}
}
