package pack_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/pystruct/pystruct/pack"
)

// These fuzz targets cover the entry points the others do not: streams,
// buffers at arbitrary offsets, and Unmarshal into any type. Each checks a
// property stronger than not panicking: agreement with another path.

// chunkReader returns its bytes in reads of the sizes it cycles through
// (each size byte s meaning s%16+1 bytes), as a socket may.
type chunkReader struct {
	b     []byte
	sizes []byte
	i     int
}

func (r *chunkReader) Read(p []byte) (int, error) {
	if len(r.b) == 0 {
		return 0, io.EOF
	}
	n := len(p)
	if len(r.sizes) > 0 {
		n = min(n, int(r.sizes[r.i%len(r.sizes)]%16)+1)
		r.i++
	}
	n = copy(p, r.b[:min(n, len(r.b))])
	r.b = r.b[n:]
	return n, nil
}

// FuzzDecoder reads any bytes, in reads of any sizes, as a stream of
// records: the Decoder must give what IterUnpack gives for the whole
// records, then io.EOF if the stream ends between records and
// io.ErrUnexpectedEOF if it ends inside one; and Decode into a struct made
// for the format must agree with Unmarshal, record by record.
func FuzzDecoder(f *testing.F) {
	for i, fs := range fuzzFormats {
		n := fuzzSeedSize(fs)
		f.Add(fs, fuzzBytes(3*n, i%3), []byte{1, 0, 7}, uint64(i))
		f.Add(fs, fuzzBytes(2*n+1, 2), []byte{}, uint64(i))
	}
	f.Fuzz(func(t *testing.T, fs string, data, sizes []byte, choice uint64) {
		s, err := pack.Compile(fs)
		if err != nil || s.Size() > fuzzMaxSize || s.NumValues() > fuzzMaxSize {
			return
		}
		size := s.Size()
		dec := pack.NewDecoder(&chunkReader{b: data, sizes: sizes}, s)
		if size == 0 {
			if _, err := dec.Unpack(); !errors.Is(err, pack.ErrBuffer) {
				t.Fatalf("%q: Decoder.Unpack of a size-0 format = %v, want ErrBuffer", fs, err)
			}
			return
		}
		whole := len(data) / size * size
		seq, err := s.IterUnpack(data[:whole])
		if err != nil {
			t.Fatalf("IterUnpack(%q, %d bytes): %v", fs, whole, err)
		}
		i := 0
		for want := range seq {
			got, err := dec.Unpack()
			if err != nil {
				t.Fatalf("%q: record %d: Decoder.Unpack: %v", fs, i, err)
			}
			if diff := propDiff(want, got); diff != "" {
				t.Fatalf("%q: record %d: Decoder.Unpack differs from IterUnpack (-want +got):\n%s", fs, i, diff)
			}
			i++
		}
		wantEnd := io.EOF
		if whole != len(data) {
			wantEnd = io.ErrUnexpectedEOF
		}
		if vals, err := dec.Unpack(); err != wantEnd || vals != nil {
			t.Fatalf("%q: after %d records, Decoder.Unpack = %v, %v; want %v", fs, i, vals, err, wantEnd)
		}

		m, ok := bindModelFor(s, rand.New(rand.NewPCG(choice, 1)))
		if !ok {
			return
		}
		dec = pack.NewDecoder(&chunkReader{b: data, sizes: sizes}, s)
		for off := 0; off < whole; off += size {
			got, want := reflect.New(m.t), reflect.New(m.t)
			gerr := dec.Decode(got.Interface())
			werr := s.Unmarshal(data[off:off+size], want.Interface())
			if fmt.Sprint(gerr) != fmt.Sprint(werr) || fmt.Sprintf("%#v", got.Interface()) != fmt.Sprintf("%#v", want.Interface()) {
				t.Fatalf("%q into %v at %d: Decode = %v, %v; Unmarshal = %v, %v", fs, m.t, off, got.Elem(), gerr, want.Elem(), werr)
			}
		}
		if err := dec.Decode(reflect.New(m.t).Interface()); err != wantEnd {
			t.Fatalf("%q: Decode at the end = %v, want %v", fs, err, wantEnd)
		}
	})
}

