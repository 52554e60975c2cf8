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
	"testing"

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

// heapWriter is a countingWriter that measures the live heap, exactly,
// when the output passes each of its checkpoints (line counts): it runs a
// full collection from inside Write, while iter's state is on the stack,
// and reads the live heap that collection marked. Nothing depends on when
// the collector would have run by itself.
type heapWriter struct {
	countingWriter
	at   []int    // line counts to measure at, in order
	live []uint64 // the live heap at each checkpoint passed
}

func (w *heapWriter) Write(p []byte) (int, error) {
	n, err := w.countingWriter.Write(p)
	for len(w.live) < len(w.at) && w.lines >= w.at[len(w.live)] {
		runtime.GC()
		live := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		metrics.Read(live)
		w.live = append(w.live, live[0].Value.Uint64())
	}
	return n, err
}

// iter streams: what it holds does not grow with the input. The live heap,
// measured exactly (see heapWriter) after 1%, 10% and 100% of the records,
// stays within 1 MB of the first measurement, and that stays under 16 MB.
// Holding even one byte per record would add 2 MB between the first and
// the last (0.4 MB with -short or the race detector, whose smaller inputs
// are then checked within 256 KB).
func TestIterMemoryIsFlat(t *testing.T) {
	size, margin := 40<<20, uint64(1<<20)
	if testing.Short() || raceEnabled {
		size, margin = 8<<20, 256<<10
	}
	const recSize = 20
	n := size / recSize
	out := &heapWriter{at: []int{n / 100, n / 10, n}}
	var stderr bytes.Buffer
	exit := run([]string{"iter", "<IIhhd"}, &recordReader{n: n}, out, &stderr)
	if exit != 0 {
		t.Fatalf("iter exited with %d: %s", exit, stderr.Bytes())
	}
	if out.lines != n {
		t.Errorf("iter printed %d lines, want %d", out.lines, n)
	}
	last := n - 1
	// The second item is 'I', a uint32: its value is formatted from uint64
	// so that it stays positive where int has 32 bits.
	want := "(" + itoa(last) + ", " + strconv.FormatUint(uint64(uint32(last)*2654435761), 10) + ", " + itoa(int(int16(last))) + ", " +
		itoa(int(int16(-last))) + ", " + pyFloat(float64(last)/3) + ")\n"
	if string(out.last) != want {
		t.Errorf("last line %q, want %q", out.last, want)
	}
	if len(out.live) != len(out.at) {
		t.Fatalf("measured the heap %d times, want %d", len(out.live), len(out.at))
	}
	t.Logf("%d MB in %d records: live heap %d KB, %d KB, %d KB after %d, %d, %d records",
		size>>20, n, out.live[0]>>10, out.live[1]>>10, out.live[2]>>10, out.at[0], out.at[1], out.at[2])
	if limit := uint64(16 << 20); out.live[0] > limit {
		t.Errorf("live heap %d KB after %d records, want at most %d KB", out.live[0]>>10, out.at[0], limit>>10)
	}
	for i := 1; i < len(out.live); i++ {
		if out.live[i] > out.live[0]+margin {
			t.Errorf("live heap grew from %d KB after %d records to %d KB after %d, want at most %d KB more",
				out.live[0]>>10, out.at[0], out.live[i]>>10, out.at[i], margin>>10)
		}
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
