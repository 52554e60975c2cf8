package main

import (
	"github.com/pystruct/pystruct/pack"
)

// The records of the table, with the values packed and the bytes
// unpacked. pyscript.go's records must match.
var records = []struct {
	name, format string
	values       []any
}{
	{"person", "<i5sf", []any{int64(1), []byte("zhang"), 1.75}},
	{"wide", "<IIhhqd?5sxH", []any{uint64(1), uint64(2), int64(-3), int64(4), int64(-5), 6.5, true, []byte("hello"), uint64(9)}},
	{"native", "@ci?d", []any{[]byte("x"), int64(-7), true, 2.5}},
}

// The iteration buffer: iterRecords '<IIhhd' records. A batch of n calls
// of an iteration case iterates n records, starting where the last batch
// stopped, so the rounds walk the whole buffer.
const (
	iterFormat  = "<IIhhd"
	iterRecords = 1_000_000
)

var iterBuf = func() []byte {
	s := pack.MustCompile(iterFormat)
	buf := make([]byte, 0, s.Size()*iterRecords)
	for i := range iterRecords {
		var err error
		buf, err = s.Append(buf, i, i*7, i%30000-15000, -(i % 1000), float64(i)*0.5)
		if err != nil {
			panic(err)
		}
	}
	return buf
}()

// Sinks keep results alive so that the compiler cannot drop the calls.
var (
	sinkAny   []any
	sinkBytes []byte
	sinkS     *pack.Struct
)

// cases lists every Go case. To add one, add an entry; a target in
// targets compares two cases (Go or CPython) by name.
func cases() []caseSpec {
	var cs []caseSpec
	for _, r := range records {
		r := r
		cs = append(cs,
			caseSpec{"go/unpack/" + r.name, "`" + r.format + "` Struct.Unpack (fresh values)", func() func(int) {
				s := pack.MustCompile(r.format)
				buf, _ := s.Pack(r.values...)
				return func(n int) {
					for range n {
						sinkAny, _ = s.Unpack(buf)
					}
				}
			}},
			caseSpec{"go/unpackvalues/" + r.name, "`" + r.format + "` Struct.UnpackValues (reused Values)", func() func(int) {
				s := pack.MustCompile(r.format)
				buf, _ := s.Pack(r.values...)
				var v pack.Values
				return func(n int) {
					for range n {
						sinkAny, _ = s.UnpackValues(&v, buf)
					}
				}
			}},
			caseSpec{"go/append/" + r.name, "`" + r.format + "` Struct.Append (reused dst)", func() func(int) {
				s := pack.MustCompile(r.format)
				dst := make([]byte, 0, 64)
				return func(n int) {
					for range n {
						dst, _ = s.Append(dst[:0], r.values...)
					}
					sinkBytes = dst
				}
			}},
			caseSpec{"go/compile/" + r.name, "`" + r.format + "` pack.Compile", func() func(int) {
				return func(n int) {
					for range n {
						sinkS, _ = pack.Compile(r.format)
					}
				}
			}},
		)
	}
	cs = append(cs,
		caseSpec{"go/iter/IIhhd", "`<IIhhd` Struct.IterUnpack, ns per record", func() func(int) {
			s := pack.MustCompile(iterFormat)
			w := iterWalker{size: s.Size()}
			return func(n int) {
				seq, _ := s.IterUnpack(w.next(n))
				for v := range seq {
					sinkAny = v
				}
			}
		}},
		caseSpec{"go/iterreuse/IIhhd", "`<IIhhd` Struct.IterUnpackValues, ns per record", func() func(int) {
			s := pack.MustCompile(iterFormat)
			w := iterWalker{size: s.Size()}
			return func(n int) {
				seq, _ := s.IterUnpackValues(w.next(n))
				for v := range seq {
					sinkAny = v
				}
			}
		}},
	)
	return cs
}

// iterWalker hands out consecutive chunks of iterBuf.
type iterWalker struct {
	size, off int
}

func (w *iterWalker) next(n int) []byte {
	n = min(n, iterRecords)
	if w.off+n > iterRecords {
		w.off = 0
	}
	b := iterBuf[w.off*w.size : (w.off+n)*w.size]
	w.off += n
	return b
}

// targets lists the goals the table judges.
func targets() []target {
	var ts []target
	for _, r := range records {
		f := "`" + r.format + "`"
		ts = append(ts,
			target{f + " Unpack faster than CPython Struct.unpack", "py/unpack/" + r.name, "go/unpack/" + r.name, 1, 0},
			target{f + " UnpackValues ≥3× CPython Struct.unpack", "py/unpack/" + r.name, "go/unpackvalues/" + r.name, 3, 0},
			target{f + " Append ≥3× CPython Struct.pack", "py/pack/" + r.name, "go/append/" + r.name, 3, 0},
			target{f + " Compile no slower than CPython struct.Struct(fmt)", "py/compile/" + r.name, "go/compile/" + r.name, 1, 0},
		)
	}
	ts = append(ts,
		target{"1M `<IIhhd` IterUnpack ≥2× CPython iter_unpack", "py/iter/IIhhd", "go/iter/IIhhd", 2, 0},
		target{"1M `<IIhhd` IterUnpackValues ≥10× CPython iter_unpack", "py/iter/IIhhd", "go/iterreuse/IIhhd", 10, 0},
	)
	return ts
}
