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
	cs = append(cs, genCases()...)
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
	ts = append(ts, genTargets()...)
	return ts
}

// Generated code (pystruct gen) against hand-written code, on the records
// of the table and the iteration buffer: the cases go/gen/... The types
// and the hand-written code are in gen_records.go and hand_records.go;
// the generated code, in the *_pystruct.go files, is registered with
// pack, so MarshalAppend and Unmarshal of these types run it.

var (
	genPerson = GenPerson{ID: 1, Name: [5]byte{'z', 'h', 'a', 'n', 'g'}, Score: 1.75}
	genNative = GenNative{C: 'x', I: -7, B: true, D: 2.5}
	genWide   = GenWide{Seq: 1, Flags: 2, X: -3, Y: 4, Stamp: -5, Value: 6.5, Valid: true, Tag: [5]byte{'h', 'e', 'l', 'l', 'o'}, Check: 9}
)

// genRecord is one record's cases: its generated methods, its
// hand-written code, and pack's typed path with the generated code
// registered.
type genRecord[T any] struct {
	name, format string
	v            T
	marshal      func(*T, []byte) ([]byte, error)
	unmarshal    func(*T, []byte) error
	handAppend   func(*T, []byte) []byte
	handDecode   func(*T, []byte) error
}

func (r genRecord[T]) cases() []caseSpec {
	f := "`" + r.format + "` "
	record := func() []byte {
		b, err := r.marshal(&r.v, nil)
		if err != nil {
			panic(err)
		}
		return b
	}
	return []caseSpec{
		{"go/gen/hand/append/" + r.name, f + "hand-written append (binary.LittleEndian)", func() func(int) {
			v, dst := r.v, make([]byte, 0, 64)
			return func(n int) {
				for range n {
					dst = r.handAppend(&v, dst[:0])
				}
				sinkBytes = dst
			}
		}},
		{"go/gen/marshalrecord/" + r.name, f + "generated MarshalRecord", func() func(int) {
			v, dst := r.v, make([]byte, 0, 64)
			return func(n int) {
				var err error
				for range n {
					dst, err = r.marshal(&v, dst[:0])
				}
				if err != nil {
					panic(err)
				}
				sinkBytes = dst
			}
		}},
		{"go/gen/marshalappend/" + r.name, f + "Struct.MarshalAppend, generated code registered", func() func(int) {
			s := pack.MustCompile(r.format)
			v, dst := r.v, make([]byte, 0, 64)
			return func(n int) {
				var err error
				for range n {
					dst, err = s.MarshalAppend(dst[:0], &v)
				}
				if err != nil {
					panic(err)
				}
				sinkBytes = dst
			}
		}},
		{"go/gen/hand/decode/" + r.name, f + "hand-written decode (binary.LittleEndian)", func() func(int) {
			var v T
			buf := record()
			return func(n int) {
				var err error
				for range n {
					err = r.handDecode(&v, buf)
				}
				if err != nil {
					panic(err)
				}
				sinkAny = []any{v}
			}
		}},
		{"go/gen/unmarshalrecord/" + r.name, f + "generated UnmarshalRecord", func() func(int) {
			var v T
			buf := record()
			return func(n int) {
				var err error
				for range n {
					err = r.unmarshal(&v, buf)
				}
				if err != nil {
					panic(err)
				}
				sinkAny = []any{v}
			}
		}},
		{"go/gen/unmarshal/" + r.name, f + "Struct.Unmarshal, generated code registered", func() func(int) {
			s := pack.MustCompile(r.format)
			var v T
			buf := record()
			return func(n int) {
				var err error
				for range n {
					err = s.Unmarshal(buf, &v)
				}
				if err != nil {
					panic(err)
				}
				sinkAny = []any{v}
			}
		}},
	}
}

