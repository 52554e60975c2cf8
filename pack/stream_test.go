package pack_test

import (
	"bytes"
	"encoding/hex"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
	"github.com/pystruct/pystruct/pack"
)

// The notes' record, and two more, packed by CPython 3.13:
// struct.pack('!i5sf', 1, b'zhang', 1.75) and so on.
var (
	streamStruct = pack.MustCompile("!i5sf")
	streamValues = [][]any{
		{int64(1), []byte("zhang"), 1.75},
		{int64(-2), []byte("li\x00\x00\x00"), -0.5},
		{int64(2147483647), []byte("wang!"), 2.0},
	}
	streamBytes = hexBytes("000000017a68616e673fe00000" +
		"fffffffe6c69000000bf000000" +
		"7fffffff77616e672140000000")
)

func hexBytes(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// writeLog records each Write it is given.
type writeLog struct{ writes [][]byte }

func (w *writeLog) Write(p []byte) (int, error) {
	w.writes = append(w.writes, bytes.Clone(p))
	return len(p), nil
}

func TestStreamEncoderOneWritePerRecord(t *testing.T) {
	var w writeLog
	enc := pack.NewEncoder(&w, streamStruct)
	for _, vals := range streamValues {
		if err := enc.Pack(vals...); err != nil {
			t.Fatalf("Pack(%v) = %v", vals, err)
		}
	}
	size := streamStruct.Size()
	var want [][]byte
	for i := 0; i < len(streamBytes); i += size {
		want = append(want, streamBytes[i:i+size])
	}
	if diff := cmp.Diff(want, w.writes); diff != "" {
		t.Errorf("writes (-want +got):\n%s", diff)
	}
}

func TestStreamEncoderPackErrorWritesNothing(t *testing.T) {
	var w writeLog
	enc := pack.NewEncoder(&w, streamStruct)
	err := enc.Pack(int64(1)<<31, "zhang", 1.75)
	const msg = "'i' format requires -2147483648 <= number <= 2147483647"
	if !errors.Is(err, pack.ErrRange) || !strings.HasSuffix(err.Error(), msg) {
		t.Errorf("Pack(1<<31, ...) = %v, want ErrRange ending %q", err, msg)
	}
	if err := enc.Pack(1, "zhang"); !errors.Is(err, pack.ErrCount) {
		t.Errorf("Pack(1, \"zhang\") = %v, want ErrCount", err)
	}
	if len(w.writes) != 0 {
		t.Errorf("failed Pack wrote %q", w.writes)
	}
	if err := enc.Pack(streamValues[0]...); err != nil {
		t.Fatalf("Pack after a value error = %v", err)
	}
	if diff := cmp.Diff([][]byte{streamBytes[:13]}, w.writes); diff != "" {
		t.Errorf("writes (-want +got):\n%s", diff)
	}
}

// failWriter writes at most n bytes of each Write, then fails with err.
type failWriter struct {
	n   int
	err error
	log writeLog
}

func (w *failWriter) Write(p []byte) (int, error) {
	if len(p) <= w.n {
		return w.log.Write(p)
	}
	if w.n > 0 {
		w.log.Write(p[:w.n])
	}
	return w.n, w.err
}

var errWrite = errors.New("write failed")

func TestStreamEncoderWriteErrors(t *testing.T) {
	t.Run("nothing written: stream intact", func(t *testing.T) {
		w := &failWriter{n: 0, err: errWrite}
		enc := pack.NewEncoder(w, streamStruct)
		if err := enc.Pack(streamValues[0]...); err != errWrite {
			t.Fatalf("Pack = %v, want %v", err, errWrite)
		}
		w.n = 100
		if err := enc.Pack(streamValues[0]...); err != nil {
			t.Fatalf("Pack after a failed Write that wrote nothing = %v, want nil", err)
		}
		if diff := cmp.Diff([][]byte{streamBytes[:13]}, w.log.writes); diff != "" {
			t.Errorf("writes (-want +got):\n%s", diff)
		}
	})
	t.Run("part written: stream torn", func(t *testing.T) {
		w := &failWriter{n: 5, err: errWrite}
		enc := pack.NewEncoder(w, streamStruct)
		if err := enc.Pack(streamValues[0]...); err != errWrite {
			t.Fatalf("Pack = %v, want %v", err, errWrite)
		}
		w.n = 100
		for range 2 {
			if err := enc.Pack(streamValues[1]...); err != errWrite {
				t.Fatalf("Pack after a torn record = %v, want %v", err, errWrite)
			}
		}
		if diff := cmp.Diff([][]byte{streamBytes[:5]}, w.log.writes); diff != "" {
			t.Errorf("writes (-want +got):\n%s", diff)
		}
	})
	t.Run("short write without an error", func(t *testing.T) {
		w := &failWriter{n: 5, err: nil}
		enc := pack.NewEncoder(w, streamStruct)
		if err := enc.Pack(streamValues[0]...); err != io.ErrShortWrite {
			t.Fatalf("Pack = %v, want %v", err, io.ErrShortWrite)
		}
		if err := enc.Pack(streamValues[0]...); err != io.ErrShortWrite {
			t.Fatalf("Pack after a short write = %v, want %v", err, io.ErrShortWrite)
		}
	})
}

// The readers a Decoder must cope with: every short-read pattern of
// testing/iotest over the same bytes.
var streamReaders = []struct {
	name string
	r    func([]byte) io.Reader
}{
	{"whole", func(b []byte) io.Reader { return bytes.NewReader(b) }},
	{"one byte", func(b []byte) io.Reader { return iotest.OneByteReader(bytes.NewReader(b)) }},
	{"half", func(b []byte) io.Reader { return iotest.HalfReader(bytes.NewReader(b)) }},
	{"data with EOF", func(b []byte) io.Reader { return iotest.DataErrReader(bytes.NewReader(b)) }},
}

func TestStreamDecoderUnpack(t *testing.T) {
	for _, rd := range streamReaders {
		t.Run(rd.name, func(t *testing.T) {
			dec := pack.NewDecoder(rd.r(streamBytes), streamStruct)
			var got [][]any
			for {
				vals, err := dec.Unpack()
				if err == io.EOF {
					if vals != nil {
						t.Errorf("Unpack = %v, io.EOF; want nil values", vals)
					}
					break
				}
				if err != nil {
					t.Fatalf("Unpack = %v after %d records", err, len(got))
				}
				got = append(got, vals)
			}
			if diff := cmp.Diff(streamValues, got); diff != "" {
				t.Errorf("records (-want +got):\n%s", diff)
			}
			if _, err := dec.Unpack(); err != io.EOF {
				t.Errorf("Unpack after io.EOF = %v, want io.EOF", err)
			}
		})
	}
}

func TestStreamDecoderEmpty(t *testing.T) {
	dec := pack.NewDecoder(strings.NewReader(""), streamStruct)
	if vals, err := dec.Unpack(); vals != nil || err != io.EOF {
		t.Errorf("Unpack of an empty stream = %v, %v; want nil, io.EOF", vals, err)
	}
}

func TestStreamDecoderTornRecord(t *testing.T) {
	torn := streamBytes[:13+7]
	for _, rd := range streamReaders {
		t.Run(rd.name, func(t *testing.T) {
			dec := pack.NewDecoder(rd.r(torn), streamStruct)
			vals, err := dec.Unpack()
			if err != nil {
				t.Fatalf("Unpack of the whole record = %v", err)
			}
			if diff := cmp.Diff(streamValues[0], vals); diff != "" {
				t.Errorf("first record (-want +got):\n%s", diff)
			}
			for range 2 {
				if vals, err := dec.Unpack(); vals != nil || err != io.ErrUnexpectedEOF {
					t.Errorf("Unpack of the torn record = %v, %v; want nil, io.ErrUnexpectedEOF", vals, err)
				}
			}
		})
	}
}

// A read that fails inside a record, as a net.Conn read deadline does,
// loses nothing: the next call finishes the same record.
func TestStreamDecoderResumesAfterReadError(t *testing.T) {
	r := iotest.TimeoutReader(iotest.OneByteReader(bytes.NewReader(streamBytes)))
	dec := pack.NewDecoder(r, streamStruct)
	if vals, err := dec.Unpack(); vals != nil || err != iotest.ErrTimeout {
		t.Fatalf("Unpack = %v, %v; want nil, iotest.ErrTimeout", vals, err)
	}
	var got [][]any
	for vals, err := range dec.All() {
		if err != nil {
			t.Fatalf("All yielded %v after %d records", err, len(got))
		}
		got = append(got, vals)
	}
	if diff := cmp.Diff(streamValues, got); diff != "" {
		t.Errorf("records (-want +got):\n%s", diff)
	}
}

func TestStreamDecoderReadError(t *testing.T) {
	r := io.MultiReader(bytes.NewReader(streamBytes[:20]), iotest.ErrReader(errWrite))
	dec := pack.NewDecoder(r, streamStruct)
	if _, err := dec.Unpack(); err != nil {
		t.Fatalf("Unpack of the whole record = %v", err)
	}
	if vals, err := dec.Unpack(); vals != nil || err != errWrite {
		t.Errorf("Unpack = %v, %v; want nil, %v", vals, err, errWrite)
	}
}

func TestStreamDecoderAll(t *testing.T) {
	t.Run("clean end", func(t *testing.T) {
		var got [][]any
		for vals, err := range pack.NewDecoder(bytes.NewReader(streamBytes), streamStruct).All() {
			if err != nil {
				t.Fatalf("All yielded %v after %d records", err, len(got))
			}
			got = append(got, vals)
		}
		if diff := cmp.Diff(streamValues, got); diff != "" {
			t.Errorf("records (-want +got):\n%s", diff)
		}
	})
	t.Run("torn end", func(t *testing.T) {
		var got [][]any
		var errs []error
		for vals, err := range pack.NewDecoder(bytes.NewReader(streamBytes[:30]), streamStruct).All() {
			if err != nil {
				errs = append(errs, err)
				if vals != nil {
					t.Errorf("All yielded %v with %v, want nil values", vals, err)
				}
				continue
			}
			got = append(got, vals)
		}
		if diff := cmp.Diff(streamValues[:2], got); diff != "" {
			t.Errorf("records (-want +got):\n%s", diff)
		}
		if len(errs) != 1 || errs[0] != io.ErrUnexpectedEOF {
			t.Errorf("All yielded errors %v, want [io.ErrUnexpectedEOF]", errs)
		}
	})
	t.Run("break and go on", func(t *testing.T) {
		dec := pack.NewDecoder(bytes.NewReader(streamBytes), streamStruct)
		for range dec.All() {
			break
		}
		var got [][]any
		for vals, err := range dec.All() {
			if err != nil {
				t.Fatalf("All yielded %v", err)
			}
			got = append(got, vals)
		}
		if diff := cmp.Diff(streamValues[1:], got); diff != "" {
			t.Errorf("records after a break (-want +got):\n%s", diff)
		}
	})
}

// Unpacked byte strings are copies: the next record, read into the same
// buffer, does not change them.
func TestStreamDecoderValuesDoNotAlias(t *testing.T) {
	dec := pack.NewDecoder(bytes.NewReader(streamBytes), streamStruct)
	first, err := dec.Unpack()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := dec.Unpack(); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(streamValues[0], first); diff != "" {
		t.Errorf("first record after reading the second (-want +got):\n%s", diff)
	}
}

func TestStreamZeroSize(t *testing.T) {
	s := pack.MustCompile("0i")
	var w writeLog
	if err := pack.NewEncoder(&w, s).Pack(); err != nil || len(w.writes) != 0 {
		t.Errorf("Pack() of %v = %v and wrote %q; want nil and no Write", s, err, w.writes)
	}
	dec := pack.NewDecoder(strings.NewReader("abc"), s)
	const msg = "cannot iteratively unpack with a struct of length 0"
	for range 2 {
		vals, err := dec.Unpack()
		if vals != nil || !errors.Is(err, pack.ErrBuffer) || !strings.HasSuffix(err.Error(), msg) {
			t.Errorf("Unpack of %v = %v, %v; want nil, ErrBuffer ending %q", s, vals, err, msg)
		}
	}
}

func TestStreamDecoderMaxAlloc(t *testing.T) {
	s := pack.MustCompile("1073741825x")
	dec := pack.NewDecoder(strings.NewReader("abc"), s)
	if _, err := dec.Unpack(); !errors.Is(err, pack.ErrBuffer) {
		t.Errorf("Unpack of %v = %v, want ErrBuffer", s, err)
	}
}

// cycleReader serves the same bytes over and over.
type cycleReader struct {
	b   []byte
	off int
}

func (r *cycleReader) Read(p []byte) (int, error) {
	n := copy(p, r.b[r.off:])
	r.off = (r.off + n) % len(r.b)
	return n, nil
}

func TestStreamAllocs(t *testing.T) {
	vals := streamValues[0]
	enc := pack.NewEncoder(io.Discard, streamStruct)
	if n := testing.AllocsPerRun(1000, func() {
		if err := enc.Pack(vals...); err != nil {
			t.Fatal(err)
		}
	}); n != 0 {
		t.Errorf("Encoder.Pack with boxed values: %v allocs per record, want 0", n)
	}
	// Unpack allocates its []any and the values' boxes and bytes, as
	// Struct.Unpack does; the Decoder's own buffer is reused.
	dec := pack.NewDecoder(&cycleReader{b: streamBytes}, streamStruct)
	want := testing.AllocsPerRun(1000, func() {
		if _, err := streamStruct.Unpack(streamBytes[:13]); err != nil {
			t.Fatal(err)
		}
	})
	if n := testing.AllocsPerRun(1000, func() {
		if _, err := dec.Unpack(); err != nil {
			t.Fatal(err)
		}
	}); n != want {
		t.Errorf("Decoder.Unpack: %v allocs per record, want %v as Struct.Unpack", n, want)
	}
}

// streamPerson binds to streamStruct, "!i5sf".
type streamPerson struct {
	ID     int32
	Name   [5]byte
	Height float32
}

var streamPeople = []streamPerson{
	{1, [5]byte([]byte("zhang")), 1.75},
	{-2, [5]byte([]byte("li\x00\x00\x00")), -0.5},
	{2147483647, [5]byte([]byte("wang!")), 2.0},
}

func TestStreamTyped(t *testing.T) {
	var w writeLog
	enc := pack.NewEncoder(&w, streamStruct)
	for i := range streamPeople {
		if err := enc.Encode(&streamPeople[i]); err != nil {
			t.Fatalf("Encode(%v) = %v", streamPeople[i], err)
		}
	}
	if got := bytes.Join(w.writes, nil); len(w.writes) != 3 || !bytes.Equal(got, streamBytes) {
		t.Errorf("Encode wrote %x in %d writes, want %x in 3", got, len(w.writes), streamBytes)
	}

	for _, rd := range streamReaders {
		t.Run(rd.name, func(t *testing.T) {
			dec := pack.NewDecoder(rd.r(streamBytes), streamStruct)
			var got []streamPerson
			for {
				var p streamPerson
				err := dec.Decode(&p)
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatalf("Decode = %v after %d records", err, len(got))
				}
				got = append(got, p)
			}
			if diff := cmp.Diff(streamPeople, got); diff != "" {
				t.Errorf("records (-want +got):\n%s", diff)
			}
		})
	}
}

