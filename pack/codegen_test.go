package pack_test

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/pystruct/pystruct/pack"
)

// hookRec is a type with hand-written "generated" functions that count
// their calls, to see the typed path route through them.
type hookRec struct {
	A int32
	B uint16
}

var hookCalls struct{ marshal, unmarshal int }

const hookFormat = "<iH"

var hookCodec *pack.Codec[hookRec]

func init() {
	hookCodec = pack.Register(hookFormat, hookMarshal, hookUnmarshal)
}

func hookMarshal(v *hookRec, dst []byte) ([]byte, error) {
	hookCalls.marshal++
	if v.B > 9000 { // a check of its own, to see its error is the typed path's
		return dst, hookCodec.MarshalError(v)
	}
	return append(dst, byte(v.A), byte(v.A>>8), byte(v.A>>16), byte(v.A>>24), byte(v.B), byte(v.B>>8)), nil
}

func hookUnmarshal(v *hookRec, b []byte) error {
	hookCalls.unmarshal++
	if len(b) != 6 {
		return hookCodec.UnmarshalError(v, b)
	}
	v.A = int32(uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24)
	v.B = uint16(b[4]) | uint16(b[5])<<8
	return nil
}

func TestRegisterRoutesTheTypedPath(t *testing.T) {
	s := pack.MustCompile(hookFormat)
	v := hookRec{A: -2, B: 7}
	hookCalls.marshal, hookCalls.unmarshal = 0, 0

	b, err := s.Marshal(&v)
	if err != nil || hookCalls.marshal != 1 {
		t.Fatalf("Marshal: %x %v, %d calls of the registered marshal, want 1", b, err, hookCalls.marshal)
	}
	want, _ := hookCodec.Struct().Marshal(&v)
	if !bytes.Equal(b, want) || hookCalls.marshal != 1 {
		t.Fatalf("Marshal gives %x, the codec's own Struct %x (and must not call the hook: %d calls)", b, want, hookCalls.marshal)
	}
	if _, err := s.MarshalAppend(make([]byte, 0, 16), &v); err != nil || hookCalls.marshal != 2 {
		t.Fatalf("MarshalAppend: %v, %d calls", err, hookCalls.marshal)
	}
	if _, err := s.Marshal([]hookRec{v, v, v}); err != nil || hookCalls.marshal != 5 {
		t.Fatalf("Marshal of a slice: %v, %d calls, want 5", err, hookCalls.marshal)
	}
	var w hookRec
	if err := s.Unmarshal(b, &w); err != nil || w != v || hookCalls.unmarshal != 1 {
		t.Fatalf("Unmarshal: %+v %v, %d calls", w, err, hookCalls.unmarshal)
	}
	var ws []hookRec
	if err := s.Unmarshal(bytes.Repeat(b, 4), &ws); err != nil || len(ws) != 4 || ws[3] != v || hookCalls.unmarshal != 5 {
		t.Fatalf("bulk Unmarshal: %+v %v, %d calls, want 5", ws, err, hookCalls.unmarshal)
	}
	var buf bytes.Buffer
	enc := pack.NewEncoder(&buf, s)
	if err := enc.Encode(&v); err != nil || hookCalls.marshal != 6 {
		t.Fatalf("Encoder.Encode: %v, %d calls", err, hookCalls.marshal)
	}
	dec := pack.NewDecoder(&buf, s)
	if err := dec.Decode(&w); err != nil || w != v || hookCalls.unmarshal != 6 {
		t.Fatalf("Decoder.Decode: %+v %v, %d calls", w, err, hookCalls.unmarshal)
	}

	// Errors from the hooks are the typed path's, record numbers and all.
	bad := hookRec{A: 1, B: 9001}
	_, gerr := s.Marshal([]hookRec{v, bad})
	_, werr := hookCodec.Struct().Marshal([]hookRec{v, bad})
	if gerr == nil || werr != nil {
		t.Fatalf("Marshal of a slice with a bad record: %v; the typed path says %v", gerr, werr)
	}
	if !strings.Contains(gerr.Error(), "record 1: ") || !errors.Is(gerr, pack.ErrType) {
		t.Errorf("the hook's error lost its record number or category: %v", gerr)
	}
	if err := s.Unmarshal(b[:5], &w); err == nil || err.Error() != hookCodec.Struct().Unmarshal(b[:5], &w).Error() {
		t.Errorf("Unmarshal of a short buffer: %v", err)
	}

	// Another format string, even an equivalent one, does not use the hooks.
	n := hookCalls.marshal
	if _, err := pack.MustCompile("< iH").Marshal(&v); err != nil || hookCalls.marshal != n {
		t.Errorf("an equivalent format used the hooks: %v, %d calls", err, hookCalls.marshal-n)
	}
}

