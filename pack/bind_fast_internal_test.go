package pack

import (
	"bytes"
	"errors"
	"math"
	"math/rand/v2"
	"reflect"
	"strconv"
	"testing"
	"unsafe"
)

// The conversions the fast loops of MarshalAppend, Unmarshal and bulk
// Unmarshal run inline (integers of any kind for any integer code, float64
// for 'f', float32 for 'd', either for 'e') must do exactly what the
// general loops, appendFrom and decodeFrom from op 0, do: the same record
// bytes, the same Go values, the same errors. Random formats are bound to
// random struct types built with reflect.StructOf and run both ways on
// random values, out-of-range integers, NaNs, infinities and floats too
// large or too precise for a float32 among them.

var (
	fastIntTypes = []reflect.Type{
		reflect.TypeFor[int8](), reflect.TypeFor[int16](), reflect.TypeFor[int32](), reflect.TypeFor[int64](),
		reflect.TypeFor[int](), reflect.TypeFor[uint8](), reflect.TypeFor[uint16](), reflect.TypeFor[uint32](),
		reflect.TypeFor[uint64](), reflect.TypeFor[uint](), reflect.TypeFor[uintptr](),
	}
	fastFloatTypes = []reflect.Type{reflect.TypeFor[float32](), reflect.TypeFor[float64]()}
)

// fastFormat returns a random format and a struct type that binds to it.
func fastFormat(r *rand.Rand) (string, reflect.Type) {
	orders := []string{"<", "<", "@", "=", ">", "!"}
	fs := orders[r.IntN(len(orders))]
	native := fs == "@"
	var fields []reflect.StructField
	add := func(t reflect.Type) {
		fields = append(fields, reflect.StructField{Name: "F" + strconv.Itoa(len(fields)), Type: t})
	}
	for range 1 + r.IntN(6) {
		switch k := r.IntN(10); {
		case k < 6:
			codes := "bBhHiIlLqQ"
			if native {
				codes += "nNP"
			}
			fs += string(codes[r.IntN(len(codes))])
			add(fastIntTypes[r.IntN(len(fastIntTypes))])
		case k < 8:
			fs += string("efd"[r.IntN(3)])
			add(fastFloatTypes[r.IntN(2)])
		case k < 9:
			fs += "?"
			add(reflect.TypeFor[bool]())
		default:
			fs += "3sx"
			add(reflect.TypeFor[[3]byte]())
		}
	}
	return fs, reflect.StructOf(fields)
}

// fastSpecials are float64 values at the edges of the conversions.
var fastSpecials = []float64{
	0, math.Copysign(0, -1), 1.75, -2.5, math.NaN(), -math.NaN(), math.Inf(1), math.Inf(-1),
	math.MaxFloat32, -math.MaxFloat32, math.Nextafter(math.MaxFloat32, math.Inf(1)), 1e39, -1e300,
	65504, 65520, 65519.99, -65536, 1e-8, 1e-46, 0.1, 1 + 1.0/(1<<30), math.SmallestNonzeroFloat32,
	math.Float64frombits(0x7ff0000000000001), // a signalling NaN
}

// fastInt returns a random integer, often small, often at the edge of
// some code's range.
func fastInt(r *rand.Rand) uint64 {
	switch r.IntN(4) {
	case 0:
		return uint64(r.Int64N(600) - 300)
	case 1:
		e := uint64(1) << r.IntN(64)
		return e + uint64(r.IntN(3)) - 1 - uint64(r.IntN(2))*2*e
	}
	return r.Uint64()
}

// fillRandom sets the fields of the struct v points to at random.
func fillRandom(r *rand.Rand, v reflect.Value) {
	for i := range v.NumField() {
		f := v.Field(i)
		switch f.Kind() {
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			f.SetInt(int64(fastInt(r)))
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
			f.SetUint(fastInt(r))
		case reflect.Float32:
			if r.IntN(2) == 0 {
				*(*uint32)(f.Addr().UnsafePointer()) = r.Uint32()
			} else {
				f.SetFloat(fastSpecials[r.IntN(len(fastSpecials))])
			}
		case reflect.Float64:
			if r.IntN(2) == 0 {
				f.SetFloat(math.Float64frombits(r.Uint64()))
			} else {
				f.SetFloat(fastSpecials[r.IntN(len(fastSpecials))])
			}
		case reflect.Bool:
			f.SetBool(r.IntN(2) == 0)
		case reflect.Array:
			for j := range f.Len() {
				f.Index(j).SetUint(uint64(r.IntN(256)))
			}
		}
	}
}