// A slice of structs goes out in one Write.
func TestStreamEncodeSlice(t *testing.T) {
	var w writeLog
	if err := pack.NewEncoder(&w, streamStruct).Encode(streamPeople); err != nil {
		t.Fatalf("Encode(%v) = %v", streamPeople, err)
	}
	if diff := cmp.Diff([][]byte{streamBytes}, w.writes); diff != "" {
		t.Errorf("writes (-want +got):\n%s", diff)
	}
}

// A Write that fails between two records of a slice leaves the stream
// intact.
func TestStreamEncodeSliceWriteError(t *testing.T) {
	w := &failWriter{n: 13, err: errWrite}
	enc := pack.NewEncoder(w, streamStruct)
	err := enc.Encode(streamPeople)
	var ee *pack.EncodeError
	if !errors.Is(err, errWrite) || !errors.As(err, &ee) || ee.Written != 1 || ee.Torn {
		t.Fatalf("Encode = %v, want an *EncodeError of 1 record wrapping %v", err, errWrite)
	}
	w.n = 100
	if err := enc.Encode(&streamPeople[1]); err != nil {
		t.Fatalf("Encode after a Write that failed between records = %v, want nil", err)
	}
	if diff := cmp.Diff([][]byte{streamBytes[:13], streamBytes[13:26]}, w.log.writes); diff != "" {
		t.Errorf("writes (-want +got):\n%s", diff)
	}
}