func TestRegisterPanicsOnMisfit(t *testing.T) {
	for _, fs := range []string{"<i", "<i5q(", "<if"} {
		func() {
			defer func() {
				if r := recover(); r == nil {
					t.Errorf("Register(%q) of hookRec did not panic", fs)
				}
			}()
			pack.Register(fs, func(*hookRec, []byte) ([]byte, error) { return nil, nil }, func(*hookRec, []byte) error { return nil })
		}()
	}
}

func TestCheck(t *testing.T) {
	s := pack.MustCompile("<i5sf")
	type good struct {
		ID    int32
		Name  string
		Score float32
	}
	type bad struct {
		ID    int32
		Name  int64
		Score float32
	}
	for _, v := range []any{good{}, &good{}, []good{}, &[]good{}, reflect.TypeFor[good]()} {
		if err := s.Check(v); err != nil {
			t.Errorf("Check(%T): %v", v, err)
		}
	}
	err := s.Check(reflect.TypeFor[bad]())
	_, merr := s.Marshal(&bad{})
	var pe, me *pack.Error
	if !errors.As(err, &pe) || !errors.As(merr, &me) || pe.Msg != me.Msg || pe.Op != "check" || !errors.Is(err, pack.ErrType) {
		t.Errorf("Check(bad) = %v; Marshal says %v", err, merr)
	}
	for _, v := range []any{nil, 3, "x", reflect.TypeFor[int]()} {
		if err := s.Check(v); err == nil || !errors.Is(err, pack.ErrType) {
			t.Errorf("Check(%v) = %v, want an ErrType", v, err)
		}
	}
}

func TestFormatOf(t *testing.T) {
	type inner struct{ X, Y float64 }
	type rec struct {
		A int8
		B uint8
		C int16
		D uint16
		E int32
		F uint32
		G int64
		H uint64
		I float32
		J float64
		K bool
		L [4]byte
		M [3]int16
		N string  `pack:"7s,trim"`
		_ [2]byte `pack:"2x"`
		O []byte  `pack:"9p"`
		P int     `pack:"q"`
		Q inner
		R int `pack:"-"`
		//lint:ignore U1000 binding skips the unexported field, which is the point
		s  int
		Hf float32 `pack:"e"`
	}
	for _, order := range []byte("@=<>!") {
		got, err := pack.FormatOf(reflect.TypeFor[rec](), order)
		want := string(order) + "bBhHiIqQfd?4s3h7s2x9pqdde"
		if err != nil || got != want {
			t.Errorf("FormatOf(rec, %q) = %q, %v; want %q", order, got, err, want)
		}
		if err == nil {
			if err := pack.MustCompile(got).Check(reflect.TypeFor[rec]()); err != nil {
				t.Errorf("rec does not fit its own format: %v", err)
			}
		}
	}
	for _, c := range []struct {
		t    reflect.Type
		want string
	}{
		{reflect.TypeFor[struct{ A int }](), "field A (int) of struct { A int } has no natural format code"},
		{reflect.TypeFor[struct{ S string }](), "field S (string) of struct { S string } has no natural format code"},
		{reflect.TypeFor[struct {
			A int32 `pack:"3i"`
		}](), "its pack tag says"},
		{reflect.TypeFor[int](), "want a struct type"},
	} {
		if _, err := pack.FormatOf(c.t, '<'); err == nil || !strings.Contains(err.Error(), c.want) || !errors.Is(err, pack.ErrType) && !errors.Is(err, pack.ErrCount) {
			t.Errorf("FormatOf(%v) = %v, want an error containing %q", c.t, err, c.want)
		}
	}
	if _, err := pack.FormatOf(reflect.TypeFor[hookRec](), 'x'); err == nil {
		t.Error("FormatOf with order 'x' succeeded")
	}
}

