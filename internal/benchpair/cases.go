package main

import (
	"encoding/binary"
	"math"

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
	cs = append(cs, typedCases()...)
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
	ts = append(ts, typedTargets()...)
	ts = append(ts, genTargets()...)
	return ts
}

// The typed path: Struct.MarshalAppend and Struct.Unmarshal on the records
// of the table, bound to Go types that hold each value exactly ("exact")
// or to wider, narrower and other kinds that need conversions and range
// checks ("conv"); one Struct used with one Go type or with two to four
// alternating; and bulk Unmarshal into a []T against a hand loop.

type personExact struct {
	ID     int32
	Name   [5]byte
	Height float32
}

type personConv struct {
	ID     int // 'i' into an int: a range check on packing
	Name   [5]byte
	Height float64 // 'f' as a float64
}

type wideExact struct {
	A, B uint32
	C, D int16
	E    int64
	F    float64
	G    bool
	H    [5]byte
	I    uint16
}

type wideConv struct {
	A int    // 'I': range checks both ways
	B uint64 // 'I': a range check on packing
	C int    // 'h': range checks both ways
	D int8   // 'h': a range check on unpacking
	E int32  // 'q': a range check on unpacking
	F float32
	G bool
	H [5]byte
	I int // 'H': range checks both ways
}

// wideUnmerged holds "<IIhhqd?5sxH" in the exact types, with blank fields
// between them: no two fields can move as one copy, so each takes an op
// of the typed loop, as converted fields do. It shows what the loop's
// dispatch costs apart from any conversion.
type wideUnmerged struct {
	A uint32
	_ uint32
	B uint32
	_ uint32
	C int16
	_ int16
	D int16
	_ int16
	E int64
	_ int64
	F float64
	_ int64
	G bool
	_ bool
	H [5]byte
	_ bool
	I uint16
}

type nativeExact struct {
	C byte
	I int32
	B bool
	D float64
}

type nativeConv struct {
	C byte
	I int64 // 'i': a range check on packing
	B bool
	D float32 // 'd': unpacks only values a float32 holds exactly
}

// Four types of one layout, for the alternation cases.
type (
	personA personExact
	personB personExact
	personC personExact
	personD personExact
)

// bulkRec is the bulk record, "<IIhhd".
type bulkRec struct {
	A, B uint32
	C, D int16
	E    float64
}

// decodeBulkHand is the hand loop the bulk case is measured against,
// written as one would by hand: each field stored through a pointer to
// its element (a struct literal per element, out[i] = bulkRec{...},
// stalls on store forwarding and would flatter the library).
//
//go:noinline
func decodeBulkHand(buf []byte, out []bulkRec) []bulkRec {
	n := len(buf) / 20
	if cap(out) < n {
		out = make([]bulkRec, n)
	}
	out = out[:n]
	for i := range out {
		b := buf[i*20 : i*20+20]
		v := &out[i]
		v.A = binary.LittleEndian.Uint32(b[0:])
		v.B = binary.LittleEndian.Uint32(b[4:])
		v.C = int16(binary.LittleEndian.Uint16(b[8:]))
		v.D = int16(binary.LittleEndian.Uint16(b[10:]))
		v.E = math.Float64frombits(binary.LittleEndian.Uint64(b[12:]))
	}
	return out
}

// typedCase returns the cases that MarshalAppend v (a pointer) with s and
// Unmarshal its record back into v.
func typedCase(name, what string, format string, v any) []caseSpec {
	return []caseSpec{
		{"go/typed/marshal/" + name, what + " Struct.MarshalAppend (reused dst)", func() func(int) {
			s := pack.MustCompile(format)
			dst := make([]byte, 0, 64)
			if _, err := s.MarshalAppend(dst, v); err != nil {
				panic(err)
			}
			return func(n int) {
				var err error
				for range n {
					dst, err = s.MarshalAppend(dst[:0], v)
				}
				sinkBytes = dst
				if err != nil {
					panic(err)
				}
			}
		}},
		{"go/typed/unmarshal/" + name, what + " Struct.Unmarshal", func() func(int) {
			s := pack.MustCompile(format)
			buf, err := s.Marshal(v)
			if err != nil {
				panic(err)
			}
			if err := s.Unmarshal(buf, v); err != nil {
				panic(err)
			}
			return func(n int) {
				var err error
				for range n {
					err = s.Unmarshal(buf, v)
				}
				if err != nil {
					panic(err)
				}
			}
		}},
	}
}