// valuesOf returns the fields of the struct v as Pack's values.
func valuesOf(v reflect.Value) []any {
	var vals []any
	for i := range v.NumField() {
		f := v.Field(i)
		switch f.Kind() {
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			vals = append(vals, f.Int())
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
			vals = append(vals, f.Uint())
		case reflect.Float32:
			vals = append(vals, float32(f.Float()))
		case reflect.Float64:
			vals = append(vals, f.Float())
		case reflect.Bool:
			vals = append(vals, f.Bool())
		case reflect.Array:
			b := make([]byte, f.Len())
			reflect.Copy(reflect.ValueOf(b), f)
			vals = append(vals, b)
		}
	}
	return vals
}

// randomRecord returns a record of s with random bytes, its float items
// often special values.
func randomRecord(r *rand.Rand, s *Struct) []byte {
	rec := make([]byte, s.Size())
	for i := range rec {
		rec[i] = byte(r.Uint32())
	}
	if r.IntN(2) == 0 {
		return rec
	}
	// Pack special floats, and small integers, where the format has them.
	vals := make([]any, s.numValues)
	vi := 0
	for fi := range s.plan.NumFields() {
		f := s.plan.Field(fi)
		for range f.NumValues() {
			switch f.Code {
			case 'e', 'f', 'd':
				x := fastSpecials[r.IntN(len(fastSpecials))]
				if f.Code == 'e' && math.Abs(x) > 65519 || f.Code == 'f' && math.Abs(x) > math.MaxFloat32 && !math.IsInf(x, 0) {
					x = 1.5
				}
				vals[vi] = x
			case '?':
				vals[vi] = true
			case 's':
				vals[vi] = []byte("abc")
			default:
				vals[vi] = r.IntN(100)
			}
			vi++
		}
	}
	rec, err := s.Pack(vals...)
	if err != nil {
		panic(err)
	}
	return rec
}

// sameError reports whether two errors of the typed path are the same.
func sameError(a, b error) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	var ea, eb *Error
	return errors.As(a, &ea) && errors.As(b, &eb) && *ea == *eb
}

// memOf returns the bytes of the value p points to.
func memOf(p reflect.Value) []byte {
	return bytes.Clone(unsafe.Slice((*byte)(p.UnsafePointer()), p.Type().Elem().Size()))
}

// unmarshalBoth decodes rec with Unmarshal's fast loop and with
// decodeFrom, the general loop, each into a new value of st (a struct
// without pointers) whose bytes start as 0xa5, so that what either loop
// leaves alone shows as well as what it sets.
func unmarshalBoth(s *Struct, b *binding, st reflect.Type, rec []byte) (fast, slow reflect.Value, errFast, errSlow error) {
	fast, slow = reflect.New(st), reflect.New(st)
	for _, v := range []reflect.Value{fast, slow} {
		mem := unsafe.Slice((*byte)(v.UnsafePointer()), st.Size())
		for k := range mem {
			mem[k] = 0xa5
		}
	}
	errFast = s.Unmarshal(rec, fast.Interface())
	errSlow = b.decodeFrom(0, rec, slow.UnsafePointer(), nil)
	return fast, slow, errFast, errSlow
}

// marshalBoth appends the record of v, a pointer, after the bytes 1, 2, 3
// with MarshalAppend's fast loop (into a buffer of spare bytes more than
// it needs) and with appendFrom, the general loop.
func marshalBoth(s *Struct, b *binding, v reflect.Value, spare int) (outFast, outSlow []byte, errFast, errSlow error) {
	size := s.Size()
	outFast, errFast = s.MarshalAppend(append(make([]byte, 0, 3+size+spare), 1, 2, 3), v.Interface())
	dst := append(make([]byte, 0, 3+size), 1, 2, 3)
	outSlow, errSlow = b.appendFrom(0, dst[:3+size], 3, v.UnsafePointer())
	return outFast, outSlow, errFast, errSlow
}

