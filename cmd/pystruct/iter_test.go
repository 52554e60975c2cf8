package main

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/pystruct/pystruct/pack"
	"github.com/pystruct/pystruct/pyrepr"
)

// recordReader generates n records of the format <IIhhd (20 bytes each),
// record i holding (i, i*2654435761, i, -i, i/3), without holding more
// than one record in memory.
type recordReader struct {
	n, i int    // records to make, records made
	rec  []byte // the rest of the current record
	buf  [20]byte
}

func (r *recordReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if len(r.rec) == 0 {
			if r.i == r.n {
				if n == 0 {
					return 0, io.EOF
				}
				break
			}
			b := r.buf[:]
			binary.LittleEndian.PutUint32(b[0:], uint32(r.i))
			binary.LittleEndian.PutUint32(b[4:], uint32(r.i)*2654435761)
			binary.LittleEndian.PutUint16(b[8:], uint16(r.i))
			binary.LittleEndian.PutUint16(b[10:], uint16(-r.i))
			binary.LittleEndian.PutUint64(b[12:], math.Float64bits(float64(r.i)/3))
			r.rec = b
			r.i++
		}
		c := copy(p[n:], r.rec)
		r.rec = r.rec[c:]
		n += c
	}
	return n, nil
}

// countingWriter counts lines and bytes and keeps the last line.
type countingWriter struct {
	lines, bytes int
	last         []byte
}

func (w *countingWriter) Write(p []byte) (int, error) {
	w.bytes += len(p)
	w.lines += bytes.Count(p, []byte{'\n'})
	if i := bytes.LastIndexByte(p[:max(len(p)-1, 0)], '\n'); i >= 0 {
		w.last = append(w.last[:0], p[i+1:]...)
	} else {
		w.last = append(w.last, p...)
	}
	return len(p), nil
}

func itoa(i int) string { return strconv.Itoa(i) }

func pyFloat(f float64) string { return pyrepr.Float(f) }