// alternating returns 12 pointers to persons of k types in turn, for the
// alternation cases: every loop cycles through 12, whatever k.
func alternating(k int) *[12]any {
	var vs [12]any
	for i := range vs {
		p := personExact{ID: int32(i), Name: [5]byte{'z', 'h', 'a', 'n', 'g'}, Height: 1.75}
		switch i % k {
		case 0:
			vs[i] = (*personA)(&p)
		case 1:
			vs[i] = (*personB)(&p)
		case 2:
			vs[i] = (*personC)(&p)
		default:
			vs[i] = (*personD)(&p)
		}
	}
	return &vs
}

func typedCases() []caseSpec {
	var cs []caseSpec
	cs = append(cs, typedCase("person/exact", "`<i5sf` exact types", "<i5sf", &personExact{1, [5]byte{'z', 'h', 'a', 'n', 'g'}, 1.75})...)
	cs = append(cs, typedCase("person/conv", "`<i5sf` converted types", "<i5sf", &personConv{1, [5]byte{'z', 'h', 'a', 'n', 'g'}, 1.75})...)
	cs = append(cs, typedCase("wide/exact", "`<IIhhqd?5sxH` exact types", "<IIhhqd?5sxH",
		&wideExact{1, 2, -3, 4, -5, 6.5, true, [5]byte{'h', 'e', 'l', 'l', 'o'}, 9})...)
	cs = append(cs, typedCase("wide/conv", "`<IIhhqd?5sxH` converted types", "<IIhhqd?5sxH",
		&wideConv{1, 2, -3, 4, -5, 6.5, true, [5]byte{'h', 'e', 'l', 'l', 'o'}, 9})...)
	cs = append(cs, typedCase("wide/unmerged", "`<IIhhqd?5sxH` exact types, no two fields adjacent", "<IIhhqd?5sxH",
		&wideUnmerged{A: 1, B: 2, C: -3, D: 4, E: -5, F: 6.5, G: true, H: [5]byte{'h', 'e', 'l', 'l', 'o'}, I: 9})...)
	cs = append(cs, typedCase("native/exact", "`@ci?d` exact types", "@ci?d", &nativeExact{'x', -7, true, 2.5})...)
	cs = append(cs, typedCase("native/conv", "`@ci?d` converted types", "@ci?d", &nativeConv{'x', -7, true, 2.5})...)
	for k := 1; k <= 4; k++ {
		what := "`<i5sf` one type"
		if k > 1 {
			what = "`<i5sf` " + itoa(k) + " types alternating"
		}
		cs = append(cs,
			caseSpec{"go/typed/marshal/person/types" + itoa(k), what + ", Struct.MarshalAppend", func() func(int) {
				s := pack.MustCompile("<i5sf")
				vs := alternating(k)
				dst := make([]byte, 0, 64)
				for _, v := range vs {
					if _, err := s.MarshalAppend(dst, v); err != nil {
						panic(err)
					}
				}
				j := 0
				return func(n int) {
					var err error
					for range n {
						dst, err = s.MarshalAppend(dst[:0], vs[j])
						if j++; j == len(vs) {
							j = 0
						}
					}
					sinkBytes = dst
					if err != nil {
						panic(err)
					}
				}
			}},
			caseSpec{"go/typed/unmarshal/person/types" + itoa(k), what + ", Struct.Unmarshal", func() func(int) {
				s := pack.MustCompile("<i5sf")
				vs := alternating(k)
				buf, _ := s.Marshal(vs[0])
				for _, v := range vs {
					if err := s.Unmarshal(buf, v); err != nil {
						panic(err)
					}
				}
				j := 0
				return func(n int) {
					var err error
					for range n {
						err = s.Unmarshal(buf, vs[j])
						if j++; j == len(vs) {
							j = 0
						}
					}
					if err != nil {
						panic(err)
					}
				}
			}},
		)
	}
	cs = append(cs,
		caseSpec{"go/typed/bulk/IIhhd", "`<IIhhd` Struct.Unmarshal into a reused *[]T, ns per record", func() func(int) {
			s := pack.MustCompile(iterFormat)
			w := newBulkWalker()
			var out []bulkRec
			return func(n int) {
				if err := s.Unmarshal(w.next(n), &out); err != nil {
					panic(err)
				}
			}
		}},
		caseSpec{"go/hand/bulk/IIhhd", "`<IIhhd` hand loop (`v := &out[i]; v.A = ...`), ns per record", func() func(int) {
			w := newBulkWalker()
			var out []bulkRec
			return func(n int) {
				out = decodeBulkHand(w.next(n), out)
			}
		}},
		caseSpec{"go/typed/bulkwarm/IIhhd", "`<IIhhd` Struct.Unmarshal into a reused *[]T, 4096 records in cache, ns per record", func() func(int) {
			s := pack.MustCompile(iterFormat)
			w := warmWalker{buf: append([]byte(nil), iterBuf[:20*warmRecords]...)}
			out := make([]bulkRec, 0, warmRecords)
			return func(n int) {
				w.each(n, func(b []byte) {
					if err := s.Unmarshal(b, &out); err != nil {
						panic(err)
					}
				})
			}
		}},
		caseSpec{"go/hand/bulkwarm/IIhhd", "`<IIhhd` hand loop, 4096 records in cache, ns per record", func() func(int) {
			w := warmWalker{buf: append([]byte(nil), iterBuf[:20*warmRecords]...)}
			out := make([]bulkRec, 0, warmRecords)
			return func(n int) {
				w.each(n, func(b []byte) { out = decodeBulkHand(b, out) })
			}
		}},
	)
	return cs
}