// shortWriter accepts at most limit bytes in all, then fails.
type shortWriter struct {
	bytes.Buffer
	limit int
}

var errFull = errors.New("writer full")

func (w *shortWriter) Write(p []byte) (int, error) {
	room := w.limit - w.Len()
	if room >= len(p) {
		return w.Buffer.Write(p)
	}
	w.Buffer.Write(p[:max(room, 0)])
	return max(room, 0), errFull
}

// FuzzEncoder packs values of any kind, right or wrong, through an Encoder
// whose writer fills up: each call must write exactly what Struct.Pack
// gives, or fail with Pack's error having written nothing; a write cut
// short fails with the writer's error, and, when it cut a record, every
// later call fails with it too. Encode of a struct agrees with Marshal.
func FuzzEncoder(f *testing.F) {
	for i, fs := range fuzzFormats {
		f.Add(fs, fuzzBytes(64, i%3), 1<<20, uint64(i))
		f.Add(fs, fuzzBytes(48, 2)[i%5:], fuzzSeedSize(fs)+1, uint64(i))
	}
	f.Fuzz(func(t *testing.T, fs string, data []byte, limit int, choice uint64) {
		s, err := pack.Compile(fs)
		if err != nil || s.Size() > fuzzMaxSize || s.NumValues() > fuzzMaxSize {
			return
		}
		w := &shortWriter{limit: limit}
		enc := pack.NewEncoder(w, s)
		src := &fuzzSource{data}
		var want []byte
		var torn error
		for call := range 4 {
			values := genMixedValues(src, s.Plan())
			rec, perr := s.Pack(values...)
			before := w.Len()
			err := enc.Pack(values...)
			switch {
			case torn != nil:
				if err != torn || w.Len() != before {
					t.Fatalf("%q call %d: after a torn write, Pack = %v and wrote %d bytes; want %v, nothing", fs, call, err, w.Len()-before, torn)
				}
				continue
			case perr != nil:
				if fmt.Sprint(err) != fmt.Sprint(perr) || w.Len() != before {
					t.Fatalf("%q call %d: Encoder.Pack = %v, wrote %d bytes; Struct.Pack = %v", fs, call, err, w.Len()-before, perr)
				}
				continue
			case len(rec) > 0 && before+len(rec) > limit:
				if err != errFull {
					t.Fatalf("%q call %d: Encoder.Pack into a full writer = %v, want %v", fs, call, err, errFull)
				}
				if n := limit - before; n > 0 && n%s.Size() != 0 {
					torn = err
				}
				want = append(want, rec[:max(min(limit-before, len(rec)), 0)]...)
				continue
			case err != nil:
				t.Fatalf("%q call %d: Encoder.Pack(%s) = %v, Struct.Pack succeeded", fs, call, genValuesString(values), err)
			}
			want = append(want, rec...)
		}
		if !bytes.Equal(w.Bytes(), want) {
			t.Fatalf("%q: Encoder wrote %x, want %x", fs, w.Bytes(), want)
		}

		m, ok := bindModelFor(s, rand.New(rand.NewPCG(choice, 2)))
		if !ok || s.Size() == 0 {
			return
		}
		v := reflect.New(m.t)
		if err := s.Unmarshal(bytes.Repeat([]byte{byte(choice)}, s.Size()), v.Interface()); err != nil {
			return // a value that does not fit; FuzzUnmarshal covers it
		}
		var buf bytes.Buffer
		rec, merr := s.Marshal(v.Interface())
		if err := pack.NewEncoder(&buf, s).Encode(v.Interface()); fmt.Sprint(err) != fmt.Sprint(merr) || !bytes.Equal(buf.Bytes(), rec) {
			t.Fatalf("%q into %v: Encode wrote %x, %v; Marshal gives %x, %v", fs, m.t, buf.Bytes(), err, rec, merr)
		}
	})
}

