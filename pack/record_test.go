package pack_test

import (
	"bytes"
	"errors"
	"math"
	"reflect"
	"strconv"
	"testing"

	"github.com/pystruct/pystruct/pack"
)

type recPoint struct {
	X, Y int16
	Z    float32
}

func TestDecodeLongerBuffer(t *testing.T) {
	s := pack.MustCompile("<hhf")
	want := recPoint{1, -2, 1.5}
	rec, err := s.Marshal(&want)
	if err != nil {
		t.Fatal(err)
	}
	for extra := range 3 {
		buf := append(append([]byte(nil), rec...), bytes.Repeat([]byte{0xee}, extra)...)
		var got recPoint
		n, err := s.Decode(buf, &got)
		if err != nil || n != s.Size() || got != want {
			t.Errorf("Decode(%x) = %d, %v, %+v; want %d, nil, %+v", buf, n, err, got, s.Size(), want)
		}
		out := bytes.Repeat([]byte{0xee}, len(buf)+2)
		n, err = s.Encode(out, &want)
		if err != nil || n != s.Size() || !bytes.Equal(out[:n], rec) || !bytes.Equal(out[n:], bytes.Repeat([]byte{0xee}, len(out)-n)) {
			t.Errorf("Encode into %d bytes = %d, %v, %x", len(buf)+2, n, err, out)
		}
		// A struct value encodes too.
		if n, err = s.Encode(out, want); err != nil || n != s.Size() || !bytes.Equal(out[:n], rec) {
			t.Errorf("Encode of a value = %d, %v, %x", n, err, out)
		}
	}
}

func TestDecodeEncodeShortBuffer(t *testing.T) {
	for _, fs := range []string{"<i", "<hhf", "@bq", "10s"} {
		s := pack.MustCompile(fs)
		size := s.Size()
		for n := range size {
			buf := bytes.Repeat([]byte{0xab}, n)
			dst := reflect.New(reflect.StructOf(structFieldsFor(t, s))).Interface()
			got, err := s.Decode(buf, dst)
			want := "unpack_from requires a buffer of at least " + strconv.Itoa(size) + " bytes for unpacking " + strconv.Itoa(size) +
				" bytes at offset 0 (actual buffer size is " + strconv.Itoa(n) + ")"
			checkRecordErr(t, "Decode", fs, got, err, "decode", want, pack.ErrBuffer)
			got, err = s.Encode(buf, dst)
			want = "pack_into requires a buffer of at least " + strconv.Itoa(size) + " bytes for packing " + strconv.Itoa(size) +
				" bytes at offset 0 (actual buffer size is " + strconv.Itoa(n) + ")"
			checkRecordErr(t, "Encode", fs, got, err, "encode", want, pack.ErrBuffer)
			if !bytes.Equal(buf, bytes.Repeat([]byte{0xab}, n)) {
				t.Errorf("Encode(%q) into a short buffer wrote %x", fs, buf)
			}
		}
	}
}

// structFieldsFor returns struct fields, of the natural Go types, for the
// values of s.
func structFieldsFor(t *testing.T, s *pack.Struct) []reflect.StructField {
	t.Helper()
	var out []reflect.StructField
	for _, f := range s.Plan().Fields() {
		var ft reflect.Type
		switch f.Code {
		case 'x':
			continue
		case 'b', 'h', 'i', 'l', 'q', 'n':
			ft = reflect.TypeFor[int64]()
		case 'B', 'H', 'I', 'L', 'Q', 'N', 'P':
			ft = reflect.TypeFor[uint64]()
		case 'e', 'f', 'd':
			ft = reflect.TypeFor[float64]()
		case '?':
			ft = reflect.TypeFor[bool]()
		case 'c':
			ft = reflect.TypeFor[byte]()
		case 's', 'p':
			ft = reflect.TypeFor[[]byte]()
		}
		k := f.NumValues()
		if f.Code == 's' || f.Code == 'p' {
			k = 1
		}
		for range k {
			out = append(out, reflect.StructField{Name: "F" + strconv.Itoa(len(out)), Type: ft})
		}
	}
	return out
}