func TestStreamEncodeErrorWritesNothing(t *testing.T) {
	var w writeLog
	enc := pack.NewEncoder(&w, streamStruct)
	bad := struct {
		ID     int64
		Name   string
		Height float64
	}{1 << 40, "zhang", 1.75}
	const msg = "'i' format requires -2147483648 <= number <= 2147483647"
	if err := enc.Encode(&bad); !errors.Is(err, pack.ErrRange) || !strings.HasSuffix(err.Error(), msg) {
		t.Errorf("Encode(%v) = %v, want ErrRange ending %q", bad, err, msg)
	}
	if err := enc.Encode(42); !errors.Is(err, pack.ErrType) {
		t.Errorf("Encode(42) = %v, want ErrType", err)
	}
	if len(w.writes) != 0 {
		t.Errorf("failed Encode wrote %q", w.writes)
	}
}

// narrowPerson cannot hold every record of streamBytes: 2147483647 does
// not fit its ID.
type narrowPerson struct {
	ID     int8
	Name   string
	Height float64
}

// A record that does not fit is consumed, and the stream stays in step.
func TestStreamDecodeError(t *testing.T) {
	stream := append(bytes.Clone(streamBytes[26:]), streamBytes[:26]...) // big, zhang, li
	dec := pack.NewDecoder(bytes.NewReader(stream), streamStruct)
	var p narrowPerson
	if err := dec.Decode(&p); !errors.Is(err, pack.ErrRange) {
		t.Errorf("Decode of ID 2147483647 into int8 = %v, want ErrRange", err)
	}
	var got []narrowPerson
	for {
		var p narrowPerson
		err := dec.Decode(&p)
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("Decode = %v after %d records", err, len(got))
		}
		got = append(got, p)
	}
	want := []narrowPerson{{1, "zhang", 1.75}, {-2, "li\x00\x00\x00", -0.5}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("records after the one that did not fit (-want +got):\n%s", diff)
	}
}