func TestFastConversionsDoWhatTheGeneralLoopsDo(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 2026))
	used, usedEnc := map[fastKind]bool{}, map[fastKind]bool{}
	columns := 0 // bindings whose bulk decoding ran op by op
	for range 1500 {
		fs, st := fastFormat(r)
		s := MustCompile(fs)
		ptr := reflect.New(st)
		b := s.entry(ptr.Interface()).b
		if b.err != nil {
			t.Fatalf("%q with %v: %s", fs, st, b.err.msg)
		}
		for _, o := range append(b.enc[:len(b.enc):len(b.enc)], b.dec...) {
			used[o.fast] = true
		}
		for _, o := range b.fdec {
			used[o.fast] = true
		}
		for _, o := range b.fenc {
			usedEnc[o.fast] = true // their values are the decoding kinds' too
		}
		size := s.Size()
		for range 20 {
			// Unmarshal: the fast loop against decodeFrom.
			rec := randomRecord(r, s)
			fast, slow, errFast, errSlow := unmarshalBoth(s, b, st, rec)
			if !sameError(errFast, errSlow) || !bytes.Equal(memOf(fast), memOf(slow)) {
				t.Fatalf("%q into %v: Unmarshal of % x gave %+v, %v; the general loop %+v, %v",
					fs, st, rec, fast.Elem(), errFast, slow.Elem(), errSlow)
			}

			// MarshalAppend: the fast loop against appendFrom.
			v := reflect.New(st)
			fillRandom(r, v.Elem())
			outFast, outSlow, errFast, errSlow := marshalBoth(s, b, v, 8)
			if !sameError(errFast, errSlow) || errFast == nil && !bytes.Equal(outFast, outSlow) || len(outFast) != len(outSlow) {
				t.Fatalf("%q from %+v: MarshalAppend gave % x, %v; the general loop % x, %v",
					fs, v.Elem(), outFast, errFast, outSlow, errSlow)
			}
			// And both do what Pack does with the same values: the same
			// bytes, or the same message.
			rec, errPack := s.Pack(valuesOf(v.Elem())...)
			var pe *Error
			if errFast == nil && (errPack != nil || !bytes.Equal(outFast[3:], rec)) ||
				errFast != nil && (!errors.As(errFast, &pe) || errPack == nil || pe.Msg != errPack.(*Error).Msg || pe.Err != errPack.(*Error).Err) {
				t.Fatalf("%q from %+v: MarshalAppend gave % x, %v; Pack % x, %v", fs, v.Elem(), outFast, errFast, rec, errPack)
			}
		}

		// Bulk Unmarshal: records into a slice, against decodeFrom record
		// by record.
		n := 1 + r.IntN(8)
		if r.IntN(4) == 0 {
			n = 1 + r.IntN(200) // runs of records, and a part run
		}
		var buf []byte
		for range n {
			buf = append(buf, randomRecord(r, s)...)
		}
		if b.columns {
			columns++
		}
		sp := reflect.New(reflect.SliceOf(st))
		errBulk := s.Unmarshal(buf, sp.Interface())
		var errWant error
		k := 0
		for ; k < n; k++ {
			want := reflect.New(st)
			if err := b.decodeFrom(0, buf[k*size:(k+1)*size], want.UnsafePointer(), nil); err != nil {
				err.(*Error).Msg = "record " + strconv.Itoa(k) + ": " + err.(*Error).Msg
				errWant = err
				break
			}
			if got := sp.Elem().Index(k).Addr(); !bytes.Equal(memOf(got), memOf(want)) {
				t.Fatalf("%q into []%v: record %d is %+v, want %+v", fs, st, k, got.Elem(), want.Elem())
			}
		}
		if !sameError(errBulk, errWant) || sp.Elem().Len() != k {
			t.Fatalf("%q into []%v: bulk Unmarshal gave %d records and %v, want %d and %v", fs, st, sp.Elem().Len(), errBulk, k, errWant)
		}
	}
	if columns < 100 {
		t.Errorf("only %d bindings decoded bulk records op by op", columns)
	}
	// The fast kinds were all met: the comparison above compared them.
	for _, k := range []fastKind{fEncInt1, fEncInt2, fEncInt4, fEncInt8, fEncF64AsF32LE, fEncF32AsF64LE, fEncHalfLE,
		fDecInt1, fDecInt2, fDecInt4, fDecInt8, fDecF32AsF64LE, fDecF64AsF32LE, fDecHalfLE,
		fDecInt1G8, fDecInt2G8, fDecInt4G8, fDecInt8G8,
		fCopyDecInt1G8, fCopyDecInt2G8, fCopyDecInt4G8, fCopyDecInt8G8, fCopyDecF32AsF64LE, fCopyDecF64AsF32LE,
		fBoolDecInt1G8, fBoolDecInt2G8, fBoolDecInt4G8, fBoolDecInt8G8, fBoolDecF32AsF64LE, fBoolDecF64AsF32LE,
		fIntDecInt1G8, fIntDecInt2G8, fIntDecInt4G8, fIntDecInt8G8, fIntDecInt1, fIntDecInt2, fIntDecInt4, fIntDecInt8,
		fIntDecF32AsF64LE, fIntDecF64AsF32LE} {
		if !used[k] {
			t.Errorf("no op of fast kind %d was made", k)
		}
	}
	for _, k := range []fastKind{fEncInt1G8, fEncInt2G8, fEncInt4G8, fEncInt8G8,
		fIntEncInt1G8, fIntEncInt2G8, fIntEncInt4G8, fIntEncInt8G8, fIntEncInt1, fIntEncInt2, fIntEncInt4, fIntEncInt8,
		fIntEncF32AsF64LE, fIntEncF64AsF32LE,
		fCopyEncInt1G8, fCopyEncInt2G8, fCopyEncInt4G8, fCopyEncInt8G8, fCopyEncInt1, fCopyEncInt2, fCopyEncInt4, fCopyEncInt8,
		fCopyEncF32AsF64LE, fCopyEncF64AsF32LE} {
		if !usedEnc[k] {
			t.Errorf("no encoding op of fast kind %d was made", k)
		}
	}
}