func checkRecordErr(t *testing.T, call, fs string, n int, err error, op, msg string, cat error) {
	t.Helper()
	var e *pack.Error
	if n != 0 || !errors.As(err, &e) || e.Op != op || e.Msg != msg || e.Format != fs || !errors.Is(err, cat) {
		t.Errorf("%s(%q) = %d, %#v\nwant 0 and an *Error with Op %q, message %q, category %v", call, fs, n, err, op, msg, cat)
	}
}

func TestDecodeEncodeBadArguments(t *testing.T) {
	s := pack.MustCompile("<h")
	buf := []byte{1, 0, 9}
	for _, tt := range []struct {
		name string
		v    any
		op   string
		msg  string
		cat  error
	}{
		{"decode into a value", recPoint{}, "decode", "cannot decode into pack_test.recPoint: want a pointer to a struct or to a scalar", pack.ErrType},
		{"decode into a slice", &[]recPoint{}, "decode", "cannot decode into *[]pack_test.recPoint: want a pointer to a struct or to a scalar", pack.ErrType},
		{"decode into nil", nil, "decode", "cannot decode into nil: want a pointer to a struct or to a scalar", pack.ErrType},
		{"decode into a nil pointer", (*int16)(nil), "decode", "cannot decode into nil *int16", pack.ErrType},
		{"decode into a map", &map[int]int{}, "decode", "cannot decode into *map[int]int: want a pointer to a struct or to a scalar", pack.ErrType},
		{"decode into an ill-fitting struct", &recPoint{}, "decode", "cannot bind field Y (int16) of pack_test.recPoint: format \"<h\" has only 1 values", pack.ErrCount},
		{"decode into an ill-fitting scalar", new(float64), "decode", "cannot bind float64 to 'h': want an integer type", pack.ErrType},
		{"encode a slice", []recPoint{}, "encode", "cannot encode []pack_test.recPoint: want a struct or a scalar, or a pointer to one", pack.ErrType},
		{"encode nil", nil, "encode", "cannot encode nil: want a struct or a scalar, or a pointer to one", pack.ErrType},
		{"encode a nil pointer", (*recPoint)(nil), "encode", "cannot encode nil *pack_test.recPoint", pack.ErrType},
		{"encode an out-of-range scalar", 1 << 20, "encode", "'h' format requires -32768 <= number <= 32767", pack.ErrRange},
	} {
		op := tt.op
		var n int
		var err error
		before := append([]byte(nil), buf...)
		if op == "decode" {
			n, err = s.Decode(buf, tt.v)
		} else {
			n, err = s.Encode(buf[:2:2], tt.v)
		}
		var e *pack.Error
		if n != 0 || !errors.As(err, &e) || e.Op != op || e.Msg != tt.msg || !errors.Is(err, tt.cat) {
			t.Errorf("%s: got %d, %#v; want Op %q, message %q, category %v", tt.name, n, err, op, tt.msg, tt.cat)
		}
		if tt.cat != pack.ErrRange && !bytes.Equal(buf, before) {
			t.Errorf("%s: buffer changed to %x", tt.name, buf)
		}
	}
}