// iter streams: 200 MB of records pass through while the heap stays at a
// few megabytes. Reading the input whole would take 200 MB, and its
// output 550 MB. The bounds leave room for garbage that the collector has
// not caught up with on a busy machine: the live heap as the last
// collection measured it (which counts what was allocated during that
// collection) stays under 16 MB, the heap in use under 64 MB. (40 MB of
// input with the race detector, 20 MB with -short; the bounds stay.)
func TestIterMemoryIsFlat(t *testing.T) {
	size := 200 << 20
	switch {
	case testing.Short():
		size = 20 << 20
	case raceEnabled:
		size = 40 << 20
	}
	const recSize = 20
	n := size / recSize
	var peakLive, peakInuse atomic.Uint64
	var wg sync.WaitGroup
	stop := make(chan struct{})
	runtime.GC()
	wg.Add(1)
	go func() { // sample the heap while iter runs
		defer wg.Done()
		live := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		var ms runtime.MemStats
		for {
			metrics.Read(live)
			peakLive.Store(max(peakLive.Load(), live[0].Value.Uint64()))
			runtime.ReadMemStats(&ms)
			peakInuse.Store(max(peakInuse.Load(), ms.HeapInuse))
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	out := &countingWriter{}
	var stderr bytes.Buffer
	exit := run([]string{"iter", "<IIhhd"}, &recordReader{n: n}, out, &stderr)
	close(stop)
	wg.Wait()
	if exit != 0 {
		t.Fatalf("iter exited with %d: %s", exit, stderr.Bytes())
	}
	if out.lines != n {
		t.Errorf("iter printed %d lines, want %d", out.lines, n)
	}
	last := n - 1
	want := "(" + itoa(last) + ", " + itoa(int(uint32(last)*2654435761)) + ", " + itoa(int(int16(last))) + ", " +
		itoa(int(int16(-last))) + ", " + pyFloat(float64(last)/3) + ")\n"
	if string(out.last) != want {
		t.Errorf("last line %q, want %q", out.last, want)
	}
	t.Logf("%d MB in %d records: peak live heap %d KB, peak heap in use %d KB", size>>20, n, peakLive.Load()>>10, peakInuse.Load()>>10)
	if live, limit := peakLive.Load(), uint64(16<<20); live > limit {
		t.Errorf("live heap reached %d KB while streaming %d MB, want at most %d KB", live>>10, size>>20, limit>>10)
	}
	if inuse, limit := peakInuse.Load(), uint64(64<<20); inuse > limit {
		t.Errorf("heap in use reached %d KB while streaming %d MB, want at most %d KB", inuse>>10, size>>20, limit>>10)
	}
}

// The error iter builds for a partial record is the one Struct.IterUnpack
// gives for a buffer in memory.
func TestLengthErrorMatchesIterUnpack(t *testing.T) {
	for _, fs := range []string{"<hh", "i5sf", "3s", "@llh0l", ">d"} {
		s := pack.MustCompile(fs)
		_, err := s.IterUnpack(make([]byte, 1))
		want, ok := err.(*pack.Error)
		if !ok {
			t.Fatalf("IterUnpack(%q) on 1 byte: error %#v, want a *pack.Error", fs, err)
		}
		got := lengthError(s).(*pack.Error)
		// The category is a sentinel error, compared by identity.
		if diff := cmp.Diff(*want, *got, cmp.Comparer(func(a, b error) bool { return a == b })); diff != "" {
			t.Errorf("lengthError(%q) (-IterUnpack +lengthError):\n%s", fs, diff)
		}
	}
}

// readRecord reads records of any size, growing its buffer only as data
// arrives.
func TestReadRecord(t *testing.T) {
	tests := []struct {
		size, input int
		want        []int // lengths of the records read
		wantErr     error
	}{
		{4, 8, []int{4, 4}, io.EOF},
		{4, 9, []int{4, 4}, io.ErrUnexpectedEOF},
		{4, 0, nil, io.EOF},
		{1 << 20, 3 << 20, []int{1 << 20, 1 << 20, 1 << 20}, io.EOF},
		{1 << 30, 1000, nil, io.ErrUnexpectedEOF}, // a huge record costs only what the input holds
	}
	for _, tt := range tests {
		r := io.LimitReader(&recordReader{n: math.MaxInt32}, int64(tt.input))
		var got []int
		buf := make([]byte, 0, min(tt.size, ioBufSize))
		var err error
		for {
			buf, err = readRecord(r, buf, tt.size)
			if err != nil {
				break
			}
			got = append(got, len(buf))
		}
		if !slices.Equal(got, tt.want) || !errors.Is(err, tt.wantErr) {
			t.Errorf("readRecord(size %d) on %d bytes: records %v, %v; want %v, %v", tt.size, tt.input, got, err, tt.want, tt.wantErr)
		}
		if cap(buf) > max(tt.size, ioBufSize) && cap(buf) > 2*tt.input {
			t.Errorf("readRecord(size %d) on %d bytes: buffer grew to %d", tt.size, tt.input, cap(buf))
		}
	}
}

// For a regular file, iter checks the length before printing anything,
// even when the file is read after a part of it was consumed.
func TestIterChecksRegularFileFromCurrentOffset(t *testing.T) {
	path := filepath.Join(t.TempDir(), "recs")
	if err := os.WriteFile(path, []byte("\x01\x00\x02\x00\x03\x00\x04"), 0o666); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Seek(1, io.SeekStart); err != nil { // 6 bytes remain: whole records of <h
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if exit := run([]string{"iter", "<h"}, f, &stdout, &stderr); exit != 0 {
		t.Fatalf("iter <h on 6 bytes: exit %d, stderr %q", exit, stderr.String())
	}
	if want := "(512,)\n(768,)\n(1024,)\n"; stdout.String() != want {
		t.Errorf("iter <h printed %q, want %q", stdout.String(), want)
	}
}

// errWriter fails every write.
type errWriter struct{}

func (errWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

// iter stops at the first failed write and reports it.
func TestIterStopsOnWriteError(t *testing.T) {
	r := &recordReader{n: 1 << 20}
	var stderr bytes.Buffer
	exit := run([]string{"iter", "<IIhhd"}, r, errWriter{}, &stderr)
	if exit != 1 || !strings.Contains(stderr.String(), "disk full") {
		t.Errorf("iter to a failing writer: exit %d, stderr %q; want 1 and the write error", exit, stderr.String())
	}
	if r.i == r.n {
		t.Errorf("iter read all %d records after the output failed", r.n)
	}
}

func BenchmarkIter(b *testing.B) {
	const n = 100000
	b.SetBytes(n * 20)
	b.ReportAllocs()
	for b.Loop() {
		if exit := run([]string{"iter", "<IIhhd"}, &recordReader{n: n}, io.Discard, io.Discard); exit != 0 {
			b.Fatal("iter failed")
		}
	}
}

func BenchmarkIterJSON(b *testing.B) {
	const n = 100000
	b.SetBytes(n * 20)
	b.ReportAllocs()
	for b.Loop() {
		if exit := run([]string{"iter", "--json", "<IIhhd"}, &recordReader{n: n}, io.Discard, io.Discard); exit != 0 {
			b.Fatal("iter failed")
		}
	}
}