// TestHotEntriesAreBounded checks that binding many types keeps four hot
// entries, each the entry of its own type.
func TestHotEntriesAreBounded(t *testing.T) {
	s := MustCompile("<ih")
	var ptrs []any
	for i := range 40 {
		st := reflect.StructOf([]reflect.StructField{
			{Name: "A", Type: fastIntTypes[i%len(fastIntTypes)]},
			{Name: "B", Type: reflect.TypeFor[int16](), Tag: reflect.StructTag(`pack:"h" x:"` + strconv.Itoa(i) + `"`)},
		})
		ptrs = append(ptrs, reflect.New(st).Interface())
	}
	rec, _ := s.Pack(7, -8)
	for round := range 3 {
		for i, p := range ptrs {
			if err := s.Unmarshal(rec, p); err != nil {
				t.Fatal(err)
			}
			v := reflect.ValueOf(p).Elem()
			if v.Field(0).Convert(reflect.TypeFor[int64]()).Int() != 7 || v.Field(1).Int() != -8 {
				t.Fatalf("round %d, type %d: got %+v", round, i, v)
			}
		}
	}
	hot := 0
	for i := range s.typed.hot {
		if be := s.typed.hot[i].Load(); be != nil {
			hot++
			if be.typ != typeWord(be.rt) {
				t.Errorf("hot entry %d is for %v but has another type word", i, be.rt)
			}
		}
	}
	if hot != hotEntries {
		t.Errorf("%d hot entries, want %d", hot, hotEntries)
	}
}

// TestFitShiftsCheckBothRanges checks the range check of the fast int ops
// against inRange on the integers at the edges of every range, for every
// Go kind and every size and signedness of code, both ways.
func TestFitShiftsCheckBothRanges(t *testing.T) {
	var edges []uint64
	for k := range 64 {
		for _, d := range []uint64{0, 1, 2} {
			e := uint64(1) << k
			edges = append(edges, e-d, e+d, -e-d, -e+d)
		}
	}
	for ik := kInt8; ik <= kUint64; ik++ {
		glo, ghi := ik.bounds()
		for _, size := range []int{1, 2, 4, 8} {
			for _, signed := range []bool{false, true} {
				nb := 8 * size
				clo, chi := int64(0), ^uint64(0)>>(64-nb)
				if signed {
					clo, chi = -1<<(nb-1), 1<<(nb-1)-1
				}
				// Encoding: u is the Go value, extended as its kind is.
				// Decoding: u is the item, extended as the code is.
				for _, dir := range []struct {
					name      string
					srcSigned bool
					srcLo     int64
					srcHi     uint64
				}{{"encode", ik.signed(), glo, ghi}, {"decode", signed, clo, chi}} {
					bs, ms, ok := fitShifts(glo, ghi, clo, chi)
					if !ok {
						t.Errorf("kind %d, code of %d bytes (signed %v): no shifts", ik, size, signed)
						continue
					}
					var o op
					o.setFit(bs, ms)
					for _, u := range edges {
						if !inRange(u, dir.srcSigned, dir.srcLo, dir.srcHi) {
							continue // not a value of the source
						}
						want := inRange(u, dir.srcSigned, glo, ghi) && inRange(u, dir.srcSigned, clo, chi)
						if got := o.fits(u); got != want {
							t.Errorf("%s, kind %d, code of %d bytes (signed %v): fits(%#x) = %v, want %v",
								dir.name, ik, size, signed, u, got, want)
						}
					}
				}
			}
		}
	}
}