// TestScalarPointers checks that a format of one value binds a scalar
// everywhere a struct binds, with a struct of one field's conversions.
func TestScalarPointers(t *testing.T) {
	for _, tt := range []struct {
		fs  string
		rec string
		v   any // a pointer to the scalar decoded from rec
	}{
		{"!I", "01020304", ptr(uint32(0x01020304))},
		{"!I", "01020304", ptr(uint64(0x01020304))},
		{"!I", "01020304", ptr(int(0x01020304))},
		{"<i", "feffffff", ptr(int8(-2))},
		{"<d", "000000000000f83f", ptr(1.5)},
		{"<d", "000000000000f83f", ptr(float32(1.5))},
		{"<e", "003e", ptr(1.5)},
		{"5s", "6869000000", ptr("hi\x00\x00\x00")},
		{"5s", "6869000000", ptr([]byte("hi\x00\x00\x00"))},
		{"5s", "6869000000", ptr([5]byte{'h', 'i'})},
		{"5p", "0268690000", ptr("hi")},
		{"?", "01", ptr(true)},
		{"c", "7a", ptr(byte('z'))},
		{"<3h", "010002000300", ptr([3]int16{1, 2, 3})},
		{"<2x?x", "00000100", ptr(true)},
	} {
		s := pack.MustCompile(tt.fs)
		rec := hexBytes(tt.rec)
		want := reflect.ValueOf(tt.v).Elem().Interface()
		zero := func() any { return reflect.New(reflect.TypeOf(tt.v).Elem()).Interface() }
		check := func(call string, got any, err error) {
			t.Helper()
			if err != nil || !reflect.DeepEqual(reflect.ValueOf(got).Elem().Interface(), want) {
				t.Errorf("%q %s into %T = %v, %v; want %#v", tt.fs, call, got, reflect.ValueOf(got).Elem(), err, want)
			}
		}
		got := zero()
		check("Unmarshal", got, s.Unmarshal(rec, got))
		got = zero()
		_, err := s.Decode(append(rec, 0xff), got)
		check("Decode", got, err)
		got = zero()
		check("Decoder.Decode", got, pack.NewDecoder(bytes.NewReader(rec), s).Decode(got))

		for _, v := range []any{tt.v, want} { // a pointer and a value
			out, err := s.Marshal(v)
			if err != nil || !bytes.Equal(out, rec) {
				t.Errorf("%q Marshal(%T) = %x, %v; want %s", tt.fs, v, out, err, tt.rec)
			}
			buf := make([]byte, len(rec)+1)
			if n, err := s.Encode(buf, v); err != nil || n != len(rec) || !bytes.Equal(buf[:n], rec) {
				t.Errorf("%q Encode(%T) = %d, %v, %x", tt.fs, v, n, err, buf)
			}
			var w bytes.Buffer
			if err := pack.NewEncoder(&w, s).Encode(v); err != nil || !bytes.Equal(w.Bytes(), rec) {
				t.Errorf("%q Encoder.Encode(%T) wrote %x, %v", tt.fs, v, w.Bytes(), err)
			}
		}
	}
	// Records of a scalar type.
	var got []uint16
	for v, err := range pack.Records[uint16](pack.MustCompile(">H"), hexBytes("00010002ffff")) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, v)
	}
	if !reflect.DeepEqual(got, []uint16{1, 2, math.MaxUint16}) {
		t.Errorf("Records[uint16] = %v", got)
	}
}

func ptr[T any](v T) *T { return &v }