func TestGeneratedConversions(t *testing.T) {
	if bits, ok := pack.Float32Bits(1e39); ok {
		t.Errorf("Float32Bits(1e39) = %#x, ok", bits)
	}
	if bits, ok := pack.Float32Bits(math.Inf(-1)); !ok || bits != 0xff800000 {
		t.Errorf("Float32Bits(-inf) = %#x, %v", bits, ok)
	}
	if got := pack.Quiet32(0x7f800001); got != 0x7fc00001 {
		t.Errorf("Quiet32(sNaN) = %#x", got)
	}
	if got := pack.Quiet32(0x7f800000); got != 0x7f800000 {
		t.Errorf("Quiet32(inf) = %#x", got)
	}
	if got := math.Float64bits(pack.Float32ToFloat64(0x7f800001)); got != 0x7ff8000020000000 {
		t.Errorf("Float32ToFloat64(sNaN) bits = %#x", got)
	}
	if _, ok := pack.HalfBits(65520); ok {
		t.Error("HalfBits(65520) ok")
	}
	if bits, ok := pack.HalfBits(65504); !ok || bits != 0x7bff || pack.HalfToFloat64(bits) != 65504 {
		t.Errorf("HalfBits(65504) = %#x, %v", bits, ok)
	}
}

// ExampleFormatOf derives a record's format from its Go type.
func ExampleFormatOf() {
	type Sample struct {
		Seq   uint32
		X, Y  int16
		Value float64
		Valid bool
		Tag   [5]byte
		_     [1]byte `pack:"x"`
		Name  string  `pack:"8s,trim"`
	}
	fs, err := pack.FormatOf(reflect.TypeFor[Sample](), '<')
	fmt.Println(fs, err)
	fmt.Println(pack.MustCompile(fs).Check(Sample{}))
	// Output:
	// <Ihhd?5sx8s <nil>
	// <nil>
}

// sliceRec has a registered slice decoder that counts its calls and fails
// on a B of 0xffff in record 2 (with the error generated code gives when
// it is out of step with pack), to see how Unmarshal reports a slice
// decoder's failure.
type sliceRec struct {
	A int8
	B uint16
}

const sliceFormat = "<bH"

var (
	sliceCodec *pack.Codec[sliceRec]
	sliceCalls int
)

func init() {
	sliceCodec = pack.Register(sliceFormat, func(v *sliceRec, dst []byte) ([]byte, error) {
		return append(dst, byte(v.A), byte(v.B), byte(v.B>>8)), nil
	}, func(v *sliceRec, b []byte) error {
		if len(b) != 3 {
			return sliceCodec.UnmarshalError(v, b)
		}
		v.A, v.B = int8(b[0]), uint16(b[1])|uint16(b[2])<<8
		return nil
	})
	sliceCodec.RegisterSlice(func(out []sliceRec, b []byte) (int, error) {
		sliceCalls++
		for k := range out {
			r := b[3*k : 3*k+3]
			if k == 2 && r[1] == 0xff && r[2] == 0xff {
				return k, sliceCodec.UnmarshalError(&out[k], r) // "out of step": the typed path accepts it
			}
			out[k].A, out[k].B = int8(r[0]), uint16(r[1])|uint16(r[2])<<8
		}
		return len(out), nil
	})
}