// warmRecords is the number of records of the in-cache bulk cases: 80 KB
// of records and 96 KB of structs, which stay in the cache.
const warmRecords = 4096

// A warmWalker hands out the records of buf, warmRecords of them, round
// and round.
type warmWalker struct {
	buf []byte
	off int // in records
}

// each calls f on consecutive chunks of n records in all.
func (w *warmWalker) each(n int, f func([]byte)) {
	for n > 0 {
		k := min(n, warmRecords-w.off)
		f(w.buf[w.off*20 : (w.off+k)*20])
		w.off = (w.off + k) % warmRecords
		n -= k
	}
}

// A bulkWalker hands out consecutive chunks of its own copy of iterBuf.
// The bulk cases walk separate copies: walking one buffer, the case that
// trails the other would read records the other has just brought into
// the cache, and one of the two would be flattered by turns.
type bulkWalker struct {
	buf []byte
	off int // in records
}

func newBulkWalker() *bulkWalker {
	return &bulkWalker{buf: append([]byte(nil), iterBuf...)}
}

func (w *bulkWalker) next(n int) []byte {
	const size = 20 // "<IIhhd"
	n = min(n, iterRecords)
	if w.off+n > iterRecords {
		w.off = 0
	}
	b := w.buf[w.off*size : (w.off+n)*size]
	w.off += n
	return b
}

func itoa(k int) string { return string(rune('0' + k)) }

func typedTargets() []target {
	var ts []target
	for _, r := range records {
		for _, op := range []string{"marshal", "unmarshal"} {
			ts = append(ts, target{"`" + r.format + "` " + op + " converted types ≤1.5× exact types",
				"go/typed/" + op + "/" + r.name + "/conv", "go/typed/" + op + "/" + r.name + "/exact", 0, 1.5})
		}
	}
	for k := 2; k <= 4; k++ {
		for _, op := range []string{"marshal", "unmarshal"} {
			ts = append(ts, target{"`<i5sf` " + op + " " + itoa(k) + " alternating types ≤1.3× one type",
				"go/typed/" + op + "/person/types" + itoa(k), "go/typed/" + op + "/person/types1", 0, 1.3})
		}
	}
	ts = append(ts,
		target{"1M `<IIhhd` bulk Unmarshal(&[]T) ≤2× the hand loop", "go/typed/bulk/IIhhd", "go/hand/bulk/IIhhd", 0, 2},
		target{"4096 `<IIhhd` in cache, bulk Unmarshal(&[]T) ≤2× the hand loop", "go/typed/bulkwarm/IIhhd", "go/hand/bulkwarm/IIhhd", 0, 2},
	)
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
