package pack

import (
	"errors"
	"fmt"
	"io"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

// liveHeap returns the bytes of live heap after a full collection.
func liveHeap() uint64 {
	var m runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// Errors of a mebibyte format quote a bounded prefix of it, and keep
// CPython's message.
func TestErrorQuotesBoundedPrefix(t *testing.T) {
	long := "<" + strings.Repeat("b", 1<<20)
	s, err := Compile(long)
	if err != nil {
		t.Fatal(err)
	}
	_, err1 := s.Unpack(nil)
	_, err2 := s.Pack(1)
	_, err3 := Calcsize(long + "Z")
	for i, err := range []error{err1, err2, err3} {
		if err == nil {
			t.Fatalf("error %d: nil", i)
		}
		if msg := err.Error(); len(msg) > 200 || !strings.Contains(msg, "... (104857") {
			t.Errorf("error %d is %d bytes: %.300s", i, len(msg), msg)
		}
	}
	if !strings.HasSuffix(err1.Error(), ": unpack requires a buffer of 1048576 bytes") || !errors.Is(err1, ErrBuffer) {
		t.Errorf("Unpack error = %v", err1)
	}
	if !strings.HasSuffix(err2.Error(), ": pack expected 1048576 items for packing (got 1)") {
		t.Errorf("Pack error = %v", err2)
	}
	var e *Error
	if !errors.As(err1, &e) || e.Format != long {
		t.Errorf("the Error does not carry the whole format")
	}
	// A normal format is quoted whole, as before.
	_, err = MustCompile("<h").Pack(1 << 20)
	if want := `pack "<h": item 0: 'h' format requires -32768 <= number <= 32767`; err == nil || err.Error() != want {
		t.Errorf("error = %v, want %s", err, want)
	}
}

// The package-level cache is bounded by the heap its Structs hold, not
// only by their number.
func TestCacheBoundedByBytes(t *testing.T) {
	before := liveHeap()
	const items = 20000
	for i := range 60 {
		// 20000 distinct fields each: "<b h b h ... <i>b".
		fs := "<" + strings.Repeat("bh", items/2) + fmt.Sprintf("%db", i+1)
		if _, err := Calcsize(fs); err != nil {
			t.Fatal(err)
		}
		if n := cacheBytes(); n > cacheMaxBytes {
			t.Fatalf("after %d formats the cache holds an estimated %d bytes, more than %d", i+1, n, cacheMaxBytes)
		}
	}
	if est := MustCompile("<" + strings.Repeat("bh", items/2)).heapBytes(); est < items*64 {
		t.Fatalf("heapBytes estimates %d bytes for %d fields: too low to bound anything", est, items)
	}
	// 60 such Structs hold well over 100 MB; the cache keeps at most
	// cacheMaxBytes of them, plus what the estimate misses.
	if grown := int64(liveHeap()) - int64(before); grown > 4*cacheMaxBytes {
		t.Errorf("the heap grew by %d bytes after caching 60 large formats, want at most %d", grown, 4*cacheMaxBytes)
	}
}

// Unpacking formats too large for the fixed block types leaves no memory
// behind once the Structs and values are dropped.
func TestUnpackLeavesNoMemory(t *testing.T) {
	before := liveHeap()
	const n = 30000
	for i := range n {
		// More than 16 values and more than 64 bytes of strings, distinct
		// for every i.
		fs := fmt.Sprintf("<20b%ds5s5s5s5s", 65+i)
		s, err := Compile(fs)
		if err != nil {
			t.Fatal(err)
		}
		vals, err := s.Unpack(make([]byte, s.Size()))
		if err != nil || len(vals) != 25 {
			t.Fatalf("%s: %d values, %v", fs, len(vals), err)
		}
	}
	// A type made for each format (1 KB or more each) would keep tens of
	// megabytes; the bound is generous.
	if grown := int64(liveHeap()) - int64(before); grown > 8<<20 {
		t.Errorf("after compiling, unpacking and dropping %d formats the heap grew by %d bytes, want at most %d", n, grown, 8<<20)
	}
}

// UnpackValues gives the values Unpack gives, for small and large records,
// and reuses its storage.
func TestUnpackValuesMatchesUnpack(t *testing.T) {
	formats := []string{"", "x", "<i5sf", "<IIhhqd?5sxH", "@ci?d", "0s", "<3c2?e", ">20q3s0p4p", "<100sH", "=30d",
		"<20b65s5s5s5s5s", "!17I", "5p", "<iD?", ">2F5s"}
	var v Values
	for _, fs := range formats {
		s := MustCompile(fs)
		for seed := range 3 {
			rec := make([]byte, s.Size())
			for i := range rec {
				rec[i] = byte(i*31 + seed*7 + 1)
			}
			want, err := s.Unpack(rec)
			if err != nil {
				t.Fatal(err)
			}
			got, err := s.UnpackValues(&v, rec)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) || got == nil {
				t.Errorf("%q: UnpackValues = %v, Unpack = %v", fs, got, want)
			}
		}
	}
	_, err := MustCompile("<i").UnpackValues(&v, []byte{1})
	if err == nil || err.Error() != `unpack "<i": unpack requires a buffer of 4 bytes` || !errors.Is(err, ErrBuffer) {
		t.Errorf("UnpackValues of a short buffer: %v", err)
	}
}

func TestUnpackValuesAllocs(t *testing.T) {
	for _, fs := range []string{"<i5sf", "<IIhhqd?5sxH", "@ci?d", "<IIhhd", "<20b65s5s5s5s5s", "<300h", "<3c2?e"} {
		s := MustCompile(fs)
		rec := make([]byte, s.Size())
		var v Values
		var err error
		n := testing.AllocsPerRun(100, func() { _, err = s.UnpackValues(&v, rec) })
		if err != nil || n != 0 {
			t.Errorf("%s: UnpackValues: %v allocations (err %v), want 0", fs, n, err)
		}
		buf := make([]byte, 1000*s.Size())
		seq, err := s.IterUnpackValues(buf)
		if err != nil {
			t.Fatal(err)
		}
		count := 0
		// A whole iteration of 1000 records: its Values, the Values' four
		// arrays and the loop's closure, and
		// nothing per record.
		n = testing.AllocsPerRun(10, func() {
			for range seq {
				count++
			}
		})
		if n > 8 {
			t.Errorf("%s: IterUnpackValues over 1000 records: %v allocations, want at most 8", fs, n)
		}
		if count != 11*1000 {
			t.Errorf("%s: IterUnpackValues yielded %d records in 11 runs, want 11000", fs, count)
		}
		// IterUnpack: one block per record (two for records too large
		// for the block types), and a few for the iteration.
		fresh, err := s.IterUnpack(buf)
		if err != nil {
			t.Fatal(err)
		}
		perRecord := 1
		if s.dynLayoutOf().class == nil {
			perRecord = 2
		}
		n = testing.AllocsPerRun(10, func() {
			for range fresh {
			}
		})
		if n > float64(perRecord*1000+4) {
			t.Errorf("%s: IterUnpack over 1000 records: %v allocations, want at most %d", fs, n, perRecord*1000+4)
		}
	}
	// One Values serving two Structs in turn allocates nothing either.
	a, b := MustCompile("<IIhhqd?5sxH"), MustCompile("<i5sf")
	ra, rb := make([]byte, a.Size()), make([]byte, b.Size())
	var v Values
	var err error
	n := testing.AllocsPerRun(100, func() {
		if _, err = a.UnpackValues(&v, ra); err == nil {
			_, err = b.UnpackValues(&v, rb)
		}
	})
	if err != nil || n != 0 {
		t.Errorf("UnpackValues alternating two Structs: %v allocations (err %v), want 0", n, err)
	}
	if _, err := MustCompile("<i").IterUnpackValues(make([]byte, 5)); err == nil ||
		err.Error() != `iter_unpack "<i": iterative unpacking requires a buffer of a multiple of 4 bytes` {
		t.Errorf("IterUnpackValues of 5 bytes: %v", err)
	}
}

// A frame or record announced as a gigabyte holds a buffer of at most
// firstChunk bytes while three of its bytes have come, and at most twice
// what has come (or firstChunk) as more arrive: the buffer follows the
// bytes, not the announcement.
func TestPartialBufferFollowsBytes(t *testing.T) {
	const gig = 1 << 30
	for _, sent := range []int{0, 3, firstChunk, firstChunk + 1, 10000, 1 << 20} {
		body := strings.Repeat("x", sent)
		fr, err := NewFrameReader(strings.NewReader("\x40\x00\x00\x00"+body), "!I", gig)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fr.ReadFrame(); !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Fatalf("ReadFrame of a gigabyte frame torn after %d bytes = %v", sent, err)
		}
		if c := cap(fr.body.buf); fr.body.n != sent || c > max(2*sent, firstChunk) {
			t.Errorf("a gigabyte frame torn after %d bytes holds %d bytes in a buffer of %d", sent, fr.body.n, c)
		}
		dec := NewDecoder(strings.NewReader(body+"y"), MustCompile("1073741824s"))
		if _, err := dec.Unpack(); !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Fatalf("Unpack of a gigabyte record torn after %d bytes = %v", sent+1, err)
		}
		if c := cap(dec.rec.buf); dec.rec.n != sent+1 || c > max(2*(sent+1), firstChunk) {
			t.Errorf("a gigabyte record torn after %d bytes holds %d bytes in a buffer of %d", sent+1, dec.rec.n, c)
		}
	}
}