// A torn record leaves the value alone.
func TestStreamDecodeTorn(t *testing.T) {
	dec := pack.NewDecoder(bytes.NewReader(streamBytes[:20]), streamStruct)
	var p streamPerson
	if err := dec.Decode(&p); err != nil {
		t.Fatal(err)
	}
	if err := dec.Decode(&p); err != io.ErrUnexpectedEOF {
		t.Errorf("Decode of a torn record = %v, want io.ErrUnexpectedEOF", err)
	}
	if p != streamPeople[0] {
		t.Errorf("Decode of a torn record changed the value to %v", p)
	}
}

func TestStreamDecodeAll(t *testing.T) {
	t.Run("clean end", func(t *testing.T) {
		var got []streamPerson
		for p, err := range pack.DecodeAll[streamPerson](pack.NewDecoder(bytes.NewReader(streamBytes), streamStruct)) {
			if err != nil {
				t.Fatalf("DecodeAll yielded %v after %d records", err, len(got))
			}
			got = append(got, p)
		}
		if diff := cmp.Diff(streamPeople, got); diff != "" {
			t.Errorf("records (-want +got):\n%s", diff)
		}
	})
	t.Run("error, then go on", func(t *testing.T) {
		stream := append(bytes.Clone(streamBytes[26:]), streamBytes[:26]...)
		dec := pack.NewDecoder(bytes.NewReader(stream), streamStruct)
		var errs []error
		for p, err := range pack.DecodeAll[narrowPerson](dec) {
			if err == nil || !cmp.Equal(p, narrowPerson{}) {
				t.Errorf("DecodeAll yielded %v, %v; want the zero value and an error", p, err)
			}
			errs = append(errs, err)
		}
		if len(errs) != 1 || !errors.Is(errs[0], pack.ErrRange) {
			t.Errorf("DecodeAll yielded errors %v, want one ErrRange", errs)
		}
		var got []narrowPerson
		for p, err := range pack.DecodeAll[narrowPerson](dec) {
			if err != nil {
				t.Fatalf("DecodeAll yielded %v after %d records", err, len(got))
			}
			got = append(got, p)
		}
		want := []narrowPerson{{1, "zhang", 1.75}, {-2, "li\x00\x00\x00", -0.5}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("records (-want +got):\n%s", diff)
		}
	})
	t.Run("earlier values keep their strings", func(t *testing.T) {
		var got []narrowPerson
		for p, err := range pack.DecodeAll[narrowPerson](pack.NewDecoder(bytes.NewReader(streamBytes[:26]), streamStruct)) {
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, p)
		}
		want := []narrowPerson{{1, "zhang", 1.75}, {-2, "li\x00\x00\x00", -0.5}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("records (-want +got):\n%s", diff)
		}
	})
}