func TestRegisterSliceDecodesSlices(t *testing.T) {
	s := pack.MustCompile(sliceFormat)
	in := []sliceRec{{1, 2}, {-3, 400}, {5, 0xffff}, {7, 8}}
	b, err := s.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	sliceCalls = 0
	var out []sliceRec
	if err := s.Unmarshal(b[:6], &out); err != nil || sliceCalls != 1 || !reflect.DeepEqual(out, in[:2]) {
		t.Fatalf("Unmarshal of 2 records: %+v %v, %d calls of the slice decoder, want 1", out, err, sliceCalls)
	}
	// One record into a struct does not use it.
	var one sliceRec
	if err := s.Unmarshal(b[:3], &one); err != nil || sliceCalls != 1 || one != in[0] {
		t.Fatalf("Unmarshal of one record: %+v %v, %d calls of the slice decoder, want still 1", one, err, sliceCalls)
	}
	err = s.Unmarshal(b, &out)
	if err == nil || !strings.Contains(err.Error(), "record 2: generated code for pack_test.sliceRec is out of step") || !errors.Is(err, pack.ErrType) || !reflect.DeepEqual(out, in[:2]) {
		t.Fatalf("Unmarshal with a failing record 2: %+v %v, want the first 2 records and record 2's error", out, err)
	}
	// The codec's own Struct never uses it.
	sliceCalls = 0
	if err := sliceCodec.Struct().Unmarshal(b, &out); err != nil || sliceCalls != 0 || !reflect.DeepEqual(out, in) {
		t.Fatalf("the codec's Struct: %+v %v, %d calls", out, err, sliceCalls)
	}
}

func TestRegisterSliceRefusesNil(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("RegisterSlice(nil) did not panic")
		}
	}()
	sliceCodec.RegisterSlice(nil)
}

func TestCheckLayout(t *testing.T) {
	type nat struct {
		C byte
		D float64
	}
	c := pack.Register("@cd", func(*nat, []byte) ([]byte, error) { return nil, nil }, func(*nat, []byte) error { return nil })
	s := pack.MustCompile("@cd")
	order := byte('<')
	if pack.MustCompile("=H").Size() == 2 {
		if b, _ := pack.MustCompile("=H").Pack(1); b[0] == 0 {
			order = '>'
		}
	}
	off := s.Plan().Field(1).Offset
	c.CheckLayout(order, s.Size(), 0, off) // this platform's: no panic
	c.CheckLayout('@', s.Size(), 0, off)
	for _, bad := range []struct {
		order   byte
		size    int
		offsets []int
	}{
		{order, s.Size() + 1, []int{0, off}},
		{order, s.Size(), []int{0, off + 1}},
		{order, s.Size(), []int{0}},
		{order ^ '<' ^ '>', s.Size(), []int{0, off}},
		{'=', s.Size(), []int{0, off}},
	} {
		func() {
			defer func() {
				r := recover()
				if msg, _ := r.(string); !strings.Contains(msg, "regenerate") {
					t.Errorf("CheckLayout(%q, %d, %v): recovered %v, want a panic saying to regenerate", bad.order, bad.size, bad.offsets, r)
				}
			}()
			c.CheckLayout(bad.order, bad.size, bad.offsets...)
		}()
	}
}

// Registered code is called without allocating: a local value passed to
// MarshalAppend or Unmarshal stays on the stack, and a slice decoder fills
// a reused slice.
func TestRegisteredAllocs(t *testing.T) {
	s := pack.MustCompile(hookFormat)
	buf := make([]byte, 0, 16)
	var err error
	n := testing.AllocsPerRun(100, func() {
		v := hookRec{A: 1, B: 2}
		if buf, err = s.MarshalAppend(buf[:0], &v); err == nil {
			err = s.Unmarshal(buf, &v)
		}
	})
	if err != nil || n != 0 {
		t.Errorf("MarshalAppend and Unmarshal of a local hookRec: %v allocations (err %v), want 0", n, err)
	}
	ss := pack.MustCompile(sliceFormat)
	many := make([]byte, 3*50)
	out := make([]sliceRec, 0, 50)
	n = testing.AllocsPerRun(100, func() {
		err = ss.Unmarshal(many, &out)
	})
	if err != nil || n != 0 || len(out) != 50 {
		t.Errorf("Unmarshal of 50 records by a slice decoder into a reused slice: %v allocations (err %v, %d records), want 0", n, err, len(out))
	}
}