// FuzzOffsets packs and unpacks at any offset into any buffer. UnpackFrom
// must fail exactly when CPython's bounds rules say (a negative offset
// counts from the end) and otherwise agree with Unpack of the record's
// bytes; PackInto of those values must write the canonical record there,
// leave every other byte alone, and fail where UnpackFrom fails.
func FuzzOffsets(f *testing.F) {
	for i, fs := range fuzzFormats {
		n := fuzzSeedSize(fs)
		f.Add(fs, fuzzBytes(n+5, i%3), 3)
		f.Add(fs, fuzzBytes(n+2, 2), -n-1)
		f.Add(fs, fuzzBytes(n, 1), n+1)
	}
	f.Fuzz(func(t *testing.T, fs string, buf []byte, offset int) {
		s, err := pack.Compile(fs)
		if err != nil || s.Size() > fuzzMaxSize || s.NumValues() > fuzzMaxSize {
			return
		}
		size, n := s.Size(), len(buf)
		start, fits := offset, true
		if offset < 0 {
			start = offset + n
			fits = offset+size <= 0 && start >= 0
		} else {
			fits = offset <= n && n-offset >= size
		}
		vals, err := s.UnpackFrom(buf, offset)
		if !fits {
			if !errors.Is(err, pack.ErrBuffer) || vals != nil {
				t.Fatalf("UnpackFrom(%q, %d bytes, %d) = %v, %v; want ErrBuffer", fs, n, offset, vals, err)
			}
			before := bytes.Clone(buf)
			if perr := s.PackInto(buf, offset, mustUnpack(t, s, make([]byte, size))...); !errors.Is(perr, pack.ErrBuffer) || !bytes.Equal(buf, before) {
				t.Fatalf("PackInto(%q, %d bytes, %d) = %v, changed the buffer %v; want ErrBuffer", fs, n, offset, perr, !bytes.Equal(buf, before))
			}
			return
		}
		if err != nil {
			t.Fatalf("UnpackFrom(%q, %d bytes, %d): %v", fs, n, offset, err)
		}
		want := mustUnpack(t, s, buf[start:start+size])
		if diff := propDiff(want, vals); diff != "" {
			t.Fatalf("UnpackFrom(%q, %x, %d) differs from Unpack of bytes %d..%d (-want +got):\n%s", fs, buf, offset, start, start+size, diff)
		}
		canon, err := s.Pack(vals...)
		if err != nil {
			t.Fatalf("Pack(%q, UnpackFrom(...)...): %v", fs, err)
		}
		out := bytes.Clone(buf)
		if err := s.PackInto(out, offset, vals...); err != nil {
			t.Fatalf("PackInto(%q, %d bytes, %d): %v", fs, n, offset, err)
		}
		wantOut := append(append(bytes.Clone(buf[:start]), canon...), buf[start+size:]...)
		if !bytes.Equal(out, wantOut) {
			t.Fatalf("PackInto(%q, %x, %d) = %x, want %x", fs, buf, offset, out, wantOut)
		}
	})
}

func mustUnpack(t *testing.T, s *pack.Struct, rec []byte) []any {
	t.Helper()
	vals, err := s.Unpack(rec)
	if err != nil {
		t.Fatalf("Unpack(%q, %x): %v", s.Format(), rec, err)
	}
	return vals
}

