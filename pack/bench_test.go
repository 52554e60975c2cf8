package pack_test

import (
	"encoding/binary"
	"errors"
	"math"
	"testing"

	"github.com/pystruct/pystruct/format"
	"github.com/pystruct/pystruct/pack"
)

// Benchmarks for the typed and dynamic paths against hand-written code and
// encoding/binary, on the records of issue 4. scripts/bench.sh runs them
// with the peers of internal/benchcmp and CPython, and prints the table.
//
// Names are Benchmark<Group>/<record>/<way>, with way one of:
//
//	hand          hand-written encoding/binary calls (the ceiling)
//	typed         Struct.MarshalAppend / Struct.Unmarshal
//	dynamic       Struct.Append with boxed values / Struct.Unpack
//	binary        encoding/binary.Append / Decode on the same Go struct
//	precompiled   Struct.Pack / Struct.Unpack (a new slice per call)
//	cached        pack.Pack / pack.Unpack (format looked up in the cache)
//
// The hand-written functions are marked noinline: the library is reached
// through a call too, and a function inlined into the benchmark loop lets
// the compiler hoist work out of it, which measures nothing real.

// benchPerson is the notes' record, "<i5sf".
type benchPerson struct {
	ID     int32
	Name   [5]byte
	Height float32
}

// benchWide is a wide mixed record, "<IIhhqd?5sxH".
type benchWide struct {
	A, B uint32
	C, D int16
	E    int64
	F    float64
	G    bool
	H    [5]byte
	I    uint16
}

// benchNative is a native record with alignment padding, "@ci?d": on
// 64-bit platforms and on i386, Go and C lay it out alike.
type benchNative struct {
	C byte
	I int32
	B bool
	D float64
}

// benchBulk is the bulk record, "<IIhhd".
type benchBulk struct {
	A, B uint32
	C, D int16
	E    float64
}

//go:noinline
func appendPersonHand(dst []byte, p *benchPerson) []byte {
	dst = growBench(dst, 13)
	b := dst[len(dst)-13:]
	binary.LittleEndian.PutUint32(b[0:], uint32(p.ID))
	copy(b[4:9], p.Name[:])
	binary.LittleEndian.PutUint32(b[9:], math.Float32bits(p.Height))
	return dst
}

//go:noinline
func decodePersonHand(b []byte, p *benchPerson) bool {
	if len(b) != 13 {
		return false
	}
	p.ID = int32(binary.LittleEndian.Uint32(b[0:]))
	copy(p.Name[:], b[4:9])
	p.Height = math.Float32frombits(binary.LittleEndian.Uint32(b[9:]))
	return true
}

//go:noinline
func appendWideHand(dst []byte, w *benchWide) []byte {
	dst = growBench(dst, 37)
	b := dst[len(dst)-37:]
	binary.LittleEndian.PutUint32(b[0:], w.A)
	binary.LittleEndian.PutUint32(b[4:], w.B)
	binary.LittleEndian.PutUint16(b[8:], uint16(w.C))
	binary.LittleEndian.PutUint16(b[10:], uint16(w.D))
	binary.LittleEndian.PutUint64(b[12:], uint64(w.E))
	binary.LittleEndian.PutUint64(b[20:], math.Float64bits(w.F))
	b[28] = 0
	if w.G {
		b[28] = 1
	}
	copy(b[29:34], w.H[:])
	b[34] = 0
	binary.LittleEndian.PutUint16(b[35:], w.I)
	return dst
}

//go:noinline
func decodeWideHand(b []byte, w *benchWide) bool {
	if len(b) != 37 {
		return false
	}
	w.A = binary.LittleEndian.Uint32(b[0:])
	w.B = binary.LittleEndian.Uint32(b[4:])
	w.C = int16(binary.LittleEndian.Uint16(b[8:]))
	w.D = int16(binary.LittleEndian.Uint16(b[10:]))
	w.E = int64(binary.LittleEndian.Uint64(b[12:]))
	w.F = math.Float64frombits(binary.LittleEndian.Uint64(b[20:]))
	w.G = b[28] != 0
	copy(w.H[:], b[29:34])
	w.I = binary.LittleEndian.Uint16(b[35:])
	return true
}

//go:noinline
func appendNativeHand(dst []byte, n *benchNative) []byte {
	dst = growBench(dst, 24)
	b := dst[len(dst)-24:]
	b[0], b[1], b[2], b[3] = n.C, 0, 0, 0
	binary.NativeEndian.PutUint32(b[4:], uint32(n.I))
	binary.NativeEndian.PutUint64(b[8:], 0)
	if n.B {
		b[8] = 1
	}
	binary.NativeEndian.PutUint64(b[16:], math.Float64bits(n.D))
	return dst
}

//go:noinline
func decodeNativeHand(b []byte, n *benchNative) bool {
	if len(b) != 24 {
		return false
	}
	n.C = b[0]
	n.I = int32(binary.NativeEndian.Uint32(b[4:]))
	n.B = b[8] != 0
	n.D = math.Float64frombits(binary.NativeEndian.Uint64(b[16:]))
	return true
}