// The typed path allocates nothing per record, on either side.
func TestStreamTypedAllocs(t *testing.T) {
	p := streamPeople[0]
	enc := pack.NewEncoder(io.Discard, streamStruct)
	if n := testing.AllocsPerRun(1000, func() {
		if err := enc.Encode(&p); err != nil {
			t.Fatal(err)
		}
	}); n != 0 {
		t.Errorf("Encoder.Encode: %v allocs per record, want 0", n)
	}
	dec := pack.NewDecoder(&cycleReader{b: streamBytes}, streamStruct)
	if n := testing.AllocsPerRun(1000, func() {
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
	}); n != 0 {
		t.Errorf("Decoder.Decode: %v allocs per record, want 0", n)
	}
	// DecodeAll allocates when a range starts, never per record.
	rangeAllocs := func(records int) float64 {
		return testing.AllocsPerRun(100, func() {
			i := 0
			for p, err := range pack.DecodeAll[streamPerson](dec) {
				if err != nil || p.Height == 0 {
					t.Fatal(p, err)
				}
				if i++; i == records {
					break
				}
			}
		})
	}
	if few, many := rangeAllocs(10), rangeAllocs(1000); few != many {
		t.Errorf("DecodeAll: %v allocs for 10 records, %v for 1000; want the same", few, many)
	}
}