// unmarshalTargets are types of every shape an Unmarshal argument may
// have, most of them wrong: non-pointers, nil, pointers to non-structs,
// slices, nested and ill-fitting structs.
var unmarshalTargets = []func() any{
	func() any { return nil },
	func() any { return 5 },
	func() any { return new(int) },
	func() any { return (*struct{ A int16 })(nil) },
	func() any { return struct{ A int16 }{} },
	func() any { return new(struct{ A int16 }) },
	func() any { return new([]struct{ A int16 }) },
	func() any { return []struct{ A int16 }{{}} },
	func() any { return new(*struct{ A int16 }) },
	func() any { return new(struct{}) },
	func() any { return new([]struct{}) },
	func() any { return new(struct{ A, B, C, D int64 }) },
	func() any { return new(struct{ A [4]uint8 }) },
	func() any { return new(struct{ S string }) },
	func() any { return new(struct{ B []byte }) },
	func() any { return new(struct{ A [5]byte }) },
	func() any { return new(struct{ F float32 }) },
	func() any { return new(struct{ T bool }) },
	func() any {
		return new(struct {
			In  struct{ A, B int8 }
			Arr [2]struct{ X uint16 }
		})
	},
	func() any {
		return new(struct {
			A int32
			_ int64
			S string `pack:"-"`
			b int8
		})
	},
	func() any { return new(struct{ P *int }) },
	func() any { return new(struct{ M map[string]int }) },
	func() any { return new(struct{ C chan int }) },
	func() any { return new(struct{ E any }) },
	func() any { return new([]*struct{ A int16 }) },
	func() any { return new([2]struct{ A int16 }) },
}

// FuzzUnmarshalTypes unmarshals any bytes into arguments of every shape.
// Where Unmarshal succeeds, Marshal of the result unmarshals to the same
// value (the typed round trip is stable), and a pointer to a slice gets
// one element per record. Where it fails, the error is a *pack.Error with
// a category, and Marshal of the same type fails too unless the failure
// was a buffer size or a value out of range.
func FuzzUnmarshalTypes(f *testing.F) {
	for i, fs := range []string{"<h", "<hh", "<4B", "<q", "5s", "5p", "f", "?", "<bbH", "<i", "", "<hx", "c", "<4h"} {
		n := fuzzSeedSize(fs)
		for k := range len(unmarshalTargets) {
			if (k+i)%3 == 0 {
				f.Add(fs, fuzzBytes(n*(1+k%2), k%3), uint8(k))
			}
		}
	}
	f.Fuzz(func(t *testing.T, fs string, buf []byte, which uint8) {
		s, err := pack.Compile(fs)
		if err != nil || s.Size() > fuzzMaxSize || s.NumValues() > fuzzMaxSize {
			return
		}
		v := unmarshalTargets[int(which)%len(unmarshalTargets)]()
		uerr := s.Unmarshal(buf, v)
		if uerr != nil {
			var pe *pack.Error
			if !errors.As(uerr, &pe) || pe.Err == nil || !errors.Is(uerr, pe.Err) {
				t.Fatalf("Unmarshal(%q, %x, %T) = %v, want a *pack.Error with a category", fs, buf, v, uerr)
			}
			if errors.Is(uerr, pack.ErrBuffer) || errors.Is(uerr, pack.ErrRange) {
				return
			}
			if _, merr := s.Marshal(v); merr == nil && reflect.TypeOf(v) != nil && reflect.TypeOf(v).Kind() == reflect.Pointer {
				t.Fatalf("Unmarshal(%q, %T) = %v, but Marshal of it succeeds", fs, v, uerr)
			}
			return
		}
		rv := reflect.ValueOf(v)
		if rv.Kind() != reflect.Pointer || rv.IsNil() {
			t.Fatalf("Unmarshal(%q, %x, %T) succeeded, want an error for a non-pointer", fs, buf, v)
		}
		if rv.Elem().Kind() == reflect.Slice && s.Size() > 0 && rv.Elem().Len() != len(buf)/s.Size() {
			t.Fatalf("Unmarshal(%q, %d bytes) into %T gave %d elements, want %d", fs, len(buf), v, rv.Elem().Len(), len(buf)/s.Size())
		}
		rec, err := s.Marshal(v)
		if err != nil {
			t.Fatalf("Unmarshal(%q, %x, %T) succeeded, Marshal of the result: %v", fs, buf, v, err)
		}
		again := reflect.New(rv.Elem().Type())
		if err := s.Unmarshal(rec, again.Interface()); err != nil || fmt.Sprintf("%#v", again.Elem()) != fmt.Sprintf("%#v", rv.Elem()) {
			t.Fatalf("%q into %T: Unmarshal(Marshal(%v)) = %v, %v", fs, v, rv.Elem(), again.Elem(), err)
		}
	})
}