// growBench extends dst by n bytes, reallocating only without room.
func growBench(dst []byte, n int) []byte {
	if cap(dst)-len(dst) < n {
		dst = append(make([]byte, 0, 2*cap(dst)+n), dst...)
	}
	return dst[:len(dst)+n]
}

// A benchRecord is one record of the comparison with everything each way
// needs.
type benchRecord struct {
	name   string
	fs     string
	values []any // the dynamic values, boxed once
	ptr    any   // pointer to the typed value
	mirror any   // pointer to the same value for encoding/binary, pad bytes spelled as fields
	order  binary.ByteOrder
}

var (
	benchPersonValue = &benchPerson{ID: 1, Name: [5]byte{'z', 'h', 'a', 'n', 'g'}, Height: 1.75}
	benchWideValue   = &benchWide{A: 1, B: 2, C: -3, D: 4, E: -5, F: 6.5, G: true, H: [5]byte{'h', 'e', 'l', 'l', 'o'}, I: 9}
	benchNativeValue = &benchNative{C: 'x', I: -7, B: true, D: 2.5}
)

func benchRecords() []benchRecord {
	// encoding/binary has no pad bytes: its mirrors spell them as fields.
	type wideMirror struct {
		A, B uint32
		C, D int16
		E    int64
		F    float64
		G    bool
		H    [5]byte
		X    byte
		I    uint16
	}
	wm := &wideMirror{1, 2, -3, 4, -5, 6.5, true, [5]byte{'h', 'e', 'l', 'l', 'o'}, 0, 9}
	type nativeMirror struct {
		C byte
		_ [3]byte
		I int32
		B bool
		_ [7]byte
		D float64
	}
	nm := &nativeMirror{C: 'x', I: -7, B: true, D: 2.5}
	return []benchRecord{
		{"person", "<i5sf", []any{int64(1), []byte("zhang"), 1.75}, benchPersonValue, benchPersonValue, binary.LittleEndian},
		{"wide", "<IIhhqd?5sxH", []any{int64(1), int64(2), int64(-3), int64(4), int64(-5), 6.5, true, []byte("hello"), int64(9)},
			benchWideValue, wm, binary.LittleEndian},
		{"native", "@ci?d", []any{[]byte("x"), int64(-7), true, 2.5}, benchNativeValue, nm, binary.NativeEndian},
	}
}

// benchHand runs the hand-written code of record name. Each loop calls
// the record's function directly, as the typed loops call the library.
func benchHand(b *testing.B, name, op string, rec []byte) error {
	buf := make([]byte, 0, 64)
	ok := true
	switch name + "/" + op {
	case "person/pack":
		for b.Loop() {
			buf = appendPersonHand(buf[:0], benchPersonValue)
		}
	case "person/unpack":
		for b.Loop() {
			ok = decodePersonHand(rec, benchPersonValue)
		}
	case "wide/pack":
		for b.Loop() {
			buf = appendWideHand(buf[:0], benchWideValue)
		}
	case "wide/unpack":
		for b.Loop() {
			ok = decodeWideHand(rec, benchWideValue)
		}
	case "native/pack":
		for b.Loop() {
			buf = appendNativeHand(buf[:0], benchNativeValue)
		}
	case "native/unpack":
		for b.Loop() {
			ok = decodeNativeHand(rec, benchNativeValue)
		}
	}
	if !ok {
		return errors.New("short record")
	}
	return nil
}

// BenchmarkRecords packs and unpacks each record every way.
func BenchmarkRecords(b *testing.B) {
	for _, r := range benchRecords() {
		s := pack.MustCompile(r.fs)
		size := s.Size()
		rec, err := s.Pack(r.values...)
		if err != nil {
			b.Fatal(err)
		}
		// Bind the type and fill the caches before measuring.
		if _, err := s.MarshalAppend(nil, r.ptr); err != nil {
			b.Fatal(err)
		}
		if _, err := pack.Pack(r.fs, r.values...); err != nil {
			b.Fatal(err)
		}
		if err := s.Unmarshal(rec, r.ptr); err != nil {
			b.Fatal(err)
		}
		// Each loop works on locals, as the hand-written loops do: a
		// variable captured by the closure costs a store to memory, with a
		// write barrier check, on every iteration.
		run := func(way, op string, f func(b *testing.B) error) {
			b.Run(r.name+"/"+way+"/"+op, func(b *testing.B) {
				b.SetBytes(int64(size))
				b.ReportAllocs()
				if err := f(b); err != nil {
					b.Fatal(err)
				}
			})
		}
		fs, values, ptr, mirror, order := r.fs, r.values, r.ptr, r.mirror, r.order
		run("hand", "pack", func(b *testing.B) error { return benchHand(b, r.name, "pack", rec) })
		run("hand", "unpack", func(b *testing.B) error { return benchHand(b, r.name, "unpack", rec) })
		run("typed", "pack", func(b *testing.B) (err error) {
			buf := make([]byte, 0, 64)
			for b.Loop() {
				buf, err = s.MarshalAppend(buf[:0], ptr)
			}
			return err
		})
		run("typed", "unpack", func(b *testing.B) (err error) {
			for b.Loop() {
				err = s.Unmarshal(rec, ptr)
			}
			return err
		})
		run("dynamic", "pack", func(b *testing.B) (err error) {
			buf := make([]byte, 0, 64)
			for b.Loop() {
				buf, err = s.Append(buf[:0], values...)
			}
			return err
		})
		run("dynamic", "unpack", func(b *testing.B) (err error) {
			for b.Loop() {
				_, err = s.Unpack(rec)
			}
			return err
		})
		run("precompiled", "pack", func(b *testing.B) (err error) {
			for b.Loop() {
				_, err = s.Pack(values...)
			}
			return err
		})
		run("cached", "pack", func(b *testing.B) (err error) {
			for b.Loop() {
				_, err = pack.Pack(fs, values...)
			}
			return err
		})
		run("precompiled", "unpack", func(b *testing.B) (err error) {
			for b.Loop() {
				_, err = s.Unpack(rec)
			}
			return err
		})
		run("cached", "unpack", func(b *testing.B) (err error) {
			for b.Loop() {
				_, err = pack.Unpack(fs, rec)
			}
			return err
		})
		run("binary", "pack", func(b *testing.B) (err error) {
			buf := make([]byte, 0, 64)
			for b.Loop() {
				buf, err = binary.Append(buf[:0], order, mirror)
			}
			return err
		})
		run("binary", "unpack", func(b *testing.B) (err error) {
			for b.Loop() {
				_, err = binary.Decode(rec, order, mirror)
			}
			return err
		})
	}
}