// TestConversionsStayOnTheFastLoops checks that common conversions, and
// the pads after fields, make no op that leaves the fast loops.
func TestConversionsStayOnTheFastLoops(t *testing.T) {
	type person struct {
		ID     int
		Name   [5]byte
		Height float64
	}
	type wide struct {
		A int
		B uint64
		C int
		D int8
		E int32
		F float32
		G bool
		H [5]byte
		I int
	}
	type native struct {
		C byte
		I int64
		B bool
		D float32
	}
	type small struct {
		A uint
		B int16
		C uintptr
		D float64
		E float32
	}
	for _, c := range []struct {
		fs string
		v  any
	}{
		{"<i5sf", &person{}}, {"<IIhhqd?5sxH", &wide{}}, {"@ci?d", &native{}},
		{"<bBHef", &small{}}, {"@hbx?xxi", &struct {
			A int8
			B uint64
			C bool
			D int
		}{}},
	} {
		s := MustCompile(c.fs)
		b := s.entry(c.v).b
		if b.err != nil {
			t.Fatalf("%q with %T: %s", c.fs, c.v, b.err.msg)
		}
		fdec := make([]op, len(b.fdec))
		for i := range b.fdec {
			fdec[i] = b.fdec[i].op
		}
		for dir, ops := range map[string][]op{"encoding": b.enc, "decoding": b.dec, "Unmarshal's decoding": fdec} {
			for i, o := range ops {
				if o.fast == fSlow {
					t.Errorf("%q with %T: %s op %d (kind %d) leaves the fast loop", c.fs, c.v, dir, i, o.kind)
				}
			}
		}
	}
}

// TestOpSize keeps the size the op's comment gives.
func TestOpSize(t *testing.T) {
	if opSize != 56 && unsafe.Sizeof(uintptr(0)) == 8 {
		t.Errorf("an op takes %d bytes; its comment says 56", opSize)
	}
}

// TestFusedDecodingDoesWhatTheGeneralLoopDoes checks each kind of op
// fuseDecoding makes, with each prefix, on values that fit and values that
// do not: Unmarshal must set the same bytes as decodeFrom from op 0 and
// fail with the same error, the prefix's field set and the failing field
// left as it was.
func TestFusedDecodingDoesWhatTheGeneralLoopDoes(t *testing.T) {
	u64, i64, f32, f64 := reflect.TypeFor[uint64](), reflect.TypeFor[int64](), reflect.TypeFor[float32](), reflect.TypeFor[float64]()
	mains := []struct {
		code  string
		t     reflect.Type
		kind  fastKind // without a prefix
		items []any    // values to pack: the last does not fit t
	}{
		{"b", u64, fDecInt1G8, []any{0, 127, -1}},
		{"B", i64, fDecInt1G8, []any{0, 255}},
		{"h", u64, fDecInt2G8, []any{7, 32767, -32768}},
		{"H", i64, fDecInt2G8, []any{0, 65535}},
		{"i", u64, fDecInt4G8, []any{1, int64(math.MaxInt32), -5}},
		{"I", i64, fDecInt4G8, []any{0, uint64(math.MaxUint32)}},
		{"q", u64, fDecInt8G8, []any{3, int64(math.MaxInt64), int64(math.MinInt64)}},
		{"Q", i64, fDecInt8G8, []any{9, uint64(math.MaxInt64), uint64(math.MaxInt64) + 1}},
		{"f", f64, fDecF32AsF64LE, []any{1.5, math.NaN(), math.Inf(-1)}},
		{"d", f32, fDecF64AsF32LE, []any{1.5, math.NaN(), 0.1}},
	}
	prefixes := []struct {
		code  string
		t     reflect.Type
		value any
		first fastKind // the fused kind of the first main; the others follow in order
	}{
		{"3s", reflect.TypeFor[[3]byte](), []byte("abc"), fCopyDecInt1G8}, // widened into the padding before an 8-byte M
		{"8s", reflect.TypeFor[[8]byte](), []byte("abcdefgh"), fCopyDecInt1G8},
		{"?", reflect.TypeFor[bool](), true, fBoolDecInt1G8},
	}
	for _, p := range prefixes {
		for _, m := range mains {
			// The pad bytes after the main item make the record long
			// enough for the prefix to be an 8-byte copy.
			fs := "<" + p.code + m.code + "8x"
			st := reflect.StructOf([]reflect.StructField{{Name: "P", Type: p.t}, {Name: "M", Type: m.t}})
			if p.code == "3s" && st.Field(1).Offset < 8 {
				continue // no padding to widen the copy into
			}
			s := MustCompile(fs)
			b := s.entry(reflect.New(st).Interface()).b
			if b.err != nil {
				t.Fatalf("%q with %v: %s", fs, st, b.err.msg)
			}
			want := p.first + m.kind - fDecInt1G8
			if m.kind == fDecF32AsF64LE || m.kind == fDecF64AsF32LE {
				want = p.first + 4 + m.kind - fDecF32AsF64LE
			}
			if len(b.fdec) != 2 || b.fdec[0].fast != want || b.fdec[0].gi != 0 {
				t.Fatalf("%q with %v: fast ops %+v, want one of kind %d", fs, st, b.fdec, want)
			}
			for i, x := range m.items {
				rec, err := s.Pack(p.value, x)
				if err != nil {
					t.Fatalf("%q: Pack(%v, %v): %v", fs, p.value, x, err)
				}
				fast, slow, errFast, errSlow := unmarshalBoth(s, b, st, rec)
				if !sameError(errFast, errSlow) || !bytes.Equal(memOf(fast), memOf(slow)) {
					t.Fatalf("%q into %v: Unmarshal of % x gave %+v, %v; the general loop %+v, %v",
						fs, st, rec, fast.Elem(), errFast, slow.Elem(), errSlow)
				}
				fits := i < len(m.items)-1 || m.code == "B" || m.code == "H" || m.code == "I" || m.code == "f"
				if fits != (errFast == nil) {
					t.Errorf("%q into %v: Unmarshal of %v gave %v", fs, st, x, errFast)
				}
				if errFast != nil {
					if !errors.Is(errFast, ErrRange) {
						t.Errorf("%q into %v: Unmarshal of %v gave %v, want a range error", fs, st, x, errFast)
					}
					// The prefix's field is set; the failing field is not.
					if got := fast.Elem().Field(0); p.code == "?" && !got.Bool() || p.code == "3s" && got.Index(2).Uint() != 'c' {
						t.Errorf("%q into %v: after the error, P is %v", fs, st, got)
					}
					if m := memOf(fast); m[st.Field(1).Offset] != 0xa5 {
						t.Errorf("%q into %v: after the error, M is %v", fs, st, fast.Elem().Field(1))
					}
				}
			}
		}
	}
}