// offsetWriter accepts n bytes and then fails.
type offsetWriter struct {
	buf bytes.Buffer
	n   int
}

var errOffsetWrite = errors.New("write failed")

func (w *offsetWriter) Write(p []byte) (int, error) {
	k := min(len(p), w.n-w.buf.Len())
	w.buf.Write(p[:k])
	if k < len(p) {
		return k, errOffsetWrite
	}
	return k, nil
}

// An Encode that fails at any offset says how many whole records it
// wrote, and whether the stream is torn.
func TestStreamEncodeErrorAtEveryOffset(t *testing.T) {
	type rec struct {
		A uint16
		B int8
	}
	s := pack.MustCompile("<Hb")
	recs := []rec{{1, 2}, {3, 4}, {5, 6}, {7, 8}}
	total := len(recs) * s.Size()
	for off := 0; off < total; off++ {
		w := &offsetWriter{n: off}
		enc := pack.NewEncoder(w, s)
		err := enc.Encode(recs)
		var ee *pack.EncodeError
		if !errors.As(err, &ee) || !errors.Is(err, errOffsetWrite) {
			t.Fatalf("offset %d: Encode = %v, want an *EncodeError wrapping the write error", off, err)
		}
		if ee.Written != off/s.Size() || ee.Torn != (off%s.Size() != 0) {
			t.Errorf("offset %d: EncodeError{Written: %d, Torn: %v}, want {%d, %v}", off, ee.Written, ee.Torn, off/s.Size(), off%s.Size() != 0)
		}
		if w.buf.Len() != off {
			t.Errorf("offset %d: %d bytes reached the writer", off, w.buf.Len())
		}
		// Resuming after the whole records, when not torn, writes each record once.
		w.n = total
		err = enc.Encode(recs[ee.Written:])
		if ee.Torn {
			if !errors.Is(err, errOffsetWrite) {
				t.Errorf("offset %d: Encode after a torn write = %v, want the write error", off, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("offset %d: resumed Encode = %v", off, err)
		}
		var got []rec
		for v, err := range pack.DecodeAll[rec](pack.NewDecoder(&w.buf, s)) {
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, v)
		}
		if diff := cmp.Diff(recs, got); diff != "" {
			t.Errorf("offset %d: records (-want +got):\n%s", off, diff)
		}
	}
}

// A call with no bytes to write, a format of size zero or an empty slice,
// makes no Write, so a writer that fails cannot fail it.
func TestStreamEncodeNothingToWrite(t *testing.T) {
	type empty struct{}
	type name struct{ S string }
	tests := []struct {
		fs string
		v  any
	}{
		{"", empty{}},
		{"", &empty{}},
		{"", []empty{{}, {}, {}}},
		{"0i", empty{}},
		{"=0q", []empty{{}, {}}},
		{"0s", name{}},
		{"<0s", []name{{"a"}, {"b"}}},
		{"0p", new(string)},
		{"<i", []struct{ A int32 }{}},
		{"<i", []struct{ A int32 }(nil)},
	}
	for _, tt := range tests {
		w := new(brokenWriter)
		enc := pack.NewEncoder(w, pack.MustCompile(tt.fs))
		for range 2 {
			if err := enc.Encode(tt.v); err != nil {
				t.Errorf("Encode(%T) under %q into a failing writer = %v, want nil", tt.v, tt.fs, err)
			}
		}
		if *w != 0 {
			t.Errorf("Encode(%T) under %q called Write %d times", tt.v, tt.fs, *w)
		}
	}
	w := new(brokenWriter)
	if err := pack.NewEncoder(w, pack.MustCompile("")).Pack(); err != nil || *w != 0 {
		t.Errorf("Pack() under \"\" into a failing writer = %v, with %d Writes; want nil and no Write", err, *w)
	}
}

// brokenWriter fails every Write, even of nothing, and counts them.
type brokenWriter int

func (w *brokenWriter) Write([]byte) (int, error) {
	*w++
	return 0, errWrite
}