func TestRecords(t *testing.T) {
	s := pack.MustCompile("<hhf")
	want := []recPoint{{1, 2, 3}, {-1, -2, -3.5}, {0, 0, 0}}
	buf, err := s.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	var got []recPoint
	for v, err := range pack.Records[recPoint](s, buf) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, v)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Records = %v, want %v", got, want)
	}
	// Breaking early stops; ranging again starts again.
	seq := pack.Records[recPoint](s, buf)
	for range 2 {
		for v := range seq {
			if v != want[0] {
				t.Errorf("first record = %v", v)
			}
			break
		}
	}
	// No records in an empty buffer.
	for v, err := range pack.Records[recPoint](s, nil) {
		t.Errorf("Records of no bytes yielded %v, %v", v, err)
	}

	type errCase struct {
		name   string
		seq    func(func(any, error) bool)
		yields int // records before the error
		msg    string
		cat    error
	}
	anySeq := func(seq func(func(recPoint, error) bool)) func(func(any, error) bool) {
		return func(yield func(any, error) bool) {
			seq(func(v recPoint, err error) bool { return yield(v, err) })
		}
	}
	for _, tt := range []errCase{
		{"not whole records", anySeq(pack.Records[recPoint](s, buf[:len(buf)-1])), 0,
			"iterative unpacking requires a buffer of a multiple of 8 bytes", pack.ErrBuffer},
		{"size zero", anySeq(pack.Records[recPoint](pack.MustCompile("0i"), buf)), 0,
			"cannot iteratively unpack with a struct of length 0", pack.ErrBuffer},
		{"size zero and no bytes", anySeq(pack.Records[recPoint](nil, nil)), 0,
			"cannot iteratively unpack with a struct of length 0", pack.ErrBuffer},
		{"ill-fitting type", anySeq(pack.Records[recPoint](pack.MustCompile("<hh"), nil)), 0,
			`cannot bind field Z (float32) of pack_test.recPoint: format "<hh" has only 2 values`, pack.ErrCount},
		{"value out of range", func(yield func(any, error) bool) {
			pack.Records[int8](pack.MustCompile("<h"), hexBytes("0100ff7f0200"))(func(v int8, err error) bool { return yield(v, err) })
		}, 1, "record 1: 'h' value 32767 does not fit int8", pack.ErrRange},
		{"slice type", func(yield func(any, error) bool) {
			pack.Records[[]recPoint](s, buf)(func(v []recPoint, err error) bool { return yield(v, err) })
		}, 0, "cannot decode into *[]pack_test.recPoint: want a pointer to a struct or to a scalar", pack.ErrType},
	} {
		n, errs := 0, 0
		for v, err := range tt.seq {
			if err == nil {
				n++
				continue
			}
			errs++
			var e *pack.Error
			if !errors.As(err, &e) || e.Op != "records" || e.Msg != tt.msg || !errors.Is(err, tt.cat) {
				t.Errorf("%s: error %#v, want Op records, message %q, category %v", tt.name, err, tt.msg, tt.cat)
			}
			if !reflect.ValueOf(v).IsZero() {
				t.Errorf("%s: error yielded with %v, want the zero value", tt.name, v)
			}
		}
		if n != tt.yields || errs != 1 {
			t.Errorf("%s: %d records and %d errors, want %d and 1", tt.name, n, errs, tt.yields)
		}
	}
}

func TestRecordsAllocs(t *testing.T) {
	s := pack.MustCompile("<hhf")
	buf, err := s.Marshal(make([]recPoint, 1000))
	if err != nil {
		t.Fatal(err)
	}
	count := func(buf []byte) float64 {
		return testing.AllocsPerRun(20, func() {
			for _, err := range pack.Records[recPoint](s, buf) {
				if err != nil {
					panic(err)
				}
			}
		})
	}
	one, many := count(buf[:8]), count(buf)
	// The iterator itself costs a few allocations per range; the records
	// cost none.
	if many != one {
		t.Errorf("Records: %v allocations for one record, %v for 1000; want the same for both", one, many)
	}
	// Decode and Encode allocate nothing once the type is bound.
	var p recPoint
	out := make([]byte, 16)
	if n := testing.AllocsPerRun(100, func() {
		if _, err := s.Decode(buf, &p); err != nil {
			panic(err)
		}
		if _, err := s.Encode(out, &p); err != nil {
			panic(err)
		}
	}); n != 0 {
		t.Errorf("Decode and Encode: %v allocations, want 0", n)
	}
	// Nor do they for a scalar.
	u := pack.MustCompile("!I")
	var x uint32
	if n := testing.AllocsPerRun(100, func() {
		if _, err := u.Decode(buf, &x); err != nil {
			panic(err)
		}
		if _, err := u.Encode(out, &x); err != nil {
			panic(err)
		}
	}); n != 0 {
		t.Errorf("Decode and Encode of a *uint32: %v allocations, want 0", n)
	}
}