func (r genRecord[T]) targets() []target {
	f := "`" + r.format + "` "
	return []target{
		{f + "generated MarshalRecord ≤1.2× hand-written", "go/gen/marshalrecord/" + r.name, "go/gen/hand/append/" + r.name, 0, 1.2},
		{f + "generated UnmarshalRecord ≤1.2× hand-written", "go/gen/unmarshalrecord/" + r.name, "go/gen/hand/decode/" + r.name, 0, 1.2},
		{f + "MarshalAppend with generated code ≤2× hand-written", "go/gen/marshalappend/" + r.name, "go/gen/hand/append/" + r.name, 0, 2},
		{f + "Unmarshal with generated code ≤2× hand-written", "go/gen/unmarshal/" + r.name, "go/gen/hand/decode/" + r.name, 0, 2},
	}
}

func genCases() []caseSpec {
	var cs []caseSpec
	cs = append(cs, genRecord[GenPerson]{"person", "<i5sf", genPerson, (*GenPerson).MarshalRecord, (*GenPerson).UnmarshalRecord, (*GenPerson).handAppend, (*GenPerson).handDecode}.cases()...)
	cs = append(cs, genRecord[GenWide]{"wide", "<IIhhqd?5sxH", genWide, (*GenWide).MarshalRecord, (*GenWide).UnmarshalRecord, (*GenWide).handAppend, (*GenWide).handDecode}.cases()...)
	if handNativeLayout() { // the hand-written code is for this layout only
		cs = append(cs, genRecord[GenNative]{"native", "@ci?d", genNative, (*GenNative).MarshalRecord, (*GenNative).UnmarshalRecord, (*GenNative).handAppend, (*GenNative).handDecode}.cases()...)
	}
	cs = append(cs,
		caseSpec{"go/gen/hand/bulk/IIhhd", "`<IIhhd` hand loop `v := &out[i]; v.A = ...` into a reused slice, ns per record", func() func(int) {
			w := newGenBulkWalker()
			var out []GenIter
			return func(n int) {
				var err error
				out, err = handDecodeIter(out, w.next(n))
				if err != nil {
					panic(err)
				}
				sinkAny = []any{out[len(out)-1]}
			}
		}},
		caseSpec{"go/gen/bulk/IIhhd", "`<IIhhd` Struct.Unmarshal(&[]T) into a reused slice, generated code registered, ns per record", func() func(int) {
			s := pack.MustCompile(iterFormat)
			w := newGenBulkWalker()
			var out []GenIter
			return func(n int) {
				if err := s.Unmarshal(w.next(n), &out); err != nil {
					panic(err)
				}
				sinkAny = []any{out[len(out)-1]}
			}
		}},
	)
	return cs
}

func genTargets() []target {
	var ts []target
	ts = append(ts, genRecord[GenPerson]{name: "person", format: "<i5sf"}.targets()...)
	ts = append(ts, genRecord[GenWide]{name: "wide", format: "<IIhhqd?5sxH"}.targets()...)
	ts = append(ts, genRecord[GenNative]{name: "native", format: "@ci?d"}.targets()...)
	ts = append(ts, target{"1M `<IIhhd` Unmarshal(&[]T) with generated code ≤1.2× a hand loop", "go/gen/bulk/IIhhd", "go/gen/hand/bulk/IIhhd", 0, 1.2})
	return ts
}

// A genBulkWalker hands out consecutive chunks of '<IIhhd' records from
// its own copy of iterBuf, so that a bulk case never reads records
// another case has just brought into the cache.
type genBulkWalker struct {
	buf []byte
	off int // in records
}

func newGenBulkWalker() *genBulkWalker {
	return &genBulkWalker{buf: append([]byte(nil), iterBuf...)}
}

func (w *genBulkWalker) next(n int) []byte {
	const size = 20
	n = min(n, iterRecords)
	if w.off+n > iterRecords {
		w.off = 0
	}
	b := w.buf[w.off*size : (w.off+n)*size]
	w.off += n
	return b
}