// The registered functions serve a type wherever it sits in a Struct's
// cache of recent types: met first, or after another type bound to the
// same format; and what they do not serve (a nil pointer, a short buffer)
// fails as it does without them.
func TestRegisteredCodeWhereverTheTypeSits(t *testing.T) {
	type plainRec struct {
		A int32
		B uint16
	}
	v := hookRec{A: -5, B: 700}
	want := []byte{0xfb, 0xff, 0xff, 0xff, 0xbc, 0x02}
	plain := hookCodec.Struct() // the same format, never using the hooks
	for _, first := range []string{"hookRec", "plainRec"} {
		s := pack.MustCompile(hookFormat)
		if first == "plainRec" {
			var p plainRec
			if err := s.Unmarshal(want, &p); err != nil || p != (plainRec{-5, 700}) {
				t.Fatalf("%s first: Unmarshal into plainRec = %v, %+v", first, err, p)
			}
		}
		for range 3 {
			n := hookCalls
			got, err := s.MarshalAppend(make([]byte, 1, 16), &v)
			if err != nil || !bytes.Equal(got[1:], want) || hookCalls.marshal != n.marshal+1 {
				t.Errorf("%s first: MarshalAppend with room = % x, %v, %d hook calls", first, got, err, hookCalls.marshal-n.marshal)
			}
			got, err = s.MarshalAppend(nil, &v)
			if err != nil || !bytes.Equal(got, want) || hookCalls.marshal != n.marshal+2 {
				t.Errorf("%s first: MarshalAppend(nil) = % x, %v, %d hook calls", first, got, err, hookCalls.marshal-n.marshal)
			}
			var w hookRec
			if err := s.Unmarshal(want, &w); err != nil || w != v || hookCalls.unmarshal != n.unmarshal+1 {
				t.Errorf("%s first: Unmarshal = %v, %+v, %d hook calls", first, err, w, hookCalls.unmarshal-n.unmarshal)
			}
			var p plainRec
			if err := s.Unmarshal(want, &p); err != nil || p != (plainRec{-5, 700}) {
				t.Errorf("%s first: Unmarshal into plainRec = %v, %+v", first, err, p)
			}
			if got, err := s.Marshal(&p); err != nil || !bytes.Equal(got, want) {
				t.Errorf("%s first: Marshal of plainRec = % x, %v", first, got, err)
			}
			var nilRec *hookRec
			n = hookCalls
			_, err = s.MarshalAppend(make([]byte, 0, 16), nilRec)
			_, perr := plain.MarshalAppend(make([]byte, 0, 16), nilRec)
			if err == nil || perr == nil || err.Error() != perr.Error() {
				t.Errorf("%s first: MarshalAppend of a nil *hookRec = %v, want %v", first, err, perr)
			}
			err, perr = s.Unmarshal(want, nilRec), plain.Unmarshal(want, nilRec)
			if err == nil || perr == nil || err.Error() != perr.Error() {
				t.Errorf("%s first: Unmarshal into a nil *hookRec = %v, want %v", first, err, perr)
			}
			if hookCalls != n {
				t.Errorf("%s first: a nil *hookRec reached the hooks", first)
			}
			err, perr = s.Unmarshal(want[:5], &w), plain.Unmarshal(want[:5], &w)
			if err == nil || perr == nil || err.Error() != perr.Error() {
				t.Errorf("%s first: Unmarshal of 5 bytes = %v, want %v", first, err, perr)
			}
		}
	}
	// A nil and a zero Struct are the empty format, whatever they meet.
	var w hookRec
	for _, s := range []*pack.Struct{nil, new(pack.Struct)} {
		err, perr := s.Unmarshal(want, &w), pack.MustCompile("").Unmarshal(want, &w)
		if err == nil || perr == nil || err.Error() != perr.Error() {
			t.Errorf("Unmarshal with the Struct %v = %v, want %v", s, err, perr)
		}
		_, err = s.MarshalAppend(nil, &v)
		_, perr = pack.MustCompile("").MarshalAppend(nil, &v)
		if err == nil || perr == nil || err.Error() != perr.Error() {
			t.Errorf("MarshalAppend with the Struct %v = %v, want %v", s, err, perr)
		}
	}
}