// TestIntPrefixesDoWhatTheGeneralLoopDoes checks the ops fuseDecoding makes
// of an integer and the conversion after it, for every size and
// signedness of the integer's code, into Go integers of 8 bytes and of 4
// (followed by a field of 4), with the integer at the start of the record
// and (not fused: the record ends too soon) near its end, and values in
// and out of range in either: Unmarshal
// must set the same bytes as decodeFrom from op 0 and fail with the same
// error, setting only the fields before the one at fault.
func TestIntPrefixesDoWhatTheGeneralLoopDoes(t *testing.T) {
	type item struct {
		code string
		t    reflect.Type
		vals []any
	}
	ints := func(code string, lo int64, hi uint64) []any {
		// The code's edges and a middle value.
		return []any{lo, hi, int64(-1) * int64(lo&1), uint64(7)}
	}
	codes := []struct {
		code string
		lo   int64
		hi   uint64
	}{
		{"b", math.MinInt8, math.MaxInt8}, {"B", 0, math.MaxUint8}, {"h", math.MinInt16, math.MaxInt16}, {"H", 0, math.MaxUint16},
		{"i", math.MinInt32, math.MaxInt32}, {"I", 0, math.MaxUint32}, {"q", math.MinInt64, math.MaxInt64}, {"Q", 0, math.MaxUint64},
	}
	i64, u64, i32, u32 := reflect.TypeFor[int64](), reflect.TypeFor[uint64](), reflect.TypeFor[int32](), reflect.TypeFor[uint32]()
	var prefixes, mains []item
	for _, c := range codes {
		for _, gt := range []reflect.Type{i64, u64, i32, u32} {
			prefixes = append(prefixes, item{c.code, gt, ints(c.code, c.lo, c.hi)})
		}
		for _, gt := range []reflect.Type{i64, u64, i32, u32, reflect.TypeFor[int8](), reflect.TypeFor[uint16]()} {
			mains = append(mains, item{c.code, gt, ints(c.code, c.lo, c.hi)})
		}
	}
	mains = append(mains,
		item{"f", reflect.TypeFor[float64](), []any{1.5, math.Inf(1), math.NaN()}},
		item{"d", reflect.TypeFor[float32](), []any{1.5, 0.1, math.NaN(), 1e300}},
	)
	// fits reports whether x, a value of a field, fits the Go type gt.
	fits := func(x any, gt reflect.Type) bool {
		v := reflect.New(gt).Elem()
		switch x := x.(type) {
		case int64:
			switch gt.Kind() {
			case reflect.Float32:
				return true
			case reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
				return x >= 0 && !v.OverflowUint(uint64(x))
			}
			return !v.OverflowInt(x)
		case uint64:
			switch gt.Kind() {
			case reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
				return !v.OverflowUint(x)
			}
			return x <= math.MaxInt64 && !v.OverflowInt(int64(x))
		case float64:
			return gt.Kind() == reflect.Float64 || float64(float32(x)) == x || x != x
		}
		return true
	}
	fused, kinds := 0, map[fastKind]bool{}
	for _, p := range prefixes {
		for _, m := range mains {
			if p.t.Size() == 4 && m.t.Size() != 4 {
				continue // a 4-byte integer is a prefix only before a field of 4
			}
			for _, layout := range []string{"<" + p.code + m.code + "8x", "<8x" + p.code + m.code} {
				st := reflect.StructOf([]reflect.StructField{{Name: "P", Type: p.t}, {Name: "M", Type: m.t}})
				s := MustCompile(layout)
				b := s.entry(reflect.New(st).Interface()).b
				if b.err != nil {
					t.Fatalf("%q with %v: %s", layout, st, b.err.msg)
				}
				if k := b.fdec[0].fast; k >= fIntDecInt1G8 && k <= fIntDecF64AsF32LE {
					fused++
					kinds[k] = true
					if len(b.fdec) != 2 || b.fdec[0].gi != 0 {
						t.Fatalf("%q with %v: fast ops %+v", layout, st, b.fdec)
					}
				} else if layout[1] != '8' && b.dec[0].kind == opDecInt && b.dec[1].kind == opDecInt {
					// Neither is an exact type's copy, and the record has room.
					t.Fatalf("%q with %v: the first fast op is of kind %d, not a fused one", layout, st, k)
				}
				for _, x := range p.vals {
					for _, y := range m.vals {
						rec, err := s.Pack(x, y)
						if err != nil {
							continue // a value the code does not take
						}
						fast, slow, errFast, errSlow := unmarshalBoth(s, b, st, rec)
						if !sameError(errFast, errSlow) || !bytes.Equal(memOf(fast), memOf(slow)) {
							t.Fatalf("%q into %v: Unmarshal of % x gave %+v, %v; the general loop %+v, %v",
								layout, st, rec, fast.Elem(), errFast, slow.Elem(), errSlow)
						}
						okP, okM := fits(x, p.t), fits(y, m.t)
						if (errFast == nil) != (okP && okM) || errFast != nil && !errors.Is(errFast, ErrRange) {
							t.Errorf("%q into %v: Unmarshal of %v, %v gave %v", layout, st, x, y, errFast)
						}
						mem := memOf(fast)
						if setP := mem[0] != 0xa5 || mem[p.t.Size()-1] != 0xa5; setP != okP {
							t.Errorf("%q into %v: Unmarshal of %v, %v set P: %v", layout, st, x, y, setP)
						}
						if mem[st.Field(1).Offset] != 0xa5 && !(okP && okM) {
							t.Errorf("%q into %v: Unmarshal of %v, %v failed and set M", layout, st, x, y)
						}
					}
				}
			}
		}
	}
	if fused < 100 {
		t.Errorf("only %d bindings had an integer prefix", fused)
	}
	for k := fIntDecInt1G8; k <= fIntDecF64AsF32LE; k++ {
		if !kinds[k] {
			t.Errorf("no op of fast kind %d was made", k)
		}
	}
}