// callFloor does nothing, with Unmarshal's signature.
//
//go:noinline
func callFloor(buf []byte, v any) error { return nil }

// BenchmarkCallFloor measures a call of callFloor: the part of every
// typed call that no implementation behind the API can avoid, against
// which the hand-written code's few nanoseconds are measured.
func BenchmarkCallFloor(b *testing.B) {
	rec := make([]byte, 13)
	var v any = benchPersonValue
	var err error
	b.ReportAllocs()
	for b.Loop() {
		err = callFloor(rec, v)
	}
	if err != nil {
		b.Fatal(err)
	}
}

// BenchmarkCompile measures turning a format string into a Struct.
func BenchmarkCompile(b *testing.B) {
	for _, r := range benchRecords() {
		b.Run(r.name+"/parse", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := format.Parse(r.fs); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(r.name+"/compile", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := pack.Compile(r.fs); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(r.name+"/bind", func(b *testing.B) {
			// Compile plus the first typed call, which binds the type.
			b.ReportAllocs()
			buf := make([]byte, 0, 64)
			for b.Loop() {
				s, _ := pack.Compile(r.fs)
				if _, err := s.MarshalAppend(buf, r.ptr); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

const bulkRecords = 1_000_000

// bulkData returns bulkRecords "<IIhhd" records.
func bulkData() []byte {
	buf := make([]byte, 0, 20*bulkRecords)
	for i := range bulkRecords {
		buf = binary.LittleEndian.AppendUint32(buf, uint32(i))
		buf = binary.LittleEndian.AppendUint32(buf, uint32(3*i))
		buf = binary.LittleEndian.AppendUint16(buf, uint16(i))
		buf = binary.LittleEndian.AppendUint16(buf, uint16(-i))
		buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(float64(i)/3))
	}
	return buf
}

// decodeBulkHand is the hand-written loop the bulk case is measured
// against.
//
//go:noinline
func decodeBulkHand(buf []byte, out []benchBulk) []benchBulk {
	n := len(buf) / 20
	out = out[:0]
	if cap(out) < n {
		out = make([]benchBulk, 0, n)
	}
	out = out[:n]
	for i := range out {
		b := buf[i*20 : i*20+20]
		out[i] = benchBulk{
			A: binary.LittleEndian.Uint32(b[0:]),
			B: binary.LittleEndian.Uint32(b[4:]),
			C: int16(binary.LittleEndian.Uint16(b[8:])),
			D: int16(binary.LittleEndian.Uint16(b[10:])),
			E: math.Float64frombits(binary.LittleEndian.Uint64(b[12:])),
		}
	}
	return out
}

// BenchmarkBulk decodes one million "<IIhhd" records into a []benchBulk.
func BenchmarkBulk(b *testing.B) {
	buf := bulkData()
	s := pack.MustCompile("<IIhhd")
	b.Run("hand", func(b *testing.B) {
		b.SetBytes(int64(len(buf)))
		b.ReportAllocs()
		out := decodeBulkHand(buf, nil)
		for b.Loop() {
			out = decodeBulkHand(buf, out)
		}
	})
	b.Run("typed", func(b *testing.B) {
		b.SetBytes(int64(len(buf)))
		b.ReportAllocs()
		var out []benchBulk
		if err := s.Unmarshal(buf, &out); err != nil { // binds, and makes out
			b.Fatal(err)
		}
		for b.Loop() {
			if err := s.Unmarshal(buf, &out); err != nil {
				b.Fatal(err)
			}
		}
	})
}