// TestIntPrefixesEncodeAsTheGeneralLoopDoes checks the ops fuseEncoding
// makes of an integer, or a copy, and the conversion after it, for every
// size and signedness of the integer's code, from Go integers of 8 bytes
// and of 4 (followed by a field of 4), with Go values in and out of the
// codes' ranges in either: MarshalAppend must append the bytes appendFrom
// from op 0 appends, and Pack, or fail with the same error, leaving dst
// as it was.
func TestIntPrefixesEncodeAsTheGeneralLoopDoes(t *testing.T) {
	i64, u64, i32, u32 := reflect.TypeFor[int64](), reflect.TypeFor[uint64](), reflect.TypeFor[int32](), reflect.TypeFor[uint32]()
	codes := []struct {
		code string
		lo   int64
		hi   uint64
	}{
		{"b", math.MinInt8, math.MaxInt8}, {"B", 0, math.MaxUint8}, {"h", math.MinInt16, math.MaxInt16}, {"H", 0, math.MaxUint16},
		{"i", math.MinInt32, math.MaxInt32}, {"I", 0, math.MaxUint32}, {"q", math.MinInt64, math.MaxInt64}, {"Q", 0, math.MaxUint64},
	}
	// vals returns Go values of type gt at the edges of a code's range
	// and of gt's, and one in the middle.
	vals := func(lo int64, hi uint64, gt reflect.Type) []reflect.Value {
		var out []reflect.Value
		nb := 8 * gt.Size()
		edges := []any{int64(-1) << (nb - 1), uint64(1)<<(nb-1) - 1, ^uint64(0) >> (64 - nb)} // gt's, signed or not
		for _, x := range append(edges, int64(7), int64(-1), lo, hi, lo-1, hi+1) {
			v := reflect.New(gt).Elem()
			switch x := x.(type) {
			case int64:
				if v.CanInt() && !v.OverflowInt(x) {
					v.SetInt(x)
				} else if v.CanUint() && x >= 0 && !v.OverflowUint(uint64(x)) {
					v.SetUint(uint64(x))
				} else {
					continue
				}
			case uint64:
				if v.CanUint() && !v.OverflowUint(x) {
					v.SetUint(x)
				} else if v.CanInt() && x <= math.MaxInt64 && !v.OverflowInt(int64(x)) {
					v.SetInt(int64(x))
				} else {
					continue
				}
			}
			out = append(out, v)
		}
		return out
	}
	type item struct {
		code string
		t    reflect.Type
		vals []reflect.Value
	}
	var prefixes, mains []item
	for _, c := range codes {
		for _, gt := range []reflect.Type{i64, u64, i32, u32} {
			prefixes = append(prefixes, item{c.code, gt, vals(c.lo, c.hi, gt)})
		}
		for _, gt := range []reflect.Type{i64, u64, i32, u32, reflect.TypeFor[int8](), reflect.TypeFor[uint16]()} {
			mains = append(mains, item{c.code, gt, vals(c.lo, c.hi, gt)})
		}
	}
	var f32s, f64s []reflect.Value
	for _, x := range []float64{1.5, 0.1, math.NaN(), math.Inf(-1), 1e39, math.MaxFloat32} {
		f32s, f64s = append(f32s, reflect.ValueOf(float32(x))), append(f64s, reflect.ValueOf(x))
	}
	mains = append(mains, item{"d", reflect.TypeFor[float32](), f32s}, item{"f", reflect.TypeFor[float64](), f64s})
	// Copies, of 8 bytes and (widened into the padding before an 8-byte
	// field) of 3, are prefixes too.
	for _, n := range []int{3, 8} {
		a := reflect.New(reflect.ArrayOf(n, reflect.TypeFor[byte]())).Elem()
		for i := range n {
			a.Index(i).SetUint(uint64(0xa0 + i))
		}
		prefixes = append(prefixes, item{strconv.Itoa(n) + "s", a.Type(), []reflect.Value{a}})
	}
	fused, kinds := 0, map[fastKind]bool{}
	for _, p := range prefixes {
		for _, m := range mains {
			if p.t.Size() == 4 && m.t.Size() != 4 {
				continue // a 4-byte integer is a prefix only before a field of 4
			}
			for li, layout := range []string{"<" + p.code + m.code + "8x", "<8x" + p.code + m.code} {
				st := reflect.StructOf([]reflect.StructField{{Name: "P", Type: p.t}, {Name: "M", Type: m.t}})
				if p.code == "3s" && st.Field(1).Offset < 8 {
					continue // no padding to widen the copy into
				}
				s := MustCompile(layout)
				b := s.entry(reflect.New(st).Interface()).b
				if b.err != nil {
					t.Fatalf("%q with %v: %s", layout, st, b.err.msg)
				}
				if k := b.fenc[0].fast; k >= fIntEncInt1G8 && k <= fCopyEncF64AsF32LE {
					fused++
					kinds[k] = true
					if b.fenc[0].gi != 0 || b.fenc[1].gi != 2 {
						t.Fatalf("%q with %v: fast ops %+v", layout, st, b.fenc)
					}
				} else if e := b.enc; li == 0 && (e[0].kind == opEncInt || e[0].kind == opCopy && (e[0].n == 8 || p.code == "3s")) &&
					(e[1].kind == opEncInt || e[1].kind == opEncF32AsF64 || e[1].kind == opEncF64AsF32) {
					// A prefix and a conversion, and the record has room.
					t.Fatalf("%q with %v: the first fast op is of kind %d, not a fused one", layout, st, k)
				}
				for _, x := range p.vals {
					for _, y := range m.vals {
						v := reflect.New(st)
						v.Elem().Field(0).Set(x)
						v.Elem().Field(1).Set(y)
						outFast, outSlow, errFast, errSlow := marshalBoth(s, b, v, 0)
						if !sameError(errFast, errSlow) || !bytes.Equal(outFast, outSlow) {
							t.Fatalf("%q from %+v: MarshalAppend gave % x, %v; the general loop % x, %v",
								layout, v.Elem(), outFast, errFast, outSlow, errSlow)
						}
						rec, errPack := s.Pack(valuesOf(v.Elem())...)
						var pe *Error
						if errFast == nil && (errPack != nil || !bytes.Equal(outFast[3:], rec)) ||
							errFast != nil && (!errors.As(errFast, &pe) || errPack == nil || pe.Msg != errPack.(*Error).Msg || len(outFast) != 3) {
							t.Fatalf("%q from %+v: MarshalAppend gave % x, %v; Pack % x, %v", layout, v.Elem(), outFast, errFast, rec, errPack)
						}
					}
				}
			}
		}
	}
	if fused < 100 {
		t.Errorf("only %d bindings had an integer prefix", fused)
	}
	for k := fIntEncInt1G8; k <= fCopyEncF64AsF32LE; k++ {
		if !kinds[k] {
			t.Errorf("no encoding op of fast kind %d was made", k)
		}
	}
}
